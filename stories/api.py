"""The story API: CRUD over the brief, and the workflow verbs as actions."""

from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import filters, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.permissions import MayStartWork
from accounts.services import ensure_may_start_work
from billing import estimates
from jobs import autopilot, pipeline
from jobs import selectors as job_selectors
from jobs.serializers import JobSerializer
from reelmaker.error_schema import error_responses
from reelmaker.idempotency import SCHEMA_PARAMETER, idempotent
from scenes import selectors as scene_selectors
from stories import selectors, services
from stories.filters import StoryFilter
from stories.models import Story
from stories.serializers import (
    CostEstimateSerializer,
    ProduceInput,
    RenderOptionsInput,
    StoryCreateInput,
    StoryInput,
    StorySerializer,
    StoryStatisticsSerializer,
    TransitionInput,
    TransitionSerializer,
    WorkStartedSerializer,
)

# Transitions that start work: with REQUIRE_VERIFIED_EMAIL they need a verified email.
WORK_STARTING_TARGETS = frozenset(
    {Story.Status.PLANNING, Story.Status.PREVIEWING, Story.Status.FINALIZING}
)

STARTED = OpenApiResponse(WorkStartedSerializer, description="Work started; job_ids are queued.")


def _starts(summary: str, *errors: int, request=None):
    return extend_schema(
        summary=summary,
        request=request,
        parameters=[SCHEMA_PARAMETER],
        responses={
            202: STARTED,
            **error_responses(*([400] if request else []), 403, 404, 402, 409, 429),
        },
    )


