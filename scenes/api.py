"""The scene and prompt API: edits go through scenes.services (PLAN_LOCKED while locked; a
story with a preview goes back to PLANNED)."""

from __future__ import annotations

from functools import cached_property

from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.permissions import MayStartWork
from jobs import metering, pipeline
from reelmaker.error_schema import error_responses
from reelmaker.throttles import PromptTestThrottle
from scenes import selectors
from scenes.models import Prompt, PronunciationEntry, Scene
from scenes.serializers import (
    BulkCreateInput,
    PromptCreateInput,
    PromptSerializer,
    PromptTestOutput,
    PromptUpdateInput,
    PronunciationInput,
    PronunciationPreviewInput,
    PronunciationPreviewOutput,
    PronunciationSerializer,
    PronunciationUpdateInput,
    RegenerateInput,
    RegenerateOutput,
    ReorderInput,
    SceneCreateInput,
    SceneInput,
    SceneSerializer,
    SceneUpdateInput,
    VisualChoiceInput,
)
from scenes.services import editing, prompts, pronunciations, skeleton, visual_choice
from stories import selectors as story_selectors
from stories.models import Language

METHODS = ["get", "post", "patch", "delete", "head", "options"]


class SceneFilter(filters.FilterSet):
    story = filters.NumberFilter(field_name="story_id")

    class Meta:
        model = Scene
        fields = ["story"]


def _scene_docs(create_input):
    return {
        "list": extend_schema(
            summary="Scenes in story order",
            responses={200: SceneSerializer(many=True), **error_responses(400, 404)},
        ),
        "retrieve": extend_schema(
            summary="One scene", responses={200: SceneSerializer, **error_responses(404)}
        ),
        "create": extend_schema(
            summary="Add a scene (last, or at `position`)",
            request=create_input,
            responses={201: SceneSerializer, **error_responses(400, 404, 409)},
        ),
        "partial_update": extend_schema(
            summary="Edit a scene: only what changed is made again",
            request=SceneUpdateInput,
            responses={200: SceneSerializer, **error_responses(400, 404, 409)},
        ),
        "destroy": extend_schema(
            summary="Remove a scene; later scenes move up",
            responses={204: None, **error_responses(404, 409)},
        ),
        "regenerate": extend_schema(
            summary="Make this scene's visual, voice or both again (only this scene)",
            request=RegenerateInput,
            responses={202: RegenerateOutput, **error_responses(400, 402, 404, 409, 429)},
        ),
        "visual": extend_schema(
            summary="Show a picked search result or a file of your library (only this scene)",
            request=VisualChoiceInput,
            responses={200: SceneSerializer, **error_responses(400, 404, 409, 502)},
        ),
    }


