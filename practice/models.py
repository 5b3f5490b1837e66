"""Practice lines, bookmarks and takes: a line to say, who saved it, and each recording of it
with its analysis (speech.analyze)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Line(models.Model):
    """A line to practise: its text, when each word is said in the reference recording, and
    where it came from (a reelmaker scene, or imported)."""

    text = models.TextField(_("text"))
    translation = models.TextField(_("translation"), blank=True)
    language = models.CharField(_("language"), max_length=8)
    # [{"text", "start_ms", "end_ms"}] on the reference recording (render.types.WordTiming)
    words = models.JSONField(_("words"), default=list)
    reference = models.ForeignKey(
        "media.Asset", on_delete=models.PROTECT, related_name="+", verbose_name=_("reference")
    )
    reference_duration_ms = models.PositiveIntegerField(_("reference duration (ms)"))
    category = models.CharField(_("category"), max_length=60, blank=True, db_index=True)
    speaker = models.CharField(_("speaker"), max_length=120, blank=True)
    scene = models.ForeignKey(
        "scenes.Scene", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    view_count = models.PositiveIntegerField(_("views"), default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("practice line")
        verbose_name_plural = _("practice lines")

    def __str__(self) -> str:
        return self.text[:60]


class Bookmark(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="line_bookmarks"
    )
    line = models.ForeignKey(Line, on_delete=models.CASCADE, related_name="bookmarks")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("bookmark")
        verbose_name_plural = _("bookmarks")
        constraints = [
            models.UniqueConstraint(fields=["user", "line"], name="bookmark_once_per_line"),
        ]

    def __str__(self) -> str:
        return f"bookmark of line {self.line_id} by user {self.user_id}"


class Take(models.Model):
    """One recording of a line by a user and what the analysis made of it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="takes"
    )
    line = models.ForeignKey(Line, on_delete=models.CASCADE, related_name="takes")
    recording = models.ForeignKey(
        "media.Asset", on_delete=models.CASCADE, related_name="+", verbose_name=_("recording")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    # The analysis job (jobs.Job of kind `analysis`): its events are the take's event stream.
    job = models.ForeignKey(
        "jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # speech.analyze.Analysis.to_json() once it succeeded
    result = models.JSONField(_("result"), default=dict, blank=True)
    score = models.FloatField(_("score"), null=True, blank=True)
    rank = models.CharField(_("rank"), max_length=1, blank=True)
    error_code = models.CharField(_("error code"), max_length=40, blank=True)
    error_message = models.TextField(_("error"), blank=True)
    # Told analysis.completed / analysis.failed by a signed webhook (jobs.webhooks.post_signed)
    callback_url = models.URLField(_("callback URL"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("take")
        verbose_name_plural = _("takes")
        indexes = [models.Index(fields=["user", "line", "status"])]

    def __str__(self) -> str:
        return f"take #{self.pk} of line {self.line_id} ({self.status})"
