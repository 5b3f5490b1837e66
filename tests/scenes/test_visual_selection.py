"""The product's own choice of a scene's visual: never one another scene of the reel shows,
none of the user's last ten reels unless picked by hand, uploads used once each."""

from __future__ import annotations

import pytest

from media.services import save_asset
from scenes.services.media import make_scene_visual
from scenes.services.visual_selection import RECENT_REELS, visuals_to_avoid
from tests.factories import SceneFactory, StoryFactory, UserFactory
from tests.media.test_stock_search import DistinctStock
from tests.scenes.render_fixtures import make_still

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _server():
    server = DistinctStock(results=3).start()
    yield server
    server.stop()


@pytest.fixture
def offline(settings, tmp_path):
    settings.WORK_DIR = tmp_path / "work"
    settings.REELMAKER_VISUALS = []
    settings.REELMAKER_VIDEO = []


@pytest.fixture
def pexels(_server, settings, tmp_path):
    _server.requests.clear()
    settings.WORK_DIR = tmp_path / "work"
    settings.PEXELS_API_KEY = "pexels-test-key"
    settings.PEXELS_BASE_URL = _server.url
    settings.REELMAKER_VISUALS = ["pexels"]
    settings.REELMAKER_VIDEO = []
    settings.FETCH_ALLOW_PRIVATE_URLS = True
    settings.PROVIDER_ATTEMPTS = 1
    return _server


def _reel(owner, *, scenes=2, prompt="latte art"):
    story = StoryFactory(owner=owner)
    for position in range(scenes):
        SceneFactory(story=story, position=position, visual_prompt=prompt)
    return story


def _make_visuals(story) -> list[str]:
    for scene in story.scenes.order_by("position"):
        make_scene_visual(scene_id=scene.pk)
    return [s.visual.sha256 for s in story.scenes.order_by("position").select_related("visual")]


def test_a_new_reel_on_the_same_words_gets_other_artwork_than_the_last(offline):
    owner = UserFactory()
    first = _make_visuals(_reel(owner))

    second = _make_visuals(_reel(owner))

    assert len(set(first)) == 2
    assert len(set(second)) == 2
    assert not set(first) & set(second)


def test_stock_results_shown_by_a_recent_reel_are_skipped_for_the_next(pexels):
    owner = UserFactory()
    first = _make_visuals(_reel(owner))

    second = _make_visuals(_reel(owner))

    assert not set(first) & set(second)
    assert len(set(second)) == 2
    # Scene 0 asked for result 0, found it used, then asked for result 0 + 2 scenes.
    asked = [p.path for p in pexels.requests if p.path.startswith("/media/")]
    assert "/media/pexels-2.jpg" in asked


def test_another_users_reels_do_not_count(offline):
    first = _make_visuals(_reel(UserFactory()))

    second = _make_visuals(_reel(UserFactory()))

    assert first == second  # the artwork is deterministic: same words, same picture


def test_uploads_are_used_once_each_and_later_scenes_get_their_own(offline, tmp_path):
    story = _reel(UserFactory(), scenes=3)
    uploads = [
        save_asset(
            owner=story.owner,
            story=story,
            kind="image",
            path=make_still(tmp_path / f"u{i}.png", seed=i),
            mime_type="image/png",
            source_provider="upload",
        )
        for i in range(2)
    ]

    shown = _make_visuals(story)

    assert shown[:2] == [u.sha256 for u in uploads]
    assert shown[2] not in shown[:2]
    assert story.scenes.get(position=2).visual.source_provider == "artwork"


def test_only_the_last_ten_reels_are_avoided(offline, tmp_path):
    owner = UserFactory()
    oldest = _reel(owner, scenes=1)
    _make_visuals(oldest)
    for _ in range(RECENT_REELS):
        _reel(owner, scenes=1, prompt="other words")
    story = _reel(owner, scenes=1)

    avoid = visuals_to_avoid(story=story, scene_id=story.scenes.get().pk)

    assert oldest.scenes.get().visual.sha256 not in avoid
