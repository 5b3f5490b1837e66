"""GET media/search over the configured Pexels and Unsplash (local fakes speaking their wire
format), the offline choices, and POST scenes/{id}/visual with a picked result or a file."""

from __future__ import annotations

import zlib

import pytest

from media.models import Asset
from media.services import save_asset
from stories.models import Story
from tests.factories import SceneFactory, StoryFactory
from tests.providers.fake_stock import Answer, FakeStock, Seen, jpeg_bytes
from tests.providers.fake_video import make_clip
from tests.scenes.render_fixtures import make_still

pytestmark = pytest.mark.django_db


class DistinctStock(FakeStock):
    """FakeStock whose media differ per path, so each result is a different picture."""

    def route(self, seen: Seen) -> Answer:
        if seen.path.startswith("/media/") and not seen.path.endswith(".mp4"):
            tint = zlib.crc32(seen.path.encode()) % 200
            return Answer(200, jpeg_bytes(colour=(tint, 90, 200 - tint)), "image/jpeg")
        return super().route(seen)


@pytest.fixture(scope="module")
def _server(tmp_path_factory):
    clip = make_clip(tmp_path_factory.mktemp("clip") / "stock.mp4", seconds=2)
    server = DistinctStock(clip=clip).start()
    yield server
    server.stop()


@pytest.fixture
def stock(_server, settings, tmp_path):
    _server.requests.clear()
    _server.faults.clear()
    settings.WORK_DIR = tmp_path / "work"
    settings.PEXELS_API_KEY = "pexels-test-key"
    settings.PEXELS_BASE_URL = _server.url
    settings.UNSPLASH_ACCESS_KEY = "unsplash-access-key"
    settings.UNSPLASH_BASE_URL = _server.url
    settings.REELMAKER_VISUALS = ["pexels"]
    settings.REELMAKER_VIDEO = ["pexels"]
    settings.FETCH_ALLOW_PRIVATE_URLS = True  # the fake lives on 127.0.0.1
    settings.PROVIDER_TIMEOUT_S = 1
    settings.PROVIDER_ATTEMPTS = 1
    return _server


@pytest.fixture
def offline(settings, tmp_path):
    settings.WORK_DIR = tmp_path / "work"
    settings.REELMAKER_VISUALS = []
    settings.REELMAKER_VIDEO = []


def _search(api, **params):
    return api.get("/api/v1/media/search", {"q": "latte art", **params})


def test_pexels_photos_come_with_credit_licence_and_a_choice(api, stock):
    response = _search(api, orientation="portrait")

    assert response.status_code == 200
    body = response.json()
    assert body["origin"] == "stock"
    assert body["failed"] == []
    first = body["results"][0]
    assert first["provider"] == "pexels"
    assert first["kind"] == "image"
    assert first["credit"] == "Photo by Pexels Person 0 on Pexels"
    assert first["licence"].startswith("Pexels License")
    assert first["source_url"] == "https://www.pexels.com/photo/scene-1000/"
    assert first["choice"]
    assert first["asset_id"] is None
    [sent] = stock.seen("/v1/search")
    assert sent.headers["authorization"] == "pexels-test-key"
    assert sent.query["query"] == ["latte art"]
    assert sent.query["orientation"] == ["portrait"]


def test_a_search_is_answered_from_the_cache_for_an_hour(api, stock):
    first = _search(api).json()
    again = _search(api, q="  Latte   ART ").json()

    assert len(stock.seen("/v1/search")) == 1
    assert [r["id"] for r in again["results"]] == [r["id"] for r in first["results"]]


def test_unsplash_results_carry_the_credit_its_guidelines_ask(api, stock, settings):
    settings.REELMAKER_VISUALS = ["unsplash"]

    body = _search(api, orientation="square").json()

    first = body["results"][0]
    assert first["provider"] == "unsplash"
    assert "Photo by Unsplash Person 0" in first["credit"]
    assert "utm_source=" in first["credit"]
    assert "utm_medium=referral" in first["source_url"]
    [sent] = stock.seen("/search/photos")
    assert sent.query["orientation"] == ["squarish"]
    assert sent.headers["authorization"] == "Client-ID unsplash-access-key"


