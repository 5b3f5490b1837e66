import pytest

from jobs.models import Job
from media.models import Asset
from scenes.models import Scene
from stories.models import Story
from stories.states import Status
from tests.factories import SceneFactory, StoryFactory

pytestmark = pytest.mark.django_db


def story_with_scenes(owner, status=Status.PLANNED, n=3):
    story = StoryFactory(owner=owner)
    Story.objects.filter(pk=story.pk).update(status=status)
    story.refresh_from_db()
    scenes = [
        SceneFactory(story=story, position=i, narration=f"Scene {i}.", visual_prompt=f"v{i}")
        for i in range(n)
    ]
    return story, scenes


def narrations(story):
    return list(story.scenes.order_by("position").values_list("narration", flat=True))


def test_nested_and_flat_lists(api, user, other_user):
    story, scenes = story_with_scenes(user)
    other, _ = story_with_scenes(other_user)
    nested = api.get(f"/api/v1/stories/{story.pk}/scenes/").json()
    assert [s["id"] for s in nested["results"]] == [s.pk for s in scenes]
    flat = api.get(f"/api/v1/scenes/?story={story.pk}").json()
    assert flat["count"] == 3
    assert api.get("/api/v1/scenes/").json()["count"] == 3  # not the other user's
    assert api.get(f"/api/v1/stories/{other.pk}/scenes/").status_code == 404
    assert api.get(f"/api/v1/scenes/{other.scenes.first().pk}/").status_code == 404


