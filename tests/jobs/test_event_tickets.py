"""Event-stream tickets: a browser's EventSource sends no bearer token, so it opens the stream
with a short-lived, single-use ticket bound to one user and one story."""

import time

import pytest

from stories import event_tickets
from stories.models import Story
from stories.states import Status
from tests.factories import StoryFactory


@pytest.fixture(autouse=True)
def _fast_polls(settings):
    settings.EVENTS_POLL_MS = 10


def resting_story(owner) -> Story:
    """A story no step works on: its stream sends what there is and ends at once."""
    story = StoryFactory(owner=owner)
    Story.objects.filter(pk=story.pk).update(status=Status.PLANNED)
    return story


def ticket_for(api, story) -> dict:
    response = api.post(f"/api/v1/stories/{story.pk}/events/ticket/")
    assert response.status_code == 201, response.content
    return response.json()


def stream(client, story, ticket: str):
    return client.get(
        f"/api/v1/stories/{story.pk}/events/stream/",
        {"ticket": ticket},
        HTTP_ACCEPT="text/event-stream",
    )


def body_of(response) -> str:
    return b"".join(response.streaming_content).decode()


def test_a_ticket_opens_the_stream_without_a_bearer_token_once(api, anon, user):
    story = resting_story(user)
    ticket = ticket_for(api, story)

    first = stream(anon, story, ticket["ticket"])
    second = stream(anon, story, ticket["ticket"])

    assert first.status_code == 200
    assert first["Content-Type"].startswith("text/event-stream")
    assert "event: end" in body_of(first)
    assert second.status_code == 401
    assert second.json()["error"]["code"] == "UNAUTHORIZED"


def test_a_ticket_says_how_long_it_lives(api, user, settings):
    settings.EVENTS_TICKET_TTL_S = 45

    ticket = ticket_for(api, resting_story(user))

    assert ticket["expires_in_s"] == 45
    assert len(ticket["ticket"]) >= 32


def test_an_expired_ticket_is_refused(api, anon, user, monkeypatch):
    story = resting_story(user)
    ticket = ticket_for(api, story)
    later = time.time() + 61  # the locmem cache reads time.time() for expiry
    monkeypatch.setattr("django.core.cache.backends.locmem.time.time", lambda: later)

    response = stream(anon, story, ticket["ticket"])

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "UNAUTHORIZED"


def test_a_ticket_for_one_story_does_not_open_another(api, anon, user):
    story, other = resting_story(user), resting_story(user)
    ticket = ticket_for(api, story)

    response = stream(anon, other, ticket["ticket"])

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "FORBIDDEN"
    # The refused try used the ticket up: it does not open its own story either.
    assert stream(anon, story, ticket["ticket"]).status_code == 401


def test_nobody_gets_a_ticket_for_a_stranger_s_story(other_api, user):
    story = resting_story(user)

    response = other_api.post(f"/api/v1/stories/{story.pk}/events/ticket/")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "NOT_FOUND"


def test_a_ticket_is_bound_to_the_user_who_asked(api, anon, user, other_user):
    # A ticket naming another user's story (a forged cache entry) opens nothing: the ticket's
    # user must own the story.
    story = resting_story(other_user)
    forged = event_tickets.issue_ticket(user_id=user.pk, story_id=story.pk)

    response = stream(anon, story, forged.token)

    assert response.status_code == 404


def test_a_ticket_of_a_deactivated_user_is_refused(api, anon, user):
    story = resting_story(user)
    ticket = ticket_for(api, story)
    user.is_active = False
    user.save(update_fields=["is_active"])

    response = stream(anon, story, ticket["ticket"])

    assert response.status_code == 401


def test_the_stream_without_ticket_or_token_is_401(anon, user):
    story = resting_story(user)

    response = anon.get(
        f"/api/v1/stories/{story.pk}/events/stream/", HTTP_ACCEPT="text/event-stream"
    )

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "UNAUTHORIZED"


def test_the_stream_also_takes_a_bearer_token(api, user):
    story = resting_story(user)

    response = api.get(
        f"/api/v1/stories/{story.pk}/events/stream/", HTTP_ACCEPT="text/event-stream"
    )

    assert response.status_code == 200
    assert "event: end" in body_of(response)


def test_redeeming_is_single_use_in_the_service():
    ticket = event_tickets.issue_ticket(user_id=1, story_id=2)

    first = event_tickets.redeem_ticket(token=ticket.token)
    second = event_tickets.redeem_ticket(token=ticket.token)

    assert (first.user_id, first.story_id) == (1, 2)
    assert second is None
    assert event_tickets.redeem_ticket(token="not-a-ticket") is None


@pytest.mark.parametrize("token", ["", "x" * 129, "a b", "ÕÛÞ\x07", "ticket\n"])
def test_a_token_that_no_ticket_could_be_is_refused_before_the_cache(token, monkeypatch):
    asked = []
    monkeypatch.setattr(event_tickets.cache, "get", lambda key: asked.append(key))

    assert event_tickets.redeem_ticket(token=token) is None
    assert asked == []
