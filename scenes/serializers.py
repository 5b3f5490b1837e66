"""Shapes of scenes and prompts in the API."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from media.downloads import signed_media_url
from media.models import Asset
from scenes.models import MAX_SPOKEN, MAX_WORD, Prompt, PronunciationEntry, Scene
from scenes.services.editing import MAX_SCENES_PER_STORY
from scenes.services.timeline import fitted_scene_ms_for
from stories.models import Language, Story

MAX_TEXT = 2000
MAX_BULK_SCENES = 12


def asset_url(asset: Asset | None, request=None) -> str | None:
    """Where a client downloads an asset: a signed, expiring URL (storage-signed on S3, a
    signed Django view for local files)."""
    return signed_media_url(asset, request)


REGENERATE_WHAT = ["visual", "voice", "both"]  # named RegenerateWhat in the schema


class WordTimingSerializer(serializers.Serializer):
    text = serializers.CharField()
    start_ms = serializers.IntegerField()
    end_ms = serializers.IntegerField()


def stories_of(scenes: list[Scene]) -> list:
    """The scenes' stories, those not loaded with their scene in one query."""
    loaded = {s.story_id: s.story for s in scenes if Scene.story.is_cached(s)}
    missing = {s.story_id for s in scenes} - set(loaded)
    loaded.update(Story.objects.in_bulk(missing) if missing else {})
    return list(loaded.values())


class SceneSerializer(serializers.ModelSerializer):
    """A scene as clients see it; narration, visual_prompt and key_phrase can be edited."""

    narration = serializers.CharField(max_length=MAX_TEXT, trim_whitespace=True)
    visual_prompt = serializers.CharField(max_length=MAX_TEXT, allow_blank=True, required=False)
    key_phrase = serializers.CharField(max_length=120, allow_blank=True, required=False)
    visual_url = serializers.SerializerMethodField()
    voice_url = serializers.SerializerMethodField()
    word_timings = WordTimingSerializer(many=True, read_only=True)

    class Meta:
        model = Scene
        fields = [
            "id",
            "story",
            "position",
            "narration",
            "visual_prompt",
            "key_phrase",
            "duration_ms",
            "visual_url",
            "voice_url",
            "word_timings",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "story", "position", "duration_ms", "created_at", "updated_at"]

    def to_representation(self, instance: Scene) -> dict:
        data = super().to_representation(instance)
        # The length the reel gives the scene (its voice, pause and any hold the timeline
        # adds to land on the story's length), worked out once per story per response.
        fitted: dict[int, dict[int, int]] = self.context.get("fitted_scene_ms", {})
        if instance.story_id not in fitted:
            # Every story of the page at once: one query, not one per story.
            rows = getattr(self.parent, "instance", None)
            page = rows if isinstance(rows, list | tuple) else [instance]
            fitted.update(
                fitted_scene_ms_for(stories_of([s for s in page if s.story_id not in fitted]))
            )
        if isinstance(self.context, dict):  # shared by every row of a list
            self.context["fitted_scene_ms"] = fitted
        data["duration_ms"] = fitted[instance.story_id].get(instance.pk, instance.duration_ms)
        return data

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_visual_url(self, scene: Scene) -> str | None:
        return asset_url(scene.visual, self.context.get("request"))

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_voice_url(self, scene: Scene) -> str | None:
        return asset_url(scene.voice, self.context.get("request"))


class SceneInput(serializers.Serializer):
    """A new scene. Without `position` it goes last; with one, later scenes move down."""

    narration = serializers.CharField(max_length=MAX_TEXT)
    visual_prompt = serializers.CharField(max_length=MAX_TEXT, allow_blank=True, default="")
    key_phrase = serializers.CharField(max_length=120, allow_blank=True, default="")
    position = serializers.IntegerField(
        min_value=0, max_value=MAX_SCENES_PER_STORY - 1, required=False
    )


class SceneCreateInput(SceneInput):
    """A new scene through /scenes/: names its story."""

    story = serializers.IntegerField(min_value=1)


class SceneUpdateInput(serializers.Serializer):
    narration = serializers.CharField(max_length=MAX_TEXT, required=False)
    visual_prompt = serializers.CharField(max_length=MAX_TEXT, allow_blank=True, required=False)
    key_phrase = serializers.CharField(max_length=120, allow_blank=True, required=False)


