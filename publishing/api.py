"""Publishing over HTTP: linked accounts (list, connect, the platforms' callback, unlink, their
publications), the platforms configured here, publish a story, its publications, cancel."""

from __future__ import annotations

from django.http import HttpResponseRedirect
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import MayStartWork
from provenance.models import Platform
from publishing import linking, selectors, services
from publishing.errors import OAuthStateInvalid
from publishing.models import LinkedAccount, Publication
from publishing.serializers import (
    CallbackInput,
    ConnectInput,
    ConnectOutput,
    LinkedAccountSerializer,
    PlatformStatusSerializer,
    PublicationSerializer,
    PublishInput,
)
from reelmaker.error_schema import error_responses
from reelmaker.pagination import PageNumberPagination
from stories.selectors import story_for


@extend_schema_view(
    list=extend_schema(summary="Your linked accounts (tokens are never shown)"),
    retrieve=extend_schema(
        summary="One linked account",
        responses={200: LinkedAccountSerializer, **error_responses(404)},
    ),
    destroy=extend_schema(
        summary="Unlink an account: its tokens are revoked and forgotten; its publications stay",
        responses={204: None, **error_responses(404)},
    ),
)
class LinkedAccountViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    queryset = LinkedAccount.objects.none()
    serializer_class = LinkedAccountSerializer
    pagination_class = PageNumberPagination
    lookup_url_kwarg = "linked_account_id"
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return LinkedAccount.objects.none()
        return selectors.accounts_for(user=self.request.user)

    def perform_destroy(self, instance):
        linking.unlink(account=instance)

    @extend_schema(
        summary="Start linking a YouTube, Instagram or TikTok account",
        request=ConnectInput,
        responses={200: ConnectOutput, **error_responses(400)},
        description="Answers the platform's consent URL: send the user there. The platform "
        "sends them back to the callback, which links the account. 400 "
        "NOT_CONFIGURED names the settings a platform lacks.",
    )
    @action(detail=False, methods=["post"])
    def connect(self, request):
        data = ConnectInput(data=request.data)
        data.is_valid(raise_exception=True)
        url = linking.start_link(user=request.user, **data.validated_data)
        return Response({"authorization_url": url})

    @extend_schema(
        summary="A linked account's publications, newest first",
        responses={200: PublicationSerializer(many=True), **error_responses(404)},
    )
    @action(detail=True, methods=["get"])
    def publications(self, request, linked_account_id=None):
        account = self.get_object()
        rows = selectors.publications_for_account(user=request.user, account_id=account.pk)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(PublicationSerializer(page, many=True).data)


class LinkCallbackView(APIView):
    """Where the platform sends the user back (no API token: `state` says who asked)."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        summary="The platform's redirect after consent: links the account",
        parameters=[CallbackInput],
        responses={
            201: LinkedAccountSerializer,
            302: OpenApiResponse(description="linked from a studio page: back to it"),
            **error_responses(400, 409, 502),
        },
        tags=["publishing"],
        auth=[],
    )
    def get(self, request):
        if request.query_params.get("error"):
            raise OAuthStateInvalid()  # the user said no on the platform's page
        data = CallbackInput(data=request.query_params)
        data.is_valid(raise_exception=True)
        account, return_to = linking.complete_link(**data.validated_data)
        if return_to.startswith("/") and not return_to.startswith("//"):
            return HttpResponseRedirect(return_to)  # a studio page started it: back there
        return Response(LinkedAccountSerializer(account).data, status=status.HTTP_201_CREATED)


class PlatformsView(APIView):
    @extend_schema(
        summary="The platforms this server can publish to",
        responses={200: PlatformStatusSerializer(many=True)},
        tags=["publishing"],
    )
    def get(self, request):
        configured = set(linking.configured_platforms())
        return Response([{"platform": p, "configured": p in configured} for p in Platform.values])


class StoryPublishView(APIView):
    permission_classes = [MayStartWork]

    @extend_schema(
        summary="Publish a completed story to YouTube, Instagram and TikTok",
        request=PublishInput,
        responses={202: PublicationSerializer(many=True), **error_responses(400, 403, 404, 409)},
        description="One upload job per target, to your linked account there, on the uploads "
        "queue. 400 NOT_CONFIGURED names the settings; 409 ACCOUNT_NOT_LINKED when "
        "an account is missing or must be reconnected; 409 ILLEGAL_TRANSITION unless COMPLETED.",
        tags=["publishing"],
    )
    def post(self, request, story_id: int):
        story = story_for(user=request.user, story_id=story_id)
        data = PublishInput(data=request.data)
        data.is_valid(raise_exception=True)
        rows = services.publish_story(story=story, by=request.user, **data.validated_data)
        return Response(
            PublicationSerializer(rows, many=True).data, status=status.HTTP_202_ACCEPTED
        )


class StoryPublicationsView(APIView):
    @extend_schema(
        summary="A story's publications, newest first",
        responses={200: PublicationSerializer(many=True), **error_responses(404)},
        tags=["publishing"],
    )
    def get(self, request, story_id: int):
        story = story_for(user=request.user, story_id=story_id)
        rows = selectors.publications_for_story(user=request.user, story_id=story.pk)
        return Response(PublicationSerializer(rows, many=True).data)


@extend_schema_view(
    list=extend_schema(summary="Your publications, newest first"),
    retrieve=extend_schema(
        summary="One publication", responses={200: PublicationSerializer, **error_responses(404)}
    ),
)
class PublicationViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Publication.objects.none()
    serializer_class = PublicationSerializer
    pagination_class = PageNumberPagination
    lookup_url_kwarg = "publication_id"
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Publication.objects.none()
        return selectors.publications_for(user=self.request.user)

    @extend_schema(
        summary="Cancel a publication that has not started uploading",
        request=None,
        responses={200: PublicationSerializer, **error_responses(404, 409)},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, publication_id=None):
        publication = services.cancel_publication(publication=self.get_object(), by=request.user)
        return Response(self.get_serializer(publication).data)
