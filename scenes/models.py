from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from stories.models import Language

# Lengths a pronunciation may have: a written word, and how to say it.
MAX_WORD = 100
MAX_SPOKEN = 200


class Scene(models.Model):
    story = models.ForeignKey("stories.Story", on_delete=models.CASCADE, related_name="scenes")
    position = models.PositiveSmallIntegerField(_("position"))
    narration = models.TextField(_("narration"))
    visual_prompt = models.TextField(_("visual prompt"), blank=True)
    key_phrase = models.CharField(_("key phrase"), max_length=120, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    visual = models.ForeignKey(
        "media.Asset", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    voice = models.ForeignKey(
        "media.Asset", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    word_timings = models.JSONField(_("word timings"), default=list, blank=True)
    render_key = models.CharField(_("render key of last clip"), max_length=64, blank=True)
    # What the voice was asked to say (spoken text, language, voice); empty: not known. A
    # pronunciation the owner adds or changes gives another key, and the scene is voiced again.
    voice_key = models.CharField(_("narration key of the voice"), max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["story", "position"]
        verbose_name = _("scene")
        verbose_name_plural = _("scenes")
        constraints = [
            models.UniqueConstraint(
                fields=["story", "position"],
                name="scene_position_unique_per_story",
                deferrable=models.Deferrable.DEFERRED,
            )
        ]

    def __str__(self) -> str:
        return f"{self.story_id}#{self.position}"


class Prompt(models.Model):
    class Kind(models.TextChoices):
        VISUAL = "visual", _("Visual")
        NARRATION = "narration", _("Narration")

    scene = models.ForeignKey(Scene, on_delete=models.CASCADE, related_name="prompts")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    text = models.TextField(_("text"))
    provider = models.CharField(_("provider"), max_length=40, blank=True)
    is_selected = models.BooleanField(_("selected"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["scene", "kind", "created_at"]
        verbose_name = _("prompt")
        verbose_name_plural = _("prompts")
        constraints = [
            models.UniqueConstraint(
                fields=["scene", "kind"],
                condition=models.Q(is_selected=True),
                name="one_selected_prompt_per_scene_and_kind",
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]


class PronunciationEntry(models.Model):
    """A user's lexicon: the written `word` is said as `spoken` in every voice of theirs, in
    stories of `language`. Captions keep the written word."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pronunciations"
    )
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    word = models.CharField(_("written word"), max_length=MAX_WORD)
    spoken = models.CharField(_("spoken form"), max_length=MAX_SPOKEN)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["user", "language", "word"]
        verbose_name = _("pronunciation")
        verbose_name_plural = _("pronunciations")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "language", "word"], name="pronunciation_unique_per_user_word"
            ),
            models.CheckConstraint(
                condition=~models.Q(word="") & ~models.Q(spoken=""),
                name="pronunciation_word_and_spoken_not_empty",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.word} → {self.spoken}"
