"""The whole workflow over HTTP, as a client sees it.

A live server (pytest-django's `live_server`: the project's WSGI app in a thread, on the
suite's PostgreSQL), a real Redis and a real Celery worker process consuming the default and
render queues. The client signs up, logs in with JWT, creates a story, plans it, edits a
scene, renders a preview and the final video, follows the story's server-sent events to the
end, downloads the final MP4 through its signed URL and checks it with the product's media QC.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest
from django.core.cache import cache

from render.qc import Expect, run_qc

PASSWORD = "correct-horse-battery-9"
STEP_DEADLINE_S = 120  # one step (plan, preview or final) on 2 shared cores takes ~10-30 s
ORDER = ["PLANNING", "PLANNED", "PREVIEWING", "PREVIEW_READY", "FINALIZING", "COMPLETED"]

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


class Client:
    """One user talking JSON to the live server, as a script or a frontend would."""

    def __init__(self, base_url: str, *, language: str) -> None:
        self.base_url = base_url
        self.http = httpx.Client(
            base_url=base_url,
            trust_env=False,  # no proxy between the test and its own server
            timeout=30,
            headers={"Accept": "application/json", "Accept-Language": language},
        )

    def close(self) -> None:
        self.http.close()

    def call(self, method: str, path: str, expect: int, **kwargs) -> dict:
        response = self.http.request(method, path, **kwargs)
        assert response.status_code == expect, f"{method} {path}: {response.text}"
        return response.json() if response.content else {}

    def sign_up(self, email: str) -> None:
        """Register, log in, and send the access token from now on."""
        user = self.call(
            "POST", "/api/v1/auth/register", 201, json={"email": email, "password": PASSWORD}
        )
        tokens = self.call(
            "POST", "/api/v1/auth/login", 200, json={"email": email, "password": PASSWORD}
        )
        self.http.headers["Authorization"] = f"Bearer {tokens['access']}"
        me = self.call("GET", "/api/v1/users/me", 200)
        assert me["id"] == user["id"]
        assert me["email"] == email

    def follow(self, story_id: int, *, after: int) -> tuple[list[dict], dict]:
        """The story's events after `after`, read from its SSE stream until `event: end`.

        A stream the server closes without `end` (it has a maximum length) is resumed with
        Last-Event-ID, as EventSource does. Returns the events and the end event's data.
        """
        deadline = time.monotonic() + STEP_DEADLINE_S
        received: list[dict] = []
        while True:
            headers = {"Accept": "text/event-stream", "Last-Event-ID": str(after)}
            url = f"/api/v1/stories/{story_id}/events/"
            with self.http.stream("GET", url, headers=headers, timeout=20) as response:
                assert response.status_code == 200, response.read()
                assert response.headers["content-type"].startswith("text/event-stream")
                for event in sse_events(response.iter_lines(), deadline=deadline):
                    data = json.loads(event["data"])
                    if event["event"] == "end":
                        return received, data
                    assert int(event["id"]) == data["id"]
                    assert event["event"] == data["kind"]
                    received.append(data)
                    after = data["id"]
            if time.monotonic() > deadline:
                pytest.fail(f"no end event within {STEP_DEADLINE_S} s; got {received}")

    def story(self, story_id: int) -> dict:
        return self.call("GET", f"/api/v1/stories/{story_id}/", 200)

    def start(self, story_id: int, action: str, *, now: str) -> list[int]:
        """POST a work-starting action: 202 with the story in its working status and the jobs."""
        started = self.call("POST", f"/api/v1/stories/{story_id}/{action}/", 202)
        assert started["story"]["status"] == now
        assert started["job_ids"]
        return started["job_ids"]


def sse_events(lines: Iterable[str], *, deadline: float) -> Iterator[dict[str, str]]:
    """Server-sent events as {field: value}; comments (keep-alives) and blocks without data
    (the `retry:` hint) are skipped. Fails the test once `deadline` has passed."""
    fields: dict[str, str] = {}
    for line in lines:
        if time.monotonic() > deadline:
            pytest.fail(f"the event stream did not end within {STEP_DEADLINE_S} s")
        if not line:
            if "data" in fields:
                yield fields
            fields = {}
        elif not line.startswith(":"):
            name, _, value = line.partition(":")
            fields[name] = value.removeprefix(" ")


def statuses(events: list[dict]) -> list[str]:
    return [event["payload"]["to"] for event in events if event["kind"] == "status"]


def render_to_completion(client: Client, story_id: int, *, after: int) -> list[dict]:
    """Preview, then final, each followed on the event stream; returns the events seen."""
    client.start(story_id, "generate_preview", now="PREVIEWING")
    previewing, end = client.follow(story_id, after=after)
    assert end["status"] == "PREVIEW_READY", previewing[-5:]
    assert client.story(story_id)["media"]["preview"]

    client.start(story_id, "render_final", now="FINALIZING")
    finalizing, end = client.follow(story_id, after=end["last_event_id"])
    assert end["status"] == "COMPLETED", finalizing[-5:]
    assert statuses(finalizing)[-1] == "COMPLETED"
    return previewing + finalizing


def download_and_check(client: Client, url: str, out: Path) -> None:
    """The final MP4 through its signed URL (no login: the signature is the key), checked
    by media QC; the same URL with an altered signature is refused."""
    assert url.startswith(f"{client.base_url}/"), url  # absolute, on the server that signed it
    anonymous = httpx.Client(trust_env=False, timeout=60)
    try:
        response = anonymous.get(url)
        assert response.status_code == 200, response.text[:500]
        assert response.headers["content-type"] == "video/mp4"
        out.write_bytes(response.content)

        parts = urlsplit(url)
        token = parts.path.rstrip("/").rsplit("/", 1)[1]
        value, timestamp, signature = token.split(":")  # asset id, when signed, signature
        forged = signature[:-1] + ("A" if signature[-1] != "A" else "B")
        path = parts.path.replace(token, f"{value}:{timestamp}:{forged}")
        tampered = anonymous.get(urlunsplit(parts._replace(path=path)))
    finally:
        anonymous.close()
    assert tampered.status_code == 403
    error = tampered.json()["error"]
    assert error["code"] == "FORBIDDEN"
    assert error["message"]
    assert set(error) == {"code", "message", "details"}

    report = run_qc(out, expect=Expect(profile="final", aspect="9:16"))
    assert report.failed == [], report.lines()


@pytest.fixture
def fast_events(settings):
    """Streams look for new events every 50 ms and send a keep-alive every second."""
    settings.EVENTS_POLL_MS = 50
    settings.EVENTS_HEARTBEAT_S = 1


@pytest.fixture
def api(live_server, fast_events, request):
    """A client of the live server speaking the language given by the test's parameter."""
    cache.clear()  # login throttle counters of earlier tests (same address) start from zero
    client = Client(live_server.url, language=request.param)
    yield client
    client.close()


