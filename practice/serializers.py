"""Shapes of practice lines, takes and "my page"."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jobs.models import Job
from jobs.serializers import EventPageSerializer
from media.downloads import signed_media_url
from practice.models import Line, Take
from practice.selectors import LINE_ORDERS
from stories.models import Language


class WordSerializer(serializers.Serializer):
    text = serializers.CharField()
    start_ms = serializers.IntegerField(min_value=0)
    end_ms = serializers.IntegerField(min_value=0)


class LineSerializer(serializers.ModelSerializer):
    words = WordSerializer(many=True, read_only=True)
    reference_url = serializers.SerializerMethodField(help_text="signed URL; it expires")
    is_bookmarked = serializers.SerializerMethodField()

    class Meta:
        model = Line
        fields = [
            "id",
            "text",
            "translation",
            "language",
            "words",
            "reference_url",
            "reference_duration_ms",
            "category",
            "speaker",
            "scene",
            "view_count",
            "is_bookmarked",
            "created_at",
        ]
        read_only_fields = fields

    def get_reference_url(self, line: Line) -> str | None:
        return signed_media_url(line.reference, self.context.get("request"))

    def get_is_bookmarked(self, line: Line) -> bool:
        return line.pk in self.context.get("bookmarked", set())


class LineQuery(serializers.Serializer):
    category = serializers.CharField(required=False, default="")
    language = serializers.CharField(required=False, default="")
    order = serializers.ChoiceField(choices=LINE_ORDERS, required=False, default="latest")


class LineFromSceneInput(serializers.Serializer):
    scene = serializers.IntegerField(help_text="one of your scenes with a voice")
    category = serializers.CharField(required=False, default="", max_length=60)
    translation = serializers.CharField(required=False, default="")


class LineImportInput(serializers.Serializer):
    text = serializers.CharField(max_length=2000)
    language = serializers.ChoiceField(choices=Language.choices)
    words = serializers.JSONField(help_text='[{"text", "start_ms", "end_ms"}] on the audio')
    audio = serializers.FileField(allow_empty_file=False, use_url=False)
    category = serializers.CharField(required=False, default="", max_length=60)
    speaker = serializers.CharField(required=False, default="", max_length=120)
    translation = serializers.CharField(required=False, default="")


class TakeInput(serializers.Serializer):
    recording = serializers.FileField(
        allow_empty_file=False,
        use_url=False,
        help_text="webm/opus, m4a, mp3, wav or ogg; checked by content",
    )
    callback_url = serializers.URLField(
        required=False,
        default="",
        max_length=500,
        help_text="told analysis.completed or analysis.failed by a signed webhook",
    )


class TakeEventPageSerializer(EventPageSerializer):
    """One poll of a take's events: `status` is its analysis job's."""

    status = serializers.ChoiceField(choices=Job.Status.choices)


class TakeSerializer(serializers.ModelSerializer):
    result = serializers.SerializerMethodField(
        help_text="the analysis: score, rank, similarity, timing, intonation (both contours), "
        "tempo, expressiveness and per-word scores; empty until it succeeded"
    )

    class Meta:
        model = Take
        fields = [
            "id",
            "line",
            "job",
            "status",
            "score",
            "rank",
            "error_code",
            "error_message",
            "result",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_result(self, take: Take) -> dict:
        return take.result


class MyPageSerializer(serializers.Serializer):
    counts = serializers.DictField(child=serializers.IntegerField())
    average_score = serializers.FloatField(allow_null=True)
    averages = serializers.DictField(child=serializers.FloatField(allow_null=True))
    bookmarks = serializers.ListField(child=serializers.DictField())
    practised = serializers.ListField(child=serializers.DictField())


class DeletedSerializer(serializers.Serializer):
    deleted = serializers.IntegerField(help_text="how many takes were deleted")


class MyVoiceInput(serializers.Serializer):
    recording = serializers.FileField(
        allow_empty_file=False,
        use_url=False,
        help_text="your reading of the scene's narration: webm/opus, m4a, mp3, wav or ogg",
    )


class StoryVoiceInput(serializers.Serializer):
    recording = serializers.FileField(
        allow_empty_file=False,
        use_url=False,
        help_text="your reading of the whole script, scene after scene, in one recording: "
        "webm/opus, m4a, mp3, wav or ogg",
    )
