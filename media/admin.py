from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from media.models import Asset
from provenance.admin import LicenceEntryInline


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


class QCStatusFilter(admin.SimpleListFilter):
    """Rendered reels by their media QC status; "not checked" is every other asset."""

    title = _("quality check")
    parameter_name = "qc"

    def lookups(self, request, model_admin):
        return [
            ("PASS", _("Passed")),
            ("WARN", _("Passed with warnings")),
            ("FAIL", _("Failed")),
            ("none", _("Not checked")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(qc={})
        if self.value() in ("PASS", "WARN", "FAIL"):
            return queryset.filter(qc__status=self.value())
        return queryset


def qc_summary(qc: dict) -> str:
    """A QC report in a few words: the status and the checks that did not pass."""
    if not qc:
        return "-"
    names = [c["name"] for c in qc.get("checks", []) if c.get("status") != "PASS"]
    rerendered = f" ({gettext('re-rendered')})" if qc.get("rerendered") else ""
    return f"{qc.get('status', '?')}{rerendered}" + (f": {', '.join(names)}" if names else "")


@admin.register(Asset)
class AssetAdmin(admin.ModelAdmin):
    inlines = [LicenceEntryInline]  # a reel's licence ledger
    list_display = (
        "id",
        "kind",
        "story",
        "mime_type",
        "bytes",
        "duration_ms",
        "source_provider",
        "qc_status",
        "created_at",
    )
    list_filter = ("kind", QCStatusFilter, "source_provider", "created_at")
    search_fields = ("file", "sha256", "attribution")
    raw_id_fields = ("owner", "story")
    readonly_fields = ("preview", "qc_report", "sha256", "bytes", "created_at", "updated_at")
    exclude = ("qc",)

    @admin.display(description=_("preview"))
    def preview(self, asset):
        return media_tag(asset)

    @admin.display(description=_("quality check"))
    def qc_status(self, asset):
        return qc_summary(asset.qc)

    @admin.display(description=_("quality check report"))
    def qc_report(self, asset):
        if not asset.qc:
            return "-"
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (c["status"], c["name"], c["value"], c["limit"], c.get("message", ""))
                for c in asset.qc.get("checks", [])
            ),
        )
        return format_html("<p>{}</p><table>{}</table>", qc_summary(asset.qc), rows)
