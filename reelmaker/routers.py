"""The API's router: every route takes its trailing slash or not, so a POST without the slash
never meets APPEND_SLASH (a redirect, or a 500 in DEBUG). The schema shows the form with it."""

from __future__ import annotations

from rest_framework.routers import SimpleRouter


class OptionalSlashRouter(SimpleRouter):
    def __init__(self) -> None:
        # SimpleRouter reads any true `trailing_slash` as "/": set the pattern after it.
        super().__init__(trailing_slash=True)
        self.trailing_slash = "/?"
