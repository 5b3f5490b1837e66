"""The places API: places (CRUD, JSON import, photos, marketing brief) and song reels
(lyrics editing before the song, the song, the lyric video)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from places import selectors
from places.models import Place, SongReel
from places.search_api import PlaceSearchActions
from places.serializers import (
    BriefInput,
    LyricsInput,
    MarketingBriefSerializer,
    PhotoInput,
    PlaceImportInput,
    PlaceImportResultSerializer,
    PlacePhotoSerializer,
    PlaceSerializer,
    RenderInput,
    SongReelCreateInput,
    SongReelSeoSerializer,
    SongReelSerializer,
)
from places.services import briefs, places, song_reels, song_requests
from provenance import seo as provenance_seo
from reelmaker.error_schema import error_responses


@extend_schema_view(
    list=extend_schema(summary="Your places", responses={200: PlaceSerializer(many=True)}),
    retrieve=extend_schema(
        summary="One place with its photos",
        responses={200: PlaceSerializer, **error_responses(404)},
    ),
    create=extend_schema(
        summary="Add a place by its details",
        responses={201: PlaceSerializer, **error_responses(400)},
    ),
    partial_update=extend_schema(
        summary="Edit a place", responses={200: PlaceSerializer, **error_responses(400, 404)}
    ),
    destroy=extend_schema(summary="Delete a place", responses={204: None, **error_responses(404)}),
)
class PlaceViewSet(PlaceSearchActions, viewsets.ModelViewSet):
    serializer_class = PlaceSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    lookup_url_kwarg = "place_id"
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Place.objects.none()
        return selectors.places_for(user=self.request.user)

    def perform_create(self, serializer):
        serializer.instance = places.create_place(
            owner=self.request.user, data=serializer.validated_data
        )

    def perform_update(self, serializer):
        places.update_place(place=serializer.instance, data=serializer.validated_data)

    @extend_schema(
        summary="Import places from JSON (all or none; a known source_id updates its place)",
        request=PlaceImportInput,
        responses={201: PlaceImportResultSerializer, **error_responses(400)},
    )
    @action(detail=False, methods=["post"], url_path="import")
    def import_places(self, request):
        data = PlaceImportInput(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        made = places.import_places(owner=request.user, items=data.validated_data["places"])
        body = PlaceImportResultSerializer(
            {"places": made}, context=self.get_serializer_context()
        ).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Add a photo: an image you uploaded, or one fetched from a public URL",
        request=PhotoInput,
        responses={201: PlacePhotoSerializer, **error_responses(400, 404, 413)},
    )
    @action(detail=True, methods=["post"])
    def photos(self, request, place_id=None):
        place = self.get_object()
        data = PhotoInput(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        if data.validated_data.get("asset"):
            photo = places.add_photo_asset(place=place, asset=data.validated_data["asset"])
        else:
            photo = places.add_photo_url(place=place, url=data.validated_data["url"])
        body = PlacePhotoSerializer(photo, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Write (or rewrite) the place's marketing brief in a language",
        request=BriefInput,
        responses={200: MarketingBriefSerializer, **error_responses(400, 404, 502)},
    )
    @action(detail=True, methods=["post"])
    def brief(self, request, place_id=None):
        place = self.get_object()
        data = BriefInput(data=request.data)
        data.is_valid(raise_exception=True)
        brief = briefs.generate_brief(place=place, language=data.validated_data["language"])
        return Response(MarketingBriefSerializer(brief).data)


@extend_schema_view(
    list=extend_schema(summary="Your song reels", responses={200: SongReelSerializer(many=True)}),
    retrieve=extend_schema(
        summary="One song reel: lyrics, song status, word timings, video",
        responses={200: SongReelSerializer, **error_responses(404)},
    ),
    create=extend_schema(
        summary="Start a song reel of a place: lyrics are written for its length and tempo",
        request=SongReelCreateInput,
        responses={201: SongReelSerializer, **error_responses(400, 502)},
    ),
    partial_update=extend_schema(
        summary="Edit the lyrics and the song's genre, vocal, tempo and mood (until the song "
        "is made)",
        request=LyricsInput,
        responses={200: SongReelSerializer, **error_responses(400, 404, 409)},
    ),
    destroy=extend_schema(
        summary="Delete a song reel", responses={204: None, **error_responses(404)}
    ),
)
class SongReelViewSet(viewsets.ModelViewSet):
    serializer_class = SongReelSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    lookup_url_kwarg = "song_reel_id"
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return SongReel.objects.none()
        return selectors.song_reels_for(user=self.request.user)

    def _reel(self, reel: SongReel, code: int = status.HTTP_200_OK) -> Response:
        body = SongReelSerializer(reel, context=self.get_serializer_context()).data
        return Response(body, status=code)

    def create(self, request, *args, **kwargs):
        data = SongReelCreateInput(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        attributes = dict(data.validated_data)
        place = attributes.pop("place")
        attributes.setdefault("language", place.language)
        reel = song_reels.start_song_reel(owner=request.user, place=place, **attributes)
        return self._reel(reel, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        reel = self.get_object()
        data = LyricsInput(data=request.data)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        if "sections" in changes:
            changes["sections"] = [dict(s) for s in changes["sections"]]
        return self._reel(song_reels.edit_lyrics(reel=reel, **changes))

    @extend_schema(
        summary="Make the song, as a job (offline: a chanted sketch over a generated backing "
        "track); follow it on the story's events (GET /stories/{story}/events/stream) or its "
        "webhook",
        request=None,
        responses={202: SongReelSerializer, **error_responses(402, 404, 409, 429)},
    )
    @action(detail=True, methods=["post"])
    def song(self, request, song_reel_id=None):
        reel = self.get_object()
        song_requests.request_song(reel=reel, by=request.user)
        return self._reel(self.get_object(), status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="Render the lyric video over the place's photos, as a job judged by media QC; "
        "a final becomes the story's final (publish it as any reel)",
        request=RenderInput,
        responses={202: SongReelSerializer, **error_responses(400, 402, 404, 409, 429)},
    )
    @action(detail=True, methods=["post"])
    def render(self, request, song_reel_id=None):
        reel = self.get_object()
        data = RenderInput(data=request.data)
        data.is_valid(raise_exception=True)
        song_requests.request_render(
            reel=reel, profile=data.validated_data["profile"], by=request.user
        )
        return self._reel(self.get_object(), status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="Title, description and hashtags per platform, within their limits: the "
        "story's post text (GET/PATCH /stories/{story}/seo), proposed from the place",
        responses={200: SongReelSeoSerializer, **error_responses(404)},
    )
    @action(detail=True, methods=["get"])
    def seo(self, request, song_reel_id=None):
        story = song_requests.ensure_story(self.get_object())
        return Response(SongReelSeoSerializer(provenance_seo.posts_by_platform(story)).data)
