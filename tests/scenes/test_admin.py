"""Admin edits of scenes and of a story's lock go through the services, like the API's."""

import pytest
from django.contrib.messages import get_messages

from media.models import Asset
from scenes.models import Prompt
from stories import services as story_services
from stories.models import Story, StoryStateTransition
from stories.states import Status
from tests.factories import SceneFactory, StoryFactory, UserFactory


@pytest.fixture
def staff(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def form_data(response) -> dict:
    """What the admin page would post back unchanged: the form and each inline's rows."""
    data: dict = {}

    def add(form):
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = "on" if value is True else value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{name}"] = value
        for form in formset.forms:
            add(form)
    return data


def previewed_scene(**story_fields):
    story = StoryFactory(**story_fields)
    Story.objects.filter(pk=story.pk).update(status=Status.PREVIEW_READY)
    voice = Asset.objects.create(
        owner=story.owner, story=story, kind=Asset.Kind.AUDIO, file="v.wav"
    )
    return SceneFactory(story=story, position=0, voice=voice, word_timings=[{"w": "Coffee"}])


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.django_db
def test_an_admin_edit_of_narration_drops_the_voice_and_moves_the_story_back_to_planned(
    client, staff
):
    scene = previewed_scene()
    url = f"/admin/scenes/scene/{scene.pk}/change/"
    data = form_data(client.get(url))
    data["narration"] = "Tea wakes the city."

    response = client.post(url, data)

    assert response.status_code == 302, response.content
    scene.refresh_from_db()
    assert scene.narration == "Tea wakes the city."
    assert scene.voice is None
    assert scene.word_timings == []
    assert scene.story.status == Status.PLANNED
    move = StoryStateTransition.objects.get(story=scene.story)
    assert (move.from_status, move.to_status, move.actor) == (
        Status.PREVIEW_READY,
        Status.PLANNED,
        staff,
    )


@pytest.mark.django_db
def test_an_admin_edit_on_a_locked_plan_is_refused_with_a_message_and_changes_nothing(
    client, staff
):
    scene = previewed_scene(is_locked=True)
    url = f"/admin/scenes/scene/{scene.pk}/change/"
    data = form_data(client.get(url))
    data["narration"] = "Tea wakes the city."

    response = client.post(url, data)

    assert response.status_code == 302
    assert response["Location"] == url
    assert any("locked" in m for m in messages_of(response))
    scene.refresh_from_db()
    assert scene.narration == "Coffee wakes the city."
    assert scene.voice is not None
    story = Story.objects.get(pk=scene.story_id)
    assert story.status == Status.PREVIEW_READY
    assert not story.transitions.exists()


@pytest.mark.django_db
def test_a_scene_edited_in_the_story_admin_goes_through_update_scene(client, staff):
    scene = previewed_scene()
    url = f"/admin/stories/story/{scene.story_id}/change/"
    data = form_data(client.get(url))
    data["scenes-0-narration"] = "Tea wakes the city."

    response = client.post(url, data)

    assert response.status_code == 302, response.content
    scene.refresh_from_db()
    assert scene.narration == "Tea wakes the city."
    assert scene.voice is None
    story = Story.objects.get(pk=scene.story_id)
    assert story.status == Status.PLANNED
    assert story.transitions.get().actor == staff


@pytest.mark.django_db
def test_a_scene_edit_in_the_story_admin_of_a_locked_plan_changes_nothing(client, staff):
    scene = previewed_scene(is_locked=True)
    url = f"/admin/stories/story/{scene.story_id}/change/"
    data = form_data(client.get(url))
    data["scenes-0-narration"] = "Tea wakes the city."
    data["title"] = "A new title"

    response = client.post(url, data)

    assert response.status_code == 302
    assert any("locked" in m for m in messages_of(response))
    scene.refresh_from_db()
    assert scene.narration == "Coffee wakes the city."
    assert scene.voice is not None
    story = Story.objects.get(pk=scene.story_id)
    assert story.title != "A new title"
    assert story.status == Status.PREVIEW_READY
    assert not story.transitions.exists()


@pytest.mark.django_db
def test_unlocking_in_the_story_admin_goes_through_set_story_lock(client, staff, monkeypatch):
    story = StoryFactory(is_locked=True)
    calls = []
    real = story_services.set_story_lock

    def spy(**kwargs):
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(story_services, "set_story_lock", spy)
    url = f"/admin/stories/story/{story.pk}/change/"
    data = form_data(client.get(url))
    del data["is_locked"]

    response = client.post(url, data)

    assert response.status_code == 302, response.content
    assert calls == [{"story_id": story.pk, "is_locked": False, "by": staff}]
    story.refresh_from_db()
    assert story.is_locked is False


@pytest.mark.django_db
def test_selecting_a_prompt_in_admin_makes_it_the_scenes_narration(client, staff):
    scene = previewed_scene()
    Prompt.objects.create(scene=scene, kind=Prompt.Kind.NARRATION, text="Tea wakes the city.")
    url = f"/admin/scenes/scene/{scene.pk}/change/"
    data = form_data(client.get(url))
    data["prompts-0-is_selected"] = "on"

    response = client.post(url, data)

    assert response.status_code == 302, response.content
    scene.refresh_from_db()
    assert scene.narration == "Tea wakes the city."
    assert scene.voice is None
    assert Story.objects.get(pk=scene.story_id).status == Status.PLANNED
