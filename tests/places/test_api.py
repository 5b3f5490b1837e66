"""The places API: CRUD, JSON import, photos (upload and URL through the SSRF guard), the
marketing brief, song reels with lyric editing before the song and the sketch note."""

from __future__ import annotations

import contextlib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from jobs.inline import run_with_retries
from places.models import Place, SongReel
from tests.places.helpers import photo_bytes, photo_upload

pytestmark = pytest.mark.django_db

PLACE = {
    "name": "Harbor Bean",
    "category": "cafe",
    "region": "Busan",
    "facilities": ["ocean view", "parking"],
    "offer": "2-for-1 lattes",
    "language": "en",
}


@contextlib.contextmanager
def photo_server(body: bytes):
    """A local server answering every GET with `body` as a JPEG."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "image/jpeg")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/photo.jpg"
    finally:
        server.shutdown()
        server.server_close()


def test_another_users_upload_cannot_be_added(api, other_api):
    place_id = api.post("/api/v1/places/", PLACE, format="json").json()["id"]
    theirs = other_api.post(
        "/api/v1/media/uploads", {"file": photo_upload(2)}, format="multipart"
    ).json()["id"]
    answer = api.post(f"/api/v1/places/{place_id}/photos", {"asset": theirs}, format="json")
    assert answer.status_code == 400


def test_place_crud_is_owner_scoped(api, other_api):
    made = api.post("/api/v1/places/", PLACE, format="json")
    assert made.status_code == 201, made.json()
    place_id = made.json()["id"]
    assert made.json()["source"] == "manual"
    assert other_api.get(f"/api/v1/places/{place_id}/").status_code == 404
    edited = api.patch(f"/api/v1/places/{place_id}", {"region": "Haeundae"}, format="json")
    assert edited.json()["region"] == "Haeundae"
    bad = api.post("/api/v1/places/", {**PLACE, "category": "castle"}, format="json")
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "INVALID_REQUEST"


def test_json_import_updates_by_source_id_and_is_all_or_none(api, user):
    items = [{**PLACE, "source_id": "hb-1"}, {**PLACE, "name": "Gull Inn", "category": "stay"}]
    first = api.post("/api/v1/places/import", {"places": items}, format="json")
    assert first.status_code == 201, first.json()
    assert [p["source"] for p in first.json()["places"]] == ["json", "json"]
    again = api.post(
        "/api/v1/places/import",
        {"places": [{**PLACE, "source_id": "hb-1", "offer": "Free cookie"}]},
        format="json",
    )
    assert again.status_code == 201
    assert Place.objects.filter(owner=user).count() == 2
    assert Place.objects.get(owner=user, source_id="hb-1").offer == "Free cookie"
    broken = api.post(
        "/api/v1/places/import",
        {"places": [{**PLACE, "source_id": "new"}, {"name": "no region"}]},
        format="json",
    )
    assert broken.status_code == 400
    assert not Place.objects.filter(source_id="new").exists()


def test_photos_by_upload_and_url_through_the_ssrf_guard(api, settings):
    place_id = api.post("/api/v1/places/", PLACE, format="json").json()["id"]
    upload = api.post("/api/v1/media/uploads", {"file": photo_upload(0)}, format="multipart")
    assert upload.status_code == 201, upload.json()
    uploaded = api.post(
        f"/api/v1/places/{place_id}/photos", {"asset": upload.json()["id"]}, format="json"
    )
    assert uploaded.status_code == 201, uploaded.json()
    both = api.post(
        f"/api/v1/places/{place_id}/photos",
        {"asset": upload.json()["id"], "url": "https://example.com/a.jpg"},
        format="json",
    )
    assert both.status_code == 400
    with photo_server(photo_bytes(1)) as url:
        # 127.0.0.1 is private: refused unless the deployment allows private fetches.
        refused = api.post(f"/api/v1/places/{place_id}/photos", {"url": url}, format="json")
        assert refused.status_code == 400
        assert "not a public" in refused.json()["error"]["message"]
        settings.FETCH_ALLOW_PRIVATE_URLS = True
        fetched = api.post(f"/api/v1/places/{place_id}/photos", {"url": url}, format="json")
    assert fetched.status_code == 201, fetched.json()
    assert fetched.json()["source_url"] == url
    assert len(api.get(f"/api/v1/places/{place_id}").json()["photos"]) == 2
    with photo_server(b"not an image at all") as url:
        garbage = api.post(f"/api/v1/places/{place_id}/photos", {"url": url}, format="json")
    assert garbage.status_code == 400
    assert len(api.get(f"/api/v1/places/{place_id}").json()["photos"]) == 2


def test_marketing_brief_keeps_the_schema(api):
    place_id = api.post("/api/v1/places/", PLACE, format="json").json()["id"]
    brief = api.post(f"/api/v1/places/{place_id}/brief", {"language": "en"}, format="json")
    assert brief.status_code == 200, brief.json()
    report = brief.json()["report"]
    assert 5 <= len(report["keywords"]) <= 10
    assert report["keywords"][0] == "Harbor Bean"
    assert "Busan cafe" in report["keywords"]
    assert 2 <= len(report["selling_points"]) <= 3
    assert report["booking_trigger"].startswith("2-for-1 lattes")
    korean = api.post(f"/api/v1/places/{place_id}/brief", {"language": "ko"}, format="json")
    assert "Busan 카페" in korean.json()["report"]["keywords"]


def test_lyrics_edit_until_the_song_is_made(api):
    place_id = api.post("/api/v1/places/", PLACE, format="json").json()["id"]
    made = api.post(
        "/api/v1/song-reels/", {"place": place_id, "duration_s": 15, "tempo": 112}, format="json"
    )
    assert made.status_code == 201, made.json()
    reel = made.json()
    assert reel["language"] == "en"
    assert [s["name"] for s in reel["lyrics"]["sections"]] == ["Chorus"]
    # Two two-bar lines: 15 s less the end card's 2.5 s leaves room for two at 112 BPM.
    assert len(reel["syllables"]) == 2
    too_many = {"sections": [{"name": "Chorus", "lines": ["La la la la la la la la"] * 9}]}
    refused = api.patch(f"/api/v1/song-reels/{reel['id']}", too_many, format="json")
    assert refused.status_code == 400
    mine = {"sections": [{"name": "Chorus", "lines": ["Harbor Bean in Busan, come on by"]}]}
    edited = api.patch(f"/api/v1/song-reels/{reel['id']}", mine, format="json")
    assert edited.status_code == 200, edited.json()
    sung = api.post(f"/api/v1/song-reels/{reel['id']}/song")
    assert sung.status_code == 202, sung.json()
    assert sung.json()["status"] == "making"
    assert sung.json()["job"]["kind"] == "song"
    busy = api.patch(f"/api/v1/song-reels/{reel['id']}", mine, format="json")
    assert busy.status_code == 409  # the song is being made from these lyrics
    assert busy.json()["error"]["code"] == "ALREADY_RUNNING"
    run_with_retries(job_id=sung.json()["job"]["id"])
    body = api.get(f"/api/v1/song-reels/{reel['id']}").json()
    assert body["status"] == "song"
    assert body["job"]["status"] == "succeeded"
    assert body["sketch"] is True
    assert "sketch" in body["sketch_note"]
    assert [w["text"] for w in body["words"]][:2] == ["Harbor", "Bean"]
    assert body["song_url"]
    late = api.patch(f"/api/v1/song-reels/{reel['id']}", mine, format="json")
    assert late.status_code == 409
    assert late.json()["error"]["code"] == "ILLEGAL_TRANSITION"
    assert (
        SongReel.objects.get(pk=reel["id"]).lyrics["sections"][0]["lines"]
        == mine["sections"][0]["lines"]
    )


def test_render_needs_photos(api):
    place_id = api.post("/api/v1/places/", PLACE, format="json").json()["id"]
    reel = api.post("/api/v1/song-reels/", {"place": place_id}, format="json").json()
    run_with_retries(job_id=api.post(f"/api/v1/song-reels/{reel['id']}/song").json()["job"]["id"])
    answer = api.post(f"/api/v1/song-reels/{reel['id']}/render", {}, format="json")
    assert answer.status_code == 400
    assert "photo" in answer.json()["error"]["message"]


def test_song_attributes_change_until_the_song_is_made(api):
    place_id = api.post("/api/v1/places/", PLACE, format="json").json()["id"]
    reel = api.post("/api/v1/song-reels/", {"place": place_id}, format="json").json()
    url = f"/api/v1/song-reels/{reel['id']}"
    slow = api.patch(url, {"tempo": 90}, format="json")
    assert slow.status_code == 400  # the lyrics no longer fit at this tempo: say so
    assert "do not fit" in slow.json()["error"]["message"]
    changed = api.patch(url, {"mood": "calm", "genre": "acoustic", "tempo": 120}, format="json")
    assert changed.status_code == 200, changed.json()
    body = changed.json()
    assert (body["mood"], body["genre"], body["tempo"]) == ("calm", "acoustic", 120)
    assert body["lyrics"]["bpm"] == 120  # the lyrics are sung at the new tempo
    assert api.patch(url, {}, format="json").status_code == 400
    assert api.patch(url, {"mood": "grumpy"}, format="json").status_code == 400
    assert SongReel.objects.get(pk=reel["id"]).mood == "calm"
