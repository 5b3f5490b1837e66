"""The studio's song reel page: the place's reels, their lyrics and the sketch note."""

from __future__ import annotations

import pytest
from django.test import Client

from places.models import Place
from places.services import places, song_reels

pytestmark = pytest.mark.django_db


def test_the_song_reel_page_shows_lyrics_and_says_the_song_is_a_sketch(user, other_user):
    place = places.create_place(
        owner=user,
        data={"name": "바다정원", "region": "강릉", "category": Place.Category.CAFE},
    )
    reel = song_reels.start_song_reel(owner=user, place=place, language="ko", duration_s=15)
    song_reels.make_song(reel=reel)
    client = Client()
    assert client.get(f"/places/{place.pk}/song-reel/").status_code == 302  # log in first
    client.force_login(user)
    page = client.get(f"/places/{place.pk}/song-reel/", HTTP_ACCEPT_LANGUAGE="ko")
    assert page.status_code == 200
    text = page.content.decode()
    assert "[Chorus]" in text
    assert "강릉에 오면 바다정원" in text
    assert "이 노래는 스케치예요" in text
    assert "readonly" in text  # the song is made: the lyrics are fixed
    client.force_login(other_user)
    assert client.get(f"/places/{place.pk}/song-reel/").status_code == 404


def test_a_song_reels_story_opens_on_the_song_reel_page(user):
    place = places.create_place(
        owner=user, data={"name": "Harbor Bean", "region": "Busan", "category": "cafe"}
    )
    reel = song_reels.start_song_reel(owner=user, place=place, language="en", duration_s=15)
    client = Client()
    client.force_login(user)
    page = client.get(f"/reels/{reel.story_id}/")
    assert page.status_code == 302
    assert page["Location"] == f"/places/{place.pk}/song-reel/"
    flow = client.get(page["Location"], HTTP_ACCEPT_LANGUAGE="en")
    assert "a sketch" in flow.content.decode()  # said before any song is made
    assert 'data-action="song"' in flow.content.decode()


def test_the_studio_home_lists_places_with_their_song_reel_flow(user, other_user):
    place = places.create_place(
        owner=user, data={"name": "바다정원", "region": "강릉", "category": "cafe"}
    )
    places.create_place(
        owner=other_user, data={"name": "Elsewhere", "region": "Seoul", "category": "cafe"}
    )
    client = Client()
    client.force_login(user)
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "내 장소" in page
    assert f'href="/places/{place.pk}/song-reel/"' in page
    assert "Elsewhere" not in page
