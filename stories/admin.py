from functools import partial

from django.contrib import admin
from django.db import transaction
from django.db.models import Q, Sum
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from billing.estimates import cost_estimate
from billing.selectors import story_cost
from jobs.models import Job
from media.admin import qc_summary
from reelmaker.admin import DomainErrorsAdmin
from scenes.models import Scene
from scenes.services import editing
from stories import admin_panels
from stories import services as story_services
from stories.models import Story, StoryStateTransition


class SceneInline(admin.TabularInline):
    """Scenes change through the scene services (see StoryAdmin.save_formset); what the
    pipeline makes (position, duration, visual, voice) is shown, not edited."""

    model = Scene
    fields = ("position", "narration", "visual_prompt", "duration_ms", "visual", "voice")
    readonly_fields = ("position", "duration_ms", "visual", "voice")
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


class ReelQCFilter(admin.SimpleListFilter):
    """Stories by the media QC status of their latest reel (the final, else the preview)."""

    title = _("reel quality check")
    parameter_name = "reel_qc"

    def lookups(self, request, model_admin):
        return [("PASS", _("Passed")), ("WARN", _("Passed with warnings")), ("FAIL", _("Failed"))]

    def queryset(self, request, queryset):
        if self.value() not in ("PASS", "WARN", "FAIL"):
            return queryset
        return queryset.filter(
            Q(final__qc__status=self.value())
            | Q(final__isnull=True, preview__qc__status=self.value())
        )


@admin.register(Story)
class StoryAdmin(DomainErrorsAdmin):
    list_display = (
        "id",
        "thumbnail_column",
        "title_column",
        "owner",
        "status_column",
        "length_column",
        "cost_column",
        "reel_qc",
        "aspect",
        "is_degraded",
        "error_summary",
        "created_at",
    )
    list_display_links = ("id", "title_column")
    list_select_related = ("owner", "preview", "final", "thumbnail")
    list_filter = (
        "status",
        "is_degraded",
        "is_quick_clip",
        ReelQCFilter,
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
        "is_degraded",
        "degradation_list",
        "error_detail",
        "created_at",
        "updated_at",
        "completed_at",
        "cost_to_finish",
        "cost_so_far",
    )
    inlines = [SceneInline, JobInline, TransitionInline]
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "owner",
                    "status",
                    "error_code",
                    "error_message",
                    "error_detail",
                    "is_locked",
                )
            },
        ),
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
                    "caption_style",
                    "tone",
                    "business",
                    "script",
                    "callback_url",
                    "on_fallback",
                )
            },
        ),
        (_("Degradation"), {"fields": ("is_degraded", "degradation_list")}),
        (_("Plan"), {"fields": ("title", "hook", "post_caption", "hashtags")}),
        (_("Media"), {"fields": ("preview", "final", "thumbnail", "captions_srt", "captions_vtt")}),
        (_("Cost (USD)"), {"fields": ("cost_to_finish", "cost_so_far")}),
        (_("Times"), {"fields": ("created_at", "updated_at", "completed_at")}),
    )

    class Media:
        css = {"all": ["admin/reelmaker.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(cost_total=Sum("usage__cost_usd"))

    def get_urls(self):
        job_action = self.admin_site.admin_view(partial(admin_panels.job_action_view, self))
        return [
            path(
                "<path:object_id>/jobs/<int:job_id>/<str:verb>/",
                job_action,
                name="stories_story_job",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        story = self.get_object(request, object_id)
        if story is not None:
            extra_context = {**(extra_context or {}), **admin_panels.story_panel(story, request)}
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description=_("thumbnail"))
    def thumbnail_column(self, story):
        return admin_panels.thumbnail_img(story, None)

    @admin.display(description=_("title"), ordering="title")
    def title_column(self, story):
        return str(story)

    @admin.display(description=_("status"), ordering="status")
    def status_column(self, story):
        return admin_panels.status_badge(story.status, story.get_status_display())

    @admin.display(description=_("length"))
    def length_column(self, story):
        return admin_panels.minutes_seconds(admin_panels.reel_length_ms(story))

    @admin.display(description=_("cost (USD)"), ordering="cost_total")
    def cost_column(self, story):
        return f"{story.cost_total or 0:.4f}"

    def save_model(self, request, obj, form, change):
        # The plan lock moves only through set_story_lock, after the rest of the brief is saved.
        if "is_locked" not in form.changed_data:
            super().save_model(request, obj, form, change)
            return
        obj.is_locked = form.initial.get("is_locked", False)
        super().save_model(request, obj, form, change)
        story_services.set_story_lock(
            story_id=obj.pk, is_locked=form.cleaned_data["is_locked"], by=request.user
        )
        obj.is_locked = form.cleaned_data["is_locked"]

    def save_formset(self, request, form, formset, change):
        if formset.model is Scene:
            save_scenes(formset, story=form.instance, by=request.user)
        else:
            super().save_formset(request, form, formset, change)

    @admin.display(description=_("estimated cost to finish"))
    def cost_to_finish(self, story):
        return cost_estimate(story=story)["total_usd"]

    @admin.display(description=_("cost so far"))
    def cost_so_far(self, story):
        return story_cost(story)

    @admin.display(description=_("fallbacks used"))
    def degradation_list(self, story):
        if not story.degradation:
            return "-"
        return format_html_join(
            "\n",
            "<div>{}{}: {}</div>",
            (
                (
                    entry.get("step"),
                    f" (scene #{entry['scene']})" if entry.get("scene") else "",
                    entry.get("reason"),
                )
                for entry in story.degradation
            ),
        )

    @admin.display(description=_("reel quality check"))
    def reel_qc(self, story):
        latest = story.final or story.preview
        return qc_summary(latest.qc) if latest else "-"

    @admin.display(description=_("error"))
    def error_summary(self, story):
        return (
            (story.error_message[:80] + "…")
            if len(story.error_message) > 80
            else story.error_message
        )


@transaction.atomic
def save_scenes(formset, *, story: Story, by) -> None:
    """The scene inline's rows through the scene services: removed, edited, then added."""
    formset.save(commit=False)  # fills new/changed/deleted_objects; writes nothing
    for scene in formset.deleted_objects:
        editing.delete_scene(scene_id=scene.pk, by=by)
    for scene, changed in formset.changed_objects:
        changes = {name: getattr(scene, name) for name in changed}
        editing.update_scene(scene_id=scene.pk, by=by, **changes)
    if formset.new_objects:
        created = editing.create_scenes(
            story_id=story.pk,
            scenes=[
                {"narration": s.narration, "visual_prompt": s.visual_prompt}
                for s in formset.new_objects
            ],
            by=by,
        )
        for scene, made in zip(formset.new_objects, created, strict=True):
            scene.pk = made.pk  # the admin's change message links the new rows
