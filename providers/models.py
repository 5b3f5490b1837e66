"""AIProviderConfig: an operator's choice of provider, model, key variable and base URL."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
        # The table kept its name when the model moved from scenes to providers.
        db_table = "scenes_aiproviderconfig"
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
