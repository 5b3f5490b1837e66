"""One URL style: every API operation answers the same with or without its trailing slash,
never with a redirect (APPEND_SLASH) or a 500, whatever the method."""

import re

import pytest
from django.urls import resolve
from drf_spectacular.generators import SchemaGenerator

METHODS = ("get", "post", "patch", "delete")
MISSING_ID = 987654  # no such object: detail operations answer from their view, the same twice


def api_operations():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, item in sorted(schema["paths"].items()):
        for method in METHODS:
            if method in item:
                yield method, path


OPERATIONS = list(api_operations())


def test_the_walk_covers_the_api():
    assert len(OPERATIONS) > 50
    assert all(path.endswith("/") for _method, path in OPERATIONS)


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_an_operation_answers_the_same_without_its_trailing_slash(api, method, path):
    with_slash = re.sub(r"\{[a-z_]+\}", str(MISSING_ID), path)
    without = with_slash.rstrip("/")
    send = getattr(api, method)
    body = {} if method in ("post", "patch") else None

    first = send(with_slash, body, format="json") if body is not None else send(with_slash)
    second = send(without, body, format="json") if body is not None else send(without)

    assert resolve(without).func == resolve(with_slash).func
    assert first.status_code not in (301, 302, 308, 500), first.content
    assert second.status_code == first.status_code, (with_slash, second.content[:300])
