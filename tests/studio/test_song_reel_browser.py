"""The song reel flow in a real browser (Debian's chromium, Playwright) against the production
web server and a real Celery worker, in Korean on a phone: the sketch note, the marketing
brief, lyrics, a song attribute, the song and a final lyric video followed live on the story's
event stream, then watch, download and the way to publish."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from places.models import Place, SongReel
from tests.factories import UserFactory
from tests.places.helpers import PLACES, photo_bytes
from tests.studio.browser import PHONE, screenshot, signed_in_context
from tests.studio.test_browser_flow import STEP_TIMEOUT_MS, Watch

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def test_a_place_becomes_a_song_reel_in_the_browser(
    chromium, celery_workers, studio_server, tmp_path
):
    celery_workers("songs")
    owner = UserFactory()
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(photo_bytes(0))
    watch = Watch(host=urlsplit(studio_server.url).netloc)
    context = signed_in_context(chromium, owner, studio_server.url, viewport=PHONE, locale="ko-KR")
    page = context.new_page()
    watch.attach(page)
    try:
        # The place is made in the studio: home -> new place, the form refused without a
        # name (said beside it), then saved with a photo; its song reel page opens.
        page.goto("/")
        page.get_by_role("link", name="새 장소").click()
        page.wait_for_url("**/places/new/")
        watch.check_names(page, "new-place")
        page.get_by_role("button", name="장소 저장").click()
        page.locator("#err-name").wait_for(state="visible")
        assert page.locator("#name").get_attribute("aria-invalid") == "true"
        assert not Place.objects.exists()
        page.get_by_label("이름").fill(PLACES["ko"]["name"])
        page.locator("#region").fill(PLACES["ko"]["region"])
        page.locator("#offer").fill(PLACES["ko"]["offer"])
        page.locator("#category").select_option(Place.Category.CAFE)
        page.locator("#facilities").fill("오션뷰, 주차")
        page.locator("#photos").set_input_files(photo)
        screenshot(page, "song-reel-ko-phone-0-new-place")
        page.get_by_role("button", name="장소 저장").click()
        page.wait_for_url("**/song-reel/")
        place = Place.objects.get(owner=owner)
        assert (place.name, place.region, place.language) == ("바다정원", "강릉", "ko")
        assert place.facilities == ["오션뷰", "주차"]
        assert place.photos.count() == 1
        assert page.url.endswith(f"/places/{place.pk}/song-reel/")
        assert "이 노래는 스케치예요" in page.locator("#sketch-note").inner_text()

        page.locator("#write-brief").click()
        page.locator("#brief").wait_for()
        assert PLACES["ko"]["name"] in page.locator("#brief").inner_text()

        page.locator("#new-reel button[type=submit]").click()
        section = page.locator(".song-reel").first
        section.wait_for()
        assert "[Chorus]" in section.locator("textarea").input_value()
        section.locator("select[name=mood]").select_option("calm")
        section.locator("button[data-action=lyrics]").click()
        page.wait_for_function(
            "() => document.querySelector('.song-reel select[name=mood]')?.value === 'calm'"
            " && !document.querySelector('.song-reel button[data-action=lyrics]').disabled"
        )
        watch.check_names(page, "song-reel-lyrics")
        screenshot(page, "song-reel-ko-phone-1-lyrics")

        page.locator(".song-reel button[data-action=song]").click()
        # The chanted sketch takes well under a second: its progress may come and go before
        # a look catches it, so the song's player is what is waited for.
        page.locator(".song-reel audio").wait_for(state="attached", timeout=STEP_TIMEOUT_MS)
        reel = SongReel.objects.get(place=place)
        assert reel.mood == "calm"
        assert reel.sketch
        assert page.locator(".song-reel .note").count() == 1  # the sketch note on the reel too

        page.locator(".song-reel select[name=profile]").select_option("final")
        page.locator(".song-reel button[data-action=render]").click()
        page.locator(".song-reel .job-progress").wait_for(state="visible")
        page.locator(".song-reel video.lyric-video").wait_for(timeout=STEP_TIMEOUT_MS)
        watch.check_names(page, "song-reel-rendered")
        screenshot(page, "song-reel-ko-phone-2-rendered")
        assert page.locator(".song-reel a.publish").get_attribute("href") == (
            f"/stories/{reel.story_id}/publish/"
        )
        response = page.request.get(page.locator(".song-reel a.download").get_attribute("href"))
        assert response.status == 200
        assert response.headers["content-type"] == "video/mp4"
        assert len(response.body()) > 10_000
    finally:
        context.close()

    assert watch.errors == []
    assert watch.foreign == []
    assert watch.unnamed == {}
