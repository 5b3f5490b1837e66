"""A lyric video rendered offline in each of the six languages, end to end through the
services: place, photos, brief, lyrics, chanted song, render, QC."""

from __future__ import annotations

import pytest

from media.services import local_copy
from places.models import Place, SongReel
from places.services import lyric_video, places, song_reels
from providers.song.chant import _read_wav
from render.captions import caption_pages
from render.qc import FAIL
from tests.factories import UserFactory
from tests.places.helpers import PLACES, photo_upload

pytestmark = pytest.mark.django_db


def _make_reel(language: str) -> SongReel:
    owner = UserFactory()
    facts = PLACES[language]
    place = places.create_place(
        owner=owner,
        data={**facts, "category": Place.Category.CAFE, "language": language},
    )
    for index in range(3):
        places.add_photo_upload(place=place, file=photo_upload(index))
    return song_reels.start_song_reel(owner=owner, place=place, language=language, duration_s=15)


@pytest.mark.parametrize("language", ["ko", "en", "zh", "ja", "th", "vi"])
def test_lyric_video_in_each_language(language, tmp_path):
    reel = _make_reel(language)
    lyrics = reel.lyrics
    chorus = " ".join(
        line
        for section in lyrics["sections"]
        if section["name"] == "Chorus"
        for line in section["lines"]
    )
    assert PLACES[language]["name"] in chorus
    assert PLACES[language]["region"] in chorus

    reel = song_reels.make_song(reel=reel)
    assert reel.status == SongReel.Status.SONG
    assert reel.sketch is True
    assert len(reel.words) >= 4  # two lines of words: 15 s, the last 2.5 under the end card
    song = _read_wav(local_copy(reel.song, tmp_path))
    assert song.shape[1] == 2
    assert abs(len(song) / 48 - song_reels.song_ms(reel)) < 5

    reel = lyric_video.render_song_reel(reel=reel, profile="preview")
    assert reel.status == SongReel.Status.RENDERED
    checks = {c["name"]: c for c in reel.qc["checks"]}
    assert reel.qc["status"] != FAIL
    assert checks["caption_sync"]["status"] == "PASS", checks["caption_sync"]
    assert checks["glyph_coverage"]["status"] == "PASS", checks["glyph_coverage"]
    # As long as asked: the end card takes the song's last 2.5 s, not 2.5 s more.
    assert checks["target_duration"]["status"] == "PASS", checks["target_duration"]
    assert checks["target_duration"]["limit"].startswith("15 ±")
    assert reel.video is not None
    assert reel.video.bytes > 10_000


def test_captions_break_thai_and_japanese_without_spaces():
    from render.linebreak import joiner, units
    from render.types import WordTiming

    thai = units("ร้านกาแฟริมทะเลที่หัวหิน", "th")
    assert thai[:2] == ["ร้านกาแฟ", "ริมทะเล"]
    assert joiner("th") == ""
    japanese = units("ちょっと、カフェへ", "ja")
    assert all(not piece.startswith(("、", "ょ", "っ")) for piece in japanese)
    words = [WordTiming(t, i * 300, i * 300 + 250) for i, t in enumerate(thai)]
    pages = caption_pages(words, max_units=10_000, joiner="")
    assert pages[0].lines[0][0].text == "ร้านกาแฟ"
