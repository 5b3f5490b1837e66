"""Media routes under /api/v1/: uploads and signed downloads of local files."""

from django.urls import path, re_path

from media import api as media_api
from media import downloads

urlpatterns = [
    re_path(r"^media/uploads/?$", media_api.MediaUploadView.as_view(), name="media-uploads"),
    path("media/download/<str:token>/", downloads.download, name="media-download"),
]
