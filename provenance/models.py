"""Post text per platform, the licence ledger of each rendered reel, and upload confirmations."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Platform(models.TextChoices):
    """The platforms a reel is posted to: one enum for post texts and platform rules here, and
    for linked accounts and publications in publishing/ (which builds on this app)."""

    YOUTUBE = "youtube", _("YouTube")
    INSTAGRAM = "instagram", _("Instagram")
    TIKTOK = "tiktok", _("TikTok")


# Each platform's short-video format, as the rules and post-text limits name it.
REEL_FORMATS = {
    Platform.YOUTUBE: _("YouTube Shorts"),
    Platform.INSTAGRAM: _("Instagram Reels"),
    Platform.TIKTOK: _("TikTok"),
}


class PostText(models.Model):
    """What is posted beside the reel on one platform: proposed by the writer, edited by the
    user before posting."""

    story = models.ForeignKey("stories.Story", on_delete=models.CASCADE, related_name="post_texts")
    platform = models.CharField(_("platform"), max_length=16, choices=Platform.choices)
    title = models.CharField(_("title"), max_length=2200, blank=True)
    description = models.TextField(_("description"), blank=True)
    hashtags = models.JSONField(_("hashtags"), default=list, blank=True)
    writer = models.CharField(_("proposed by"), max_length=40, blank=True)
    is_edited = models.BooleanField(_("edited by the user"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["story_id", "platform"]
        verbose_name = _("post text")
        verbose_name_plural = _("post texts")
        constraints = [
            models.UniqueConstraint(fields=["story", "platform"], name="post_text_per_platform"),
            models.CheckConstraint(
                condition=models.Q(platform__in=Platform.values), name="post_text_platform_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()}: {self.title or self.description[:40]}"


class LicenceEntry(models.Model):
    """One thing a rendered reel (`output`) uses, with its source, licence and credit."""

    class Role(models.TextChoices):
        VISUAL = "visual", _("Visual")
        CLIP = "clip", _("Clip")
        VOICE = "voice", _("Voice")
        MUSIC = "music", _("Music")

    output = models.ForeignKey("media.Asset", on_delete=models.CASCADE, related_name="licences")
    source_asset = models.ForeignKey(
        "media.Asset", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    position = models.PositiveSmallIntegerField(_("scene"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=40)
    licence = models.CharField(_("licence"), max_length=200)
    credit = models.CharField(_("credit"), max_length=300, blank=True)
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)
    # The uses its licence allows, e.g. ["download", "publish"].
    allowed_uses = models.JSONField(_("allowed uses"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["output_id", "id"]
        verbose_name = _("licence entry")
        verbose_name_plural = _("licence ledger")

    def __str__(self) -> str:
        return f"{self.get_role_display()} ({self.source}): {self.licence}"


class RightsConfirmation(models.Model):
    """The owner's word that they may publish an upload of theirs (e.g. a music track)."""

    asset = models.OneToOneField(
        "media.Asset", on_delete=models.CASCADE, related_name="rights_confirmation"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    statement = models.CharField(_("statement"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rights confirmation")
        verbose_name_plural = _("rights confirmations")

    def __str__(self) -> str:
        return f"asset #{self.asset_id} confirmed"