def test_editing_a_scene_of_a_preview_ready_story_moves_it_to_planned(api, user):
    story, scenes = story_with_scenes(user, Status.PREVIEW_READY)
    voice = Asset.objects.create(owner=user, story=story, kind="audio", file="a.wav")
    Scene.objects.filter(pk=scenes[1].pk).update(voice=voice)
    response = api.patch(
        f"/api/v1/stories/{story.pk}/scenes/{scenes[1].pk}/",
        {"narration": "A new line."},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["narration"] == "A new line."
    assert response.json()["voice_url"] is None
    story.refresh_from_db()
    assert story.status == Status.PLANNED
    assert story.transitions.get().to_status == Status.PLANNED


def test_edits_while_locked_are_409_plan_locked_and_change_nothing(api, user):
    story, scenes = story_with_scenes(user)
    Story.objects.filter(pk=story.pk).update(is_locked=True)
    calls = [
        ("patch", f"/api/v1/scenes/{scenes[0].pk}/", {"narration": "x"}),
        ("delete", f"/api/v1/scenes/{scenes[0].pk}/", None),
        ("post", f"/api/v1/stories/{story.pk}/scenes/", {"narration": "new"}),
        (
            "post",
            f"/api/v1/stories/{story.pk}/scenes/bulk_create/",
            {"scenes": [{"narration": "n"}]},
        ),
        (
            "post",
            f"/api/v1/stories/{story.pk}/scenes/reorder/",
            {"scene_ids": [s.pk for s in reversed(scenes)]},
        ),
        ("post", f"/api/v1/scenes/{scenes[0].pk}/regenerate/", {"what": "voice"}),
    ]
    for method, url, body in calls:
        response = getattr(api, method)(url, body, format="json")
        assert response.status_code == 409, (url, response.json())
        assert response.json()["error"]["code"] == "PLAN_LOCKED"
    assert narrations(story) == ["Scene 0.", "Scene 1.", "Scene 2."]
    assert not Job.objects.exists()


def test_edits_while_a_worker_is_busy_are_refused(api, user):
    story, scenes = story_with_scenes(user, Status.PLANNING)
    response = api.patch(f"/api/v1/scenes/{scenes[0].pk}/", {"narration": "x"}, format="json")
    assert response.status_code == 409
    assert narrations(story)[0] == "Scene 0."


def test_create_at_a_position_moves_later_scenes_down(api, user):
    story, _ = story_with_scenes(user)
    response = api.post(
        f"/api/v1/stories/{story.pk}/scenes/",
        {"narration": "Inserted.", "position": 1},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["position"] == 1
    assert narrations(story) == ["Scene 0.", "Inserted.", "Scene 1.", "Scene 2."]
    flat = api.post("/api/v1/scenes/", {"story": story.pk, "narration": "Last."}, format="json")
    assert flat.status_code == 201
    assert flat.json()["position"] == 4


def test_bulk_create_is_all_or_none_and_at_most_12(api, user):
    story, _ = story_with_scenes(user, n=1)
    url = f"/api/v1/stories/{story.pk}/scenes/bulk_create/"
    bad = api.post(url, {"scenes": [{"narration": "ok"}, {"narration": ""}]}, format="json")
    assert bad.status_code == 400
    too_many = api.post(url, {"scenes": [{"narration": f"n{i}"} for i in range(13)]}, format="json")
    assert too_many.status_code == 400
    assert story.scenes.count() == 1
    good = api.post(url, {"scenes": [{"narration": f"n{i}"} for i in range(12)]}, format="json")
    assert good.status_code == 201
    assert len(good.json()) == 12
    assert narrations(story) == ["Scene 0.", *[f"n{i}" for i in range(12)]]
    assert all(s.prompts.filter(is_selected=True).count() == 2 for s in story.scenes.all()[1:])


def test_reorder_rewrites_positions_in_one_transaction(api, user):
    story, scenes = story_with_scenes(user, Status.PREVIEW_READY)
    order = [scenes[2].pk, scenes[0].pk, scenes[1].pk]
    response = api.post(
        f"/api/v1/stories/{story.pk}/scenes/reorder/", {"scene_ids": order}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert [s["id"] for s in response.json()] == order
    assert narrations(story) == ["Scene 2.", "Scene 0.", "Scene 1."]
    story.refresh_from_db()
    assert story.status == Status.PLANNED
    partial = api.post(
        f"/api/v1/stories/{story.pk}/scenes/reorder/", {"scene_ids": order[:2]}, format="json"
    )
    assert partial.status_code == 400
    assert narrations(story) == ["Scene 2.", "Scene 0.", "Scene 1."]


def test_delete_moves_later_scenes_up(api, user):
    story, scenes = story_with_scenes(user)
    assert api.delete(f"/api/v1/stories/{story.pk}/scenes/{scenes[0].pk}/").status_code == 204
    assert list(story.scenes.order_by("position").values_list("position", "narration")) == [
        (0, "Scene 1."),
        (1, "Scene 2."),
    ]


def test_regenerate_makes_only_that_scene_again(
    api, user, django_capture_on_commit_callbacks, settings
):
    from reelmaker.celery import app as celery_app

    story, scenes = story_with_scenes(user, n=2)
    old = Asset.objects.create(owner=user, story=story, kind="image", file="old.jpg")
    Scene.objects.filter(story=story).update(visual=old)
    celery_app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = api.post(
                f"/api/v1/stories/{story.pk}/scenes/{scenes[1].pk}/regenerate/",
                {"what": "visual"},
                format="json",
            )
    finally:
        celery_app.conf.task_always_eager = False
    assert response.status_code == 202, response.json()
    [job] = Job.objects.filter(pk__in=response.json()["job_ids"])
    assert (job.kind, job.scene_id, job.status) == ("visual", scenes[1].pk, "succeeded")
    scenes[0].refresh_from_db()
    scenes[1].refresh_from_db()
    assert scenes[0].visual_id == old.pk
    assert scenes[1].visual_id not in (None, old.pk)
    assert Job.objects.count() == 1


def test_a_scenes_duration_is_its_length_on_the_reels_timeline(api, user):
    # 12 s asked, three 2 s scenes: the end card takes 3 s and the last scene holds on.
    story = StoryFactory(owner=user, duration_s=12)
    scenes = [
        SceneFactory(story=story, position=i, narration=f"Scene {i}.", duration_ms=2000)
        for i in range(3)
    ]

    listed = api.get(f"/api/v1/stories/{story.pk}/scenes/").json()["results"]
    one = api.get(f"/api/v1/scenes/{scenes[2].pk}/").json()

    lengths = [s["duration_ms"] for s in listed]
    assert lengths[:2] == [2000, 2000]
    assert lengths[2] == pytest.approx(5000, abs=34)
    assert one["duration_ms"] == lengths[2]
    assert Scene.objects.get(pk=scenes[2].pk).duration_ms == 2000  # as voiced, unchanged
