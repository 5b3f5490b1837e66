"""The studio in a real browser: Debian's chromium driven by Playwright against the production
web server (gunicorn + uvicorn, tests/webserver.py) and a real Celery worker. A creator signs
up, makes a reel, follows it, edits a scene, swaps its visual, renders the final and downloads
it; the file is judged by the product's media QC.

Korean on a phone (390x844) with the mouse, swapping the visual from the search and making a
quick clip; English on a desktop with the keyboard alone, swapping in an upload. Every
page is checked for console errors, requests to other hosts and controls without a name, and
screenshotted under var/test-artifacts/screenshots/.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from PIL import Image
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from render.qc import Expect, run_qc
from tests.studio.browser import DESKTOP, PHONE, screenshot, tab_to, unnamed_controls

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

PASSWORD = "correct-horse-battery-9"
STEP_TIMEOUT_MS = 180_000  # plan + preview of a 6 s reel on 2 shared cores

LANGUAGES = {
    "ko": {
        "locale": "ko-KR",
        "keyword": "제주 감귤 카페",
        "narration": "감귤 향이 가득한 창가 자리에서 잠시 쉬어 가세요.",
        "create": "계정 만들기",
        "preview": "미리보기 만들기",
        "start": "시작",
        "save": "저장",
        "final": "최종 영상 렌더링",
        "heading": "새 릴",
    },
    "en": {
        "locale": "en-US",
        "keyword": "rainy day bookshop",
        "narration": "Pick a paperback, pour a cup of tea, and stay a while.",
        "create": "Create an account",
        "preview": "Make a preview",
        "start": "Start",
        "save": "Save",
        "final": "Render the final",
        "heading": "New reel",
    },
}


@dataclass
class Watch:
    """What a page did that it should not: console errors, uncaught errors, other hosts."""

    host: str
    errors: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    unnamed: dict[str, list[str]] = field(default_factory=dict)

    def attach(self, page) -> None:
        log = page.context.studio_log = []  # for the message of a step that never ends
        page.on("console", lambda m: log.append(f"console {m.type}: {m.text}"))
        page.on("requestfinished", lambda r: log.append(f"{r.method} {r.url}"))
        page.on("requestfailed", lambda r: log.append(f"failed {r.method} {r.url} {r.failure}"))
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", self._request)

    def _request(self, request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https") and parts.netloc != self.host:
            self.foreign.append(request.url)

    def check_names(self, page, where: str) -> None:
        missing = unnamed_controls(page)
        if missing:
            self.unnamed[where] = missing


def wait_for_status(page, *wanted: str) -> str:
    statuses = [*wanted, "FAILED"]
    try:
        page.wait_for_function(
            "(s) => s.includes(document.getElementById('reel').dataset.status)",
            arg=statuses,
            timeout=STEP_TIMEOUT_MS,
            polling=1000,  # a timer, not animation frames (which a busy renderer may skip)
        )
    except PlaywrightTimeout:
        seen = page.locator("#reel").get_attribute("data-status")
        steps = page.locator("#steps").inner_text()
        log = "\n".join(page.context.studio_log[-40:])
        raise AssertionError(f"still {seen}, not {wanted}; steps:\n{steps}\nlog:\n{log}") from None
    status = page.locator("#reel").get_attribute("data-status")
    assert status in wanted, page.locator("#failure-text").inner_text()
    return status


def picture(tmp_path):
    path = tmp_path / "my-shop.png"
    Image.new("RGB", (720, 1280), (200, 120, 40)).save(path)
    return path


def sign_up_with_mouse(page, words, email):
    page.get_by_role("link", name=words["create"]).click()
    page.get_by_label("Email" if words is LANGUAGES["en"] else "이메일").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name=words["create"]).click()
    page.wait_for_url("**/reels/new/")


def sign_up_with_keyboard(page, email):
    tab_to(page, "a[href='/sign-up/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/sign-up/")
    tab_to(page, "#id_email")
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/reels/new/")


@pytest.mark.parametrize(
    ("language", "viewport", "keyboard"), [("ko", "phone", False), ("en", "desktop", True)]
)
def test_a_creator_makes_fixes_and_downloads_a_reel_in_the_browser(
    chromium, celery_workers, studio_server, tmp_path, language, viewport, keyboard
):
    celery_workers(f"studio-{language}")
    words = LANGUAGES[language]
    shot = f"studio-{language}-{viewport}"
    watch = Watch(host=urlsplit(studio_server.url).netloc)
    context = chromium.new_context(
        viewport=PHONE if viewport == "phone" else DESKTOP,
        locale=words["locale"],  # Accept-Language: the studio speaks the browser's language
        base_url=studio_server.url,
    )
    page = context.new_page()
    watch.attach(page)
    try:
        # Signed out: the studio's root sends the visitor to sign in.
        page.goto("/")
        assert "/sign-in/" in page.url
        assert page.locator("html").get_attribute("lang") == language
        watch.check_names(page, "sign-in")
        screenshot(page, f"{shot}-1-sign-in")
        if keyboard:
            sign_up_with_keyboard(page, f"{language}-keys@example.com")
        else:
            sign_up_with_mouse(page, words, f"{language}-mouse@example.com")

        # The brief: a keyword, 6 seconds, "make a preview"; the estimate, then start.
        assert page.get_by_role("heading", level=1).inner_text() == words["heading"]
        watch.check_names(page, "new-reel")
        if keyboard:
            tab_to(page, "#keyword")
            page.keyboard.type(words["keyword"])
            tab_to(page, "#duration_s")
            page.keyboard.press("Control+A")
            page.keyboard.type("6")
            tab_to(page, "button[value=preview]")
            page.keyboard.press("Enter")
        else:
            page.locator("#keyword").fill(words["keyword"])
            page.locator("#duration_s").fill("6")
            page.get_by_role("button", name=words["preview"]).click()
        page.locator("#confirm").wait_for(state="visible")
        assert page.locator("#estimate").inner_text()
        screenshot(page, f"{shot}-2-new-reel-estimate")
        if keyboard:
            assert page.evaluate("document.activeElement.id") == "confirm-title"
            tab_to(page, "#start")
            page.keyboard.press("Enter")
        else:
            page.get_by_role("button", name=words["start"], exact=True).click()
        page.wait_for_url("**/reels/*/")

        # Live progress until the preview is ready.
        page.locator("#steps li").first.wait_for()
        screenshot(page, f"{shot}-3-progress")
        wait_for_status(page, "PREVIEW_READY")
        page.locator("#player").wait_for(state="visible")
        watch.check_names(page, "reel-preview")
        screenshot(page, f"{shot}-4-preview")
        scenes = page.locator("#scenes > li")
        count = scenes.count()
        assert count >= 2
        first_id = scenes.nth(0).get_attribute("data-scene")

        # Edit scene 2's narration in place.
        second = scenes.nth(1)
        second_id = second.get_attribute("data-scene")
        if keyboard:
            tab_to(page, f"#narration-{second_id}")
            page.keyboard.press("Control+A")
            page.keyboard.type(words["narration"])
            tab_to(page, f"[data-scene='{second_id}'] button[data-do=save]")
            page.keyboard.press("Enter")
        else:
            second.locator(".narration").fill(words["narration"])
            second.get_by_role("button", name=words["save"]).first.click()
        page.locator("#board-note").filter(has_text="2").wait_for()
        wait_for_status(page, "PLANNED")  # the preview no longer matches

        # Swap scene 1's visual for a picture of the creator's own.
        card = page.locator(f"[data-scene='{first_id}']")
        card.locator("button[data-do=swap]").click() if not keyboard else (
            tab_to(page, f"[data-scene='{first_id}'] button[data-do=swap]"),
            page.keyboard.press("Enter"),
        )
        before = card.locator(".thumb").get_attribute("src")
        if keyboard:  # the creator's own picture
            card.locator(".upload").set_input_files(picture(tmp_path))
        else:  # a search result (offline: artwork variants and the library)
            card.locator(".search-q").fill(words["keyword"])
            card.locator(".search button[type=submit]").click()
            card.locator(".results li.result").first.wait_for()
            assert card.locator(".results li.result small").first.inner_text()  # credit, licence
            card.locator(".results li.result button").first.click()
        page.wait_for_function(
            "([id, src]) => { const i = document.querySelector(`[data-scene='${id}'] .thumb`);"
            " return i && i.getAttribute('src') !== src; }",
            arg=[first_id, before],
        )

        if keyboard:  # reorder from the keyboard: scene 1 moves down
            tab_to(page, f"[data-scene='{first_id}'] button[data-do=down]")
            page.keyboard.press("Enter")
            page.wait_for_function(
                "(id) => document.querySelectorAll('#scenes > li')[1].dataset.scene === id",
                arg=first_id,
            )
        watch.check_names(page, "reel-storyboard")
        screenshot(page, f"{shot}-5-storyboard-edited")

        # The final, then the downloads.
        if keyboard:
            tab_to(page, "#make-final")
            page.keyboard.press("Enter")
        else:
            page.get_by_role("button", name=words["final"]).click()
        wait_for_status(page, "COMPLETED")
        page.locator("#finished").wait_for(state="visible")
        page.locator("#qc").wait_for(state="visible")
        assert page.locator("#qc-summary").inner_text()
        assert page.locator("#post-hashtags").input_value().startswith("#")
        watch.check_names(page, "reel-final")
        screenshot(page, f"{shot}-6-final")

        for link in ("#dl-srt", "#dl-vtt", "#dl-thumbnail"):
            assert page.locator(link).get_attribute("href")
        response = page.request.get(page.locator("#dl-final").get_attribute("href"))
        assert response.status == 200
        assert response.headers["content-type"] == "video/mp4"
        out = tmp_path / "final.mp4"
        out.write_bytes(response.body())
        report = run_qc(out, expect=Expect(profile="final", aspect="9:16"))
        assert report.failed == [], report.lines()

        page.goto("/")
        assert page.locator("#reel-list li.reel").count() == 1
        watch.check_names(page, "my-reels")
        screenshot(page, f"{shot}-7-my-reels")
        page.goto("/pronunciations/")
        watch.check_names(page, "pronunciations")
        page.goto("/library/")
        page.locator("#library li").first.wait_for()
        watch.check_names(page, "library")
        screenshot(page, f"{shot}-8-library")
        if not keyboard:  # quick clip: prompt -> picture -> clip
            page.goto("/quick-clip/")
            page.locator("#qc-prompt").fill(words["keyword"])
            page.locator("#quick-clip button[type=submit]").click()
            page.locator("#qc-video").wait_for(state="visible", timeout=STEP_TIMEOUT_MS)
            watch.check_names(page, "quick-clip")
            screenshot(page, f"{shot}-9-quick-clip")
    finally:
        context.close()

    assert watch.errors == []
    assert watch.foreign == []
    assert watch.unnamed == {}
