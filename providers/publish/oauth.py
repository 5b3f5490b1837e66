"""OAuth 2.0 for the platforms we post to and sign in with, through authlib's requests client.

authlib builds the authorization URL (state, PKCE S256), exchanges the code, refreshes a token
that is about to expire before a request goes out (`update_token` hands the new one back to be
stored) and revokes. This module adds what the platforms do differently (TikTok's
`client_key`, Meta's token exchange instead of refresh tokens) and maps every failure onto the
provider errors jobs understand: 429/5xx/timeouts retry, a refused grant asks to reconnect.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import requests
from authlib.common.urls import add_params_to_qs
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from django.conf import settings

from providers.base import PermanentProviderError, TransientProviderError
from providers.http import error_for_status

YOUTUBE, INSTAGRAM, TIKTOK = "youtube", "instagram", "tiktok"
GOOGLE, KAKAO = "google", "kakao"


class AccountNeedsReconnect(PermanentProviderError):
    """The platform refused the account's tokens (revoked, expired for good, scope removed):
    the user must link the account again. Nothing retries this."""


@dataclass(frozen=True)
class OAuthApp:
    """One platform's OAuth client: endpoints, scopes and the settings that switch it on."""

    name: str  # how operators know it ("YouTube")
    client_id: str
    client_secret: str
    authorize_url: str
    token_url: str
    scopes: tuple[str, ...]
    settings_names: tuple[str, str]  # the two settings that hold the id and the secret
    scope_separator: str = " "
    revoke_url: str = ""
    uses_pkce: bool = True
    extra_authorize: dict[str, str] = field(default_factory=dict)

    @property
    def is_configured(self) -> bool:
        return bool(self.client_id and self.client_secret)


def oauth_app(platform: str) -> OAuthApp:
    """The OAuth client of `platform` (youtube, instagram, tiktok, google, kakao) from settings."""
    s = settings
    if platform in (YOUTUBE, GOOGLE):
        scopes = (
            (
                "https://www.googleapis.com/auth/youtube.upload",
                "https://www.googleapis.com/auth/youtube.readonly",
            )
            if platform == YOUTUBE
            else ("openid", "email", "profile")
        )
        # offline + consent: Google only returns a refresh token when both are asked for.
        extra = {"access_type": "offline", "prompt": "consent"} if platform == YOUTUBE else {}
        return OAuthApp(
            name="YouTube" if platform == YOUTUBE else "Google",
            client_id=s.GOOGLE_CLIENT_ID,
            client_secret=s.GOOGLE_CLIENT_SECRET,
            authorize_url=s.GOOGLE_AUTHORIZE_URL,
            token_url=s.GOOGLE_TOKEN_URL,
            revoke_url=s.GOOGLE_REVOKE_URL,
            scopes=scopes,
            settings_names=("GOOGLE_CLIENT_ID", "GOOGLE_CLIENT_SECRET"),
            extra_authorize=extra,
        )
    if platform == INSTAGRAM:
        version = s.META_GRAPH_VERSION
        return OAuthApp(
            name="Instagram",
            client_id=s.META_APP_ID,
            client_secret=s.META_APP_SECRET,
            authorize_url=f"{s.META_DIALOG_URL}/{version}/dialog/oauth",
            token_url=f"{s.META_GRAPH_URL}/{version}/oauth/access_token",
            scopes=(
                "instagram_basic",
                "instagram_content_publish",
                "pages_show_list",
                "business_management",
            ),
            scope_separator=",",
            settings_names=("META_APP_ID", "META_APP_SECRET"),
            uses_pkce=False,
        )
    if platform == TIKTOK:
        return OAuthApp(
            name="TikTok",
            client_id=s.TIKTOK_CLIENT_KEY,
            client_secret=s.TIKTOK_CLIENT_SECRET,
            authorize_url=s.TIKTOK_AUTHORIZE_URL,
            token_url=f"{s.TIKTOK_API_URL}/v2/oauth/token/",
            revoke_url=f"{s.TIKTOK_API_URL}/v2/oauth/revoke/",
            scopes=("user.info.basic", "video.publish"),
            scope_separator=",",
            settings_names=("TIKTOK_CLIENT_KEY", "TIKTOK_CLIENT_SECRET"),
        )
    if platform == KAKAO:
        return OAuthApp(
            name="Kakao",
            client_id=s.KAKAO_REST_API_KEY,
            client_secret=s.KAKAO_CLIENT_SECRET,
            authorize_url=f"{s.KAKAO_AUTH_URL}/oauth/authorize",
            token_url=f"{s.KAKAO_AUTH_URL}/oauth/token",
            scopes=("account_email", "profile_nickname"),
            scope_separator=",",
            settings_names=("KAKAO_REST_API_KEY", "KAKAO_CLIENT_SECRET"),
        )
    raise ValueError(f"unknown OAuth platform {platform!r}")


