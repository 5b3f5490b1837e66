"""The studio's pages through Django's test client: who may see them, and what they say."""

import pytest
from django.urls import reverse

from stories.models import Story
from tests.factories import StoryFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-9"


@pytest.fixture
def signed_in(client):
    user = UserFactory(username="mina@example.com", email="mina@example.com")
    client.force_login(user)
    client.user = user
    return client


@pytest.mark.parametrize(
    "name",
    [
        "studio:home",
        "studio:new-reel",
        "studio:library",
        "studio:quick-clip",
        "studio:pronunciations",
    ],
)
def test_a_signed_out_visitor_is_sent_to_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("studio:sign-in"))


def test_sign_up_makes_an_account_the_api_accepts_and_signs_in(client):
    response = client.post(
        reverse("studio:sign-up"), {"email": "New@Example.com", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("studio:new-reel")
    me = client.get("/api/v1/users/me").json()  # the session works for the API too
    assert me["email"] == "new@example.com"
    login = client.post(
        "/api/v1/auth/login",
        {"email": "new@example.com", "password": PASSWORD},
        content_type="application/json",
    )
    assert login.status_code == 200
    assert login.json()["access"]


def test_sign_up_refuses_a_weak_password_and_a_taken_email_in_korean(client):
    UserFactory(username="taken@example.com", email="taken@example.com")
    weak = client.post(
        reverse("studio:sign-up"),
        {"email": "a@example.com", "password": "12345678"},
        HTTP_ACCEPT_LANGUAGE="ko",
    )
    taken = client.post(
        reverse("studio:sign-up"),
        {"email": "taken@example.com", "password": PASSWORD},
        HTTP_ACCEPT_LANGUAGE="ko",
    )
    assert weak.status_code == taken.status_code == 200
    assert weak.context["form"].errors["password"]
    assert taken.context["form"].errors["email"]
    assert '<html lang="ko">' in weak.content.decode()


def test_sign_in_with_a_wrong_password_says_so_and_a_right_one_follows_next(client):
    UserFactory(username="sam@example.com", email="sam@example.com")
    wrong = client.post(reverse("studio:sign-in"), {"email": "sam@example.com", "password": "x"})
    assert wrong.status_code == 200
    assert wrong.context["form"].non_field_errors()
    right = client.post(
        reverse("studio:sign-in"),
        {"email": "SAM@example.com", "password": PASSWORD, "next": "/pronunciations/"},
    )
    assert right["Location"] == "/pronunciations/"
    evil = client.post(
        reverse("studio:sign-in"),
        {"email": "sam@example.com", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert evil["Location"] == reverse("studio:home")


def test_my_reels_lists_mine_filtered_by_status_and_the_trash(signed_in):
    mine = StoryFactory(owner=signed_in.user, keyword="jeju tangerine cafe")
    done = StoryFactory(owner=signed_in.user, keyword="harbour at dusk")
    Story.objects.filter(pk=done.pk).update(status="COMPLETED")
    trashed = StoryFactory(owner=signed_in.user, keyword="old draft")
    signed_in.delete(f"/api/v1/stories/{trashed.pk}/")
    StoryFactory(keyword="someone else's reel")

    every = signed_in.get(reverse("studio:home")).content.decode()
    completed = signed_in.get(reverse("studio:home"), {"status": "COMPLETED"}).content.decode()
    trash = signed_in.get(reverse("studio:home"), {"status": "TRASH"}).content.decode()

    assert mine.keyword in every
    assert done.keyword in every
    assert "old draft" not in every
    assert "someone else" not in every
    assert done.keyword in completed
    assert mine.keyword not in completed
    assert "old draft" in trash
    assert 'data-action="restore"' in trash


def test_a_reel_page_is_the_owners_only(signed_in):
    mine = StoryFactory(owner=signed_in.user)
    theirs = StoryFactory()
    assert signed_in.get(reverse("studio:reel", args=[mine.pk])).status_code == 200
    assert signed_in.get(reverse("studio:reel", args=[theirs.pk])).status_code == 404


def test_the_api_refuses_a_session_write_without_the_csrf_token(signed_in):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(signed_in.user)
    body = {"keyword": "x", "language": "en"}
    refused = strict.post("/api/v1/stories/", body, content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "FORBIDDEN"
    page = strict.get(reverse("studio:new-reel")).content.decode()
    token = page.split('name="csrf-token" content="')[1].split('"')[0]
    accepted = strict.post(
        "/api/v1/stories/", body, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert accepted.status_code == 201, accepted.json()


@pytest.mark.parametrize("name", ["studio:library", "studio:quick-clip", "studio:pronunciations"])
def test_the_other_pages_render_in_korean(signed_in, name):
    page = signed_in.get(reverse(name), HTTP_ACCEPT_LANGUAGE="ko")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<html lang="ko">' in html
    assert "내 라이브러리" in html  # the navigation, translated