def test_video_search_asks_pexels_for_clips(api, stock):
    body = _search(api, kind="video").json()

    assert {r["kind"] for r in body["results"]} == {"video"}
    assert body["results"][0]["credit"] == "Video by Pexels Filmer 0 on Pexels"
    assert stock.seen("/videos/search")


def test_a_failing_provider_is_named_and_offline_choices_answer_uncached(api, stock, user):
    stock.fail_next("500", path="/v1/search")

    body = _search(api).json()
    again = _search(api).json()

    assert body["failed"] == ["pexels"]
    assert body["origin"] == "offline"
    assert [r["provider"] for r in body["results"]][:6] == ["artwork"] * 6
    assert again["origin"] == "stock"  # the failure was not cached
    assert len(stock.seen("/v1/search")) == 2


def test_offline_search_offers_artwork_variants_and_matching_uploads(api, offline, user, tmp_path):
    story = StoryFactory(owner=user)
    mine = _asset(story, tmp_path, seed=1, tags="latte art cafe")
    _asset(story, tmp_path, seed=2, tags="beach sunset")

    body = _search(api).json()

    assert body["origin"] == "offline"
    artwork = [r for r in body["results"] if r["provider"] == "artwork"]
    assert len(artwork) == 6
    assert artwork[0]["thumbnail_url"].startswith("data:image/jpeg;base64,")
    assert len({r["thumbnail_url"] for r in artwork}) == 6  # six different pictures
    own = [r for r in body["results"] if r["asset_id"]]
    assert [r["asset_id"] for r in own] == [mine.pk]


@pytest.mark.parametrize(
    "params", [{"kind": "gif"}, {"orientation": "diagonal"}, {"q": ""}, {"q": "x" * 101}]
)
def test_bad_search_parameters_are_400_in_the_envelope(api, offline, params):
    response = _search(api, **params)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "INVALID_REQUEST"


def test_search_needs_an_account(anon, offline):
    assert _search(anon).status_code == 401


def _asset(story, tmp_path, *, seed, tags="", kind="image"):
    asset = save_asset(
        owner=story.owner,
        story=story,
        kind=kind,
        path=make_still(tmp_path / f"still-{seed}.png", seed=seed),
        mime_type="image/png",
        source_provider="upload",
    )
    Asset.objects.filter(pk=asset.pk).update(tags=tags)
    asset.refresh_from_db()
    return asset


def _pick(api, scene, **body):
    return api.post(f"/api/v1/scenes/{scene.pk}/visual", body, format="json")


def test_picking_a_pexels_result_downloads_it_and_only_that_scene_changes(api, stock, user):
    story = StoryFactory(owner=user, status=Story.Status.PLANNED)
    picked, other = SceneFactory(story=story, position=0), SceneFactory(story=story, position=1)
    choice = _search(api).json()["results"][1]["choice"]

    response = _pick(api, picked, choice=choice)

    assert response.status_code == 200, response.json()
    picked.refresh_from_db()
    other.refresh_from_db()
    asset = picked.visual
    assert asset.source_provider == "pexels"
    assert asset.story_id == story.pk
    assert asset.attribution == "Photo by Pexels Person 1 on Pexels"
    assert asset.prompt == "latte art"
    assert asset.width == 540
    assert other.visual is None
    assert response.json()["visual_url"]
    assert stock.seen("/media/pexels-1.jpg")


def test_the_same_picture_in_two_scenes_of_a_reel_is_refused(api, stock, user):
    story = StoryFactory(owner=user)
    first, second = SceneFactory(story=story, position=0), SceneFactory(story=story, position=1)
    choice = _search(api).json()["results"][0]["choice"]
    assert _pick(api, first, choice=choice).status_code == 200

    response = _pick(api, second, choice=choice)

    assert response.status_code == 400
    assert response.json()["error"]["details"]["scene_position"] == 0
    second.refresh_from_db()
    assert second.visual is None


def test_a_changed_choice_is_refused_and_nothing_is_fetched(api, stock, user):
    scene = SceneFactory(story=StoryFactory(owner=user))
    choice = _search(api).json()["results"][0]["choice"]
    stock.requests.clear()

    response = _pick(api, scene, choice=choice[:-3] + "abc")

    assert response.status_code == 400
    assert "choice" in response.json()["error"]["details"]["fields"]
    assert stock.requests == []
    scene.refresh_from_db()
    assert scene.visual is None


