"""Stock search and the user's library over HTTP: GET media/search, GET media/library,
PATCH media/library/{asset_id} (tags)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from media import selectors, services, stock
from media.downloads import signed_media_url
from media.models import Asset
from providers.visual.stock import ORIENTATIONS
from reelmaker.error_schema import error_responses
from reelmaker.throttles import MediaSearchThrottle

SEARCH_SOURCES = ["stock", "offline"]
LIBRARY_KIND_NAMES = [str(kind) for kind in selectors.LIBRARY_KINDS]


class SearchInput(serializers.Serializer):
    q = serializers.CharField(max_length=100, help_text="words to search for")
    kind = serializers.ChoiceField(choices=stock.KINDS, default="image")
    orientation = serializers.ChoiceField(choices=ORIENTATIONS, default="portrait")


class SearchResultSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="the provider's id, or asset:<id> for your own file")
    provider = serializers.CharField(help_text="pexels, pexels-video, unsplash, artwork, upload…")
    kind = serializers.ChoiceField(choices=stock.KINDS)
    thumbnail_url = serializers.CharField(help_text="a preview (a data: URI for artwork)")
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    credit = serializers.CharField(help_text="who made it, as the licence asks; may be empty")
    licence = serializers.CharField()
    source_url = serializers.CharField(help_text="the page to credit; may be empty")
    choice = serializers.CharField(
        allow_null=True, help_text="send to scenes/{scene_id}/visual to use it (a day)"
    )
    asset_id = serializers.IntegerField(
        allow_null=True, help_text="a file of yours: send as `asset` to use it"
    )


class SearchOutput(serializers.Serializer):
    origin = serializers.ChoiceField(
        choices=SEARCH_SOURCES,
        help_text="stock: the configured providers; offline: artwork variants and your library",
    )
    failed = serializers.ListField(
        child=serializers.CharField(), help_text="providers that failed this time"
    )
    results = SearchResultSerializer(many=True)


class LibraryInput(serializers.Serializer):
    q = serializers.CharField(max_length=100, required=False, allow_blank=True)
    kind = serializers.ChoiceField(choices=LIBRARY_KIND_NAMES, required=False)


class LibraryAssetSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="signed download URL; it expires")
    credit = serializers.CharField(source="attribution", read_only=True)
    provider = serializers.CharField(source="source_provider", read_only=True)

    class Meta:
        model = Asset
        fields = [
            "id",
            "kind",
            "story",
            "provider",
            "mime_type",
            "width",
            "height",
            "duration_ms",
            "tags",
            "prompt",
            "credit",
            "licence",
            "source_url",
            "url",
            "created_at",
        ]
        read_only_fields = [f for f in fields if f != "tags"]

    def get_url(self, asset: Asset) -> str | None:
        return signed_media_url(asset, self.context.get("request"))


class LibraryUpdateInput(serializers.Serializer):
    tags = serializers.CharField(max_length=300, allow_blank=True)


def _asset_result(asset: Asset, request) -> dict:
    return {
        "id": f"asset:{asset.pk}",
        "provider": asset.source_provider,
        "kind": asset.kind,
        "thumbnail_url": signed_media_url(asset, request) or "",
        "width": asset.width or 0,
        "height": asset.height or 0,
        "credit": asset.attribution,
        "licence": asset.licence,
        "source_url": asset.source_url,
        "choice": None,
        "asset_id": asset.pk,
    }


class MediaSearchView(APIView):
    """Stock pictures and clips for a scene, with credit and licence (cached for an hour)."""

    throttle_classes = [MediaSearchThrottle]

    @extend_schema(
        operation_id="media_search",
        tags=["media"],
        summary="Search stock pictures or clips (offline: artwork variants and your library)",
        parameters=[SearchInput],
        responses={200: SearchOutput, **error_responses(400, 429)},
    )
    def get(self, request):
        query = SearchInput(data=request.query_params)
        query.is_valid(raise_exception=True)
        found = stock.search_media(
            user=request.user,
            query=query.validated_data["q"],
            **{k: query.validated_data[k] for k in ("kind", "orientation")},
        )
        results = [
            {
                "id": hit.id,
                "provider": hit.provider,
                "kind": hit.kind,
                "thumbnail_url": hit.thumbnail_url,
                "width": hit.width,
                "height": hit.height,
                "credit": hit.attribution,
                "licence": hit.licence,
                "source_url": hit.source_url,
                "choice": choice,
                "asset_id": None,
            }
            for hit, choice in found.hits
        ]
        results += [_asset_result(asset, request) for asset in found.assets]
        body = {"origin": found.source, "failed": found.failed, "results": results}
        return Response(SearchOutput(body).data)


class LibraryView(APIView):
    """Every picture, clip and music track you uploaded or a reel of yours used."""

    @extend_schema(
        operation_id="media_library_list",
        tags=["media"],
        summary="Your library, newest first; `q` finds words in tags, prompt and credit",
        parameters=[LibraryInput],
        responses={200: LibraryAssetSerializer(many=True), **error_responses(400)},
    )
    def get(self, request):
        query = LibraryInput(data=request.query_params)
        query.is_valid(raise_exception=True)
        kind = query.validated_data.get("kind")
        assets = selectors.library_for(
            user=request.user,
            query=query.validated_data.get("q", ""),
            kinds=(kind,) if kind else (),
        )[:200]
        return Response(
            LibraryAssetSerializer(assets, many=True, context={"request": request}).data
        )


class LibraryAssetView(APIView):
    @extend_schema(
        operation_id="media_library_partial_update",
        tags=["media"],
        summary="Tag a file of your library (the words the search finds it by)",
        request=LibraryUpdateInput,
        responses={200: LibraryAssetSerializer, **error_responses(400, 404)},
    )
    def patch(self, request, asset_id: int):
        data = LibraryUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        owned = get_object_or_404(selectors.library_assets(user=request.user), pk=asset_id)
        asset = services.tag_asset(asset_id=owned.pk, **data.validated_data)
        return Response(LibraryAssetSerializer(asset, context={"request": request}).data)
