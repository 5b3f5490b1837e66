from django.contrib import admin

from scenes.models import Prompt, Scene


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
