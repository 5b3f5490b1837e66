"""GET /api/v1/voices/: the offline voices and the configured providers', and their samples."""

import subprocess

import pytest

from stories.models import Story

pytestmark = pytest.mark.django_db

BRIEF = {"keyword": "harbour sunrise", "language": "en", "duration_s": 15}


def listed(api, query: str = "") -> dict[tuple[str, str], dict]:
    response = api.get(f"/api/v1/voices/{query}")
    assert response.status_code == 200, response.json()
    return {(voice["id"], voice["language"]): voice for voice in response.json()}


def test_offline_voices_are_listed_with_a_sample_url(api):
    voices = listed(api)

    assert set(voices) == {("ko-espeak", "ko"), ("en-piper-joe", "en"), ("en-espeak", "en")}
    assert voices[("ko-espeak", "ko")]["engine"] == "espeak"
    assert (
        voices[("en-espeak", "en")]["sample_url"].rstrip("/").endswith("/voices/en-espeak/sample")
    )


def test_the_language_filter_and_a_bad_language(api):
    assert set(listed(api, "?language=ko")) == {("ko-espeak", "ko")}

    response = api.get("/api/v1/voices/?language=fr")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "INVALID_REQUEST"


def test_an_offline_sample_is_spoken_once_and_kept(api, settings, tmp_path):
    first = api.get("/api/v1/voices/en-espeak/sample/")
    audio = b"".join(first.streaming_content)
    stored = list((settings.MEDIA_ROOT / "voice-samples").iterdir())
    second = api.get("/api/v1/voices/en-espeak/sample/")
    b"".join(second.streaming_content)

    assert first.status_code == 200
    assert first["Content-Type"] == "audio/wav"
    assert audio[:4] == b"RIFF"
    path = tmp_path / "sample.wav"
    path.write_bytes(audio)
    seconds = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", path],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert 1.0 < float(seconds) < 8.0
    assert list((settings.MEDIA_ROOT / "voice-samples").iterdir()) == stored
    assert len(stored) == 1


def test_an_unknown_voice_has_no_sample(api):
    response = api.get("/api/v1/voices/nobody/sample/")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "NOT_FOUND"


def test_elevenlabs_voices_are_listed_when_configured_and_cached(api, fake_elevenlabs):
    voices = listed(api)
    listed(api)

    george = voices[("JBFqnCBsd6RMkjVDRZzb", "en")]
    assert george["engine"] == "elevenlabs"
    assert george["sample_url"] == "https://storage.example/george.mp3"
    assert ("JBFqnCBsd6RMkjVDRZzb", "ko") in voices  # multilingual: every language
    assert voices[("ko0000000000jiyoung", "ko")]["sample_url"].endswith("jiyoung-ko.mp3")
    assert ("ko0000000000jiyoung", "en") not in voices
    assert ("en-piper-joe", "en") in voices
    lists = [r for r in fake_elevenlabs.requests if r.path.split("?")[0] == "/v1/voices"]
    assert len(lists) == 1
    assert lists[0].headers["xi-api-key"] == "xi-test-key"


def test_elevenlabs_down_still_lists_the_offline_voices(api, fake_elevenlabs):
    fake_elevenlabs.modes[:] = ["500"]

    voices = listed(api)

    assert ("en-espeak", "en") in voices
    assert not any(voice["engine"] == "elevenlabs" for voice in voices.values())


def test_a_story_may_use_a_listed_elevenlabs_voice_of_its_language(api, fake_elevenlabs):
    created = api.post(
        "/api/v1/stories/", {**BRIEF, "voice": "JBFqnCBsd6RMkjVDRZzb"}, format="json"
    )
    refused = api.post("/api/v1/stories/", {**BRIEF, "voice": "ko0000000000jiyoung"}, format="json")

    assert created.status_code == 201, created.json()
    assert Story.objects.get(pk=created.json()["id"]).voice == "JBFqnCBsd6RMkjVDRZzb"
    assert refused.status_code == 400
    assert "voice" in refused.json()["error"]["details"]["fields"]


def test_an_unknown_voice_is_refused_in_the_envelope(api):
    response = api.post("/api/v1/stories/", {**BRIEF, "voice": "JBFqnCBsd6RMkjVDRZzb"})

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "INVALID_REQUEST"
    assert "JBFqnCBsd6RMkjVDRZzb" in error["details"]["fields"]["voice"][0]
    assert not Story.objects.exists()


def test_an_edit_that_leaves_voice_and_language_alone_keeps_an_unlisted_voice(api, user):
    story = Story.objects.create(owner=user, voice="JBFqnCBsd6RMkjVDRZzb", **BRIEF)

    edited = api.patch(f"/api/v1/stories/{story.pk}/", {"title": "Harbour"}, format="json")
    relanguaged = api.patch(f"/api/v1/stories/{story.pk}/", {"language": "ko"}, format="json")

    assert edited.status_code == 200, edited.json()
    assert relanguaged.status_code == 400
    story.refresh_from_db()
    assert (story.title, story.language) == ("Harbour", "en")
