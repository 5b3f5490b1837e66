"""SEO of a place's song reel: YouTube's title and description rules, hashtags, the cache."""

from __future__ import annotations

import pytest

from places.models import Place
from places.services import places, seo, song_reels

pytestmark = pytest.mark.django_db


@pytest.fixture
def reel(user):
    place = places.create_place(
        owner=user,
        data={
            "name": "Harbor Bean",
            "region": "Busan",
            "category": Place.Category.CAFE,
            "offer": "2-for-1 lattes",
            "address": "12 Haeundae-ro, Busan",
            "phone": "051-123-4567",
            "facilities": ["ocean view", "rooftop"],
            "language": "en",
        },
    )
    return song_reels.start_song_reel(owner=user, place=place, language="en", duration_s=15)


def test_youtube_title_and_description_keep_the_rules(reel):
    made = seo.build_seo(reel)["youtube"]
    assert 45 <= len(made["title"]) <= 65, made["title"]
    assert made["title"].startswith("Harbor Bean")
    assert made["title"].index("Busan cafe") < 20
    assert len(made["description"]) < 1000
    first = made["description"][:150]
    for fact in ("Harbor Bean", "2-for-1 lattes", "Haeundae-ro", "051-123-4567"):
        assert fact in first
    assert made["hashtags"][0] == "#HarborBean"


def test_korean_titles_are_padded_into_range(user):
    place = places.create_place(
        owner=user,
        data={"name": "바다정원", "region": "강릉", "category": "cafe", "language": "ko"},
    )
    reel = song_reels.start_song_reel(owner=user, place=place, language="ko", duration_s=15)
    made = seo.build_seo(reel)
    assert 45 <= len(made["youtube"]["title"]) <= 65
    assert made["youtube"]["title"].startswith("바다정원")
    assert all(len(tag) <= 31 and " " not in tag for tag in made["instagram"]["hashtags"])
    assert len(made["tiktok"]["hashtags"]) <= 5


def test_seo_is_cached_per_reel(reel, settings):
    first = seo.seo_for(reel)
    reel.place.name = "Renamed"
    reel.place.save()
    assert seo.seo_for(reel) == first  # within the hour: the cached one
    seo.cache.delete(seo.cache_key(reel))
    assert seo.seo_for(reel)["youtube"]["title"].startswith("Renamed")


def test_long_text_is_cut_at_a_word():
    assert seo._fit("one two three four five six", 14) == "one two three…"


def test_seo_over_the_api(reel, api):
    answer = api.get(f"/api/v1/song-reels/{reel.pk}/seo")
    assert answer.status_code == 200
    assert set(answer.json()) == {"youtube", "instagram", "tiktok"}
