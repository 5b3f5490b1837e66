"""List endpoints run a fixed number of queries, whatever the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jobs.models import Job
from media.models import Asset
from scenes.models import Prompt, Scene
from tests.factories import JobFactory, SceneFactory, StoryFactory

pytestmark = pytest.mark.django_db


def add_rows(user, n):
    """n stories, each with 3 scenes (with media), media of its own, jobs and prompts."""
    for _ in range(n):
        story = StoryFactory(owner=user)
        image = Asset.objects.create(owner=user, story=story, kind="image", file="i.jpg")
        final = Asset.objects.create(owner=user, story=story, kind="video", file="f.mp4")
        story.final = final
        story.save(update_fields=["final"])
        for position in range(3):
            scene = SceneFactory(story=story, position=position, visual=image)
            Prompt.objects.create(scene=scene, kind="visual", text="p")
        JobFactory(story=story, kind=Job.Kind.PLAN)
    return story


def queries(api, url):
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(url)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/stories/",
        "/api/v1/stories/?status=DRAFT&search=coffee&ordering=-updated_at",
        "/api/v1/scenes/",
        "/api/v1/stories/{story}/scenes/",
        "/api/v1/scenes/{scene}/prompts/",
        "/api/v1/stories/{story}/jobs/",
        "/api/v1/stories/{story}/transitions/",
        "/api/v1/stories/statistics/",
    ],
)
def test_list_query_count_does_not_grow_with_rows(api, user, url):
    story = add_rows(user, 2)
    fill = {"story": story.pk, "scene": story.scenes.first().pk}
    few = queries(api, url.format(**fill))
    # more stories, and more scenes, prompts and jobs on the same story
    add_rows(user, 8)
    for position in range(3, 9):
        scene = SceneFactory(story=story, position=position)
        Prompt.objects.create(scene=story.scenes.first(), kind="narration", text=str(position))
        JobFactory(story=story, kind=Job.Kind.VOICE, scene=scene)
    many = queries(api, url.format(**fill))
    assert many == few, url
    assert Scene.objects.count() == 36
