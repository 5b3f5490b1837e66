"""How the API describes itself: operation ids a person would write, one tag per resource, and
deprecated operations. The conventions are derived here, so a new endpoint conforms without
per-view schema code; `reelmaker/schema_hooks.py` adds the error responses and headers.

Operation ids: the path's words without its ids, then the verb. A viewset's own verbs are
`list`, `retrieve`, `create`, `update` (PATCH), `destroy`; its extra actions are named by the
action itself (`stories_plan`, `jobs_retry`, `stories_scenes_bulk_create`). A plain view uses
the same verbs by method, except a POST-only view, whose path names its verb (`auth_login`).
`extend_schema(operation_id=...)` still wins (`uploads_create`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import UTC, date, datetime
from email.utils import format_datetime
from typing import Any

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema

from reelmaker import schema_hooks

# A view's first path word -> its tag, where the word is not the resource's name.
TAG_BY_PATH_WORD = {"users": "accounts", "media": "uploads"}

VERB_BY_METHOD = {
    "get": "retrieve",
    "post": "create",
    "patch": "update",
    "put": "replace",
    "delete": "destroy",
}
VIEWSET_VERBS = {"partial_update": "update", "update": "replace"}

DEPRECATION_ATTRIBUTE = "_reelmaker_deprecation"


class AutoSchema(SpectacularAutoSchema):
    """DEFAULT_SCHEMA_CLASS: readable operation ids, tags per resource, deprecation."""

    def get_operation(
        self, path: str, path_regex: str, path_prefix: str, method: str, registry: Any
    ) -> dict[str, Any] | None:
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is not None:
            schema_hooks.complete_operation(
                operation,
                method=self.method,
                deprecation=deprecation_of(self.view, method),
                is_idempotent=getattr(_handler(self.view, method), "is_idempotent", False),
            )
        return operation

    def get_summary(self) -> str | None:
        """An operation without its own summary gets its view's first docstring line, else
        its id in words."""
        summary = super().get_summary()
        if summary:
            return summary
        doc = (self.get_description() or "").strip()
        if doc:
            return doc.splitlines()[0].rstrip(".")
        return self.get_operation_id().replace("_", " ").capitalize()

    def get_operation_id(self) -> str:
        words = [word.replace("-", "_") for word in self._tokenize_path()]
        action = getattr(self.view, "action", None)
        if action is None:  # a plain APIView: the path, then the method's verb
            if self._only_posts():  # the path names the verb already: `auth_login`
                return "_".join(words)
            verb = VERB_BY_METHOD[self.method.lower()]
            if verb == "retrieve" and self._is_list_view():
                verb = "list"
            return "_".join([*words, verb])
        if self._is_extra_action(action):  # the last word is the action: `stories_plan`
            return "_".join(words)
        return "_".join([*words, VIEWSET_VERBS.get(action, action)])

    def get_tags(self) -> list[str]:
        tag = getattr(self.view, "schema_tag", None)
        if tag:
            return [tag]
        words = self._tokenize_path()
        action = getattr(self.view, "action", None)
        if action is not None and words:  # a viewset: the router's resource word
            if self._is_extra_action(action):
                url_path = getattr(self.view, action).url_path
                words = words[: -len(str(url_path).strip("/").split("/"))] or words
            return [words[-1].replace("-", "_")]
        first = words[0] if words else "api"
        return [TAG_BY_PATH_WORD.get(first, first)]

    def is_deprecated(self) -> bool:
        handler = _handler(self.view, self.method)
        return bool(getattr(handler, DEPRECATION_ATTRIBUTE, None)) or super().is_deprecated()

    def _only_posts(self) -> bool:
        methods = {m.lower() for m in self.view.allowed_methods} - {"head", "options"}
        return methods == {"post"}

    def _is_extra_action(self, action: str) -> bool:
        handler = getattr(self.view, action, None)
        return bool(getattr(handler, "mapping", None))


def _handler(view: Any, method: str) -> Callable | None:
    action = getattr(view, "action", None)
    return getattr(view, action or method.lower(), None)


def deprecation_of(view: Any, method: str) -> dict[str, str] | None:
    """The headers a deprecated operation answers with, or None (for the schema hooks)."""
    return getattr(_handler(view, method), DEPRECATION_ATTRIBUTE, None)


def deprecated(*, since: date, sunset: date | None = None, link: str = "") -> Callable:
    """Mark a view method or viewset action deprecated: the schema says `deprecated: true` and
    every successful response carries `Deprecation: @<epoch>` (RFC 9745), `Sunset` (RFC 8594) when a
    removal date is set, and `Link: <link>; rel="deprecation"` when one is given. Put it
    directly on the function, under `@action` and `@extend_schema`."""
    headers = {"Deprecation": f"@{int(_midnight(since).timestamp())}"}
    if sunset is not None:
        headers["Sunset"] = format_datetime(_midnight(sunset), usegmt=True)
    if link:
        headers["Link"] = f'<{link}>; rel="deprecation"; type="text/html"'

    def decorate(handler: Callable) -> Callable:
        @functools.wraps(handler)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            response = handler(*args, **kwargs)
            for name, value in headers.items():
                response[name] = value
            return response

        setattr(wrapper, DEPRECATION_ATTRIBUTE, headers)
        return wrapper

    return decorate


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)
