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


def first_load(chromium, base_url: str, url: str, state=None) -> tuple[int, list[str], list[str]]:
    """Gzip bytes of the JS and CSS a first load (empty cache) fetches, what they were, and
    requests to other hosts."""
    host = urlsplit(base_url).netloc
    context = chromium.new_context(viewport=PHONE, base_url=base_url, storage_state=state)
    page = context.new_page()
    responses = []
    foreign: list[str] = []

    def seen(response):
        parts = urlsplit(response.url)
        if parts.scheme in ("http", "https") and parts.netloc != host:
            foreign.append(response.url)
        if response.request.resource_type in ("script", "stylesheet"):
            responses.append(response)

    page.on("response", seen)
    page.goto(url, wait_until="networkidle")
    # Bodies are read once the page has loaded (not inside the event handler).
    total = sum(len(gzip.compress(r.body(), compresslevel=6)) for r in responses)
    assets = sorted(urlsplit(r.url).path for r in responses)
    context.close()
    return total, assets, foreign


def test_every_studio_page_fits_the_budget_and_stays_on_its_host(chromium, studio_server):
    user = UserFactory(username="weigh@example.com", email="weigh@example.com")
    story = StoryFactory(owner=user)
    base = studio_server.url
    figures = {}
    for name, url in [("sign-in", "/sign-in/"), ("sign-up", "/sign-up/")]:
        figures[name] = first_load(chromium, base, url)
    context = chromium.new_context(viewport=PHONE, base_url=base)
    try:
        page = context.new_page()
        page.goto("/sign-in/")
        page.locator("#id_email").fill(user.email)
        page.locator("#id_password").fill(PASSWORD)
        page.locator("button[type=submit].primary").click()
        page.wait_for_url(f"{base}/")
        state = context.storage_state()  # the session cookie, for fresh contexts
    finally:
        context.close()
    pages = [
        ("my-reels", "/"),
        ("new-reel", "/reels/new/"),
        ("reel", f"/reels/{story.pk}/"),
        ("library", "/library/"),
        ("quick-clip", "/quick-clip/"),
        ("pronunciations", "/pronunciations/"),
    ]
    for name, url in pages:
        figures[name] = first_load(chromium, base, url, state)

    for name, (total, assets, _foreign) in figures.items():
        print(f"page_weight {name}: {total / 1024:.1f} KB gzip JS+CSS ({', '.join(assets)})")
    heaviest = max(total for total, _, _ in figures.values())
    print(f"page_weight_max_kb={heaviest / 1024:.1f} budget_kb={BUDGET_BYTES // 1024}")
    assert all(assets for _, assets, _ in figures.values())  # the weighing saw the files
    assert heaviest <= BUDGET_BYTES
    assert [url for _, _, foreign in figures.values() for url in foreign] == []
