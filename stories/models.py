from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from stories.states import Profile, Status

MIN_DURATION_S = 5
MAX_DURATION_S = 180
KEYWORD_MAX_CHARS = 200


class Language(models.TextChoices):
    """What a narrated reel is written and spoken in."""

    KOREAN = "ko", _("Korean")
    ENGLISH = "en", _("English")


class ReelLanguage(models.TextChoices):
    """What a story may be in: a narrated reel's two languages (Language) and the four more a
    song reel sings (places: its story is the song reel's)."""

    KOREAN = "ko", _("Korean")
    ENGLISH = "en", _("English")
    CHINESE = "zh", _("Chinese")
    JAPANESE = "ja", _("Japanese")
    THAI = "th", _("Thai")
    VIETNAMESE = "vi", _("Vietnamese")


class Aspect(models.TextChoices):
    PORTRAIT = "9:16", _("9:16 vertical")
    LANDSCAPE = "16:9", _("16:9 horizontal")
    SQUARE = "1:1", _("1:1 square")


class CaptionPreset(models.TextChoices):
    """The caption looks a story can pick; each names a preset in render.caption_styles."""

    CLASSIC = "classic", _("Classic: white, the spoken word in yellow")
    BOLD = "bold", _("Bold: large, in the middle of the picture")
    MINIMAL = "minimal", _("Minimal: small subtitles, no highlight")
    KARAOKE = "karaoke", _("Karaoke: words fill in as they are spoken, on a dark box")


class OnFallback(models.TextChoices):
    """What a story does when a step would fall back (another provider, the offline artwork, a
    still for a clip, libx264 for NVENC, another voice, a repaired plan)."""

    DEGRADE = "degrade", _("Use the fallback and report it")
    FAIL = "fail", _("Fail the step instead")


class Story(models.Model):
    Status = Status
    # What a user asks for: copied by duplicate, the rest the pipeline makes.
    BRIEF_FIELDS = (
        "title",
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
    OnFallback = OnFallback

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="stories"
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    keyword = models.CharField(_("keyword or idea"), max_length=KEYWORD_MAX_CHARS)
    language = models.CharField(_("language"), max_length=2, choices=ReelLanguage.choices)
    duration_s = models.PositiveSmallIntegerField(
        _("target duration (s)"),
        default=30,
        validators=[MinValueValidator(MIN_DURATION_S), MaxValueValidator(MAX_DURATION_S)],
    )
    aspect = models.CharField(
        _("aspect"), max_length=5, choices=Aspect.choices, default=Aspect.PORTRAIT
    )
    voice = models.CharField(_("voice"), max_length=64, blank=True)
    style = models.CharField(_("style"), max_length=32, blank=True)
    caption_style = models.CharField(
        _("caption style"),
        max_length=16,
        choices=CaptionPreset.choices,
        default=CaptionPreset.CLASSIC,
    )
    tone = models.CharField(_("tone"), max_length=32, blank=True)
    business = models.JSONField(_("business details"), default=dict, blank=True)
    script = models.TextField(_("user script"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    is_locked = models.BooleanField(_("plan locked"), default=False)
    hook = models.CharField(_("hook"), max_length=300, blank=True)
    post_caption = models.TextField(_("post caption"), blank=True)
    hashtags = models.JSONField(_("hashtags"), default=list, blank=True)
    preview = models.ForeignKey(
        "media.Asset", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    final = models.ForeignKey(
        "media.Asset", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    thumbnail = models.ForeignKey(
        "media.Asset", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    captions_srt = models.ForeignKey(
        "media.Asset", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    captions_vtt = models.ForeignKey(
        "media.Asset", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    callback_url = models.URLField(_("callback URL"), max_length=500, blank=True)
    on_fallback = models.CharField(
        _("on fallback"), max_length=8, choices=OnFallback.choices, default=OnFallback.DEGRADE
    )
    # Where the story goes on to by itself once planned (one request from idea to reel): the
    # preview or the final render; empty: it stops at PLANNED. Cleared when canceled.
    autopilot = models.CharField(_("autopilot"), max_length=8, choices=Profile.choices, blank=True)
    # A quick clip (prompt -> image -> short clip, jobs.pipeline.start_quick_clip): a container
    # for one QUICK_CLIP job and its media, never listed among the user's reels.
    is_quick_clip = models.BooleanField(_("quick clip"), default=False)
    is_degraded = models.BooleanField(_("degraded"), default=False)
    # What fell back, one {"step", "scene" (a scene id or null), "reason"} per fallback;
    # written only by stories.services.record_degradation, which keeps is_degraded in step.
    degradation = models.JSONField(_("degradation"), default=list, blank=True)
    error_code = models.CharField(_("error code"), max_length=40, blank=True)
    error_message = models.TextField(_("error"), blank=True)
    # For operators only (admin, logs): the exception, FFmpeg's stderr, a provider's answer.
    error_detail = models.TextField(_("error detail"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # Set when the owner deletes the story: it is in the trash, restorable for TRASH_DAYS, then
    # purged with its files.
    deleted_at = models.DateTimeField(_("moved to trash at"), null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration_s__gte=MIN_DURATION_S)
                & models.Q(duration_s__lte=MAX_DURATION_S),
                name="story_duration_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values), name="story_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["owner", "status", "-created_at"])]

    def __str__(self) -> str:
        return self.title or self.keyword


class StoryStateTransition(models.Model):
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("from"), max_length=16, choices=Status.choices)
    to_status = models.CharField(_("to"), max_length=16, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("state transition")
        verbose_name_plural = _("state transitions")

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class IdempotencyRecord(models.Model):
    """The first response to a POST sent with an Idempotency-Key, replayed for repeats.

    `status_code` is null while the first request is still running."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idempotency_records"
    )
    key = models.CharField(_("idempotency key"), max_length=255)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=300)
    fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("idempotency record")
        verbose_name_plural = _("idempotency records")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} [{self.key}]"


class Event(models.Model):
    """One thing that happened to a story, in order: its id is the server-sent event id."""

    class Kind(models.TextChoices):
        STATUS = "status", _("Story status")
        JOB = "job", _("Job")
        PROGRESS = "progress", _("Progress")
        WEBHOOK = "webhook", _("Webhook")
        DEGRADED = "degraded", _("Degraded")
        QC = "qc", _("Quality check")

    id = models.BigAutoField(primary_key=True)
    # Each event belongs to a story, or, for work without one (a practice take's analysis), to
    # the job doing it.
    story = models.ForeignKey(
        Story, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    job = models.ForeignKey(
        "jobs.Job", null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # The table kept its name when Event moved from jobs to stories.
        db_table = "jobs_event"
        ordering = ["id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        # Readers ask for "this story's events after id N" (SSE resume and polling).
        indexes = [
            models.Index(fields=["story", "id"], name="jobs_event_story_i_8156f2_idx"),
            models.Index(fields=["job", "id"], name="event_job_id_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"
