from django.contrib import admin

from practice.models import Bookmark, Line, Take


@admin.register(Line)
class LineAdmin(admin.ModelAdmin):
    list_display = ["id", "text", "language", "category", "speaker", "view_count", "created_at"]
    list_filter = ["language", "category"]
    search_fields = ["text", "translation", "speaker"]
    raw_id_fields = ["reference", "scene", "created_by"]
    readonly_fields = ["view_count", "created_at", "updated_at"]


@admin.register(Take)
class TakeAdmin(admin.ModelAdmin):
    list_display = ["id", "user", "line", "status", "rank", "score", "error_code", "created_at"]
    list_filter = ["status", "rank"]
    raw_id_fields = ["user", "line", "recording"]
    readonly_fields = ["result", "created_at", "updated_at"]


@admin.register(Bookmark)
class BookmarkAdmin(admin.ModelAdmin):
    list_display = ["id", "user", "line", "created_at"]
    raw_id_fields = ["user", "line"]
