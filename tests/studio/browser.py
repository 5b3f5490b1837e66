"""Debian's chromium driven by Playwright (no browser download): finding it, launching it,
and the checks every studio page gets (console errors, accessible names, screenshots)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "var" / "test-artifacts" / "screenshots"
LAUNCH_ARGS = [
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# Roles a user operates; each must have a name in the accessibility tree.
CONTROL_ROLES = (
    "button",
    "link",
    "textbox",
    "combobox",
    "listbox",
    "checkbox",
    "radio",
    "spinbutton",
    "searchbox",
    "slider",
    "progressbar",
)
UNNAMED = re.compile(rf"^\s*- ({'|'.join(CONTROL_ROLES)})(?: \[[^\]]*\])*:?\s*$")


def chromium_path() -> str:
    """The system chromium (scripts/setup.sh test installs Debian's package)."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    raise RuntimeError(
        "no chromium on PATH: run `scripts/setup.sh test` (apt-get install chromium)"
    )


def unnamed_controls(page) -> list[str]:
    """Controls without an accessible name, from Playwright's ARIA snapshot of the page."""
    snapshot = page.locator("body").aria_snapshot()
    return [line.strip() for line in snapshot.splitlines() if UNNAMED.match(line)]


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def tab_to(page, selector: str, *, limit: int = 80) -> None:
    """Press Tab until the focused element matches `selector` (the keyboard-only pass)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            "(s) => document.activeElement && document.activeElement.matches(s)", selector
        ):
            return
    raise AssertionError(f"Tab never reached {selector}")


def signed_in_context(browser, user, url: str, **options):
    """A new browser context on `url` (base_url) already signed in as `user`: Django's
    session cookie from a test client's force_login."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    context = browser.new_context(base_url=url, **options)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": url}])
    return context
