"""A scene skeleton for a story written by hand: a hook, body scenes and a call to action,
timed to the story's length, with placeholder narration for the user to rewrite."""

from __future__ import annotations

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from providers.writer.base import scene_count
from providers.writer.template import share_ms
from reelmaker.errors import InvalidRequest
from scenes.models import Scene
from scenes.services.editing import create_scenes, lock_story_for_edit
from stories.models import Story

# A hook and a call to action are shorter than a body scene: three quarters of one.
EDGE_WEIGHT = 0.75


def skeleton_scenes(*, story: Story) -> list[dict]:
    """The scenes of a skeleton for `story`: as many as the writer plans for its length
    (providers.writer.base.scene_count), their durations summing to the target exactly."""
    count = scene_count(story.duration_s)
    durations = share_ms(story.duration_s * 1000, [EDGE_WEIGHT, *[1.0] * (count - 2), EDGE_WEIGHT])
    keyword = story.keyword
    with translation.override(story.language):
        texts = [
            _("Hook: one line about %(keyword)s that stops the scroll.") % {"keyword": keyword},
            *[
                _("Scene %(number)d: one point about %(keyword)s.")
                % {"number": number, "keyword": keyword}
                for number in range(2, count)
            ],
            _("Call to action: tell viewers what to do next."),
        ]
    return [
        {"narration": text, "duration_ms": duration_ms}
        for text, duration_ms in zip(texts, durations, strict=True)
    ]


@transaction.atomic
def create_skeleton(*, story_id: int, by=None) -> list[Scene]:
    """Give a story without scenes a skeleton (see skeleton_scenes). Raises InvalidRequest
    when it has scenes already, and PlanLocked, StoryBusy or IllegalTransition as any scene
    edit (scenes.services.editing)."""
    story = lock_story_for_edit(story_id=story_id)
    existing = story.scenes.count()
    if existing:
        raise InvalidRequest(
            _("The story has scenes already: send the scenes to add."),
            details={"existing": existing},
        )
    return create_scenes(story_id=story.pk, scenes=skeleton_scenes(story=story), by=by)
