"""What an edit renders again now that each clip opens with the dissolve from the scene before."""

from __future__ import annotations

import pytest

from media.services import save_asset
from scenes.models import Scene
from scenes.services import rendering
from stories.models import Story
from tests.factories import SceneFactory, StoryFactory
from tests.scenes.render_fixtures import make_still, make_tone, timed_words

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


@pytest.fixture
def story(settings, tmp_path):
    settings.WORK_DIR = tmp_path / "work"
    settings.RENDER_ENCODER = "libx264"
    # 4.5 s of scenes in a 7 s reel: the end card takes the gap, so an edit that changes one
    # scene's length moves only the card, not the other scenes (scenes.services.timeline).
    story = StoryFactory(language="en", style="modern", duration_s=7)
    for position in range(3):
        SceneFactory(
            story=story,
            position=position,
            narration="one two",
            duration_ms=1500,
            word_timings=[w.to_json() for w in timed_words("one two")],
            visual=_still(story, tmp_path, seed=position),
            voice=save_asset(
                owner=story.owner,
                story=story,
                kind="audio",
                path=make_tone(tmp_path / f"v{position}.wav", seconds=0.8, freq=300),
                mime_type="audio/wav",
                duration_ms=800,
            ),
        )
    return story


def _still(story, tmp_path, *, seed):
    return save_asset(
        owner=story.owner,
        story=story,
        kind="image",
        path=make_still(tmp_path / f"s{seed}.png", seed=seed),
        mime_type="image/png",
    )


def _render_all(story, monkeypatch) -> list[int]:
    """render_scene for every scene, as the render jobs do; the positions actually encoded."""
    encoded = []
    original = rendering.render_scene_clip

    def recording(spec, **kwargs):
        encoded.append(spec.index)
        return original(spec, **kwargs)

    monkeypatch.setattr(rendering, "render_scene_clip", recording)
    for scene in story.scenes.order_by("position"):
        rendering.render_scene(scene_id=scene.pk, profile="preview")
    return encoded


def test_a_new_picture_renders_its_scene_and_the_dissolve_after_it(story, monkeypatch, tmp_path):
    _render_all(story, monkeypatch)
    middle = story.scenes.get(position=1)
    middle.visual = _still(story, tmp_path, seed=7)
    middle.save(update_fields=["visual", "updated_at"])

    encoded = _render_all(story, monkeypatch)

    assert encoded == [1, 2]


def test_a_new_voice_and_length_render_their_scene_only(story, monkeypatch):
    _render_all(story, monkeypatch)
    Scene.objects.filter(story=story, position=1).update(duration_ms=2100)

    encoded = _render_all(story, monkeypatch)

    assert encoded == [1]


def test_new_captions_render_their_scene_only(story, monkeypatch):
    _render_all(story, monkeypatch)
    Scene.objects.filter(story=story, position=1).update(
        word_timings=[w.to_json() for w in timed_words("three four")]
    )

    encoded = _render_all(story, monkeypatch)

    assert encoded == [1]


def test_assembly_finds_every_clip_the_scene_jobs_rendered(story, monkeypatch):
    _render_all(story, monkeypatch)

    rendering.assemble_story(story_id=story.pk, profile="preview")

    story = Story.objects.get(pk=story.pk)
    assert story.preview is not None
    assert story.preview.duration_ms == 7000  # the scenes and the end card: the target
