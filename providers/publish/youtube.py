"""YouTube Shorts through the YouTube Data API v3: videos.insert with the resumable upload
protocol (POST the metadata for a session URL, PUT the bytes in chunks, 308 Resume Incomplete
with a Range header until the video resource comes back).

A session URL outlives a failed attempt: the next attempt asks it how far it got
(`Content-Range: bytes */size`) and sends the rest. `status.containsSyntheticMedia` marks
every reel as altered or synthetic content.
"""

from __future__ import annotations

from django.conf import settings

from providers.base import PermanentProviderError
from providers.http import json_body
from providers.publish.base import Identity, Post, Posted, SaveState, chunks
from providers.publish.oauth import PlatformClient

PROVIDER = "YouTube"


def identity(client: PlatformClient) -> Identity:
    """The channel of the signed-in Google account (channels.list mine=true)."""
    url = f"{settings.YOUTUBE_API_URL}/youtube/v3/channels"
    body = json_body(
        client.call("GET", url, params={"part": "snippet", "mine": "true"}), provider=PROVIDER
    )
    items = body.get("items") or []
    if not items:
        raise PermanentProviderError(
            "this Google account has no YouTube channel: create one, then link again",
            provider=PROVIDER,
        )
    return Identity(external_id=str(items[0]["id"]), display_name=items[0]["snippet"]["title"])


def video_resource(post: Post) -> dict:
    """The videos.insert body: snippet and status, within YouTube's limits."""
    status: dict = {
        "privacyStatus": post.privacy,
        "selfDeclaredMadeForKids": False,
        "containsSyntheticMedia": post.is_ai_generated,
    }
    if post.publish_at is not None:
        # A scheduled video is private until publishAt, then public.
        status |= {"privacyStatus": "private", "publishAt": post.publish_at.isoformat()}
    return {
        "snippet": {
            "title": post.title[:100],
            "description": post.caption[:5000],
            "tags": [tag.lstrip("#") for tag in post.hashtags],
            "categoryId": "22",
            "defaultLanguage": post.language,
        },
        "status": status,
    }


def upload(client: PlatformClient, *, post: Post, state: dict, save_state: SaveState) -> Posted:
    """Upload the reel, resuming the session in `state` when there is one. Safe to repeat."""
    session_url, sent = state.get("session_url", ""), 0
    if session_url:
        done, sent = _probe(client, session_url=session_url, size=post.size_bytes)
        if done is not None:
            return done
    else:
        session_url = _start_session(client, post=post, save_state=save_state)
    for offset, piece in chunks(post.path, size=settings.PUBLISH_CHUNK_BYTES, start=sent):
        last = offset + len(piece) - 1
        response = client.call(
            "PUT",
            session_url,
            data=piece,
            headers={
                "Content-Type": "video/mp4",
                "Content-Range": f"bytes {offset}-{last}/{post.size_bytes}",
            },
            ok=(308,),
        )
        if response.status_code != 308:
            return _posted(json_body(response, provider=PROVIDER))
    done, _sent = _probe(client, session_url=session_url, size=post.size_bytes)
    if done is None:
        raise PermanentProviderError("the upload ended without a video", provider=PROVIDER)
    return done


def _start_session(client: PlatformClient, *, post: Post, save_state: SaveState) -> str:
    response = client.call(
        "POST",
        f"{settings.YOUTUBE_API_URL}/upload/youtube/v3/videos",
        params={"uploadType": "resumable", "part": "snippet,status"},
        json=video_resource(post),
        headers={
            "X-Upload-Content-Length": str(post.size_bytes),
            "X-Upload-Content-Type": "video/mp4",
        },
    )
    session_url = response.headers.get("Location", "")
    if not session_url:
        raise PermanentProviderError(
            "no upload session URL (Location) came back", provider=PROVIDER
        )
    save_state({"session_url": session_url})
    return session_url


def _probe(client: PlatformClient, *, session_url: str, size: int) -> tuple[Posted | None, int]:
    """Ask the session how much it holds: (the video when complete, else None; bytes held)."""
    response = client.call(
        "PUT", session_url, data=b"", headers={"Content-Range": f"bytes */{size}"}, ok=(308,)
    )
    if response.status_code != 308:
        return _posted(json_body(response, provider=PROVIDER)), size
    held = response.headers.get("Range", "")  # "bytes=0-524287"; absent: nothing yet
    return None, (int(held.rpartition("-")[2]) + 1) if held else 0


def _posted(video: dict) -> Posted:
    video_id = str(video.get("id") or "")
    if not video_id:
        raise PermanentProviderError("the finished upload named no video id", provider=PROVIDER)
    return Posted(post_id=video_id, url=f"https://www.youtube.com/shorts/{video_id}")