def _client_key_post(auth, method, uri, headers, body):
    """TikTok names the client `client_key` in its token requests, not `client_id`."""
    pairs = [("client_key", auth.client_id), ("client_secret", auth.client_secret)]
    return uri, headers, add_params_to_qs(body or "", pairs)


def session(
    app: OAuthApp,
    *,
    token: dict | None = None,
    redirect_uri: str = "",
    on_token: Callable[[dict], None] | None = None,
    token_placement: str = "header",  # noqa: S107 (where the token goes, not a secret)
) -> OAuth2Session:
    """An authlib session for `app`. With a token whose refresh token is known, a request made
    within the refresh lead of expiry refreshes it first and hands the new one to `on_token`."""

    def update_token(new_token, refresh_token=None, access_token=None):
        if on_token is not None:
            on_token(dict(new_token))

    client = OAuth2Session(
        client_id=app.client_id,
        client_secret=app.client_secret,
        scope=app.scope_separator.join(app.scopes),
        redirect_uri=redirect_uri or None,
        token=token,
        token_endpoint=app.token_url,
        token_endpoint_auth_method=(
            "client_key_post" if app.name == "TikTok" else "client_secret_post"
        ),
        code_challenge_method="S256" if app.uses_pkce else None,
        update_token=update_token,
        token_placement=token_placement,
        leeway=settings.PUBLISH_TOKEN_REFRESH_LEAD_S,
    )
    client.register_client_auth_method(("client_key_post", _client_key_post))
    return client


def authorization_url(
    app: OAuthApp, *, redirect_uri: str, state: str, code_verifier: str, **params: str
) -> str:
    """Where to send the user to consent: state, (where the platform takes it) PKCE, and
    `params` (an OpenID Connect nonce)."""
    client = session(app, redirect_uri=redirect_uri)
    verifier = code_verifier if app.uses_pkce else None
    url, _state = client.create_authorization_url(
        app.authorize_url, state=state, code_verifier=verifier, **app.extra_authorize, **params
    )
    if app.name != "TikTok":
        return url
    parts = urlsplit(url)
    query = [("client_key" if k == "client_id" else k, v) for k, v in parse_qsl(parts.query)]
    return urlunsplit(parts._replace(query=urlencode(query)))


def exchange_code(app: OAuthApp, *, code: str, redirect_uri: str, code_verifier: str) -> dict:
    """The token for an authorization code. Raises AccountNeedsReconnect when refused."""
    client = session(app, redirect_uri=redirect_uri)
    extra = {"code_verifier": code_verifier} if app.uses_pkce else {}
    try:
        token = client.fetch_token(
            app.token_url, code=code, timeout=settings.PUBLISH_TIMEOUT_S, **extra
        )
    except (OAuthError, requests.RequestException, ValueError) as exc:
        raise _mapped(exc, app=app) from exc
    return dict(token)


