"""Quick clips over HTTP: POST media/quick_clips starts one (a job), GET media/quick_clips/
{job_id} says how far it is and, once done, gives the clip and its image (both in the
library, so `asset` on scenes/{scene_id}/visual puts either in a reel)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import MayStartWork
from jobs import quick_clips
from jobs.models import Job
from jobs.selectors import jobs_for
from media.api_library import LibraryAssetSerializer
from media.models import Asset
from reelmaker.error_schema import error_responses
from reelmaker.idempotency import SCHEMA_PARAMETER, idempotent
from stories.models import KEYWORD_MAX_CHARS, MIN_DURATION_S, Aspect, Language

MAX_QUICK_CLIP_S = 10


class QuickClipInput(serializers.Serializer):
    prompt = serializers.CharField(max_length=KEYWORD_MAX_CHARS, help_text="what to show")
    aspect = serializers.ChoiceField(choices=Aspect.choices, default=Aspect.PORTRAIT)
    duration_s = serializers.IntegerField(
        min_value=MIN_DURATION_S, max_value=MAX_QUICK_CLIP_S, default=MIN_DURATION_S
    )
    language = serializers.ChoiceField(choices=Language.choices, default=Language.ENGLISH)


class QuickClipSerializer(serializers.Serializer):
    job_id = serializers.IntegerField(source="pk")
    story_id = serializers.IntegerField(help_text="its own story: its `events` stream progress")
    status = serializers.ChoiceField(choices=Job.Status.choices)
    progress = serializers.IntegerField()
    error_message = serializers.CharField()
    clip = serializers.SerializerMethodField()
    image = serializers.SerializerMethodField()

    def _asset(self, job: Job, kind: str) -> dict | None:
        if job.status != Job.Status.SUCCEEDED:
            return None
        asset = Asset.objects.filter(story_id=job.step_story_id, kind=kind).order_by("pk").first()
        if asset is None:
            return None
        return LibraryAssetSerializer(asset, context=self.context).data

    @extend_schema_field(LibraryAssetSerializer(allow_null=True))
    def get_clip(self, job: Job) -> dict | None:
        return self._asset(job, Asset.Kind.VIDEO)

    @extend_schema_field(LibraryAssetSerializer(allow_null=True))
    def get_image(self, job: Job) -> dict | None:
        return self._asset(job, Asset.Kind.IMAGE)


class QuickClipsView(APIView):
    permission_classes = [MayStartWork]

    @extend_schema(
        operation_id="media_quick_clips_create",
        tags=["media"],
        summary="Make a quick clip: prompt -> image -> a short clip (kept in your library)",
        request=QuickClipInput,
        parameters=[SCHEMA_PARAMETER],
        responses={202: QuickClipSerializer, **error_responses(400, 402, 403, 429)},
    )
    @idempotent
    def post(self, request):
        data = QuickClipInput(data=request.data)
        data.is_valid(raise_exception=True)
        job = quick_clips.start_quick_clip(owner=request.user, **data.validated_data)
        return Response(
            QuickClipSerializer(job, context={"request": request}).data,
            status=status.HTTP_202_ACCEPTED,
        )


class QuickClipView(APIView):
    @extend_schema(
        operation_id="media_quick_clips_retrieve",
        tags=["media"],
        summary="A quick clip: its job's progress, then the clip and its image",
        responses={200: QuickClipSerializer, **error_responses(404)},
    )
    def get(self, request, job_id: int):
        job = get_object_or_404(
            jobs_for(user=request.user).filter(kind=Job.Kind.QUICK_CLIP), pk=job_id
        )
        return Response(QuickClipSerializer(job, context={"request": request}).data)