class BulkCreateInput(serializers.Serializer):
    scenes = serializers.ListField(
        child=SceneInput(),
        min_length=1,
        max_length=MAX_BULK_SCENES,
        allow_empty=False,
        required=False,
        help_text="Left out (an empty body): a skeleton for a story without scenes: a hook, "
        "body scenes and a call to action timed to its length, narration to rewrite.",
    )


class ReorderInput(serializers.Serializer):
    scene_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        min_length=1,
        max_length=MAX_SCENES_PER_STORY,
        help_text="Every scene id of the story, in the new order.",
    )


class RegenerateInput(serializers.Serializer):
    what = serializers.ChoiceField(choices=REGENERATE_WHAT, default="both")


class VisualChoiceInput(serializers.Serializer):
    choice = serializers.CharField(
        required=False, max_length=4000, help_text="a result's `choice` from media/search"
    )
    asset = serializers.IntegerField(required=False, help_text="a picture or clip of yours")

    def validate(self, attrs):
        if ("choice" in attrs) == ("asset" in attrs):
            raise serializers.ValidationError(_("Send either `choice` or `asset`."))
        return attrs


class RegenerateOutput(serializers.Serializer):
    scene = SceneSerializer()
    job_ids = serializers.ListField(child=serializers.IntegerField())


class PromptSerializer(serializers.ModelSerializer):
    text = serializers.CharField(max_length=MAX_TEXT)

    class Meta:
        model = Prompt
        fields = ["id", "scene", "kind", "text", "provider", "is_selected", "created_at"]
        read_only_fields = ["id", "scene", "provider", "is_selected", "created_at"]


class PromptCreateInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Prompt.Kind.choices)
    text = serializers.CharField(max_length=MAX_TEXT)


class PromptUpdateInput(serializers.Serializer):
    text = serializers.CharField(max_length=MAX_TEXT)


class PromptTestOutput(serializers.Serializer):
    """What the provider made from the prompt; nothing is stored on the scene."""

    kind = serializers.ChoiceField(choices=Prompt.Kind.choices)
    provider = serializers.CharField()
    mime_type = serializers.CharField()
    data_url = serializers.CharField(help_text="the image or the WAV audio as a data: URL")
    width = serializers.IntegerField(allow_null=True)
    height = serializers.IntegerField(allow_null=True)
    duration_ms = serializers.IntegerField(allow_null=True)
    words = WordTimingSerializer(many=True)
    cost_usd = serializers.DecimalField(max_digits=12, decimal_places=6)


class PronunciationSerializer(serializers.ModelSerializer):
    """A lexicon entry: in stories of `language`, every voice says `word` as `spoken`."""

    class Meta:
        model = PronunciationEntry
        fields = ["id", "language", "word", "spoken", "created_at", "updated_at"]
        read_only_fields = fields


def _one_word(value: str) -> None:
    if any(ch.isspace() for ch in value):
        raise serializers.ValidationError(_("Enter one word, without spaces."))


class PronunciationInput(serializers.Serializer):
    language = serializers.ChoiceField(choices=Language.choices)
    word = serializers.CharField(
        max_length=MAX_WORD,
        validators=[_one_word],
        help_text="The word as written in narrations (one word; matching ignores case).",
    )
    spoken = serializers.CharField(
        max_length=MAX_SPOKEN, help_text="How every voice says it; captions keep the word."
    )


class PronunciationUpdateInput(PronunciationInput):
    language = serializers.ChoiceField(choices=Language.choices, required=False)
    word = serializers.CharField(max_length=MAX_WORD, validators=[_one_word], required=False)
    spoken = serializers.CharField(max_length=MAX_SPOKEN, required=False)


class PronunciationPreviewInput(serializers.Serializer):
    language = serializers.ChoiceField(choices=Language.choices)
    text = serializers.CharField(max_length=MAX_TEXT, help_text="A narration to read aloud.")


class SpokenWordSerializer(serializers.Serializer):
    written = serializers.CharField(help_text="The word as captions show it.")
    spoken = serializers.CharField(
        allow_blank=True, help_text="What the voice says for it (empty: nothing)."
    )


class PronunciationPreviewOutput(serializers.Serializer):
    """What every voice would be asked to say: the whole text, and word by word."""

    spoken = serializers.CharField()
    words = SpokenWordSerializer(many=True)
