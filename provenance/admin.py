"""Admin: post texts per story and each reel's licence ledger, read-only where they are facts."""

from django.contrib import admin

from provenance.models import LicenceEntry, PostText, RightsConfirmation


@admin.register(PostText)
class PostTextAdmin(admin.ModelAdmin):
    list_display = ["story", "platform", "title", "writer", "is_edited", "updated_at"]
    list_filter = ["platform", "writer", "is_edited"]
    search_fields = ["title", "description", "story__title"]
    raw_id_fields = ["story"]


@admin.register(LicenceEntry)
class LicenceEntryAdmin(admin.ModelAdmin):
    list_display = ["output", "role", "position", "source", "licence", "credit", "allowed_uses"]
    list_filter = ["role", "source"]
    search_fields = ["licence", "credit", "source_url"]
    raw_id_fields = ["output", "source_asset"]
    readonly_fields = [field.name for field in LicenceEntry._meta.fields]

    def has_add_permission(self, request):
        return False  # the ledger is written by assembly, never by hand


class LicenceEntryInline(admin.TabularInline):
    """The ledger on a reel's Asset page (registered by media's admin through this inline)."""

    model = LicenceEntry
    fk_name = "output"
    extra = 0
    can_delete = False
    fields = ["role", "position", "source", "licence", "credit", "source_url", "allowed_uses"]
    readonly_fields = (
        "role",
        "position",
        "source",
        "licence",
        "credit",
        "source_url",
        "allowed_uses",
    )

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(RightsConfirmation)
class RightsConfirmationAdmin(admin.ModelAdmin):
    list_display = ["asset", "confirmed_by", "statement", "created_at"]
    raw_id_fields = ["asset", "confirmed_by"]
