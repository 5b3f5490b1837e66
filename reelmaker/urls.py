from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from reelmaker import health, lockout

admin.site.site_header = "reelmaker"
admin.site.site_title = "reelmaker"

urlpatterns = [
    path("health/", health.alive, name="health"),
    path("health/ready/", health.ready, name="health-ready"),
    path("admin/login/", lockout.admin_login, name="admin-login"),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/v1/", include("reelmaker.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),  # set_language: the studio's switcher
    path("billing/", include("billing.page_urls")),
    path("places/", include("places.page_urls")),
    path("practice/", include("practice.page_urls")),
    path("", include("studio.urls")),
]

# Unknown URLs and crashes answer in the API's error envelope, not Django's HTML pages.
handler404 = "reelmaker.errors.json_not_found"
handler500 = "reelmaker.errors.json_server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    # DRF's browsable-API session login has no throttle: only for local use.
    urlpatterns.append(path("api-auth/", include("rest_framework.urls")))
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
