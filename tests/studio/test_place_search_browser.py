"""Finding a place on the map from the studio (English, desktop): the production web server
asks a local server speaking Kakao Local's format, a listing is saved as the place, its
photos are added in the same form, and its song reel page opens. And saving the form again
after a refused photo adds no photo twice."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from places.models import Place
from tests.factories import UserFactory
from tests.places.fake_place_search import KAKAO_KEY, query_of
from tests.places.helpers import photo_bytes
from tests.studio.browser import DESKTOP, screenshot, signed_in_context
from tests.studio.test_browser_flow import Watch

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture
def studio_env(kakao_server):
    kakao_server.reset()
    return {
        "REELMAKER_PLACE_SEARCH": "kakao",
        "KAKAO_REST_API_KEY": KAKAO_KEY,
        "KAKAO_LOCAL_BASE_URL": kakao_server.url,
    }


def test_a_listing_found_on_the_map_becomes_the_place(
    chromium, studio_env, studio_server, kakao_server, tmp_path
):
    owner = UserFactory()
    photo = tmp_path / "terrace.jpg"
    photo.write_bytes(photo_bytes(1))
    watch = Watch(host=urlsplit(studio_server.url).netloc)
    context = signed_in_context(
        chromium, owner, studio_server.url, viewport=DESKTOP, locale="en-US"
    )
    page = context.new_page()
    watch.attach(page)
    try:
        page.goto("/places/new/")
        page.get_by_label("Its name, or a name and an area").fill("바다정원")
        page.get_by_role("button", name="Search", exact=True).click()
        pick = page.get_by_role("button", name="Use 바다정원 펜션")
        pick.wait_for()
        assert page.locator("#results li").count() == 2
        watch.check_names(page, "place-search")
        pick.click()
        page.locator("#imported").wait_for(state="visible")
        assert "바다정원 펜션" in page.locator("#imported").inner_text()
        assert page.locator("#name").input_value() == "바다정원 펜션"
        assert page.locator("#category").input_value() == "stay"
        page.locator("#photos").set_input_files(photo)
        screenshot(page, "place-search-en-desktop")
        page.get_by_role("button", name="Save the place").click()
        page.wait_for_url("**/song-reel/")
    finally:
        context.close()

    place = Place.objects.get(owner=owner)
    assert (place.source, place.source_id) == ("kakao", "8116548")
    assert place.photos.count() == 1
    assert page.url.endswith(f"/places/{place.pk}/song-reel/")
    assert query_of(kakao_server.requests[0].path)["query"] == "바다정원"
    assert kakao_server.requests[0].headers["authorization"] == f"KakaoAK {KAKAO_KEY}"
    assert watch.errors == []
    assert watch.foreign == []
    assert watch.unnamed == {}


def test_saving_again_after_a_refused_photo_sends_only_the_photos_not_yet_added(
    chromium, studio_server, tmp_path
):
    owner = UserFactory()
    photo, fake = tmp_path / "terrace.jpg", tmp_path / "menu.jpg"
    photo.write_bytes(photo_bytes(1))
    fake.write_bytes(b"not a picture at all, whatever its name says" * 20)
    context = signed_in_context(chromium, owner, studio_server.url, viewport=DESKTOP)
    page = context.new_page()
    try:
        page.goto("/places/new/")
        page.locator("#name").fill("Harbor Bean")
        page.locator("#region").fill("Busan")
        page.locator("#photos").set_input_files([photo, fake])
        for _ in range(2):  # the same two files, saved twice
            page.get_by_role("button", name="Save the place").click()
            page.locator("#err-photos").wait_for(state="visible")
            page.wait_for_function("() => !document.querySelector('#place button').disabled")
        place = Place.objects.get(owner=owner)
        assert place.photos.count() == 1  # the picture once; the refused file never
        assert page.url.endswith("/places/new/")
    finally:
        context.close()
