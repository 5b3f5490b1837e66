"""Asset: a stored file (image, clip, audio, music, subtitle, thumbnail) with its provenance."""

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
    # Words the library search reads: the prompt a visual was made from, and the owner's tags
    # (an upload starts with its file name).
    prompt = models.TextField(_("prompt"), blank=True)
    tags = models.CharField(_("tags"), max_length=300, blank=True)
    # A rendered reel's media QC report (render.qc.QCReport.to_json()); empty for the rest.
    qc = models.JSONField(_("quality check"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        # The table kept its name when Asset moved from scenes to media.
        db_table = "scenes_asset"
        ordering = ["-created_at", "-id"]
        verbose_name = _("asset")
        verbose_name_plural = _("assets")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"
