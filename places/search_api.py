"""The place search actions of the places API: search, suggestions and importing a listing.
PlaceViewSet takes them in as a mixin."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from places.search_serializers import (
    PlaceResultImportInput,
    PlaceSearchQuery,
    PlaceSearchResultsSerializer,
    PlaceSuggestQuery,
)
from places.serializers import PlaceSerializer
from places.services import place_search
from reelmaker.error_schema import error_responses
from reelmaker.throttles import PlaceSearchThrottle


class PlaceSearchActions:
    @extend_schema(
        summary="Search listings (Kakao Local, Naver Local Search); nothing is saved",
        description="400 NOT_CONFIGURED names the settings when no search service is set up; "
        "502 EXTERNAL_API_ERROR when the service fails. Each result's `token` imports it "
        "(POST search/import) for an hour.",
        parameters=[PlaceSearchQuery],
        responses={200: PlaceSearchResultsSerializer, **error_responses(400, 502)},
    )
    @action(
        detail=False, methods=["get"], url_path="search", throttle_classes=[PlaceSearchThrottle]
    )
    def search(self, request):
        query = PlaceSearchQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        found = place_search.search_places(
            query=query.validated_data["q"],
            provider=query.validated_data.get("provider", ""),
            page=query.validated_data["page"],
        )
        return Response(PlaceSearchResultsSerializer(found, context={"request": request}).data)

    @extend_schema(
        summary="Suggest listings as the user types (a short keyword search)",
        description="Kakao keyword search with a small size when Kakao is configured, else "
        "Naver's local search: neither offers an autocomplete API.",
        parameters=[PlaceSuggestQuery],
        responses={200: PlaceSearchResultsSerializer, **error_responses(400, 502)},
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="autocomplete",
        throttle_classes=[PlaceSearchThrottle],
    )
    def autocomplete(self, request):
        query = PlaceSuggestQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        found = place_search.suggest_places(query=query.validated_data["q"])
        return Response(PlaceSearchResultsSerializer(found, context={"request": request}).data)

    @extend_schema(
        summary="Save a listing you found as a place (201), or get the one saved before (200)",
        request=PlaceResultImportInput,
        responses={201: PlaceSerializer, 200: PlaceSerializer, **error_responses(400)},
    )
    @action(detail=False, methods=["post"], url_path="search/import")
    def import_result(self, request):
        data = PlaceResultImportInput(data=request.data)
        data.is_valid(raise_exception=True)
        place, created = place_search.import_result(owner=request.user, **data.validated_data)
        body = PlaceSerializer(place, context=self.get_serializer_context()).data  # type: ignore[attr-defined]
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)
