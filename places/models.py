"""A small business's place, its marketing brief, and the song reels made from it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from stories.models import ReelLanguage as Language  # a song reel's and its story's


class Place(models.Model):
    class Source(models.TextChoices):
        MANUAL = "manual", _("Form")
        JSON = "json", _("JSON import")
        NAVER = "naver", _("Naver Local Search")
        KAKAO = "kakao", _("Kakao Local")

    class Category(models.TextChoices):
        CAFE = "cafe", _("Café")
        STAY = "stay", _("Stay")
        RESTAURANT = "restaurant", _("Restaurant")
        SHOP = "shop", _("Shop")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="places"
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    source_id = models.CharField(_("source id"), max_length=100, blank=True)
    name = models.CharField(_("name"), max_length=120)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    region = models.CharField(_("region"), max_length=80)
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    facilities = models.JSONField(_("facilities"), default=list, blank=True)
    offer = models.CharField(_("offer"), max_length=120, blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.KOREAN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("place")
        verbose_name_plural = _("places")
        constraints = [
            # An import of the same listing again updates it rather than duplicating it.
            models.UniqueConstraint(
                fields=["owner", "source", "source_id"],
                condition=~Q(source_id=""),
                name="place_unique_source_id",
            )
        ]

    def __str__(self) -> str:
        return self.name


class PlacePhoto(models.Model):
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="photos")
    asset = models.ForeignKey("media.Asset", on_delete=models.CASCADE, related_name="+")
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("place photo")
        verbose_name_plural = _("place photos")

    def __str__(self) -> str:
        return f"{self.place} photo {self.position}"


class MarketingBrief(models.Model):
    """The writer's stored, reusable marketing report of a place in one language."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="briefs")
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    data = models.JSONField(_("report"), default=dict)
    provider = models.CharField(_("provider"), max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("marketing brief")
        verbose_name_plural = _("marketing briefs")
        constraints = [
            models.UniqueConstraint(fields=["place", "language"], name="one_brief_per_language")
        ]

    def __str__(self) -> str:
        return f"{self.place} ({self.language})"


class SongReel(models.Model):
    """A lyric video of a place: lyrics (editable until the song is made), the song with its
    word timings, and the rendered video."""

    class Status(models.TextChoices):
        LYRICS = "lyrics", _("Lyrics ready")
        # MAKING and RENDERING: a job of the reel's story runs (read from it, never stored).
        MAKING = "making", _("Making the song")
        SONG = "song", _("Song ready")
        RENDERING = "rendering", _("Rendering")
        RENDERED = "rendered", _("Rendered")
        FAILED = "failed", _("Failed")

    class Mood(models.TextChoices):
        UPBEAT = "upbeat", _("Upbeat")
        CALM = "calm", _("Calm")
        DRAMATIC = "dramatic", _("Dramatic")
        WARM = "warm", _("Warm")

    class Genre(models.TextChoices):
        POP = "pop", _("Pop")
        ACOUSTIC = "acoustic", _("Acoustic")
        LOFI = "lofi", _("Lo-fi")
        BALLAD = "ballad", _("Ballad")
        DANCE = "dance", _("Dance")

    class Vocal(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="song_reels"
    )
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="song_reels")
    # The story that carries the reel's jobs, events, webhooks, final media and publishing.
    story = models.OneToOneField(
        "stories.Story",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="song_reel",
    )
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    duration_s = models.PositiveSmallIntegerField(_("duration (s)"), default=15)
    genre = models.CharField(_("genre"), max_length=16, choices=Genre.choices, default="pop")
    vocal = models.CharField(_("vocal"), max_length=8, choices=Vocal.choices, default="female")
    tempo = models.PositiveSmallIntegerField(_("tempo (BPM)"), default=112)
    mood = models.CharField(_("mood"), max_length=16, choices=Mood.choices, default="upbeat")
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.LYRICS
    )
    lyrics = models.JSONField(_("lyrics"), default=dict)
    provider = models.CharField(_("song provider"), max_length=40, blank=True)
    # The gateway's task for this song once it accepted the generation: a retried job polls it
    # again instead of asking for (and paying for) another song.
    gateway_task_id = models.CharField(_("gateway task id"), max_length=100, blank=True)
    sketch = models.BooleanField(_("sketch vocal"), default=False)
    words = models.JSONField(_("word timings"), default=list, blank=True)
    lines = models.JSONField(_("line timings"), default=list, blank=True)
    song = models.ForeignKey(
        "media.Asset", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    video = models.ForeignKey(
        "media.Asset", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    qc = models.JSONField(_("quality check"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("song reel")
        verbose_name_plural = _("song reels")

    def __str__(self) -> str:
        return f"{self.place} ({self.language})"
