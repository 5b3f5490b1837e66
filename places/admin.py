"""Places and song reels in admin: read what users made; nothing runs from here."""

from django.contrib import admin

from places.models import MarketingBrief, Place, PlacePhoto, SongReel


class PlacePhotoInline(admin.TabularInline):
    model = PlacePhoto
    extra = 0
    fields = ["position", "asset", "source_url", "created_at"]
    readonly_fields = ["asset", "source_url", "created_at"]


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "region", "language", "source", "owner", "created_at"]
    list_filter = ["category", "language", "source"]
    search_fields = ["name", "region", "address", "owner__email"]
    raw_id_fields = ["owner"]
    inlines = [PlacePhotoInline]


@admin.register(MarketingBrief)
class MarketingBriefAdmin(admin.ModelAdmin):
    list_display = ["place", "language", "provider", "updated_at"]
    list_filter = ["language"]
    raw_id_fields = ["place"]


@admin.register(SongReel)
class SongReelAdmin(admin.ModelAdmin):
    # Its jobs (song, lyric video) are the story's: retry them from the jobs admin.
    list_display = ["place", "language", "status", "provider", "sketch", "story", "created_at"]
    list_filter = ["status", "language", "sketch"]
    raw_id_fields = ["owner", "place", "story", "song", "video"]
    readonly_fields = ["words", "lines", "qc", "error"]
