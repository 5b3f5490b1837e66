"""Deprecating an operation: the schema says `deprecated: true` and documents the headers;
every response carries Deprecation (RFC 9745), Sunset (RFC 8594) and a Link to the notice."""

from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime

import pytest
from django.urls import path
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from reelmaker.openapi import deprecated


class Answer(serializers.Serializer):
    ok = serializers.BooleanField()


class OldAndNewView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(summary="The old way", responses={200: Answer})
    @deprecated(since=date(2027, 1, 1), sunset=date(2027, 7, 1), link="https://example.org/n")
    def get(self, request):
        return Response({"ok": True})

    @extend_schema(summary="The current way", request=None, responses={200: Answer})
    def post(self, request):
        return Response({"ok": True})


urlpatterns = [path("api/v1/things/", OldAndNewView.as_view())]


@pytest.mark.urls(__name__)
def test_a_deprecated_operation_answers_with_the_deprecation_headers(anon):
    old = anon.get("/api/v1/things/")
    current = anon.post("/api/v1/things/")

    assert old.status_code == 200
    assert old.json() == {"ok": True}
    assert old["Deprecation"] == f"@{int(datetime(2027, 1, 1, tzinfo=UTC).timestamp())}"
    assert parsedate_to_datetime(old["Sunset"]) == datetime(2027, 7, 1, tzinfo=UTC)
    assert old["Link"].startswith('<https://example.org/n>; rel="deprecation"')
    assert "Deprecation" not in current


def test_the_schema_marks_only_the_deprecated_operation():
    schema = SchemaGenerator(patterns=urlpatterns).get_schema(request=None, public=True)
    item = schema["paths"]["/api/v1/things/"]

    assert item["get"]["deprecated"] is True
    assert set(item["get"]["responses"]["200"]["headers"]) == {"Deprecation", "Sunset", "Link"}
    assert "deprecated" not in item["post"]
    assert "headers" not in item["post"]["responses"]["200"]