@extend_schema_view(
    list=extend_schema(
        summary="Your stories, filtered, ordered and paginated",
        responses={200: StorySerializer(many=True), **error_responses(400, 404)},
    ),
    retrieve=extend_schema(
        summary="One story with its scenes and media URLs",
        responses={200: StorySerializer, **error_responses(404)},
    ),
    create=extend_schema(
        summary="Create a story (DRAFT) from a brief; with autopilot, make the reel too",
        description="With `autopilot` (preview or final) the story is planned and goes on to "
        "that render by itself. A quota or budget refusal (402, 429) answers this request; the "
        "story is kept as a DRAFT and named in the error's details.story.",
        request=StoryCreateInput,
        parameters=[SCHEMA_PARAMETER],
        responses={201: StorySerializer, **error_responses(400, 402, 403, 409, 429)},
    ),
    partial_update=extend_schema(
        summary="Edit the brief",
        request=StoryInput,
        responses={200: StorySerializer, **error_responses(400, 404, 409)},
    ),
    destroy=extend_schema(
        summary="Move a story to the trash",
        description="The story leaves your lists at once and can be restored for TRASH_DAYS "
        "(30 by default); after that it is purged with its media files.",
        responses={204: None, **error_responses(404, 409)},
    ),
)
class StoryViewSet(viewsets.ModelViewSet):
    serializer_class = StorySerializer
    filterset_class = StoryFilter
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
    ordering_fields = ["created_at", "updated_at", "title", "status", "duration_s"]
    ordering = ["-created_at", "-id"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    lookup_url_kwarg = "story_id"
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Story.objects.none()
        scenes = Prefetch("scenes", queryset=scene_selectors.scenes_with_media())
        return selectors.stories_for(user=self.request.user).prefetch_related(scenes)

    def _story(self, story_id: int) -> dict:
        story = self.get_queryset().get(pk=story_id)
        return StorySerializer(story, context=self.get_serializer_context()).data

    def _started(self, story_id: int, jobs) -> Response:
        body = {"story": self._story(story_id), "job_ids": [job.pk for job in jobs]}
        return Response(body, status=status.HTTP_202_ACCEPTED)

    def _start(self, request, input_class, start) -> Response:
        """A work-starting action: the body read by `input_class`, then `start` (a pipeline
        verb) on this story with it; 202 with the jobs started."""
        story = self.get_object()
        data = input_class(data=request.data)
        data.is_valid(raise_exception=True)
        jobs = start(story_id=story.pk, by=request.user, **data.validated_data)
        return self._started(story.pk, jobs)

    @idempotent
    def create(self, request, *args, **kwargs):
        data = StoryCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        brief = dict(data.validated_data)
        target = brief.pop("autopilot", "")
        if target:
            ensure_may_start_work(user=request.user)
            story = autopilot.create_and_produce(owner=request.user, autopilot=target, **brief)
        else:
            story = pipeline.create_story(owner=request.user, **brief)
        return Response(self._story(story.pk), status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        story = self.get_object()
        data = StoryInput(instance=story, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.update_story(story_id=story.pk, by=request.user, **data.validated_data)
        return Response(self._story(story.pk))

    def destroy(self, request, *args, **kwargs):
        services.trash_story(story_id=self.get_object().pk, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Your stories in the trash that can still be restored, newest deletion first",
        responses={200: StorySerializer(many=True), **error_responses()},
    )
    @action(detail=False, methods=["get"], filter_backends=[])
    def trash(self, request):
        page = self.paginate_queryset(selectors.trashed_stories_for(user=request.user))
        data = StorySerializer(page, many=True, context=self.get_serializer_context()).data
        return self.get_paginated_response(data)

    @extend_schema(
        summary="Bring a story back from the trash (within TRASH_DAYS)",
        request=None,
        responses={200: StorySerializer, **error_responses(404)},
    )
    @action(detail=True, methods=["post"])
    def restore(self, request, story_id=None):
        story = get_object_or_404(selectors.trashed_stories_for(user=request.user), pk=story_id)
        services.restore_story(story_id=story.pk, by=request.user)
        return Response(self._story(story.pk))

    # ------------------------------------------------------------ work-starting actions

    @_starts("Write the plan: DRAFT -> PLANNING, one plan job")
    @action(detail=True, methods=["post"], permission_classes=[MayStartWork])
    @idempotent
    def plan(self, request, story_id=None):
        story = self.get_object()
        return self._started(story.pk, pipeline.plan_story(story_id=story.pk, by=request.user))

    @_starts(
        "Render a preview: PLANNED -> PREVIEWING; missing assets, clips, assembly",
        request=RenderOptionsInput,
    )
    @action(detail=True, methods=["post"], permission_classes=[MayStartWork])
    @idempotent
    def generate_preview(self, request, story_id=None):
        return self._start(request, RenderOptionsInput, pipeline.generate_preview)

    @_starts(
        "Render the final video: PREVIEW_READY (or PLANNED, with no preview) -> FINALIZING",
        request=RenderOptionsInput,
    )
    @action(detail=True, methods=["post"], permission_classes=[MayStartWork])
    @idempotent
    def render_final(self, request, story_id=None):
        return self._start(request, RenderOptionsInput, pipeline.render_final)

    @extend_schema(
        summary="Make the reel without stopping: plan, assets, then the preview or final render",
        description="A DRAFT is planned and goes on by itself; a PLANNED story starts the "
        "render now. A final makes no preview first. Follow the events or the callback URL.",
        request=ProduceInput,
        parameters=[SCHEMA_PARAMETER],
        responses={202: STARTED, **error_responses(400, 402, 403, 404, 409, 429)},
    )
    @action(detail=True, methods=["post"], permission_classes=[MayStartWork])
    @idempotent
    def produce(self, request, story_id=None):
        return self._start(request, ProduceInput, autopilot.produce)

    @extend_schema(
        summary="Move the story to another status",
        description="PLANNING, PREVIEWING and FINALIZING start their step (202 with the jobs); "
        "PLANNED (back to editing) and ARCHIVED just move (200). Other moves are the "
        "workers' and answer 409 ILLEGAL_TRANSITION naming the allowed ones.",
        request=TransitionInput,
        responses={200: WorkStartedSerializer, 202: STARTED, **error_responses(400, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, story_id=None):
        story = self.get_object()
        data = TransitionInput(data=request.data)
        data.is_valid(raise_exception=True)
        if data.validated_data["to"] in WORK_STARTING_TARGETS:
            ensure_may_start_work(user=request.user)
        jobs = pipeline.transition(story_id=story.pk, by=request.user, **data.validated_data)
        response = self._started(story.pk, jobs)
        if not jobs:
            response.status_code = status.HTTP_200_OK
        return response

    @extend_schema(
        summary="Cancel what runs for the story",
        description="Queued and running jobs are canceled; a preview goes back to PLANNED, a "
        "plan or final render is FAILED (retry its jobs to go on).",
        request=None,
        responses={200: WorkStartedSerializer, **error_responses(404, 409)},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, story_id=None):
        story = self.get_object()
        jobs = pipeline.cancel_story(story_id=story.pk, by=request.user)
        return Response({"story": self._story(story.pk), "job_ids": [job.pk for job in jobs]})

    # ------------------------------------------------------------ plain moves

    @extend_schema(
        summary="Lock the plan: scene edits answer 409 PLAN_LOCKED until unlocked",
        request=None,
        responses={200: StorySerializer, **error_responses(404)},
    )
    @action(detail=True, methods=["post"])
    def lock(self, request, story_id=None):
        story = services.lock_story(story_id=self.get_object().pk, by=request.user)
        return Response(self._story(story.pk))

    @extend_schema(
        summary="Unlock the plan (not while a render runs)",
        request=None,
        responses={200: StorySerializer, **error_responses(404, 409)},
    )
    @action(detail=True, methods=["post"])
    def unlock(self, request, story_id=None):
        story = services.unlock_story(story_id=self.get_object().pk, by=request.user)
        return Response(self._story(story.pk))

    @extend_schema(
        summary="Archive the story",
        request=None,
        responses={200: StorySerializer, **error_responses(404, 409)},
    )
    @action(detail=True, methods=["post"])
    def archive(self, request, story_id=None):
        story = services.archive_story(story_id=self.get_object().pk, by=request.user)
        return Response(self._story(story.pk))

    @extend_schema(
        summary="Copy the story: the brief, and the scenes when it has a plan",
        request=None,
        responses={201: StorySerializer, **error_responses(402, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def duplicate(self, request, story_id=None):
        copy = pipeline.duplicate_story(story_id=self.get_object().pk, by=request.user)
        return Response(self._story(copy.pk), status=status.HTTP_201_CREATED)

    # ------------------------------------------------------------ reads

    @extend_schema(
        summary="The story's jobs, oldest first",
        responses={200: JobSerializer(many=True), **error_responses(404)},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def jobs(self, request, story_id=None):
        jobs = job_selectors.jobs_for_story(story=self.get_object())
        return Response(JobSerializer(jobs, many=True).data)

    @extend_schema(
        summary="The story's status changes: from, to, who, why, when",
        responses={200: TransitionSerializer(many=True), **error_responses(404)},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def transitions(self, request, story_id=None):
        rows = selectors.story_transitions(story=self.get_object())
        return Response(TransitionSerializer(rows, many=True).data)

    @extend_schema(
        summary="What finishing the story will ask of the providers, and the price",
        responses={200: CostEstimateSerializer, **error_responses(404)},
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def cost_estimate(self, request, story_id=None):
        estimate = estimates.cost_estimate(story=self.get_object())
        return Response(CostEstimateSerializer(estimate).data)

    @extend_schema(
        summary="Your stories in numbers: by status, success rate, time to final",
        responses={200: StoryStatisticsSerializer, **error_responses()},
    )
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def statistics(self, request):
        stats = selectors.story_statistics(user=request.user)
        return Response(StoryStatisticsSerializer(stats).data)
