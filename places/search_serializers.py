"""The shapes of place search: the query, a listing found (not saved yet) and its import."""

from __future__ import annotations

from rest_framework import serializers

from places.models import Language, Place
from places.services import place_search
from providers.place_search.base import MAX_QUERY_CHARS, PlaceResult

SEARCH_SOURCES = (Place.Source.KAKAO.value, Place.Source.NAVER.value)


class PlaceSearchQuery(serializers.Serializer):
    q = serializers.CharField(
        max_length=MAX_QUERY_CHARS, help_text="what to look for: a name, a place, a kind"
    )
    provider = serializers.ChoiceField(
        choices=SEARCH_SOURCES,
        required=False,
        help_text="which service to ask; default: the first configured",
    )
    page = serializers.IntegerField(min_value=1, max_value=45, default=1)


class PlaceSuggestQuery(serializers.Serializer):
    q = serializers.CharField(max_length=MAX_QUERY_CHARS, help_text="what the user typed so far")


class PlaceResultSerializer(serializers.Serializer):
    # DRF's metaclass takes declared fields out of the class, so this shadows no Field.source;
    # the stubs cannot know that.
    source = serializers.ChoiceField(choices=SEARCH_SOURCES)  # type: ignore[assignment]
    source_id = serializers.CharField(help_text="import the listing by source and source_id")
    name = serializers.CharField()
    category = serializers.ChoiceField(choices=Place.Category.choices)
    category_path = serializers.CharField(help_text="the service's own category")
    region = serializers.CharField()
    address = serializers.CharField()
    road_address = serializers.CharField()
    phone = serializers.CharField()
    url = serializers.CharField(help_text="the listing's page at the service, or its homepage")
    description = serializers.CharField()
    longitude = serializers.FloatField(allow_null=True)
    latitude = serializers.FloatField(allow_null=True)
    token = serializers.SerializerMethodField(
        help_text="send it to search/import to save this listing (for you, within the hour)"
    )

    def get_token(self, result: PlaceResult) -> str:
        return place_search.import_token(owner=self.context["request"].user, result=result)


class PlaceSearchResultsSerializer(serializers.Serializer):
    provider = serializers.ChoiceField(choices=SEARCH_SOURCES)
    results = PlaceResultSerializer(many=True)
    total = serializers.IntegerField(help_text="listings the service counts for the query")
    is_end = serializers.BooleanField(help_text="true: no further page")


class PlaceResultImportInput(serializers.Serializer):
    token = serializers.CharField(
        max_length=4000, help_text="the `token` of a search or autocomplete result"
    )
    language = serializers.ChoiceField(choices=Language.choices, required=False)
