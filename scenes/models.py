from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Asset(models.Model):
    class Kind(models.TextChoices):
        IMAGE = "image", _("Image")
        VIDEO = "video", _("Video")
        AUDIO = "audio", _("Audio")
        MUSIC = "music", _("Music")
        SUBTITLE = "subtitle", _("Subtitle")
        THUMBNAIL = "thumbnail", _("Thumbnail")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assets"
    )
    story = models.ForeignKey(
        "stories.Story", null=True, blank=True, on_delete=models.CASCADE, related_name="assets"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to="assets/%Y/%m/", max_length=300)
    mime_type = models.CharField(_("MIME type"), max_length=100, blank=True)
    bytes = models.PositiveBigIntegerField(_("bytes"), default=0)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), null=True, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    source_provider = models.CharField(_("source provider"), max_length=40, blank=True)
    licence = models.CharField(_("licence"), max_length=200, blank=True)
    attribution = models.CharField(_("attribution"), max_length=300, blank=True)
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("asset")
        verbose_name_plural = _("assets")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class Scene(models.Model):
    story = models.ForeignKey("stories.Story", on_delete=models.CASCADE, related_name="scenes")
    position = models.PositiveSmallIntegerField(_("position"))
    narration = models.TextField(_("narration"))
    visual_prompt = models.TextField(_("visual prompt"), blank=True)
    key_phrase = models.CharField(_("key phrase"), max_length=120, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    visual = models.ForeignKey(
        Asset, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    voice = models.ForeignKey(
        Asset, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    word_timings = models.JSONField(_("word timings"), default=list, blank=True)
    render_key = models.CharField(_("render key of last clip"), max_length=64, blank=True)
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


class AIProviderConfig(models.Model):
    class Capability(models.TextChoices):
        WRITER = "writer", _("Writer")
        VISUAL = "visual", _("Visuals")
        VIDEO = "video", _("Video clips")
        VOICE = "voice", _("Voice")
        MUSIC = "music", _("Music")

    capability = models.CharField(_("capability"), max_length=16, choices=Capability.choices)
    provider = models.CharField(_("provider"), max_length=40)
    model = models.CharField(_("model"), max_length=100, blank=True)
    priority = models.PositiveSmallIntegerField(_("priority"), default=100)
    is_enabled = models.BooleanField(_("enabled"), default=True)
    options = models.JSONField(_("options"), default=dict, blank=True)
    api_key_env = models.CharField(
        _("name of the environment variable holding the API key"),
        max_length=64,
        blank=True,
        help_text=_("The variable's NAME, e.g. OPENAI_API_KEY. Never the key itself."),
    )
    base_url = models.URLField(_("base URL"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["capability", "priority", "id"]
        verbose_name = _("AI provider configuration")
        verbose_name_plural = _("AI provider configurations")
        constraints = [
            models.UniqueConstraint(
                fields=["capability", "provider", "model"], name="provider_config_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(api_key_env__regex=r"^([A-Z][A-Z0-9_]*)?$"),
                name="provider_config_key_is_env_name",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.capability}: {self.provider} {self.model}".strip()
