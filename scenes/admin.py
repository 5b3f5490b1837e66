"""Scenes in admin: every edit goes through the scene services, like the API's."""

from __future__ import annotations

from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from reelmaker.admin import DomainErrorsAdmin
from reelmaker.errors import InvalidRequest
from scenes.models import Prompt, PronunciationEntry, Scene
from scenes.services import editing, prompts, pronunciations


class PromptInline(admin.TabularInline):
    model = Prompt
    fields = ("kind", "text", "provider", "is_selected")
    readonly_fields = ("provider",)
    extra = 0


@admin.register(Scene)
class SceneAdmin(DomainErrorsAdmin):
    """Narration, visual prompt and key phrase change through update_scene (which drops the
    voice or visual and moves a previewed story back to PLANNED); the rest is made by the
    pipeline. Scenes are added through the story (its plan, the API or its admin page)."""

    list_display = ("id", "story", "position", "duration_ms", "narration")
    list_select_related = ("story",)
    search_fields = ("narration", "story__title", "story__keyword")
    fields = (
        "story",
        "position",
        "narration",
        "visual_prompt",
        "key_phrase",
        "duration_ms",
        "visual",
        "voice",
        "render_key",
        "word_timings",
    )
    readonly_fields = (
        "story",
        "position",
        "duration_ms",
        "visual",
        "voice",
        "render_key",
        "word_timings",
    )
    inlines = [PromptInline]

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        changes = {
            name: form.cleaned_data[name]
            for name in form.changed_data
            if name in editing.EDITABLE_FIELDS
        }
        if changes:
            editing.update_scene(scene_id=obj.pk, by=request.user, **changes)

    def save_formset(self, request, form, formset, change):
        if formset.model is Prompt:
            save_prompts(formset, by=request.user)
        else:
            super().save_formset(request, form, formset, change)

    def delete_model(self, request, obj):
        editing.delete_scene(scene_id=obj.pk, by=request.user)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for scene_id in queryset.values_list("pk", flat=True):
            editing.delete_scene(scene_id=scene_id, by=request.user)


def save_prompts(formset, *, by) -> None:
    """The prompt inline's rows through the prompt services: removed, edited, selected, added.
    Raises InvalidRequest for what no service does (a prompt changing kind, unselecting)."""
    formset.save(commit=False)  # fills new/changed/deleted_objects; writes nothing
    for prompt in formset.deleted_objects:
        prompts.delete_prompt(prompt_id=prompt.pk, by=by)
    for prompt, changed in formset.changed_objects:
        if "kind" in changed:
            raise InvalidRequest(_("A prompt cannot change its kind; add a new prompt instead."))
        if "is_selected" in changed and not prompt.is_selected:
            raise InvalidRequest(_("Select another prompt instead of unselecting this one."))
        if "text" in changed:
            prompts.update_prompt(prompt_id=prompt.pk, text=prompt.text, by=by)
        if "is_selected" in changed:
            prompts.select_prompt(prompt_id=prompt.pk, by=by)
    for prompt in formset.new_objects:
        created = prompts.create_prompt(
            scene_id=prompt.scene_id, kind=prompt.kind, text=prompt.text, by=by
        )
        if prompt.is_selected:
            prompts.select_prompt(prompt_id=created.pk, by=by)
        prompt.pk = created.pk  # the admin's change message links the new row


@admin.register(PronunciationEntry)
class PronunciationEntryAdmin(DomainErrorsAdmin):
    """Users' lexicons: saves go through the pronunciation services, like the API's."""

    list_display = ("id", "user", "language", "word", "spoken", "updated_at")
    list_filter = ("language",)
    list_select_related = ("user",)
    search_fields = ("word", "spoken", "user__email")
    fields = ("user", "language", "word", "spoken")
    raw_id_fields = ("user",)

    def get_readonly_fields(self, request, obj=None):
        return ("user",) if obj is not None else ()

    def save_model(self, request, obj, form, change):
        if change:
            changes = {name: form.cleaned_data[name] for name in form.changed_data}
            pronunciations.update_pronunciation(entry_id=obj.pk, **changes)
        else:
            created = pronunciations.create_pronunciation(
                user=obj.user, language=obj.language, word=obj.word, spoken=obj.spoken
            )
            obj.pk = created.pk

    def delete_model(self, request, obj):
        pronunciations.delete_pronunciation(entry_id=obj.pk)