@extend_schema_view(**_scene_docs(SceneCreateInput))
class SceneViewSet(viewsets.ModelViewSet):
    """/scenes/: every scene of yours, `?story=` to pick a story's."""

    serializer_class = SceneSerializer
    filterset_class: type[SceneFilter] | None = SceneFilter
    http_method_names = METHODS
    lookup_url_kwarg = "scene_id"
    lookup_value_regex = "[0-9]+"

    @property
    def story_id(self) -> str | None:
        return self.kwargs.get("story_id")

    @cached_property
    def story(self):
        return story_selectors.story_for(user=self.request.user, story_id=self.story_id)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Scene.objects.none()
        scenes = selectors.scenes_for(user=self.request.user)
        if self.story_id is not None:
            scenes = scenes.filter(story_id=self.story.pk)
        return scenes

    def _scene(self, scene_id: int) -> dict:
        scene = selectors.scenes_for(user=self.request.user).get(pk=scene_id)
        return SceneSerializer(scene, context=self.get_serializer_context()).data

    def create(self, request, *args, **kwargs):
        if self.story_id is not None:
            data = SceneInput(data=request.data)
            data.is_valid(raise_exception=True)
            story, fields = self.story, dict(data.validated_data)
        else:
            data = SceneCreateInput(data=request.data)
            data.is_valid(raise_exception=True)
            fields = dict(data.validated_data)
            story = story_selectors.story_for(user=request.user, story_id=fields.pop("story"))
        [scene] = editing.create_scenes(story_id=story.pk, scenes=[fields], by=request.user)
        return Response(self._scene(scene.pk), status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        scene = self.get_object()
        data = SceneUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        editing.update_scene(scene_id=scene.pk, by=request.user, **data.validated_data)
        return Response(self._scene(scene.pk))

    def destroy(self, request, *args, **kwargs):
        editing.delete_scene(scene_id=self.get_object().pk, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=True, methods=["post"], filter_backends=[], permission_classes=[MayStartWork])
    def regenerate(self, request, *args, **kwargs):
        scene = self.get_object()
        data = RegenerateInput(data=request.data)
        data.is_valid(raise_exception=True)
        jobs = pipeline.regenerate_scene(scene_id=scene.pk, by=request.user, **data.validated_data)
        body = {"scene": self._scene(scene.pk), "job_ids": [job.pk for job in jobs]}
        return Response(body, status=status.HTTP_202_ACCEPTED)

    @action(detail=True, methods=["post"], filter_backends=[])
    def visual(self, request, *args, **kwargs):
        scene = self.get_object()
        data = VisualChoiceInput(data=request.data)
        data.is_valid(raise_exception=True)
        visual_choice.set_scene_visual(
            scene_id=scene.pk,
            by=request.user,
            choice=data.validated_data.get("choice", ""),
            asset_id=data.validated_data.get("asset"),
        )
        return Response(self._scene(scene.pk))


@extend_schema_view(**_scene_docs(SceneInput))
class StorySceneViewSet(SceneViewSet):
    """/stories/{story_id}/scenes/: one story's scenes, with bulk create and reorder."""

    filterset_class = None

    def _scenes(self, scenes, *, status_code: int = status.HTTP_200_OK) -> Response:
        rows = self.get_queryset().filter(pk__in=[scene.pk for scene in scenes])
        return Response(
            SceneSerializer(rows, many=True, context=self.get_serializer_context()).data,
            status=status_code,
        )

    @extend_schema(
        summary="Add up to 12 scenes at once (all or none); an empty body makes a skeleton",
        request=BulkCreateInput,
        responses={201: SceneSerializer(many=True), **error_responses(400, 404, 409)},
    )
    @action(detail=False, methods=["post"], pagination_class=None, filter_backends=[])
    def bulk_create(self, request, *args, **kwargs):
        data = BulkCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        if "scenes" in data.validated_data:
            created = editing.create_scenes(
                story_id=self.story.pk, scenes=data.validated_data["scenes"], by=request.user
            )
        else:
            created = skeleton.create_skeleton(story_id=self.story.pk, by=request.user)
        return self._scenes(created, status_code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Write visual prompts for the scenes that have none (scenes made by hand)",
        request=None,
        responses={200: SceneSerializer(many=True), **error_responses(404, 409)},
    )
    @action(detail=False, methods=["post"], pagination_class=None, filter_backends=[])
    def generate_prompts(self, request, *args, **kwargs):
        written = prompts.generate_visual_prompts(story_id=self.story.pk, by=request.user)
        return self._scenes(written)

    @extend_schema(
        summary="Put the scenes in a new order (every scene id once), in one transaction",
        request=ReorderInput,
        responses={200: SceneSerializer(many=True), **error_responses(400, 404, 409)},
    )
    @action(detail=False, methods=["post"], pagination_class=None, filter_backends=[])
    def reorder(self, request, *args, **kwargs):
        data = ReorderInput(data=request.data)
        data.is_valid(raise_exception=True)
        editing.reorder_scenes(
            story_id=self.story.pk, scene_ids=data.validated_data["scene_ids"], by=request.user
        )
        return Response(
            SceneSerializer(
                self.get_queryset(), many=True, context=self.get_serializer_context()
            ).data
        )


@extend_schema_view(
    list=extend_schema(
        summary="The scene's prompts",
        responses={200: PromptSerializer(many=True), **error_responses(404)},
    ),
    retrieve=extend_schema(
        summary="One prompt", responses={200: PromptSerializer, **error_responses(404)}
    ),
    create=extend_schema(
        summary="Add an alternative prompt (not selected)",
        request=PromptCreateInput,
        responses={201: PromptSerializer, **error_responses(400, 404, 409)},
    ),
    partial_update=extend_schema(
        summary="Edit a prompt; a selected prompt changes its scene too",
        request=PromptUpdateInput,
        responses={200: PromptSerializer, **error_responses(400, 404, 409)},
    ),
    destroy=extend_schema(
        summary="Remove a prompt (the scene keeps its text)",
        responses={204: None, **error_responses(404, 409)},
    ),
)
class PromptViewSet(viewsets.ModelViewSet):
    """/scenes/{scene_id}/prompts/: alternatives for a scene's narration and visual."""

    serializer_class = PromptSerializer
    http_method_names = METHODS
    lookup_url_kwarg = "prompt_id"
    lookup_value_regex = "[0-9]+"
    filter_backends: list = []

    @cached_property
    def scene(self) -> Scene:
        return selectors.owned_scene(user=self.request.user, scene_id=self.kwargs["scene_id"])

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Prompt.objects.none()
        return selectors.prompts_for(user=self.request.user).filter(scene_id=self.scene.pk)

    def create(self, request, *args, **kwargs):
        data = PromptCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        prompt = prompts.create_prompt(
            scene_id=self.scene.pk, by=request.user, **data.validated_data
        )
        return Response(PromptSerializer(prompt).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        prompt = self.get_object()
        data = PromptUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        prompt = prompts.update_prompt(prompt_id=prompt.pk, by=request.user, **data.validated_data)
        return Response(PromptSerializer(prompt).data)

    def destroy(self, request, *args, **kwargs):
        prompts.delete_prompt(prompt_id=self.get_object().pk, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Select this prompt: the one of its kind for the scene, and the scene's text",
        request=None,
        responses={200: PromptSerializer, **error_responses(404, 409)},
    )
    @action(detail=True, methods=["post"])
    def select(self, request, *args, **kwargs):
        prompt = prompts.select_prompt(prompt_id=self.get_object().pk, by=request.user)
        return Response(PromptSerializer(prompt).data)

    @extend_schema(
        summary="Try the prompt on the provider; the scene is not changed",
        request=None,
        responses={
            200: OpenApiResponse(PromptTestOutput, description="what the provider made"),
            **error_responses(400, 402, 404, 409, 502),
        },
    )
    @action(detail=True, methods=["post"], throttle_classes=[PromptTestThrottle])
    def test(self, request, *args, **kwargs):
        result = metering.run_prompt_test(prompt_id=self.get_object().pk, by=request.user)
        return Response(PromptTestOutput(result).data)


class PronunciationFilter(filters.FilterSet):
    language = filters.ChoiceFilter(choices=Language.choices)

    class Meta:
        model = PronunciationEntry
        fields = ["language"]


@extend_schema_view(
    list=extend_schema(
        summary="Your pronunciations (`?language=` to pick one language)",
        responses={200: PronunciationSerializer(many=True), **error_responses(400)},
    ),
    retrieve=extend_schema(
        summary="One pronunciation",
        responses={200: PronunciationSerializer, **error_responses(404)},
    ),
    create=extend_schema(
        summary="Say a word your way in every voice (captions keep the written word)",
        request=PronunciationInput,
        responses={201: PronunciationSerializer, **error_responses(400)},
    ),
    partial_update=extend_schema(
        summary="Change a pronunciation: scenes it changes are voiced again at the next render",
        request=PronunciationUpdateInput,
        responses={200: PronunciationSerializer, **error_responses(400, 404)},
    ),
    destroy=extend_schema(
        summary="Remove a pronunciation", responses={204: None, **error_responses(404)}
    ),
    preview=extend_schema(
        summary="How a text will be read aloud, with your pronunciations (nothing is voiced)",
        request=PronunciationPreviewInput,
        responses={200: PronunciationPreviewOutput, **error_responses(400)},
    ),
)
class PronunciationViewSet(viewsets.ModelViewSet):
    """/pronunciations/: your lexicon, applied before every voice reads your narrations."""

    serializer_class = PronunciationSerializer
    filterset_class = PronunciationFilter
    http_method_names = METHODS
    lookup_url_kwarg = "pronunciation_id"
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return PronunciationEntry.objects.none()
        return selectors.pronunciations_for(user=self.request.user)

    def create(self, request, *args, **kwargs):
        data = PronunciationInput(data=request.data)
        data.is_valid(raise_exception=True)
        entry = pronunciations.create_pronunciation(user=request.user, **data.validated_data)
        return Response(PronunciationSerializer(entry).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        entry = self.get_object()
        data = PronunciationUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        entry = pronunciations.update_pronunciation(entry_id=entry.pk, **data.validated_data)
        return Response(PronunciationSerializer(entry).data)

    def destroy(self, request, *args, **kwargs):
        pronunciations.delete_pronunciation(entry_id=self.get_object().pk)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=False, methods=["post"], filter_backends=[], pagination_class=None)
    def preview(self, request, *args, **kwargs):
        data = PronunciationPreviewInput(data=request.data)
        data.is_valid(raise_exception=True)
        spoken = pronunciations.preview_spoken(user_id=request.user.pk, **data.validated_data)
        words = [{"written": w, "spoken": s} for w, s in spoken.pairs()]
        return Response(PronunciationPreviewOutput({"spoken": spoken.text, "words": words}).data)
