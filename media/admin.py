from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from media.models import Asset


def media_tag(asset: Asset) -> str:
    """An inline player or picture for an asset, so operators can look at it in admin."""
    if not asset.file:
        return "-"
    url = asset.file.url
    if asset.kind in (Asset.Kind.IMAGE, Asset.Kind.THUMBNAIL):
        return format_html('<img src="{}" style="max-height:320px">', url)
    if asset.kind == Asset.Kind.VIDEO:
        return format_html(
            '<video src="{}" controls preload="metadata" style="max-height:480px"></video>', url
        )
    if asset.kind in (Asset.Kind.AUDIO, Asset.Kind.MUSIC):
        return format_html('<audio src="{}" controls preload="metadata"></audio>', url)
    return format_html('<a href="{}">{}</a>', url, asset.file.name)


@admin.register(Asset)
class AssetAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "kind",
        "story",
        "mime_type",
        "bytes",
        "duration_ms",
        "source_provider",
        "created_at",
    )
    list_filter = ("kind", "source_provider", "created_at")
    search_fields = ("file", "sha256", "attribution")
    raw_id_fields = ("owner", "story")
    readonly_fields = ("preview", "sha256", "bytes", "created_at", "updated_at")

    @admin.display(description=_("preview"))
    def preview(self, asset):
        return media_tag(asset)
