"""Practice over HTTP: the line catalogue, bookmarks, takes (upload -> 202) and "my page"."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import parsers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from jobs.serializers import JobSerializer
from practice import analysis, narration, selectors, services
from practice.models import Line
from practice.serializers import (
    DeletedSerializer,
    LineFromSceneInput,
    LineImportInput,
    LineQuery,
    LineSerializer,
    MyPageSerializer,
    MyVoiceInput,
    StoryVoiceInput,
    TakeInput,
    TakeSerializer,
)
from reelmaker.error_schema import error_responses
from reelmaker.errors import InvalidRequest
from reelmaker.pagination import PageNumberPagination
from scenes.models import Scene
from stories.models import Story


@extend_schema_view(
    list=extend_schema(
        summary="Practice lines: latest or popular, by category or language",
        parameters=[LineQuery],
        responses={200: LineSerializer(many=True), **error_responses(400)},
    ),
    retrieve=extend_schema(
        summary="One practice line (counts a view)",
        responses={200: LineSerializer, **error_responses(404)},
    ),
)
class LineViewSet(viewsets.ReadOnlyModelViewSet):
    """The catalogue of lines to practise, open to every signed-in user."""

    queryset = Line.objects.none()  # for the schema; requests use get_queryset
    serializer_class = LineSerializer
    pagination_class = PageNumberPagination
    lookup_url_kwarg = "line_id"
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Line.objects.none()
        if self.action != "list":
            return Line.objects.select_related("reference")
        query = LineQuery(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return selectors.lines(**query.validated_data)

    def get_serializer_context(self):
        context = dict(super().get_serializer_context())
        if not getattr(self, "swagger_fake_view", False) and self.request.user.is_authenticated:
            context["bookmarked"] = selectors.bookmarked_line_ids(user=self.request.user)
        return context

    def retrieve(self, request, *args, **kwargs):
        line = self.get_object()
        services.view_line(line_id=line.pk)
        line.refresh_from_db(fields=["view_count"])
        return Response(self.get_serializer(line).data)

    @extend_schema(
        summary="Lines related to this one (same category, else same language)",
        responses={200: LineSerializer(many=True), **error_responses(404)},
    )
    @action(detail=True, methods=["get"])
    def related(self, request, line_id=None):
        lines = selectors.related_lines(line=self.get_object())
        return Response(self.get_serializer(lines, many=True).data)

    @extend_schema(
        summary="Make a practice line from one of your scenes",
        request=LineFromSceneInput,
        responses={201: LineSerializer, **error_responses(400, 404)},
    )
    @action(detail=False, methods=["post"], url_path="from_scene")
    def from_scene(self, request):
        data = LineFromSceneInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        try:
            line = services.line_from_scene(scene_id=values.pop("scene"), by=request.user, **values)
        except Scene.DoesNotExist:
            raise Http404 from None
        return Response(self.get_serializer(line).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="practice_lines_import",
        summary="Import a practice line: text, timed words and its reference recording",
        request={"multipart/form-data": LineImportInput},
        responses={201: LineSerializer, **error_responses(400, 413)},
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        parser_classes=[parsers.MultiPartParser],
    )
    def import_line(self, request):
        data = LineImportInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        line = services.import_line(by=request.user, audio=values.pop("audio"), **values)
        return Response(self.get_serializer(line).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="practice_lines_bookmark_create",
        summary="Bookmark this line (409 ALREADY_BOOKMARKED on a repeat)",
        request=None,
        responses={201: LineSerializer, **error_responses(404, 409)},
        methods=["POST"],
    )
    @extend_schema(
        operation_id="practice_lines_bookmark_destroy",
        summary="Remove this line from your bookmarks",
        request=None,
        responses={204: None, **error_responses(404)},
        methods=["DELETE"],
    )
    @action(detail=True, methods=["post", "delete"])
    def bookmark(self, request, line_id=None):
        line = self.get_object()
        if request.method == "DELETE":
            services.remove_bookmark(user=request.user, line_id=line.pk)
            return Response(status=status.HTTP_204_NO_CONTENT)
        services.bookmark_line(user=request.user, line_id=line.pk)
        context = {**self.get_serializer_context(), "bookmarked": {line.pk}}
        return Response(LineSerializer(line, context=context).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="practice_takes_upload",
        summary="Upload a recording of this line; its analysis runs as a job",
        request={"multipart/form-data": TakeInput},
        responses={202: TakeSerializer, **error_responses(400, 404, 413, 429)},
    )
    @action(detail=True, methods=["post"], parser_classes=[parsers.MultiPartParser])
    def takes(self, request, line_id=None):
        line = self.get_object()
        data = TakeInput(data=request.data)
        data.is_valid(raise_exception=True)
        take = analysis.submit_take(user=request.user, line=line, **data.validated_data)
        return Response(TakeSerializer(take).data, status=status.HTTP_202_ACCEPTED)


@extend_schema_view(
    list=extend_schema(summary="Your takes, newest first"),
    retrieve=extend_schema(
        summary="One of your takes with its analysis",
        responses={200: TakeSerializer, **error_responses(404)},
    ),
)
class TakeViewSet(viewsets.ReadOnlyModelViewSet):
    """Your recordings of lines and their analysis. Another user's take is 404."""

    serializer_class = TakeSerializer
    pagination_class = PageNumberPagination
    lookup_url_kwarg = "take_id"
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return selectors.Take.objects.none()
        return selectors.takes_for(user=self.request.user)


