"""Limits on request bodies that are not uploads: a size cap checked before anything is read
(MAX_JSON_BODY_BYTES, 413) and a JSON parser that reads no more than that and refuses JSON
nested deeper than MAX_JSON_DEPTH (400). Uploads are multipart and have UPLOAD_MAX_BYTES."""

from __future__ import annotations

import json
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser
from rest_framework.utils.json import strict_constant

# The module, not its names: DRF imports this parser while reelmaker.errors is still loading.
from reelmaker import errors


def _too_large() -> errors.BodyTooLarge:
    return errors.BodyTooLarge(details={"max_bytes": settings.MAX_JSON_BODY_BYTES})


def _too_deep() -> errors.JsonTooDeep:
    return errors.JsonTooDeep(details={"max_depth": settings.MAX_JSON_DEPTH})


class BodySizeLimitMiddleware:
    """Refuse a non-multipart body whose Content-Length passes MAX_JSON_BODY_BYTES, in the
    error envelope, before any view or parser reads it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        content_type = request.META.get("CONTENT_TYPE", "")
        if not content_type.startswith("multipart/form-data"):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > settings.MAX_JSON_BODY_BYTES:
                return errors.domain_error_response(_too_large())
        return self.get_response(request)


def json_depth(value: object) -> int:
    """How deeply `value` nests lists and objects (a scalar is 0), without recursion."""
    deepest = 0
    stack: list[tuple[object, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: list = list(item.values())
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth + 1)
        stack.extend((child, depth + 1) for child in children)
    return deepest


class LimitedJSONParser(JSONParser):
    """DRF's JSON parser with a capped read (the body may come without Content-Length) and a
    nesting limit."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.MAX_JSON_BODY_BYTES
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise _too_large()
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = raw.decode(encoding)
            data = json.loads(text, parse_constant=strict_constant if self.strict else None)
        except RecursionError:
            raise _too_deep() from None
        except ValueError as exc:  # UnicodeDecodeError and JSONDecodeError alike
            raise ParseError(f"JSON parse error - {exc}") from None
        if json_depth(data) > settings.MAX_JSON_DEPTH:
            raise _too_deep()
        return data
