"""A new endpoint written with no schema code conforms: the readable operation ids, the tag,
integer ids, the error envelope and the idempotency headers come from reelmaker.openapi."""

from drf_spectacular.generators import SchemaGenerator
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from reelmaker.idempotency import idempotent
from reelmaker.routers import OptionalSlashRouter
from stories.models import Story


class WidgetSerializer(serializers.ModelSerializer):
    class Meta:
        model = Story
        fields = ["id", "title"]


class WidgetViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Story.objects.none()
    serializer_class = WidgetSerializer
    lookup_url_kwarg = "widget_id"
    lookup_value_regex = "[0-9]+"

    @action(detail=True, methods=["post"])
    @idempotent
    def produce(self, request, widget_id=None):
        return Response({})


router = OptionalSlashRouter()
router.register("widgets", WidgetViewSet, basename="widget")


def schema() -> dict:
    patterns = [*router.urls]
    return SchemaGenerator(patterns=patterns).get_schema(request=None, public=True)


def test_a_plain_viewset_gets_the_conventions():
    paths = {
        path.replace("^", "").replace("$", ""): item for path, item in schema()["paths"].items()
    }
    detail, produce = paths["/widgets/{widget_id}/"], paths["/widgets/{widget_id}/produce/"]

    assert paths["/widgets/"]["get"]["operationId"] == "widgets_list"
    assert detail["get"]["operationId"] == "widgets_retrieve"
    assert produce["post"]["operationId"] == "widgets_produce"
    assert produce["post"]["tags"] == ["widgets"]
    assert detail["get"]["parameters"][0]["schema"] == {"type": "integer", "minimum": 1}
    assert {"401", "404", "429"} <= set(detail["get"]["responses"])
    assert detail["get"]["responses"]["404"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }
    names = [p.get("name") for p in produce["post"]["parameters"]]
    assert "Idempotency-Key" in names
    assert "Idempotent-Replayed" in produce["post"]["responses"]["200"]["headers"]
