"""AIProviderConfig: an operator's choice of provider, model, key variable and base URL."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# The variables a row may name for its key: the providers' documented key variables
# (providers.config.PROVIDER_ENV) and any REELMAKER_KEY_* variable an operator sets for a row.
# Anything else (SECRET_KEY, DATABASE_URL, AWS_SECRET_ACCESS_KEY...) could be sent to the
# row's base URL by "Test connection" or a provider call.
PROVIDER_KEY_VARIABLES = frozenset(
    {
        "OPENAI_API_KEY",
        "ELEVENLABS_API_KEY",
        "PEXELS_API_KEY",
        "UNSPLASH_ACCESS_KEY",
        "GEMINI_API_KEY",
        "RUNWAYML_API_SECRET",
        "KAKAO_REST_API_KEY",
        "NAVER_CLIENT_SECRET",
    }
)
KEY_VARIABLE_PREFIX = "REELMAKER_KEY_"
KEY_VARIABLE_PATTERN = r"^REELMAKER_KEY_[A-Z0-9_]+$"


def is_allowed_key_variable(name: str) -> bool:
    """Whether a provider key may be read from the variable `name` (empty: the default)."""
    return (
        name == ""
        or name in PROVIDER_KEY_VARIABLES
        or (
            name.startswith(KEY_VARIABLE_PREFIX)
            and len(name) > len(KEY_VARIABLE_PREFIX)
            and all(c.isupper() or c.isdigit() or c == "_" for c in name)
            and name.isascii()
        )
    )


class AIProviderConfig(models.Model):
    class Capability(models.TextChoices):
        WRITER = "writer", _("Writer")
        VISUAL = "visual", _("Visuals")
        VIDEO = "video", _("Video clips")
        VOICE = "voice", _("Voice")
        MUSIC = "music", _("Music")
        PLACE_SEARCH = "place_search", _("Place search")

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
        help_text=_(
            "The variable's NAME, never the key itself: a provider's own (e.g. OPENAI_API_KEY) "
            "or one starting with REELMAKER_KEY_."
        ),
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
                condition=models.Q(api_key_env="")
                | models.Q(api_key_env__in=sorted(PROVIDER_KEY_VARIABLES))
                | models.Q(api_key_env__regex=KEY_VARIABLE_PATTERN),
                name="provider_config_key_is_allowed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.capability}: {self.provider} {self.model}".strip()

    def clean(self) -> None:
        super().clean()
        if not is_allowed_key_variable(self.api_key_env):
            raise ValidationError(
                {
                    "api_key_env": _(
                        "%(name)s cannot hold a provider key. Name a provider's key variable "
                        "(%(allowed)s) or one starting with REELMAKER_KEY_."
                    )
                    % {
                        "name": self.api_key_env,
                        "allowed": ", ".join(sorted(PROVIDER_KEY_VARIABLES)),
                    }
                }
            )
