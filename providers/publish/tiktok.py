"""TikTok through the Content Posting API (Direct Post): the creator's allowed privacy levels
(creator_info/query), /v2/post/publish/video/init/ with FILE_UPLOAD, the file PUT in chunks
(Content-Range) to the upload URL it returns, then /v2/post/publish/status/fetch/ until
PUBLISH_COMPLETE. `post_info.is_aigc` labels every reel as AI-generated content.

Posts from an app that has not passed TikTok's audit are private whatever is asked, so
"private" (SELF_ONLY) is used when the level asked for is not among the creator's options.
"""

from __future__ import annotations

import time

from django.conf import settings

from providers.base import PermanentProviderError, TransientProviderError
from providers.http import json_body
from providers.publish.base import Identity, Post, Posted, SaveState
from providers.publish.oauth import PlatformClient

PROVIDER = "TikTok"
PRIVACY_LEVELS = {
    "public": "PUBLIC_TO_EVERYONE",
    "unlisted": "MUTUAL_FOLLOW_FRIENDS",
    "private": "SELF_ONLY",
}
MIN_CHUNK_BYTES = 5 * 1024 * 1024
MAX_CHUNK_BYTES = 64 * 1024 * 1024


def _api(client: PlatformClient, path: str, **kwargs) -> dict:
    response = client.call("POST", f"{settings.TIKTOK_API_URL}{path}", **kwargs)
    body = json_body(response, provider=PROVIDER)
    error = body.get("error") or {}
    if error.get("code") not in (None, "ok"):
        raise PermanentProviderError(
            f"TikTok refused it ({error.get('code')}: {error.get('message', '')})",
            provider=PROVIDER,
        )
    return body.get("data") or {}


def identity(client: PlatformClient) -> Identity:
    response = client.call(
        "GET",
        f"{settings.TIKTOK_API_URL}/v2/user/info/",
        params={"fields": "open_id,display_name,username"},
    )
    user = (json_body(response, provider=PROVIDER).get("data") or {}).get("user") or {}
    if not user.get("open_id"):
        raise PermanentProviderError("TikTok named no user for this token", provider=PROVIDER)
    name = user.get("username") or user.get("display_name") or user["open_id"]
    return Identity(external_id=str(user["open_id"]), display_name=str(name))


def chunk_plan(size: int, *, chunk: int) -> tuple[int, int]:
    """(chunk_size, total_chunk_count) by TikTok's rules: files under 5 MB go whole; else
    chunks of 5-64 MB, the last one taking the remainder."""
    if size <= MIN_CHUNK_BYTES:
        return size, 1
    chunk = max(MIN_CHUNK_BYTES, min(chunk, MAX_CHUNK_BYTES))
    return chunk, max(1, size // chunk)


def upload(
    client: PlatformClient, *, username: str, post: Post, state: dict, save_state: SaveState
) -> Posted:
    """Init, chunks, status. A retry after the chunks were sent only fetches the status; one
    before starts a new post (TikTok upload URLs cannot be resumed after an hour)."""
    state = dict(state)
    if not state.get("uploaded"):
        state = _init(client, post=post)
        save_state(state)
        _send_chunks(client, url=state["upload_url"], post=post)
        state["uploaded"] = True
        save_state(state)
    post_id = _wait_for_post(client, publish_id=state["publish_id"], save_state=save_state)
    return Posted(post_id=post_id, url=f"https://www.tiktok.com/@{username}/video/{post_id}")


def _init(client: PlatformClient, *, post: Post) -> dict:
    options = _api(client, "/v2/post/publish/creator_info/query/", json={}).get(
        "privacy_level_options"
    ) or ["SELF_ONLY"]
    level = PRIVACY_LEVELS.get(post.privacy, "SELF_ONLY")
    if level not in options:
        level = "SELF_ONLY" if "SELF_ONLY" in options else options[0]
    chunk_size, count = chunk_plan(post.size_bytes, chunk=settings.PUBLISH_CHUNK_BYTES)
    data = _api(
        client,
        "/v2/post/publish/video/init/",
        json={
            "post_info": {
                "title": post.caption[:2200],
                "privacy_level": level,
                "disable_duet": False,
                "disable_comment": False,
                "disable_stitch": False,
                "is_aigc": post.is_ai_generated,
            },
            "source_info": {
                "source": "FILE_UPLOAD",
                "video_size": post.size_bytes,
                "chunk_size": chunk_size,
                "total_chunk_count": count,
            },
        },
    )
    if not data.get("publish_id") or not data.get("upload_url"):
        raise PermanentProviderError("init named no publish_id or upload_url", provider=PROVIDER)
    return {
        "publish_id": data["publish_id"],
        "upload_url": data["upload_url"],
        "chunk_size": chunk_size,
        "chunk_count": count,
    }


def _send_chunks(client: PlatformClient, *, url: str, post: Post) -> None:
    chunk_size, count = chunk_plan(post.size_bytes, chunk=settings.PUBLISH_CHUNK_BYTES)
    with post.path.open("rb") as fh:
        for index in range(count):
            first = index * chunk_size
            # The last chunk carries the remainder (up to 128 MB, by TikTok's rules).
            length = chunk_size if index < count - 1 else post.size_bytes - first
            piece = fh.read(length)
            client.call(
                "PUT",
                url,
                withhold_token=True,
                data=piece,
                headers={
                    "Content-Type": "video/mp4",
                    "Content-Range": f"bytes {first}-{first + len(piece) - 1}/{post.size_bytes}",
                },
            )


def _wait_for_post(client: PlatformClient, *, publish_id: str, save_state: SaveState) -> str:
    deadline = time.monotonic() + settings.PUBLISH_POLL_DEADLINE_S
    while True:
        data = _api(client, "/v2/post/publish/status/fetch/", json={"publish_id": publish_id})
        status = data.get("status")
        if status == "PUBLISH_COMPLETE":
            ids = data.get("publicaly_available_post_id") or []  # sic: TikTok's spelling
            return str(ids[0]) if ids else publish_id
        if status == "FAILED":
            save_state({})  # a failed post cannot be finished: a retry starts a new one
            raise PermanentProviderError(
                f"TikTok could not post the video ({data.get('fail_reason') or 'no reason given'})",
                provider=PROVIDER,
            )
        if time.monotonic() >= deadline:
            raise TransientProviderError("TikTok is still processing the video", provider=PROVIDER)
        time.sleep(settings.PUBLISH_POLL_S)