def test_a_picked_result_on_a_private_address_is_refused_by_the_ssrf_guard(
    api, stock, user, settings
):
    scene = SceneFactory(story=StoryFactory(owner=user))
    choice = _search(api).json()["results"][0]["choice"]
    settings.FETCH_ALLOW_PRIVATE_URLS = False
    stock.requests.clear()

    response = _pick(api, scene, choice=choice)

    assert response.status_code == 502
    assert response.json()["error"]["code"] == "EXTERNAL_API_ERROR"
    assert stock.requests == []  # refused before connecting
    scene.refresh_from_db()
    assert scene.visual is None


def test_a_picked_unsplash_photo_is_tracked_and_credited_in_the_caption(api, stock, user, settings):
    settings.REELMAKER_VISUALS = ["unsplash"]
    story = StoryFactory(owner=user, post_caption="Latte time.")
    scene = SceneFactory(story=story)
    choice = _search(api).json()["results"][0]["choice"]

    assert _pick(api, scene, choice=choice).status_code == 200

    assert stock.seen("/photos/uns0/download")
    story.refresh_from_db()
    assert "Photo by Unsplash Person 0" in story.post_caption


def test_a_picked_stock_clip_is_cut_to_the_scene(api, stock, user):
    scene = SceneFactory(story=StoryFactory(owner=user), duration_ms=1200)
    choice = _search(api, kind="video").json()["results"][0]["choice"]

    assert _pick(api, scene, choice=choice).status_code == 200

    scene.refresh_from_db()
    assert scene.visual.kind == "video"
    assert scene.visual.source_provider == "pexels-video"


def test_an_artwork_variant_is_drawn_full_size_offline(api, offline, user):
    scene = SceneFactory(story=StoryFactory(owner=user))
    choice = _search(api).json()["results"][2]["choice"]

    assert _pick(api, scene, choice=choice).status_code == 200

    scene.refresh_from_db()
    assert scene.visual.source_provider == "artwork"
    assert (scene.visual.width, scene.visual.height) == (1080, 1920)


def test_a_library_file_from_another_reel_is_reused_as_a_copy(api, offline, user, tmp_path):
    earlier = StoryFactory(owner=user)
    upload = _asset(earlier, tmp_path, seed=3, tags="cafe")
    scene = SceneFactory(story=StoryFactory(owner=user))

    response = _pick(api, scene, asset=upload.pk)

    assert response.status_code == 200
    scene.refresh_from_db()
    assert scene.visual.story_id == scene.story_id
    assert scene.visual.sha256 == upload.sha256


def test_another_users_file_cannot_be_picked(api, offline, other_user, user, tmp_path):
    theirs = _asset(StoryFactory(owner=other_user), tmp_path, seed=4)
    scene = SceneFactory(story=StoryFactory(owner=user))

    response = _pick(api, scene, asset=theirs.pk)

    assert response.status_code == 400
    scene.refresh_from_db()
    assert scene.visual is None


def test_picking_needs_exactly_one_of_choice_and_asset(api, offline, user):
    scene = SceneFactory(story=StoryFactory(owner=user))

    assert _pick(api, scene).status_code == 400
    assert _pick(api, scene, choice="x", asset=1).status_code == 400


def test_a_locked_plan_refuses_the_pick_before_fetching(api, stock, user):
    scene = SceneFactory(story=StoryFactory(owner=user, is_locked=True))
    choice = _search(api).json()["results"][0]["choice"]
    stock.requests.clear()

    response = _pick(api, scene, choice=choice)

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "PLAN_LOCKED"
    assert stock.requests == []


def test_a_stale_choice_is_refused_in_korean(api, offline, user):
    scene = SceneFactory(story=StoryFactory(owner=user))

    response = api.post(
        f"/api/v1/scenes/{scene.pk}/visual",
        {"choice": "not-a-choice"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="ko",
    )

    assert response.status_code == 400
    assert response.json()["error"]["details"]["fields"]["choice"] == [
        "이 선택은 더 이상 유효하지 않습니다. 다시 검색하세요."
    ]


def test_searches_are_throttled_per_user(api, other_api, offline, settings):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "media_search": "2/min"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}

    answers = [_search(api).status_code for _ in range(3)]

    assert answers == [200, 200, 429]
    assert _search(other_api).status_code == 200
