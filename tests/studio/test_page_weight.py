"""Page budget: the first load of every studio page fetches at most 150 KB of JS and CSS
(gzip-compressed, as a server sends them) and nothing from another host. Prints the figures;
bench/page_weight.py runs this file to show them."""

from __future__ import annotations

import gzip
from urllib.parse import urlsplit

import pytest

from tests.factories import StoryFactory, UserFactory
from tests.studio.browser import PHONE

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

BUDGET_BYTES = 150 * 1024
PASSWORD = "correct-horse-battery-9"


def first_load(context, url: str, host: str) -> tuple[int, list[str], list[str]]:
    """Gzip bytes of the JS and CSS a fresh page load fetches, what they were, other hosts."""
    page = context.new_page()
    assets: list[str] = []
    foreign: list[str] = []
    total = 0

    def seen(response):
        nonlocal total
        parts = urlsplit(response.url)
        if parts.scheme in ("http", "https") and parts.netloc != host:
            foreign.append(response.url)
        kind = response.request.resource_type
        if kind in ("script", "stylesheet"):
            assets.append(parts.path)
            total += len(gzip.compress(response.body(), compresslevel=6))

    page.on("response", seen)
    page.goto(url, wait_until="networkidle")
    page.close()
    return total, assets, foreign


def test_every_studio_page_fits_the_budget_and_stays_on_its_host(chromium, studio_server):
    user = UserFactory(username="weigh@example.com", email="weigh@example.com")
    story = StoryFactory(owner=user)
    host = urlsplit(studio_server.url).netloc
    context = chromium.new_context(viewport=PHONE, base_url=studio_server.url)
    try:
        figures = {}
        for name, url in [("sign-in", "/sign-in/"), ("sign-up", "/sign-up/")]:
            figures[name] = first_load(context, url, host)
        page = context.new_page()
        page.goto("/sign-in/")
        page.locator("#id_email").fill(user.email)
        page.locator("#id_password").fill(PASSWORD)
        page.locator("button[type=submit].primary").click()
        page.wait_for_url(f"{studio_server.url}/")
        page.close()
        pages = [
            ("my-reels", "/"),
            ("new-reel", "/reels/new/"),
            ("reel", f"/reels/{story.pk}/"),
            ("pronunciations", "/pronunciations/"),
        ]
        for name, url in pages:
            figures[name] = first_load(context, url, host)
    finally:
        context.close()

    for name, (total, assets, foreign) in figures.items():
        print(f"page_weight {name}: {total / 1024:.1f} KB gzip JS+CSS ({', '.join(assets)})")
    heaviest = max(total for total, _, _ in figures.values())
    print(f"page_weight_max_kb={heaviest / 1024:.1f} budget_kb={BUDGET_BYTES // 1024}")
    assert all(assets for _, assets, _ in figures.values())  # the weighing saw the files
    assert heaviest <= BUDGET_BYTES
    assert [url for _, _, foreign in figures.values() for url in foreign] == []
