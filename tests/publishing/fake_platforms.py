"""One local server speaking the documented HTTP formats of the platforms reelmaker posts to
and signs in with, each under its own paths:

- Google: OAuth 2.0 token endpoint (/token: authorization_code with PKCE, refresh_token; an
  RS256 OpenID Connect `id_token` when `openid` was asked for, carrying the request's nonce),
  its signing keys as a JWKS (/oauth2/v3/certs, with Cache-Control max-age), /revoke,
  YouTube Data API v3 channels.list and videos.insert with uploadType=resumable (session
  URL, chunk PUTs, 308 Resume Incomplete + Range).
- Meta: /v21.0/oauth/access_token (code and fb_exchange_token), /me/accounts,
  /{ig-user-id}/media (REELS, upload_type=resumable), rupload /ig-api-upload/v21.0/{id},
  /{container-id}?fields=status_code, /{ig-user-id}/media_publish, /{media-id}?fields=permalink;
  errors as {"error": {"code": 190, ...}}.
- TikTok: /v2/oauth/token/ (client_key), /v2/oauth/revoke/, /v2/user/info/, Content Posting
  API creator_info/query, video/init (FILE_UPLOAD), chunk PUTs with Content-Range (206/201),
  status/fetch; errors as {"error": {"code": "access_token_invalid", ...}}.
- Kakao: /oauth/token and /v2/user/me.

`consent(url)` plays the user approving on the platform's page: it checks the authorization
request and returns the code and state the platform would redirect with. The token endpoint
checks the PKCE verifier against the challenge of that request (RFC 7636, S256).
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import time
from urllib.parse import parse_qs, urlencode, urlsplit

from joserfc import jwt
from joserfc.jwk import RSAKey

from tests.providers.fake_stock import Answer, FakeServer, Seen, json_answer

GRAPH = "/v21.0"


def _s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


GOOGLE_ISSUER = "https://accounts.google.com"


class FakePlatforms(FakeServer):
    def __init__(self) -> None:
        super().__init__()
        # Google's signing key: a locally made RSA key, published at /oauth2/v3/certs.
        self.google_key = RSAKey.generate_key(2048, parameters={"kid": "google-1", "use": "sig"})
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.requests.clear()
            self.faults.clear()
            self.canned.clear()
        self.counter = itertools.count(1)
        self.codes: dict[str, dict] = {}  # code -> platform, challenge, redirect_uri
        self.access: dict[str, str] = {}  # live access token -> platform
        self.refresh: dict[str, str] = {}  # live refresh token -> platform
        self.revoked: list[str] = []
        self.sessions: dict[str, dict] = {}  # YouTube upload sessions
        self.containers: dict[str, dict] = {}  # Instagram containers
        self.tiktok_posts: dict[str, dict] = {}
        self.fail_container = False
        self.polls_before_done = 1
        self.email_verified = True
        self.email = "minji@example.com"
        self.subject = "kakao-or-google-42"
        # What the next Google ID token looks like: claims replaced or added, the key it is
        # signed with (None: Google's published key) and the key id in its header.
        self.id_token_changes: dict = {}
        self.id_token_key: RSAKey | None = None
        self.id_token_kid = "google-1"
        self.jwks_fetches = 0

    # ------------------------------------------------------------ test controls

    def consent(self, authorization_url: str) -> tuple[str, str]:
        """The user says yes: (code, state) as the redirect back would carry them."""
        query = {k: v[0] for k, v in parse_qs(urlsplit(authorization_url).query).items()}
        assert query["response_type"] == "code"
        client = query.get("client_id") or query.get("client_key")
        assert client, "no client id in the authorization request"
        code = f"code-{next(self.counter)}"
        self.codes[code] = {
            "challenge": query.get("code_challenge"),
            "method": query.get("code_challenge_method"),
            "redirect_uri": query.get("redirect_uri"),
            "query": query,
        }
        return code, query["state"]

    def expire_access_tokens(self) -> None:
        """Every access token given so far stops working (they expired early)."""
        self.access.clear()

    def revoke_everything(self) -> None:
        """The user removed the app's access on the platform."""
        self.access.clear()
        self.refresh.clear()

    def bodies(self, method: str, prefix: str) -> list[Seen]:
        return [r for r in self.requests if r.method == method and r.path.startswith(prefix)]

    # ------------------------------------------------------------ routing

    def route(self, seen: Seen) -> Answer:
        path = seen.path
        if path == "/token":
            return self._token(seen, platform="google")
        if path == "/revoke":
            self.revoked.append(self._form(seen).get("token", ""))
            return json_answer({})
        if path == "/oauth/token":
            return self._token(seen, platform="kakao")
        if path == "/v2/oauth/token/":
            return self._token(seen, platform="tiktok")
        if path == "/v2/oauth/revoke/":
            self.revoked.append(self._form(seen).get("token", ""))
            return json_answer({})
        if path == f"{GRAPH}/oauth/access_token":
            return self._meta_token(seen)
        if path in ("/o/oauth2/v2/auth", "/oauth/authorize"):  # Google's and Kakao's pages
            return self._consent_page(seen)
        if path == "/oauth2/v3/certs":
            self.jwks_fetches += 1
            jwks = {"keys": [self.google_key.as_dict(private=False) | {"alg": "RS256"}]}
            return Answer(
                200,
                json.dumps(jwks).encode(),
                headers={"Cache-Control": "public, max-age=21600, must-revalidate"},
            )
        if path == "/v2/user/me":
            return self._kakao_me(seen)
        if path.startswith("/youtube/v3/") or path.startswith("/upload/youtube/v3/"):
            return self._youtube(seen)
        if path.startswith("/ig-api-upload/"):
            return self._rupload(seen)
        if path.startswith(f"{GRAPH}/"):
            return self._graph(seen)
        if path.startswith("/v2/") or path.startswith("/tiktok-upload/"):
            return self._tiktok(seen)
        return json_answer({"error": "not found"}, 404)

    # ------------------------------------------------------------ OAuth

    def _consent_page(self, seen: Seen) -> Answer:
        """A browser at the consent page: the user approves at once and is sent back."""
        query = urlencode({k: v[0] for k, v in seen.query.items()})
        code, state = self.consent(f"{seen.path}?{query}")
        back = self.codes[code]["redirect_uri"]
        target = f"{back}?{urlencode({'code': code, 'state': state})}"
        return Answer(302, b"", content_type="text/plain", headers={"Location": target})

    @staticmethod
    def _form(seen: Seen) -> dict[str, str]:
        if seen.method == "GET":
            return {k: v[0] for k, v in seen.query.items()}
        return {k: v[0] for k, v in parse_qs(seen.body.decode()).items()}

    def _issue(self, platform: str, *, with_refresh: bool = True) -> dict:
        n = next(self.counter)
        access = f"{platform}-access-{n}"
        self.access[access] = platform
        token = {"access_token": access, "expires_in": 3599, "token_type": "Bearer"}
        if with_refresh:
            refresh = f"{platform}-refresh-{n}"
            self.refresh[refresh] = platform
            token["refresh_token"] = refresh
        return token

    def _token(self, seen: Seen, *, platform: str) -> Answer:
        form = self._form(seen)
        client_field = "client_key" if platform == "tiktok" else "client_id"
        if not form.get(client_field) or (not form.get("client_secret") and platform != "kakao"):
            return json_answer({"error": "invalid_client"}, 401)
        if form.get("grant_type") == "authorization_code":
            pending = self.codes.pop(form.get("code", ""), None)
            if pending is None:
                return json_answer({"error": "invalid_grant", "error_description": "Bad code"}, 400)
            if pending["redirect_uri"] != form.get("redirect_uri"):
                return json_answer({"error": "redirect_uri_mismatch"}, 400)
            if (
                pending["challenge"]
                and _s256(form.get("code_verifier", "")) != pending["challenge"]
            ):
                return json_answer({"error": "invalid_grant", "error_description": "PKCE"}, 400)
            token = self._issue(platform)
            if platform == "google" and "openid" in pending["query"].get("scope", "").split():
                token["id_token"] = self._google_id_token(pending["query"])
        elif form.get("grant_type") == "refresh_token":
            if self.refresh.get(form.get("refresh_token", "")) != platform:
                return json_answer(
                    {
                        "error": "invalid_grant",
                        "error_description": "Token has been expired or revoked.",
                    },
                    400,
                )
            token = self._issue(platform, with_refresh=platform != "google")
            if platform != "google":  # TikTok and Kakao rotate the refresh token
                self.refresh.pop(form["refresh_token"], None)
        else:
            return json_answer({"error": "unsupported_grant_type"}, 400)
        if platform == "tiktok":
            token |= {"open_id": "tt-open-1", "scope": "user.info.basic,video.publish"}
        elif platform == "google":
            token["scope"] = "https://www.googleapis.com/auth/youtube.upload"
        return json_answer(token)

    def _meta_token(self, seen: Seen) -> Answer:
        form = self._form(seen)
        if form.get("grant_type") == "fb_exchange_token":
            if form.get("fb_exchange_token") not in self.access:
                return json_answer(
                    {
                        "error": {
                            "message": "Error validating access token",
                            "type": "OAuthException",
                            "code": 190,
                        }
                    },
                    400,
                )
            token = self._issue("meta", with_refresh=False)
            return json_answer(token | {"expires_in": 5183944, "token_type": "bearer"})
        pending = self.codes.pop(form.get("code", ""), None)
        if pending is None or not form.get("client_secret"):
            return json_answer({"error": {"message": "Invalid code", "code": 100}}, 400)
        return json_answer(self._issue("meta", with_refresh=False) | {"token_type": "bearer"})

    def _bearer(self, seen: Seen, platform: str) -> bool:
        header = seen.headers.get("authorization", "")
        token = header.split(" ", 1)[1] if " " in header else ""
        return self.access.get(token) == platform

    # ------------------------------------------------------------ sign-in profiles

    def _google_id_token(self, query: dict) -> str:
        """An ID token as Google's token endpoint returns it (OpenID Connect Core §2)."""
        now = int(time.time())
        claims = {
            "iss": GOOGLE_ISSUER,
            "azp": query["client_id"],
            "aud": query["client_id"],
            "sub": self.subject,
            "email": self.email,
            "email_verified": self.email_verified,
            "name": "Minji Kim",
            "iat": now,
            "exp": now + 3599,
        }
        if "nonce" in query:
            claims["nonce"] = query["nonce"]
        claims |= self.id_token_changes
        header = {"alg": "RS256", "kid": self.id_token_kid, "typ": "JWT"}
        return jwt.encode(header, claims, self.id_token_key or self.google_key)

    def _kakao_me(self, seen: Seen) -> Answer:
        if not self._bearer(seen, "kakao"):
            return json_answer({"msg": "this access token does not exist", "code": -401}, 401)
        return json_answer(
            {
                "id": int(self.subject.rsplit("-", 1)[-1]),
                "connected_at": "2026-12-01T00:00:00Z",
                "kakao_account": {
                    "profile": {"nickname": "김민지"},
                    "email": self.email,
                    "is_email_valid": True,
                    "is_email_verified": self.email_verified,
                },
            }
        )

    # ------------------------------------------------------------ YouTube

    def _youtube(self, seen: Seen) -> Answer:
        if not self._bearer(seen, "google"):
            return json_answer(
                {
                    "error": {
                        "code": 401,
                        "message": "Request had invalid authentication credentials.",
                        "status": "UNAUTHENTICATED",
                    }
                },
                401,
            )
        if seen.path == "/youtube/v3/channels":
            assert seen.query["mine"] == ["true"]
            return json_answer(
                {
                    "kind": "youtube#channelListResponse",
                    "items": [{"id": "UC-channel-1", "snippet": {"title": "민지의 채널"}}],
                }
            )
        if seen.method == "POST":
            assert seen.query["uploadType"] == ["resumable"]
            upload_id = f"up-{next(self.counter)}"
            self.sessions[upload_id] = {
                "metadata": seen.json(),
                "size": int(seen.headers["x-upload-content-length"]),
                "type": seen.headers["x-upload-content-type"],
                "bytes": b"",
            }
            location = (
                f"{self.url}/upload/youtube/v3/videos?uploadType=resumable&upload_id={upload_id}"
            )
            return Answer(200, b"", headers={"Location": location})
        session = self.sessions[seen.query["upload_id"][0]]
        span, _, total = seen.headers["content-range"].removeprefix("bytes ").partition("/")
        assert int(total) == session["size"]
        if span != "*":
            first = int(span.split("-")[0])
            assert first == len(session["bytes"]), "a chunk that does not follow the last"
            session["bytes"] += seen.body
        if len(session["bytes"]) < session["size"]:
            headers = {"Range": f"bytes=0-{len(session['bytes']) - 1}"} if session["bytes"] else {}
            return Answer(308, b"", headers=headers)
        video_id = session.setdefault("id", f"yt-video-{next(self.counter)}")
        return json_answer({"kind": "youtube#video", "id": video_id, **session["metadata"]}, 201)

    # ------------------------------------------------------------ Instagram

    def _graph_error(self, code: int, message: str) -> Answer:
        return json_answer(
            {
                "error": {
                    "message": message,
                    "type": "OAuthException",
                    "code": code,
                    "fbtrace_id": "Ab1",
                }
            },
            400,
        )

    def _graph(self, seen: Seen) -> Answer:
        token = seen.query.get("access_token") or self._form(seen).get("access_token") or [""]
        token = token[0] if isinstance(token, list) else token
        if self.access.get(token) != "meta":
            return self._graph_error(190, "Error validating access token: Session has expired")
        path = seen.path.removeprefix(f"{GRAPH}/")
        form = self._form(seen) if seen.method == "POST" else {}
        if path == "me/accounts":
            return json_answer(
                {
                    "data": [
                        {
                            "id": "page-1",
                            "name": "민지 상점",
                            "instagram_business_account": {
                                "id": "1784-ig-1",
                                "username": "minji.shop",
                            },
                        }
                    ]
                }
            )
        if path.endswith("/media") and seen.method == "POST":
            assert form["media_type"] == "REELS"
            assert form["upload_type"] == "resumable"
            container = f"c-{next(self.counter)}"
            self.containers[container] = {
                "form": form,
                "bytes": b"",
                "polls": 0,
                "published": False,
            }
            return json_answer(
                {"id": container, "uri": f"{self.url}/ig-api-upload/v21.0/{container}"}
            )
        if path.endswith("/media_publish"):
            container = self.containers[form["creation_id"]]
            if container["published"]:
                return self._graph_error(9007, "Media already published")
            container["published"] = True
            return json_answer({"id": f"media-{form['creation_id']}"})
        if path in self.containers:
            container = self.containers[path]
            container["polls"] += 1
            if not container["bytes"]:
                return json_answer({"status_code": "IN_PROGRESS", "id": path})
            if self.fail_container:
                return json_answer(
                    {
                        "status_code": "ERROR",
                        "status": "Error: 2207026 unsupported video format",
                        "id": path,
                    }
                )
            done = container["polls"] > self.polls_before_done
            return json_answer({"status_code": "FINISHED" if done else "IN_PROGRESS", "id": path})
        if path.startswith("media-"):
            return json_answer({"id": path, "permalink": f"https://www.instagram.com/reel/{path}/"})
        return self._graph_error(100, f"Unsupported request: {path}")

    def _rupload(self, seen: Seen) -> Answer:
        header = seen.headers.get("authorization", "")
        if not header.startswith("OAuth ") or self.access.get(header[6:]) != "meta":
            return json_answer(
                {"debug_info": {"type": "OAuthException", "message": "Invalid OAuth access token"}},
                401,
            )
        container = self.containers[seen.path.rsplit("/", 1)[1]]
        assert seen.headers["offset"] == "0"
        assert int(seen.headers["file_size"]) == len(seen.body)
        container["bytes"] = seen.body
        return json_answer({"success": True, "message": "Upload successful."})

    # ------------------------------------------------------------ TikTok

    def _tiktok_error(self, code: str, message: str, status: int) -> Answer:
        return json_answer({"error": {"code": code, "message": message, "log_id": "2026"}}, status)

    def _tiktok(self, seen: Seen) -> Answer:
        if seen.path.startswith("/tiktok-upload/"):
            post = self.tiktok_posts[seen.path.rsplit("/", 1)[1]]
            span, _, total = seen.headers["content-range"].removeprefix("bytes ").partition("/")
            assert int(total) == post["size"]
            assert int(span.split("-")[0]) == len(post["bytes"])
            post["bytes"] += seen.body
            return Answer(201 if len(post["bytes"]) == post["size"] else 206, b"")
        if not self._bearer(seen, "tiktok"):
            return self._tiktok_error(
                "access_token_invalid",
                "The access token is invalid or not found in the request.",
                401,
            )
        if seen.path == "/v2/user/info/":
            user = {"open_id": "tt-open-1", "display_name": "민지", "username": "minji.reels"}
            return json_answer(
                {"data": {"user": user}, "error": {"code": "ok", "message": "", "log_id": "1"}}
            )
        ok = {"code": "ok", "message": "", "log_id": "1"}
        if seen.path == "/v2/post/publish/creator_info/query/":
            options = ["PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "SELF_ONLY"]
            return json_answer(
                {
                    "data": {
                        "creator_username": "minji.reels",
                        "privacy_level_options": options,
                        "max_video_post_duration_sec": 600,
                    },
                    "error": ok,
                }
            )
        if seen.path == "/v2/post/publish/video/init/":
            body = seen.json()
            source = body["source_info"]
            assert source["source"] == "FILE_UPLOAD"
            publish_id = f"v_pub_file~v2-1.{next(self.counter)}"
            self.tiktok_posts[publish_id] = {
                "init": body,
                "size": source["video_size"],
                "bytes": b"",
                "polls": 0,
            }
            return json_answer(
                {
                    "data": {
                        "publish_id": publish_id,
                        "upload_url": f"{self.url}/tiktok-upload/{publish_id}",
                    },
                    "error": ok,
                }
            )
        if seen.path == "/v2/post/publish/status/fetch/":
            post = self.tiktok_posts[seen.json()["publish_id"]]
            post["polls"] += 1
            if len(post["bytes"]) < post["size"] or post["polls"] <= self.polls_before_done:
                return json_answer(
                    {
                        "data": {
                            "status": "PROCESSING_UPLOAD",
                            "uploaded_bytes": len(post["bytes"]),
                        },
                        "error": ok,
                    }
                )
            return json_answer(
                {
                    "data": {
                        "status": "PUBLISH_COMPLETE",
                        "publicaly_available_post_id": [7300000000000000001],
                    },
                    "error": ok,
                }
            )
        return self._tiktok_error("invalid_params", f"unknown path {seen.path}", 404)


def decoded(seen: Seen) -> dict:
    return json.loads(seen.body or b"{}")
