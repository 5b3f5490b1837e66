"""The voices API: every voice a story may use, with a short sample of each."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.http import FileResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from providers import voices
from providers.base import ProviderError
from reelmaker.error_schema import error_responses
from reelmaker.errors import NotFound
from stories.models import Language


class VoiceSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="what a story's `voice` takes")
    language = serializers.ChoiceField(choices=Language.choices)
    engine = serializers.CharField(help_text="espeak, piper or elevenlabs")
    # The metaclass turns declared fields into `fields`; `Field.label` is not shadowed.
    label = serializers.CharField()  # type: ignore[assignment]
    sample_url = serializers.URLField(help_text="a short spoken sample")


class VoiceQuery(serializers.Serializer):
    language = serializers.ChoiceField(choices=Language.choices, required=False)


class VoiceViewSet(viewsets.ViewSet):
    """/voices/: the offline voices and those of the configured providers (ElevenLabs)."""

    lookup_url_kwarg = "voice_id"
    lookup_value_regex = "[A-Za-z0-9_-]+"

    @extend_schema(
        summary="Every voice a story may use, with its language and a short sample",
        parameters=[
            OpenApiParameter("language", str, enum=Language.values, description="only these")
        ],
        responses={200: VoiceSerializer(many=True), **error_responses(400)},
    )
    def list(self, request):
        query = VoiceQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows = [
            {
                "id": voice.id,
                "language": voice.language,
                "engine": voice.engine,
                "label": voice.label,
                "sample_url": voice.sample_url
                or request.build_absolute_uri(reverse("voice-sample", args=[voice.id])),
            }
            for voice in voices.available_voices(language=query.validated_data.get("language", ""))
        ]
        return Response(VoiceSerializer(rows, many=True).data)

    @extend_schema(
        summary="A short sample of an offline voice (WAV), made once and kept",
        responses={
            (200, "audio/wav"): OpenApiResponse(OpenApiTypes.BINARY, description="the sample"),
            **error_responses(404),
        },
    )
    @action(detail=True, methods=["get"])
    def sample(self, request, voice_id=None):
        try:
            name = voices.offline_sample(voice_id=str(voice_id))
        except ProviderError:
            raise NotFound() from None
        return FileResponse(default_storage.open(name, "rb"), content_type="audio/wav")
