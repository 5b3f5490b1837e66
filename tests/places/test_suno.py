"""The Suno-style song provider against a local server speaking sunoapi.org's format:
generate -> poll -> download -> aligned words, the cut at the first chorus, a content-policy
refusal and a timeout; and through the song reel service and API."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

from billing.models import ProviderPrice, UsageRecord
from jobs.inline import run_with_retries
from places.models import Place, SongReel
from places.services import places, song_reels
from providers.song.base import SongRequest
from providers.song.chant import _read_wav
from providers.song.suno import CHORUS_LEAD_MS, SongRefused, SongTimedOut, SunoGatewayProvider
from providers.writer.song_lyrics import PlaceFacts, write_lyrics
from tests.places.fake_suno import API_KEY, FakeSuno, make_track


@pytest.fixture(scope="module")
def gateway(tmp_path_factory):
    server = FakeSuno(make_track(tmp_path_factory.mktemp("suno") / "track.mp3"))
    yield server
    server.close()


@pytest.fixture
def fresh(gateway, settings):
    gateway.state.mode, gateway.state.polls = "ok", 0
    gateway.state.requests.clear()
    settings.FETCH_ALLOW_PRIVATE_URLS = True  # the local server is on 127.0.0.1
    return gateway


def _provider(url: str, **overrides) -> SunoGatewayProvider:
    options = {
        "api_key": API_KEY,
        "base_url": url,
        "model": "V4_5",
        "callback_url": "https://example.invalid/cb",
        "timeout_s": 5.0,
        "poll_first_s": 0.01,
        "poll_max_s": 0.05,
        "deadline_s": 5.0,
    }
    return SunoGatewayProvider(**{**options, **overrides})


def _request() -> SongRequest:
    lyrics = write_lyrics(
        place=PlaceFacts("Harbor Bean", "Busan"), language="en", duration_s=30, bpm=112
    )
    return SongRequest(lyrics=lyrics, duration_ms=17_500, vocal="male")


def test_generate_poll_download_align_and_cut_at_the_first_chorus(fresh, tmp_path):
    song = _provider(fresh.url).make(_request(), out_dir=tmp_path)
    generate = next(
        body for method, path, body in fresh.state.requests if path.endswith("generate")
    )
    assert generate["customMode"] is True
    assert generate["vocalGender"] == "m"
    assert "[Chorus]" in generate["prompt"]
    assert fresh.state.polls == 3  # PENDING, TEXT_SUCCESS, SUCCESS
    # The 40 s track is longer than the reel: it starts just before the chorus.
    assert song.lines[0].section == "Chorus"
    assert song.words[0].start_ms == CHORUS_LEAD_MS
    assert all(0 <= w.start_ms < 17_500 for w in song.words)
    assert not song.sketch
    audio = _read_wav(song.audio_path)
    assert abs(len(audio) / 48_000 - 17.5) < 0.05
    first, middle = np.abs(audio[:960]).mean(), np.abs(audio[48_000:96_000]).mean()
    assert first < middle / 2  # faded in at the cut
    assert song.usage.provider == "suno"


def test_a_content_policy_refusal_is_a_clear_error(fresh, tmp_path):
    fresh.state.mode = "refuse"
    with pytest.raises(SongRefused, match="content policy"):
        _provider(fresh.url).make(_request(), out_dir=tmp_path)


def test_polling_stops_at_the_deadline(fresh, tmp_path):
    fresh.state.mode = "never"
    with pytest.raises(SongTimedOut, match="not ready"):
        _provider(fresh.url, deadline_s=0.3).make(_request(), out_dir=tmp_path)
    assert fresh.state.polls >= 3  # it waited with growing pauses, then gave up


@pytest.mark.django_db
def test_the_song_reel_api_uses_the_gateway_and_reports_a_refusal(fresh, settings, api, user):
    settings.REELMAKER_SONG = "suno"
    settings.SUNO_API_KEY = API_KEY
    settings.SUNO_BASE_URL = fresh.url
    settings.SONG_POLL_FIRST_S = 0.01
    place = places.create_place(
        owner=user,
        data={"name": "Harbor Bean", "region": "Busan", "category": Place.Category.CAFE,
              "language": "en"},
    )  # fmt: skip
    reel = song_reels.start_song_reel(owner=user, place=place, language="en", duration_s=15)
    ProviderPrice.objects.create(
        provider="suno", model="V4_5", unit="songs", usd_per_unit=Decimal("0.12")
    )
    made = api.post(f"/api/v1/song-reels/{reel.pk}/song")
    assert made.status_code == 202, made.json()
    run_with_retries(job_id=made.json()["job"]["id"])
    made = api.get(f"/api/v1/song-reels/{reel.pk}")
    record = UsageRecord.objects.get(user=user, provider="suno")
    assert record.cost_usd == Decimal("0.12")
    assert record.story_id == reel.story_id
    assert made.json()["job"]["cost_usd"] == "0.120000"
    assert made.json()["sketch"] is False
    assert made.json()["sketch_note"] == ""
    assert made.json()["lines"][0]["section"] == "Chorus"

    fresh.state.mode = "refuse"
    other = song_reels.start_song_reel(owner=user, place=place, language="en", duration_s=15)
    job_id = api.post(f"/api/v1/song-reels/{other.pk}/song").json()["job"]["id"]
    run_with_retries(job_id=job_id)
    refused = api.get(f"/api/v1/song-reels/{other.pk}").json()
    assert refused["status"] == "failed"
    assert refused["job"]["error_code"] == "SONG_REFUSED"
    assert "content policy" in refused["job"]["error_message"]
    assert "content policy" in refused["error"]
    other.refresh_from_db()
    assert other.status == SongReel.Status.FAILED
    assert other.gateway_task_id == ""  # edited lyrics will make a new song
    assert other.lyrics["sections"]  # the lyrics are kept to edit
