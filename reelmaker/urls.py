from django.conf import settings
from django.contrib import admin
from django.urls import path

from reelmaker import health

admin.site.site_header = "reelmaker"
admin.site.site_title = "reelmaker"

urlpatterns = [
    path("health/", health.alive, name="health"),
    path("health/ready/", health.ready, name="health-ready"),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
