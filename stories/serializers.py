"""Shapes of stories in the API: the brief in, the story with its scenes and media out."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from media.serializers import QCReportSerializer, qc_report
from providers.visual.artwork import PALETTES
from providers.voices import find_voice
from reelmaker import ssrf
from render.profiles import QUALITIES
from scenes.serializers import SceneSerializer, asset_url
from stories.models import (
    KEYWORD_MAX_CHARS,
    MAX_DURATION_S,
    MIN_DURATION_S,
    Aspect,
    CaptionPreset,
    Language,
    OnFallback,
    Story,
    StoryStateTransition,
)
from stories.selectors import MEDIA_FIELDS
from stories.states import Profile, Status

BUSINESS_KEYS = ("name", "place", "product", "audience", "offer", "contact")
# Choice sets with their own names in the API schema (SPECTACULAR_SETTINGS ENUM_NAME_OVERRIDES).
STYLES = sorted(PALETTES)
DEGRADATION_STEPS = ["plan", "visual", "voice", "render"]
COST_CAPABILITIES = ["writer", "visual", "voice", "render"]
COST_UNITS = ["tokens", "images", "characters", "seconds"]
MAX_SCRIPT_CHARS = 10_000


class MediaSerializer(serializers.Serializer):
    preview = serializers.URLField(allow_null=True)
    final = serializers.URLField(allow_null=True)
    thumbnail = serializers.URLField(allow_null=True)
    captions_srt = serializers.URLField(allow_null=True)
    captions_vtt = serializers.URLField(allow_null=True)


class MediaQCSerializer(serializers.Serializer):
    preview = QCReportSerializer(allow_null=True)
    final = QCReportSerializer(allow_null=True)


class BusinessSerializer(serializers.Serializer):
    """Optional brand or business details the writer weaves in."""

    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    product = serializers.CharField(max_length=200, required=False, allow_blank=True)
    audience = serializers.CharField(max_length=200, required=False, allow_blank=True)
    offer = serializers.CharField(max_length=200, required=False, allow_blank=True)
    contact = serializers.CharField(max_length=200, required=False, allow_blank=True)

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(str(key) for key in set(data) - set(BUSINESS_KEYS))
            if unknown:
                message = _("Unknown detail. Known: %(known)s.") % {
                    "known": ", ".join(BUSINESS_KEYS)
                }
                raise serializers.ValidationError({key: [message] for key in unknown})
        values = super().to_internal_value(data)
        return {key: value for key, value in values.items() if value}


class DegradationSerializer(serializers.Serializer):
    """One fallback the story's reel was made with."""

    step = serializers.ChoiceField(choices=DEGRADATION_STEPS)
    scene = serializers.IntegerField(allow_null=True, help_text="the scene's id; null: the story")
    reason = serializers.CharField()


class StorySerializer(serializers.ModelSerializer):
    """A story as clients see it."""

    scenes = SceneSerializer(many=True, read_only=True)
    degradation = DegradationSerializer(many=True, read_only=True)
    media = serializers.SerializerMethodField()
    business = BusinessSerializer(read_only=True)
    hashtags = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="without the leading #"
    )
    qc = serializers.SerializerMethodField()
    media_qc = serializers.SerializerMethodField()
    callback_url = serializers.CharField(read_only=True, help_text="empty when none is set")
    # A plain string: the schema's named enums cannot list "", and generated clients do not
    # read a nullable enum reference in OpenAPI 3.0.
    autopilot = serializers.CharField(
        read_only=True,
        help_text='where the story goes by itself once planned: "preview", "final" or "" (nowhere)',
    )

    class Meta:
        model = Story
        fields = [
            "id",
            "status",
            "is_locked",
            "title",
            "keyword",
            "language",
            "duration_s",
            "aspect",
            "style",
            "caption_style",
            "voice",
            "tone",
            "script",
            "business",
            "callback_url",
            "on_fallback",
            "autopilot",
            "is_degraded",
            "degradation",
            "hook",
            "post_caption",
            "hashtags",
            "error_code",
            "error_message",
            "scenes",
            "media",
            "qc",
            "media_qc",
            "created_at",
            "updated_at",
            "completed_at",
            "deleted_at",
        ]
        read_only_fields = fields

    @extend_schema_field(MediaSerializer)
    def get_media(self, story: Story) -> dict:
        request = self.context.get("request")
        return {name: asset_url(getattr(story, name), request) for name in MEDIA_FIELDS}

    @extend_schema_field(QCReportSerializer(allow_null=True))
    def get_qc(self, story: Story) -> dict | None:
        """The media QC report of the story's latest reel: the final's, else the preview's."""
        return qc_report(story.final) or qc_report(story.preview)

    @extend_schema_field(MediaQCSerializer)
    def get_media_qc(self, story: Story) -> dict:
        return {"preview": qc_report(story.preview), "final": qc_report(story.final)}


