"""The practice API: import a line, browse the catalogue, bookmark, upload a take (202),
its analysis as the worker runs it, and "my page"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from jobs.models import Job
from practice import services
from practice.models import Bookmark, Line, Take
from tests.factories import SceneFactory, StoryFactory, UserFactory
from tests.practice.support import analyse, queue_take_jobs
from tests.speech import recordings as rec

LINES = "/api/v1/practice/lines"


@pytest.fixture(scope="module")
def audio(tmp_path_factory) -> dict:
    d = tmp_path_factory.mktemp("practice")
    words = rec.piper(rec.LINE, d / "reference.wav")
    rec.piper(rec.LINE, d / "take.wav")
    rec.ffmpeg("-i", str(d / "take.wav"), "-c:a", "libopus", "-b:a", "48k", str(d / "take.webm"))
    rec.ffmpeg("-i", str(d / "take.wav"), "-c:a", "aac", str(d / "take.m4a"))
    rec.silence(d / "silence.wav", seconds=3)
    rec.delayed(d / "reference.wav", d / "long.wav", seconds=7)
    return {"dir": d, "words": [w.to_json() for w in words]}


def upload(path: Path, *, name: str | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name or path.name, path.read_bytes())


@pytest.fixture
def queued(monkeypatch) -> list[int]:
    sent: list[int] = []
    queue_take_jobs(monkeypatch, sent)
    return sent


@pytest.fixture
def line(api, audio) -> dict:
    response = api.post(
        f"{LINES}/import",
        {
            "text": rec.LINE,
            "language": "en",
            "words": json.dumps(audio["words"]),
            "audio": upload(audio["dir"] / "reference.wav"),
            "category": "animals",
            "speaker": "joe",
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    return response.json()


def test_an_imported_line_keeps_its_words_and_reference(line, audio):
    assert line["words"] == audio["words"]
    assert 3000 < line["reference_duration_ms"] < 5000
    assert line["reference_url"]
    assert not line["is_bookmarked"]


def test_import_refuses_words_without_timings(api, audio):
    response = api.post(
        f"{LINES}/import",
        {
            "text": "hi",
            "language": "en",
            "words": json.dumps([{"text": "hi"}]),
            "audio": upload(audio["dir"] / "reference.wav"),
        },
        format="multipart",
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "INVALID_REQUEST"
    assert not Line.objects.exists()


def test_catalogue_latest_popular_category_and_related(api, line, user):
    other = Line.objects.create(
        text="Another line",
        language="en",
        words=[{"text": "Another", "start_ms": 0, "end_ms": 300}],
        reference_id=Line.objects.get().reference_id,
        reference_duration_ms=1000,
        category="animals",
    )
    Line.objects.create(
        text="Weather",
        language="en",
        words=[{"text": "Weather", "start_ms": 0, "end_ms": 300}],
        reference_id=other.reference_id,
        reference_duration_ms=1000,
        category="weather",
    )

    for _ in range(2):
        assert api.get(f"{LINES}/{line['id']}").status_code == 200

    latest = [r["text"] for r in api.get(LINES).json()["results"]]
    popular = [r["id"] for r in api.get(LINES, {"order": "popular"}).json()["results"]]
    animals = [r["text"] for r in api.get(LINES, {"category": "animals"}).json()["results"]]
    related = [r["id"] for r in api.get(f"{LINES}/{line['id']}/related").json()]
    assert latest[0] == "Weather"
    assert popular[0] == line["id"]
    assert sorted(animals) == sorted([rec.LINE, "Another line"])
    assert related == [other.pk]
    assert Line.objects.get(pk=line["id"]).view_count == 2
    assert api.get(LINES, {"order": "random"}).status_code == 400


def test_bookmark_twice_is_409_and_keeps_one(api, line, user):
    first = api.post(f"{LINES}/{line['id']}/bookmark")
    again = api.post(f"{LINES}/{line['id']}/bookmark")

    assert first.status_code == 201
    assert first.json()["is_bookmarked"] is True
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "ALREADY_BOOKMARKED"
    assert Bookmark.objects.filter(user=user).count() == 1
    assert api.get(f"{LINES}/{line['id']}").json()["is_bookmarked"] is True
    assert api.delete(f"{LINES}/{line['id']}/bookmark").status_code == 204
    assert not Bookmark.objects.exists()


@pytest.mark.parametrize("name", ["take.wav", "take.webm", "take.m4a"])
def test_a_take_is_accepted_at_once_and_analysed_by_the_worker(
    api, line, audio, queued, user, name
):
    response = api.post(
        f"{LINES}/{line['id']}/takes",
        {"recording": upload(audio["dir"] / name, name="my-take.bin")},
        format="multipart",
    )

    assert response.status_code == 202
    take = response.json()
    assert take["status"] == "queued"
    assert queued == [take["id"]]
    job = Job.objects.get(pk=take["job"])
    assert (job.kind, job.story, job.status) == (Job.Kind.ANALYSIS, None, Job.Status.QUEUED)
    analyse(take["id"])
    analyse(take["id"])  # a redelivery changes nothing
    done = api.get(f"/api/v1/practice/takes/{take['id']}").json()
    assert done["status"] == "succeeded"
    job.refresh_from_db()
    assert (job.status, job.attempts, job.progress) == (Job.Status.SUCCEEDED, 1, 100)
    assert done["rank"] in {"S", "A", "B"}
    assert done["result"]["similarity"] > 70
    assert [w["text"] for w in done["result"]["words"]] == [w["text"] for w in audio["words"]]
    assert done["result"]["is_text_checked"] is False


def test_a_silent_take_fails_with_no_speech(api, line, audio, queued):
    take = api.post(
        f"{LINES}/{line['id']}/takes",
        {"recording": upload(audio["dir"] / "silence.wav")},
        format="multipart",
    ).json()

    failed = analyse(take["id"])
    assert failed.status == Take.Status.FAILED
    assert failed.error_code == "no_speech"
    assert failed.result == {}
    assert (failed.job.status, failed.job.error_code) == (Job.Status.FAILED, "NO_SPEECH")


def test_a_take_past_the_cap_is_413_and_nothing_is_saved(api, line, audio, queued):
    response = api.post(
        f"{LINES}/{line['id']}/takes",
        {"recording": upload(audio["dir"] / "long.wav")},
        format="multipart",
    )

    assert response.status_code == 413
    details = response.json()["error"]["details"]
    assert details["max_duration_s"] == pytest.approx(
        services.recording_cap_s(line["reference_duration_ms"]), abs=0.01
    )
    assert details["duration_s"] > details["max_duration_s"]
    assert not Take.objects.exists()
    assert queued == []


def test_a_take_that_is_not_audio_is_400(api, line, queued):
    response = api.post(
        f"{LINES}/{line['id']}/takes",
        {"recording": SimpleUploadedFile("take.webm", b"<html>not audio</html>")},
        format="multipart",
    )

    assert response.status_code == 400
    assert not Take.objects.exists()


@pytest.mark.parametrize(("reference_ms", "cap_s"), [(2000, 7.0), (10_000, 20.0), (40_000, 60.0)])
def test_recording_cap_is_the_longer_of_twice_and_five_more_seconds_up_to_a_minute(
    reference_ms, cap_s
):
    assert services.recording_cap_s(reference_ms) == cap_s


def test_my_page_counts_scores_and_deleting_results(api, line, audio, queued, user):
    api.post(f"{LINES}/{line['id']}/bookmark")
    for name in ("take.wav", "silence.wav"):
        take = api.post(
            f"{LINES}/{line['id']}/takes",
            {"recording": upload(audio["dir"] / name)},
            format="multipart",
        ).json()
        analyse(take["id"])

    page = api.get("/api/v1/practice/me").json()

    assert page["counts"] == {"bookmarks": 1, "lines_practised": 1, "takes": 2, "takes_analysed": 1}
    assert page["average_score"] == pytest.approx(Take.objects.get(status="succeeded").score)
    assert page["averages"]["similarity"] > 70
    assert page["practised"][0]["status"] == "failed"  # the latest take
    assert page["practised"][0]["takes"] == 2
    assert page["bookmarks"][0]["line_id"] == line["id"]
    deleted = api.delete("/api/v1/practice/me", QUERY_STRING=f"line={line['id']}")
    assert deleted.json() == {"deleted": 2}
    assert not Take.objects.exists()
    assert Line.objects.filter(pk=line["id"]).exists()  # the line and its reference stay
    assert api.get("/api/v1/practice/me").json()["counts"]["takes"] == 0


def test_another_users_takes_are_404(api, line, audio, queued):
    take = api.post(
        f"{LINES}/{line['id']}/takes",
        {"recording": upload(audio["dir"] / "take.wav")},
        format="multipart",
    ).json()
    stranger = APIClient()
    stranger.force_authenticate(UserFactory())

    assert stranger.get(f"/api/v1/practice/takes/{take['id']}").status_code == 404
    assert stranger.get("/api/v1/practice/takes").json()["count"] == 0


def test_a_line_from_my_scene_takes_its_narration_voice_and_timings(api, user, line):
    story = StoryFactory(owner=user, language="en", voice="en-piper-joe")
    reference = Line.objects.get(pk=line["id"]).reference
    scene = SceneFactory(
        story=story,
        narration=rec.LINE,
        voice=reference,
        word_timings=line["words"],
    )

    response = api.post(f"{LINES}/from_scene", {"scene": scene.pk, "category": "mine"})
    strangers = APIClient()
    strangers.force_authenticate(UserFactory())
    refused = strangers.post(f"{LINES}/from_scene", {"scene": scene.pk})

    assert response.status_code == 201
    made = response.json()
    assert made["scene"] == scene.pk
    assert made["words"] == line["words"]
    assert made["speaker"] == "en-piper-joe"
    assert refused.status_code == 404
