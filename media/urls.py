"""Media routes under /api/v1/: uploads and signed downloads of local files."""

from django.urls import path, re_path

from media import api as media_api
from media import api_library, api_quick_clip, downloads

urlpatterns = [
    re_path(r"^media/uploads/?$", media_api.MediaUploadView.as_view(), name="media-uploads"),
    re_path(r"^media/search/?$", api_library.MediaSearchView.as_view(), name="media-search"),
    re_path(r"^media/library/?$", api_library.LibraryView.as_view(), name="media-library"),
    re_path(
        r"^media/library/(?P<asset_id>[0-9]+)/?$",
        api_library.LibraryAssetView.as_view(),
        name="media-library-asset",
    ),
    re_path(r"^media/quick_clips/?$", api_quick_clip.QuickClipsView.as_view(), name="quick-clips"),
    re_path(
        r"^media/quick_clips/(?P<job_id>[0-9]+)/?$",
        api_quick_clip.QuickClipView.as_view(),
        name="quick-clip",
    ),
    path("media/download/<str:token>/", downloads.download, name="media-download"),
]