class MyPracticeView(APIView):
    """Your practice at a glance, and starting again."""

    @extend_schema(
        summary="My page: counts, bookmarks, lines practised, average scores",
        responses={200: MyPageSerializer},
    )
    def get(self, request):
        return Response(MyPageSerializer(selectors.my_page(user=request.user)).data)

    @extend_schema(
        summary="Delete your takes (all, or of one line with ?line=ID) to try again",
        responses={200: DeletedSerializer, **error_responses(400)},
    )
    def delete(self, request):
        line = request.query_params.get("line")
        if line is not None and not line.isdigit():
            raise InvalidRequest(details={"fields": {"line": ["an id"]}})
        deleted = services.delete_my_results(
            user=request.user, line_id=int(line) if line is not None else None
        )
        return Response({"deleted": deleted})


class MyVoiceView(APIView):
    """Narrate one of your scenes with your own recording, as a job on the story's event
    stream; regenerating its voice goes back to the TTS voice."""

    parser_classes = [parsers.MultiPartParser]

    @extend_schema(
        operation_id="practice_scene_voice_upload",
        summary="Use your own recording as a scene's voice (a job; captions follow it)",
        request={"multipart/form-data": MyVoiceInput},
        responses={202: JobSerializer, **error_responses(400, 404, 409, 413)},
    )
    def post(self, request, scene_id: int):
        data = MyVoiceInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            job = narration.request_scene_voice(
                scene_id=scene_id, by=request.user, recording=data.validated_data["recording"]
            )
        except Scene.DoesNotExist:
            raise Http404 from None
        return Response(JobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class StoryVoiceView(APIView):
    """Narrate a whole story with one recording of its script: a job aligns it, splits it at
    the scene boundaries and makes each part its scene's voice."""

    parser_classes = [parsers.MultiPartParser]

    @extend_schema(
        operation_id="practice_story_voice_upload",
        summary="Use your own reading of the whole script as the story's voices (a job)",
        request={"multipart/form-data": StoryVoiceInput},
        responses={202: JobSerializer, **error_responses(400, 404, 409, 413)},
    )
    def post(self, request, story_id: int):
        data = StoryVoiceInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            job = narration.request_story_voice(
                story_id=story_id, by=request.user, recording=data.validated_data["recording"]
            )
        except Story.DoesNotExist:
            raise Http404 from None
        return Response(JobSerializer(job).data, status=status.HTTP_202_ACCEPTED)