class StoryInput(serializers.Serializer):
    """The brief: what to make. Used to create (all required fields) and to edit (partial)."""

    keyword = serializers.CharField(max_length=KEYWORD_MAX_CHARS)
    language = serializers.ChoiceField(choices=Language.choices)
    duration_s = serializers.IntegerField(
        min_value=MIN_DURATION_S, max_value=MAX_DURATION_S, default=30
    )
    aspect = serializers.ChoiceField(choices=Aspect.choices, default=Aspect.PORTRAIT)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    # The metaclass turns declared fields into `fields`; `Field.style` is not shadowed.
    style = serializers.ChoiceField(  # type: ignore[assignment]
        choices=STYLES, required=False, allow_blank=True
    )
    caption_style = serializers.ChoiceField(
        choices=CaptionPreset.choices,
        required=False,
        help_text="how captions look: classic (default), bold, minimal or karaoke",
    )
    voice = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        help_text="a voice id from GET /api/v1/voices/ that speaks the story's language",
    )
    tone = serializers.CharField(max_length=32, required=False, allow_blank=True)
    script = serializers.CharField(
        max_length=MAX_SCRIPT_CHARS, required=False, allow_blank=True, trim_whitespace=False
    )
    business = BusinessSerializer(required=False)
    callback_url = serializers.URLField(max_length=500, required=False, allow_blank=True)
    on_fallback = serializers.ChoiceField(
        choices=OnFallback.choices,
        required=False,
        help_text="degrade (default): use a fallback and report it; fail: fail the step instead",
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

    def validate(self, attrs: dict) -> dict:
        story = self.instance
        language = attrs.get("language", story.language if story else None)
        voice = attrs.get("voice", story.voice if story else "")
        # Checked when either changes: an unrelated edit never trips over a voice that was
        # listed when chosen (a provider since removed, or unreachable now).
        changed = "voice" in attrs or "language" in attrs
        if changed and voice and language and find_voice(voice_id=voice, language=language) is None:
            message = _("No voice %(voice)s speaks %(language)s: pick one from /api/v1/voices/.")
            raise serializers.ValidationError(
                {"voice": [message % {"voice": voice, "language": language}]}
            )
        return attrs


AUTOPILOT_HELP = (
    "preview or final: go on without stopping (plan, assets, then that render; a final makes "
    "no preview first). Follow the events or the callback URL."
)


class StoryCreateInput(StoryInput):
    """The brief, and where to take it in the same request."""

    autopilot = serializers.ChoiceField(
        choices=Profile.choices, required=False, allow_blank=True, help_text=AUTOPILOT_HELP
    )


class RenderOptionsInput(serializers.Serializer):
    """How a preview or final is rendered."""

    include_captions = serializers.BooleanField(
        default=True, help_text="burn the word-by-word captions into the video"
    )
    quality = serializers.ChoiceField(
        choices=list(QUALITIES),
        default="standard",
        help_text="draft renders fastest; high makes the sharpest, largest file",
    )
    watermark = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="a small mark on the video (default: on previews, off on finals); a plan "
        "that watermarks previews keeps it on them",
    )
    ai_label = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="a visible 'AI generated' label ('AI 생성' in Korean) inside the frame's "
        "title-safe area (default: the AI_LABEL_DEFAULT setting)",
    )


class ProduceInput(serializers.Serializer):
    autopilot = serializers.ChoiceField(
        choices=Profile.choices, default=Profile.FINAL, help_text=AUTOPILOT_HELP
    )


class TransitionInput(serializers.Serializer):
    to = serializers.ChoiceField(choices=Status.choices)
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class WorkStartedSerializer(serializers.Serializer):
    """A step was started: its jobs run on workers; follow them by polling or events."""

    story = StorySerializer()
    job_ids = serializers.ListField(child=serializers.IntegerField())


class TransitionSerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()

    class Meta:
        model = StoryStateTransition
        fields = ["id", "from_status", "to_status", "actor", "reason", "created_at"]
        read_only_fields = fields

    @extend_schema_field(serializers.EmailField(allow_null=True))
    def get_actor(self, transition: StoryStateTransition) -> str | None:
        return transition.actor.email if transition.actor else None


class CostLineSerializer(serializers.Serializer):
    capability = serializers.ChoiceField(choices=COST_CAPABILITIES)
    provider = serializers.CharField()
    model = serializers.CharField(allow_blank=True)
    unit = serializers.ChoiceField(choices=COST_UNITS)
    units = serializers.FloatField()
    cost_usd = serializers.DecimalField(max_digits=14, decimal_places=6)


class CostEstimateSerializer(serializers.Serializer):
    currency = serializers.CharField()
    lines = CostLineSerializer(many=True)
    total_usd = serializers.DecimalField(
        max_digits=14, decimal_places=6, help_text="what finishing the story will cost"
    )
    spent_usd = serializers.DecimalField(
        max_digits=14, decimal_places=6, help_text="what its provider calls have cost so far"
    )


class TimeToFinalSerializer(serializers.Serializer):
    average = serializers.FloatField(allow_null=True, help_text="seconds")
    p95 = serializers.FloatField(allow_null=True, help_text="seconds")


class StoryStatisticsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    by_status = serializers.DictField(child=serializers.IntegerField())
    completed = serializers.IntegerField()
    failed = serializers.IntegerField()
    success_rate = serializers.FloatField(allow_null=True)
    time_to_final_s = TimeToFinalSerializer()
