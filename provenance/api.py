"""Post text per platform, the licence ledger of a story's reel, and rights confirmations."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from media.models import Asset
from media.services import UPLOAD_PROVIDER
from provenance import ledger, seo
from provenance.serializers import (
    LicencesSerializer,
    PostTextInput,
    PostTextSerializer,
    RightsConfirmationInput,
    RightsConfirmationSerializer,
)
from reelmaker.error_schema import error_responses
from stories.selectors import story_for


class StorySeoView(APIView):
    """/stories/{story_id}/seo/: the post text for each platform, editable before posting."""

    @extend_schema(
        operation_id="stories_seo_list",
        summary="The post text for YouTube, Instagram and TikTok (proposed when missing)",
        responses={200: PostTextSerializer(many=True), **error_responses(404)},
    )
    def get(self, request, story_id: int):
        story = story_for(user=request.user, story_id=story_id)
        return Response(PostTextSerializer(seo.proposed_posts(story), many=True).data)

    @extend_schema(
        operation_id="stories_seo_partial_update",
        summary="Edit one platform's post text (checked against its limits)",
        request=PostTextInput,
        responses={200: PostTextSerializer, **error_responses(400, 404)},
    )
    def patch(self, request, story_id: int):
        story = story_for(user=request.user, story_id=story_id)
        data = PostTextInput(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(PostTextSerializer(seo.edit_post(story=story, **data.validated_data)).data)


class StorySeoProposeView(APIView):
    """/stories/{story_id}/seo/propose/: the writer again, for every platform not edited."""

    @extend_schema(
        operation_id="stories_seo_propose",
        summary="Ask the writer again for every platform the user has not edited",
        request=None,
        responses={200: PostTextSerializer(many=True), **error_responses(404)},
    )
    def post(self, request, story_id: int):
        story = story_for(user=request.user, story_id=story_id)
        posts = seo.proposed_posts(story, refresh=True)
        return Response(PostTextSerializer(posts, many=True).data)


class StoryLicencesView(APIView):
    """/stories/{story_id}/licences/: what the story's reel uses, under which licence."""

    @extend_schema(
        operation_id="stories_licences_retrieve",
        summary="The licence ledger of the story's reel and what stops publishing it",
        responses={200: LicencesSerializer, **error_responses(404)},
    )
    def get(self, request, story_id: int):
        story = story_for(user=request.user, story_id=story_id)
        problems = ledger.rights_problems(story, use=ledger.PUBLISH)
        output = story.final or story.preview
        body = {
            "output": output.pk if output else None,
            "entries": ledger.ledger_for(output) if output else [],
            "problems": [problem.to_json() for problem in problems],
        }
        return Response(LicencesSerializer(body).data)


class UploadRightsViewSet(viewsets.GenericViewSet):
    """/uploads/{asset_id}/confirm_rights/: the owner's word that they may publish an upload."""

    serializer_class = RightsConfirmationSerializer
    lookup_url_kwarg = "asset_id"
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return Asset.objects.filter(owner_id=self.request.user.pk, source_provider=UPLOAD_PROVIDER)

    @extend_schema(
        summary="Confirm that you may publish this upload of yours (e.g. a music track)",
        request=RightsConfirmationInput,
        responses={200: RightsConfirmationSerializer, **error_responses(400, 404)},
    )
    @action(detail=True, methods=["post"])
    def confirm_rights(self, request, *args, **kwargs):
        data = RightsConfirmationInput(data=request.data)
        data.is_valid(raise_exception=True)
        asset = get_object_or_404(self.get_queryset(), pk=self.kwargs["asset_id"])
        confirmation = ledger.confirm_upload_rights(
            asset=asset, by=request.user, statement=data.validated_data.get("statement", "")
        )
        return Response(RightsConfirmationSerializer(confirmation).data)
