from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from scenes import providers
from scenes.models import AIProviderConfig, Asset, Prompt, Scene
from scenes.providers_base import ProviderError


class PromptInline(admin.TabularInline):
    model = Prompt
    fields = ("kind", "text", "provider", "is_selected")
    extra = 0


@admin.register(Scene)
class SceneAdmin(admin.ModelAdmin):
    list_display = ("id", "story", "position", "duration_ms", "narration")
    list_select_related = ("story",)
    search_fields = ("narration", "story__title", "story__keyword")
    raw_id_fields = ("story", "visual", "voice")
    readonly_fields = ("render_key", "word_timings")
    inlines = [PromptInline]


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


@admin.register(AIProviderConfig)
class AIProviderConfigAdmin(admin.ModelAdmin):
    list_display = ("capability", "provider", "model", "priority", "is_enabled", "api_key_env")
    list_filter = ("capability", "is_enabled")
    list_editable = ("priority", "is_enabled")
    search_fields = ("provider", "model")
    actions = ["test_connection"]

    @admin.action(description=_("Test connection"), permissions=["change"])
    def test_connection(self, request, queryset):
        for config in queryset.order_by("capability", "priority", "pk"):
            try:
                result = providers.check_connection(config_id=config.pk)
            except ProviderError as exc:
                self.message_user(
                    request,
                    _("%(config)s: failed: %(error)s") % {"config": config, "error": exc},
                    level=messages.ERROR,
                )
            else:
                self.message_user(
                    request, _("%(config)s: OK, %(result)s") % {"config": config, "result": result}
                )
