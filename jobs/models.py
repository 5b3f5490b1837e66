from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    class Kind(models.TextChoices):
        PLAN = "plan", _("Plan")
        VISUAL = "visual", _("Visual")
        VOICE = "voice", _("Voice")
        MUSIC = "music", _("Music")
        SCENE_RENDER = "scene_render", _("Scene render")
        ASSEMBLE = "assemble", _("Assemble")
        WEBHOOK = "webhook", _("Webhook")
        QUICK_CLIP = "quick_clip", _("Quick clip")
        UPLOAD = "upload", _("Upload")
        SONG = "song", _("Song")
        LYRIC_VIDEO = "lyric_video", _("Lyric video")
        # No step of a story: a take's analysis (no story), a creator's own recording made the
        # voice of a scene or of a whole story (jobs.side_jobs runs both).
        ANALYSIS = "analysis", _("Analysis")
        MY_VOICE = "my_voice", _("My voice")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")
        CANCELED = "canceled", _("Canceled")

    FINISHED = (Status.SUCCEEDED, Status.FAILED, Status.CANCELED)

    # None for work that belongs to no story (a practice take's analysis).
    story = models.ForeignKey(
        "stories.Story", null=True, blank=True, on_delete=models.CASCADE, related_name="jobs"
    )
    scene = models.ForeignKey(
        "scenes.Scene", null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    profile = models.CharField(_("render profile"), max_length=10, blank=True)
    # A render's options (render.profiles.with_options): quality, include_captions, watermark.
    options = models.JSONField(_("render options"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    max_attempts = models.PositiveSmallIntegerField(_("max attempts"), default=3)
    celery_task_id = models.CharField(_("Celery task id"), max_length=64, blank=True)
    # The lease of the run that holds a RUNNING job: a token new for each claim, who holds it
    # (host:pid) and until when. Its worker renews it; jobs.recovery.reap_expired_jobs requeues
    # a job whose lease ran out, and a run that lost its lease can no longer finish the job.
    lease_token = models.CharField(_("lease token"), max_length=64, blank=True)
    lease_owner = models.CharField(_("lease owner"), max_length=255, blank=True)
    lease_expires_at = models.DateTimeField(_("lease expires at"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    error_code = models.CharField(_("error code"), max_length=40, blank=True)
    error_message = models.TextField(_("error"), blank=True)
    # What an operator needs (exception, FFmpeg's stderr, a provider's answer), for admin and
    # the logs only; users see error_message, a plain sentence with a reference id.
    error_detail = models.TextField(_("error detail"), blank=True)
    # The provider that did the work and, after a fallback, those that failed before it.
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    cost_usd = models.DecimalField(
        _("cost (USD)"), max_digits=12, decimal_places=6, default=Decimal("0")
    )
    output = models.ForeignKey(
        "media.Asset", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="job_progress_max_100"
            ),
        ]
        indexes = [
            models.Index(fields=["story", "kind", "status"]),
            models.Index(fields=["status", "lease_expires_at"], name="job_status_lease_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.status})"

    @property
    def step_story_id(self) -> int:
        """The story of a job that is a step of one (every kind but a take's analysis)."""
        if self.story_id is None:
            raise ValueError(f"job {self.pk} ({self.kind}) has no story")
        return self.story_id

    @property
    def duration_s(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None


class WebhookSecret(models.Model):
    """A user's own webhook signing secret (else settings.WEBHOOK_SECRET signs).

    Stored as it is, not hashed: HMAC signing needs the secret itself, so a hash could not
    sign. Reading this table therefore lets one forge a user's webhooks, exactly as reading
    WEBHOOK_SECRET from the environment would; guard database access and backups alike."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webhook_secret"
    )
    secret = models.CharField(_("secret"), max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"webhook secret of user {self.user_id}"
