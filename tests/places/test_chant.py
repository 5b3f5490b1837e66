"""The offline song: lyrics sized from the tempo, and a chanted vocal whose word timestamps
are where the words are heard."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from providers.base import PermanentProviderError
from providers.music.generated import chord_root_hz
from providers.song.base import SongRequest
from providers.song.chant import ChantSongProvider, _read_wav, estimate_f0
from providers.writer.song_lyrics import (
    PlaceFacts,
    count_syllables,
    song_shape,
    write_lyrics,
)
from tests.places.helpers import PLACES

RATE = 48_000
ONSET_LIMIT_MS = 100


def test_sections_follow_the_length():
    assert [s for s, _ in song_shape(duration_s=15, bpm=112).sections] == ["Chorus"]
    assert [s for s, _ in song_shape(duration_s=30, bpm=112).sections] == ["Verse", "Chorus"]
    long = song_shape(duration_s=60, bpm=112)
    assert [s for s, _ in long.sections] == [
        "Intro",
        "Verse",
        "Chorus",
        "Bridge",
        "Chorus",
        "Outro",
    ]
    assert sum(n for _, n in long.sections) == long.lines
    # A line takes two bars: 240/BPM s each.
    assert long.slot_ms == pytest.approx(2 * 240_000 / 112)
    with pytest.raises(PermanentProviderError):
        song_shape(duration_s=15, bpm=20)


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("강릉에 오면 바다정원", "ko", 9),
        ("来到 厦门 就去 海风咖啡", "zh", 10),
        ("ちょっと まって", "ja", 6),  # ちょ=1, っ=1, と=1; ま, っ, て
        ("ร้านกาแฟริมทะเล", "th", 6),
        ("Về Đà Nẵng ghé Quán Gió Biển", "vi", 7),
        ("Meet me at Harbor Bean tonight", "en", 8),
    ],
)
def test_syllables_are_counted_per_script(text, language, expected):
    assert count_syllables(text, language) == expected


def test_the_chorus_names_the_place_and_repeats_in_a_long_song():
    facts = PLACES["ko"]
    lyrics = write_lyrics(
        place=PlaceFacts(facts["name"], facts["region"]), language="ko", duration_s=60, bpm=100
    )
    choruses = [s.lines for s in lyrics.sections if s.name == "Chorus"]
    assert len(choruses) == 2
    assert choruses[0] == choruses[1]
    assert facts["name"] in choruses[0][0]
    assert facts["region"] in choruses[0][0]
    counts = [count_syllables(line, "ko") for _s, line in lyrics.lines()]
    assert sum(8 <= c <= 12 for c in counts) >= len(counts) * 0.7, counts


def _chant(language: str, out: Path):
    facts = PLACES[language]
    lyrics = write_lyrics(
        place=PlaceFacts(facts["name"], facts["region"]),
        language=language,
        duration_s=15,
        bpm=112,
    )
    request = SongRequest(lyrics=lyrics, duration_ms=17_500, mood="upbeat", vocal="female")
    return request, ChantSongProvider().make(request, out_dir=out)


@pytest.fixture(scope="module")
def chanted(tmp_path_factory):
    return _chant("ko", tmp_path_factory.mktemp("chant"))


@pytest.mark.parametrize("language", ["ko", "en", "zh", "ja", "th", "vi"])
def test_each_chanted_word_is_heard_at_its_timestamp(language, tmp_path):
    _request, song = _chant(language, tmp_path)
    vocal = np.abs(_read_wav(song.vocal_path)[:, 0])
    threshold = 0.05 * float(vocal.max())
    for word in song.words:
        at = round(word.start_ms * RATE / 1000)
        # From 25 to 5 ms before: not yet sounding (the sample grid rounds starts by ~1 ms).
        before = vocal[max(0, at - RATE // 40) : at - RATE // 200]
        after = vocal[at : at + RATE * ONSET_LIMIT_MS // 1000] > threshold
        assert after.any(), f"{word.text} is not heard within {ONSET_LIMIT_MS} ms"
        assert float(before.max(initial=0.0)) <= threshold, f"{word.text} sounds before its time"
    starts = [w.start_ms for w in song.words]
    assert starts == sorted(starts)
    assert song.sketch


def test_each_line_is_tuned_to_its_chord_root(chanted):
    request, song = chanted
    vocal = _read_wav(song.vocal_path)[:, 0]
    shape = song_shape(duration_s=15, bpm=request.lyrics.bpm)
    for line in song.lines:
        # The longest word of the line, held on one pitch.
        word = max(
            (w for w in song.words if line.start_ms <= w.start_ms < line.end_ms),
            key=lambda w: w.end_ms - w.start_ms,
        )
        piece = vocal[round(word.start_ms * 48) : round(word.end_ms * 48)]
        f0 = estimate_f0(piece, RATE)
        root = chord_root_hz(request.mood, shape.bar_at(line.start_ms))
        semitones = 12 * np.log2(f0 / root)
        assert abs(semitones - 12 * round(semitones / 12)) < 1.0, (line.text, f0, root)


def test_lyrics_longer_than_the_song_are_refused(tmp_path):
    lyrics = write_lyrics(
        place=PlaceFacts("Harbor Bean", "Busan"), language="en", duration_s=30, bpm=112
    )
    with pytest.raises(PermanentProviderError, match="do not fit"):
        ChantSongProvider().make(SongRequest(lyrics=lyrics, duration_ms=15_000), out_dir=tmp_path)