@pytest.mark.parametrize("api", ["ko"], indirect=True)
def test_a_korean_story_goes_from_sign_up_to_a_checked_final_mp4_over_http(
    api, celery_workers, tmp_path
):
    celery_workers("e2e-ko")
    api.sign_up("minji@example.com")
    created = api.call(
        "POST",
        "/api/v1/stories/",
        201,
        json={"keyword": "제주 감귤 카페", "language": "ko", "duration_s": 8, "aspect": "9:16"},
    )
    story_id = created["id"]

    api.start(story_id, "plan", now="PLANNING")
    planning, end = api.follow(story_id, after=0)
    assert end["status"] == "PLANNED", planning[-5:]
    scenes = sorted(api.story(story_id)["scenes"], key=lambda scene: scene["position"])
    edited = scenes[1]
    narration = "감귤 향이 가득한 창가 자리에서 잠시 쉬어 가세요."
    patched = api.call(
        "PATCH",
        f"/api/v1/stories/{story_id}/scenes/{edited['id']}/",
        200,
        json={"narration": narration},
    )
    assert patched["narration"] == narration
    events = planning + render_to_completion(api, story_id, after=end["last_event_id"])
    replayed, replay_end = api.follow(story_id, after=0)
    story = api.story(story_id)
    download_and_check(api, story["media"]["final"], tmp_path / "final.mp4")

    assert statuses(events) == ORDER
    assert statuses(replayed) == ORDER  # a fresh stream replays the story from the start
    assert replay_end["status"] == "COMPLETED"
    assert [event["id"] for event in events] == sorted(event["id"] for event in events)
    assert story["status"] == "COMPLETED"
    assert not story["is_locked"]
    assert story["language"] == "ko"
    by_id = {scene["id"]: scene for scene in story["scenes"]}
    assert by_id[edited["id"]]["narration"] == narration
    others = [(s["id"], s["narration"]) for s in scenes if s["id"] != edited["id"]]
    assert [(i, by_id[i]["narration"]) for i, _ in others] == others
    assert all(scene["voice_url"] and scene["visual_url"] for scene in story["scenes"])
    transitions = api.call("GET", f"/api/v1/stories/{story_id}/transitions/", 200)
    assert [row["to_status"] for row in transitions] == ORDER
    jobs = api.call("GET", f"/api/v1/stories/{story_id}/jobs/", 200)
    assert {job["status"] for job in jobs} == {"succeeded"}


PARAGRAPHS = [
    "Rain taps on the window of our little bookshop.",
    "Pick a paperback, pour a cup of tea, and stay a while.",
    "Find us on Maple Street, open until nine.",
]


@pytest.mark.parametrize("api", ["en"], indirect=True)
def test_an_english_story_from_the_users_own_script_is_rendered_as_written(
    api, celery_workers, tmp_path
):
    celery_workers("e2e-en")
    api.sign_up("sam@example.com")
    created = api.call(
        "POST",
        "/api/v1/stories/",
        201,
        json={
            "keyword": "rainy day bookshop",
            "language": "en",
            "duration_s": 8,
            "aspect": "9:16",
            "script": "\n\n".join(PARAGRAPHS),
        },
    )
    story_id = created["id"]

    api.start(story_id, "plan", now="PLANNING")
    planning, end = api.follow(story_id, after=0)
    assert end["status"] == "PLANNED", planning[-5:]
    planned = api.story(story_id)
    events = planning + render_to_completion(api, story_id, after=end["last_event_id"])
    story = api.story(story_id)
    download_and_check(api, story["media"]["final"], tmp_path / "final.mp4")

    assert created["script"] == "\n\n".join(PARAGRAPHS)
    narrations = [s["narration"] for s in sorted(planned["scenes"], key=lambda s: s["position"])]
    assert narrations == PARAGRAPHS
    final = [s["narration"] for s in sorted(story["scenes"], key=lambda s: s["position"])]
    assert final == PARAGRAPHS
    assert statuses(events) == ORDER
    assert story["status"] == "COMPLETED"
    assert story["language"] == "en"
    assert story["media"]["thumbnail"]
