"""What the Django side hands the text layer: the story's caption preset and, over generated
artwork, the scene's key phrase as its headline."""

from __future__ import annotations

import pytest

from media.models import Asset
from render.caption_styles import caption_style
from render.profiles import profile_for
from scenes.services.clip_specs import clip_spec_and_key, headline_for
from tests.factories import SceneFactory, StoryFactory, UserFactory

pytestmark = pytest.mark.django_db


def _scene(*, provider: str, caption: str = "classic"):
    user = UserFactory()
    story = StoryFactory(owner=user, caption_style=caption)
    visual = Asset.objects.create(
        owner=user, story=story, kind="image", file="v.jpg", source_provider=provider
    )
    voice = Asset.objects.create(owner=user, story=story, kind="audio", file="a.wav")
    return SceneFactory(story=story, visual=visual, voice=voice, key_phrase="Made for you")


@pytest.mark.parametrize(
    ("provider", "headline"), [("artwork", "Made for you"), ("pexels", ""), ("upload", "")]
)
def test_the_key_phrase_is_a_headline_over_generated_artwork_only(provider, headline):
    assert headline_for(_scene(provider=provider)) == headline


def test_the_clip_spec_carries_the_preset_and_headline_and_both_shape_the_key(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(
        "scenes.services.rendering.local_copy", lambda asset, tmp: tmp / asset.file.name
    )
    scene = _scene(provider="artwork", caption="karaoke")
    profile = profile_for("preview", "9:16")

    spec, key = clip_spec_and_key(
        scene,
        profile,
        "libx264",
        tmp_path,
        duration_ms=scene.duration_ms,
        previous=None,
        previous_ms=0,
    )
    scene.story.caption_style = "minimal"
    _, other_key = clip_spec_and_key(
        scene,
        profile,
        "libx264",
        tmp_path,
        duration_ms=scene.duration_ms,
        previous=None,
        previous_ms=0,
    )

    assert spec.caption_style == caption_style("karaoke")
    assert spec.headline == "Made for you"
    assert key != other_key
