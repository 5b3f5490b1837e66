"""Instagram Reels through the Instagram Graph API (Facebook Login): a REELS media container
with a resumable upload (the bytes go to rupload.facebook.com), its status_code polled until
FINISHED, then media_publish, then the permalink.

Meta gives no refresh token: a long-lived user token (about 60 days) is extended by exchanging
it again before it runs out (`extend_token`). The Graph API has no per-post privacy and, so
far, no field for an AI-generated label on Reels; `Post.privacy` is not sent.
"""

from __future__ import annotations

import time

import requests
from django.conf import settings

from providers.base import PermanentProviderError, TransientProviderError
from providers.http import json_body
from providers.publish.base import Identity, Post, Posted, SaveState
from providers.publish.oauth import AccountNeedsReconnect, PlatformClient, call, oauth_app

PROVIDER = "Instagram"
# Graph API error codes: 190 = the token is invalid or expired; 4, 17, 32, 613 = rate limits.
TOKEN_ERRORS = {190, 102}
RATE_LIMITS = {4, 17, 32, 613}


def _graph_url(path: str) -> str:
    return f"{settings.META_GRAPH_URL}/{settings.META_GRAPH_VERSION}/{path.lstrip('/')}"


def _graph(client: PlatformClient, method: str, path: str, **kwargs) -> dict:
    """A Graph API call; its error object ({"error": {"code", "message"}}) told apart."""
    response = client.call(method, _graph_url(path), ok=(400, 403), **kwargs)
    body = json_body(response, provider=PROVIDER)
    if response.status_code < 300:
        return body
    error = body.get("error") or {}
    code, message = error.get("code"), str(error.get("message", "")).strip()
    if code in TOKEN_ERRORS:
        raise AccountNeedsReconnect(f"Meta refused the token ({message})", provider=PROVIDER)
    if code in RATE_LIMITS:
        raise TransientProviderError(f"Meta is rate limiting ({message})", provider=PROVIDER)
    raise PermanentProviderError(f"Meta refused the request ({code}: {message})", provider=PROVIDER)


def extend_token(token: dict) -> dict:
    """A fresh long-lived token for this one (fb_exchange_token); Meta's way to refresh."""
    app = oauth_app("instagram")
    with requests.Session() as plain:
        response = call(
            plain,
            "GET",
            _graph_url("oauth/access_token"),
            provider=PROVIDER,
            key_env="META_APP_ID",
            ok=(400,),
            params={
                "grant_type": "fb_exchange_token",
                "client_id": app.client_id,
                "client_secret": app.client_secret,
                "fb_exchange_token": token["access_token"],
            },
        )
    body = json_body(response, provider=PROVIDER)
    if response.status_code >= 300 or not body.get("access_token"):
        message = (body.get("error") or {}).get("message", "no token came back")
        raise AccountNeedsReconnect(
            f"Meta would not extend the token ({message})", provider=PROVIDER
        )
    expires_in = int(body.get("expires_in") or 60 * 24 * 3600)
    return {
        "access_token": body["access_token"],
        "token_type": "bearer",
        "expires_at": int(time.time()) + expires_in,
    }


def identity(client: PlatformClient) -> Identity:
    """The first Instagram professional account connected to one of the user's Pages."""
    body = _graph(
        client,
        "GET",
        "me/accounts",
        params={"fields": "name,instagram_business_account{id,username}"},
    )
    for page in body.get("data") or []:
        account = page.get("instagram_business_account")
        if account and account.get("id"):
            name = account.get("username") or page.get("name") or account["id"]
            return Identity(external_id=str(account["id"]), display_name=str(name))
    raise PermanentProviderError(
        "no Instagram professional account is connected to your Facebook Pages: connect one "
        "in Instagram's settings, then link again",
        provider=PROVIDER,
    )


def upload(
    client: PlatformClient, *, ig_user_id: str, post: Post, state: dict, save_state: SaveState
) -> Posted:
    """Container, upload, wait, publish. Each step saved in `state`, so a retry goes on from
    the first step not done. Safe to repeat: a published container is not published again."""
    state = dict(state)
    if not state.get("container_id"):
        body = _graph(
            client,
            "POST",
            f"{ig_user_id}/media",
            data={
                "media_type": "REELS",
                "upload_type": "resumable",
                "caption": post.caption[:2200],
                "share_to_feed": "true",
            },
        )
        state |= {"container_id": str(body["id"]), "upload_uri": str(body.get("uri") or "")}
        save_state(state)
    container = state["container_id"]
    if not state.get("uploaded"):
        upload_uri = state.get("upload_uri") or (
            f"{settings.META_RUPLOAD_URL}/ig-api-upload/{settings.META_GRAPH_VERSION}/{container}"
        )
        with post.path.open("rb") as video:  # streamed, not read into memory
            response = client.call(
                "POST",
                upload_uri,
                withhold_token=True,
                data=video,
                headers={
                    "Authorization": f"OAuth {client.access_token}",
                    "offset": "0",
                    "file_size": str(post.size_bytes),
                    "Content-Length": str(post.size_bytes),
                },
            )
        if not json_body(response, provider=PROVIDER).get("success"):
            raise PermanentProviderError("the video upload was not accepted", provider=PROVIDER)
        state["uploaded"] = True
        save_state(state)
    if not state.get("media_id"):
        _wait_until_finished(client, container=container, save_state=save_state)
        body = _graph(
            client, "POST", f"{ig_user_id}/media_publish", data={"creation_id": container}
        )
        state["media_id"] = str(body["id"])
        save_state(state)
    media = _graph(client, "GET", state["media_id"], params={"fields": "permalink"})
    return Posted(post_id=state["media_id"], url=str(media.get("permalink") or ""))


def _wait_until_finished(client: PlatformClient, *, container: str, save_state: SaveState) -> None:
    deadline = time.monotonic() + settings.PUBLISH_POLL_DEADLINE_S
    while True:
        body = _graph(client, "GET", container, params={"fields": "status_code,status"})
        status_code = body.get("status_code")
        if status_code in ("FINISHED", "PUBLISHED"):
            return
        if status_code in ("ERROR", "EXPIRED"):
            save_state({})  # a failed container cannot be published: a retry makes a new one
            raise PermanentProviderError(
                f"Instagram could not process the video ({status_code}: "
                f"{body.get('status') or 'no reason given'})",
                provider=PROVIDER,
            )
        if time.monotonic() >= deadline:
            raise TransientProviderError(
                "Instagram is still processing the video", provider=PROVIDER
            )
        time.sleep(settings.PUBLISH_POLL_S)
