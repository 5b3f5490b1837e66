"""The places API's shapes: places, photos, briefs and song reels."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jobs.serializers import JobSerializer
from media.downloads import signed_media_url
from media.models import Asset
from places.models import Language, MarketingBrief, Place, PlacePhoto, SongReel
from places.services import song_reels
from providers.writer.song_lyrics import MAX_BPM, MIN_BPM, SECTION_NAMES
from reelmaker import ssrf

MAX_IMPORT = 50
RENDER_PROFILES = ("preview", "final")
MAX_FACILITIES = 20


class PlacePhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="signed download URL; it expires")

    class Meta:
        model = PlacePhoto
        fields = ["id", "position", "source_url", "url", "created_at"]
        read_only_fields = fields

    def get_url(self, photo: PlacePhoto) -> str | None:
        return signed_media_url(photo.asset, self.context.get("request"))


class PlaceSerializer(serializers.ModelSerializer):
    facilities = serializers.ListField(
        child=serializers.CharField(max_length=80), max_length=MAX_FACILITIES, required=False
    )
    photos = PlacePhotoSerializer(many=True, read_only=True)

    class Meta:
        model = Place
        fields = [
            "id",
            "source",
            "source_id",
            "name",
            "category",
            "region",
            "detail",
            "address",
            "phone",
            "description",
            "facilities",
            "offer",
            "language",
            "photos",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "source", "photos", "created_at", "updated_at"]


class PlaceImportInput(serializers.Serializer):
    places = serializers.ListField(
        child=PlaceSerializer(), allow_empty=False, max_length=MAX_IMPORT
    )


@extend_schema_field(OpenApiTypes.INT)
class OwnImageField(serializers.PrimaryKeyRelatedField):
    """An image the requesting user uploaded (POST /api/v1/media/uploads)."""

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return Asset.objects.none()
        return Asset.objects.filter(owner=request.user, kind=Asset.Kind.IMAGE)


class PlaceImportResultSerializer(serializers.Serializer):
    places = PlaceSerializer(many=True)


class PhotoInput(serializers.Serializer):
    asset = OwnImageField(
        required=False, help_text="an image you uploaded with POST /api/v1/media/uploads"
    )
    url = serializers.URLField(
        max_length=500, required=False, help_text="a public http(s) URL of an image"
    )

    def validate(self, attrs: dict) -> dict:
        if bool(attrs.get("asset")) == bool(attrs.get("url")):
            raise serializers.ValidationError(_("Send either an asset or a url, not both."))
        return attrs


class BriefInput(serializers.Serializer):
    language = serializers.ChoiceField(choices=Language.choices)


class BriefReportSerializer(serializers.Serializer):
    brand_concept = serializers.CharField()
    emotional_promise = serializers.CharField()
    target_persona = serializers.CharField()
    selling_points = serializers.ListField(child=serializers.CharField())
    visit_context = serializers.CharField()
    booking_trigger = serializers.CharField()
    keywords = serializers.ListField(child=serializers.CharField())


class MarketingBriefSerializer(serializers.ModelSerializer):
    report = BriefReportSerializer(source="data", read_only=True)

    class Meta:
        model = MarketingBrief
        fields = ["id", "place", "language", "report", "provider", "updated_at"]
        read_only_fields = fields


class LyricSectionSerializer(serializers.Serializer):
    name = serializers.ChoiceField(choices=[(n, n) for n in SECTION_NAMES])
    lines = serializers.ListField(
        child=serializers.CharField(max_length=song_reels.MAX_LINE_CHARS), allow_empty=False
    )


class LyricsSerializer(serializers.Serializer):
    language = serializers.CharField(read_only=True)
    bpm = serializers.IntegerField(read_only=True)
    sections = LyricSectionSerializer(many=True)


class SungWordSerializer(serializers.Serializer):
    text = serializers.CharField()
    start_ms = serializers.IntegerField()
    end_ms = serializers.IntegerField()


class SungLineSerializer(serializers.Serializer):
    section = serializers.CharField()
    text = serializers.CharField()
    start_ms = serializers.IntegerField()
    end_ms = serializers.IntegerField()


class SongReelSerializer(serializers.ModelSerializer):
    lyrics = LyricsSerializer(read_only=True)
    syllables = serializers.SerializerMethodField(help_text="syllables of each lyric line")
    words = SungWordSerializer(many=True, read_only=True)
    lines = SungLineSerializer(many=True, read_only=True)
    sketch_note = serializers.SerializerMethodField(
        help_text="set when the song's vocal is a chanted sketch, not singing"
    )
    song_url = serializers.SerializerMethodField(help_text="signed download URL; it expires")
    video_url = serializers.SerializerMethodField(help_text="signed download URL; it expires")
    job = serializers.SerializerMethodField(
        help_text="the reel's latest song or render job (follow the story's events for it)"
    )

    class Meta:
        model = SongReel
        fields = [
            "id",
            "place",
            "story",
            "job",
            "language",
            "duration_s",
            "genre",
            "vocal",
            "tempo",
            "mood",
            "status",
            "lyrics",
            "syllables",
            "provider",
            "sketch",
            "sketch_note",
            "words",
            "lines",
            "song_url",
            "video_url",
            "qc",
            "error",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def to_representation(self, reel: SongReel) -> dict:
        data = super().to_representation(reel)
        data["status"] = song_reels.status_of(reel)
        return data

    @extend_schema_field(JobSerializer(allow_null=True))
    def get_job(self, reel: SongReel) -> dict | None:
        job = song_reels.latest_job(reel)
        return JobSerializer(job).data if job else None

    def get_syllables(self, reel: SongReel) -> list[int]:
        return song_reels.syllables(reel)

    def get_sketch_note(self, reel: SongReel) -> str:
        return str(song_reels.SKETCH_NOTE) if reel.sketch else ""

    def get_song_url(self, reel: SongReel) -> str | None:
        return signed_media_url(reel.song, self.context.get("request")) if reel.song else None

    def get_video_url(self, reel: SongReel) -> str | None:
        return signed_media_url(reel.video, self.context.get("request")) if reel.video else None


@extend_schema_field(OpenApiTypes.INT)
class OwnPlaceField(serializers.PrimaryKeyRelatedField):
    """A place of the requesting user's: another's is "does not exist", like a missing one."""

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return Place.objects.none()
        return Place.objects.filter(owner=request.user)


class SongReelCreateInput(serializers.Serializer):
    place = OwnPlaceField()
    language = serializers.ChoiceField(choices=Language.choices, required=False)
    duration_s = serializers.IntegerField(min_value=10, max_value=90, default=15)
    tempo = serializers.IntegerField(min_value=MIN_BPM, max_value=MAX_BPM, default=112)
    mood = serializers.ChoiceField(choices=SongReel.Mood.choices, default="upbeat")
    genre = serializers.ChoiceField(choices=SongReel.Genre.choices, default="pop")
    vocal = serializers.ChoiceField(choices=SongReel.Vocal.choices, default="female")
    callback_url = serializers.URLField(
        max_length=500,
        required=False,
        allow_blank=True,
        help_text="told (a signed webhook) when the reel's story completes or fails",
    )

    def validate_callback_url(self, value: str) -> str:
        if value:
            # Refused now and checked again when the webhook is sent (DNS can change).
            ssrf.resolve_public(
                value,
                allow_private=settings.WEBHOOK_ALLOW_PRIVATE,
                allow_http=settings.WEBHOOK_ALLOW_HTTP,
            )
        return value


class LyricsInput(serializers.Serializer):
    """The lyrics and/or the song's attributes, before the song is made."""

    sections = LyricSectionSerializer(many=True, allow_empty=False, required=False)
    tempo = serializers.IntegerField(min_value=MIN_BPM, max_value=MAX_BPM, required=False)
    mood = serializers.ChoiceField(choices=SongReel.Mood.choices, required=False)
    genre = serializers.ChoiceField(choices=SongReel.Genre.choices, required=False)
    vocal = serializers.ChoiceField(choices=SongReel.Vocal.choices, required=False)

    def validate(self, attrs: dict) -> dict:
        if not attrs:
            raise serializers.ValidationError(_("Send the lyrics or a song attribute to change."))
        return attrs


class RenderInput(serializers.Serializer):
    profile = serializers.ChoiceField(choices=RENDER_PROFILES, default="preview")


class PlatformSeoSerializer(serializers.Serializer):
    title = serializers.CharField()
    description = serializers.CharField()
    hashtags = serializers.ListField(child=serializers.CharField())


class SongReelSeoSerializer(serializers.Serializer):
    youtube = PlatformSeoSerializer()
    instagram = PlatformSeoSerializer()
    tiktok = PlatformSeoSerializer()
