from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from billing.estimates import cost_estimate
from billing.selectors import story_cost
from jobs.models import Job
from scenes.models import Scene
from stories.models import Story, StoryStateTransition


class SceneInline(admin.TabularInline):
    model = Scene
    fields = ("position", "narration", "visual_prompt", "duration_ms", "visual", "voice")
    raw_id_fields = ("visual", "voice")
    ordering = ("position",)
    extra = 0
    show_change_link = True


class TransitionInline(admin.TabularInline):
    model = StoryStateTransition
    fields = ("created_at", "from_status", "to_status", "actor", "reason")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class JobInline(admin.TabularInline):
    model = Job
    fields = ("link", "kind", "profile", "scene", "status", "attempts", "progress", "error_message")
    readonly_fields = fields
    extra = 0
    can_delete = False

    @admin.display(description=_("job"))
    def link(self, job):
        return format_html(
            '<a href="{}">#{}</a>', reverse("admin:jobs_job_change", args=[job.pk]), job.pk
        )

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "__str__",
        "owner",
        "status",
        "language",
        "aspect",
        "duration_s",
        "error_summary",
        "created_at",
    )
    list_filter = (
        "status",
        "language",
        "aspect",
        ("owner", admin.RelatedOnlyFieldListFilter),
        "created_at",
    )
    search_fields = ("title", "keyword")
    date_hierarchy = "created_at"
    raw_id_fields = ("owner", "preview", "final", "thumbnail", "captions_srt", "captions_vtt")
    # Status moves only through the state machine (stories.services.transition_story).
    readonly_fields = (
        "status",
        "error_code",
        "error_message",
        "created_at",
        "updated_at",
        "completed_at",
        "cost_to_finish",
        "cost_so_far",
    )
    inlines = [SceneInline, JobInline, TransitionInline]
    fieldsets = (
        (None, {"fields": ("owner", "status", "error_code", "error_message", "is_locked")}),
        (
            _("Brief"),
            {
                "fields": (
                    "keyword",
                    "language",
                    "duration_s",
                    "aspect",
                    "voice",
                    "style",
                    "tone",
                    "business",
                    "script",
                    "callback_url",
                )
            },
        ),
        (_("Plan"), {"fields": ("title", "hook", "post_caption", "hashtags")}),
        (_("Media"), {"fields": ("preview", "final", "thumbnail", "captions_srt", "captions_vtt")}),
        (_("Cost (USD)"), {"fields": ("cost_to_finish", "cost_so_far")}),
        (_("Times"), {"fields": ("created_at", "updated_at", "completed_at")}),
    )

    @admin.display(description=_("estimated cost to finish"))
    def cost_to_finish(self, story):
        return cost_estimate(story=story)["total_usd"]

    @admin.display(description=_("cost so far"))
    def cost_so_far(self, story):
        return story_cost(story)

    @admin.display(description=_("error"))
    def error_summary(self, story):
        return (
            (story.error_message[:80] + "…")
            if len(story.error_message) > 80
            else story.error_message
        )