def refresh(app: OAuthApp, *, token: dict) -> dict:
    """A new token from the refresh token. Raises AccountNeedsReconnect when it is refused."""
    if not token.get("refresh_token"):
        raise AccountNeedsReconnect(
            "the access token expired and there is no refresh token", provider=app.name
        )
    client = session(app, token=token)
    try:
        new = client.refresh_token(
            app.token_url, refresh_token=token["refresh_token"], timeout=settings.PUBLISH_TIMEOUT_S
        )
    except (OAuthError, requests.RequestException, ValueError) as exc:
        raise _mapped(exc, app=app) from exc
    new = dict(new)
    new.setdefault("refresh_token", token["refresh_token"])  # Google keeps the old one
    return new


def revoke(app: OAuthApp, *, token: str) -> None:
    """Ask the platform to forget the token (best effort: the caller deletes it anyway)."""
    if not app.revoke_url:
        return
    client = session(app)
    client.revoke_token(app.revoke_url, token=token, timeout=settings.PUBLISH_TIMEOUT_S)


def _mapped(exc: Exception, *, app: OAuthApp) -> Exception:
    if isinstance(exc, requests.Timeout | requests.ConnectionError):
        return TransientProviderError(f"could not reach {app.name} ({exc})", provider=app.name)
    if isinstance(exc, OAuthError):
        return AccountNeedsReconnect(
            f"{app.name} refused the grant ({exc.error}: {exc.description or ''})".strip(),
            provider=app.name,
        )
    return PermanentProviderError(f"{app.name} answered garbage ({exc})", provider=app.name)


def call(
    client: requests.Session,
    method: str,
    url: str,
    *,
    provider: str,
    key_env: str,
    ok: tuple[int, ...] = (),
    **kwargs,
) -> requests.Response:
    """One platform request with a timeout; transport errors, 429/5xx (Retry-After kept) and
    refused tokens mapped onto the provider errors. `ok` lists non-2xx statuses that are
    answers, not failures (YouTube's 308 Resume Incomplete)."""
    kwargs.setdefault("timeout", settings.PUBLISH_TIMEOUT_S)
    try:
        response = client.request(method, url, **kwargs)
    except OAuthError as exc:  # the refresh authlib made before the request was refused
        raise _mapped(exc, app=_named(provider)) from exc
    except requests.RequestException as exc:
        raise TransientProviderError(f"could not reach it ({exc})", provider=provider) from exc
    if response.status_code < 300 or response.status_code in ok:
        return response
    detail = response.text[:300].strip()
    if response.status_code == 401:
        raise AccountNeedsReconnect(
            f"{provider} refused the account's token (HTTP 401; {detail})", provider=provider
        )
    raise error_for_status(
        response.status_code,
        provider=provider,
        name=provider,
        key_env=key_env,
        detail=detail,
        headers=response.headers,
        what="this upload",
    )


def _named(provider: str) -> OAuthApp:
    return OAuthApp(
        name=provider, client_id="", client_secret="", authorize_url="", token_url="",
        scopes=(), settings_names=("", ""),
    )  # fmt: skip


class PlatformClient:
    """An account's session on a platform. A token the platform refuses in the middle of the
    work (it expired early, or was rotated) is refreshed once and the request sent again; a
    second refusal, or a refused refresh, is AccountNeedsReconnect."""

    def __init__(
        self,
        app: OAuthApp,
        *,
        token: dict,
        on_token: Callable[[dict], None],
        token_placement: str = "header",  # noqa: S107 (where the token goes, not a secret)
    ):
        self.app, self.on_token = app, on_token
        self.session = session(app, token=token, on_token=on_token, token_placement=token_placement)

    @property
    def access_token(self) -> str:
        return str(self.session.token["access_token"])

    def call(self, method: str, url: str, **kwargs) -> requests.Response:
        key_env = self.app.settings_names[0]
        try:
            return call(
                self.session, method, url, provider=self.app.name, key_env=key_env, **kwargs
            )
        except AccountNeedsReconnect:
            if not self.session.token.get("refresh_token"):
                raise
        new = refresh(self.app, token=dict(self.session.token))
        self.on_token(new)
        self.session.token = new
        return call(self.session, method, url, provider=self.app.name, key_env=key_env, **kwargs)
