"""Linked accounts: connect (OAuth consent and callback), tokens kept encrypted and refreshed
before they expire, a refused token turning the account to "reconnect", unlink (revoked)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from provenance.models import Platform
from providers.base import TransientProviderError
from providers.publish import instagram, oauth, tiktok, youtube
from providers.publish.oauth import AccountNeedsReconnect, PlatformClient
from publishing import crypto, oauth_state
from publishing.errors import AccountNotLinked, NotConfigured, OAuthStateInvalid
from publishing.models import LinkedAccount

log = logging.getLogger(__name__)

IDENTITY = {
    Platform.YOUTUBE: youtube.identity,
    Platform.INSTAGRAM: instagram.identity,
    Platform.TIKTOK: tiktok.identity,
}


def missing_settings(platform: str) -> list[str]:
    """The settings to set before `platform` works; empty when it is configured."""
    app = oauth.oauth_app(platform)
    names = [] if app.is_configured else list(app.settings_names)
    if not crypto.has_keys():
        names.append("PUBLISH_TOKEN_KEYS")
    return names


def configured_platforms() -> list[str]:
    return [p for p in Platform.values if not missing_settings(p)]


def ensure_configured(platforms: list[str]) -> None:
    """Raises NotConfigured naming the platforms and the settings they lack."""
    missing = {p: missing_settings(p) for p in platforms}
    off = [p for p, names in missing.items() if names]
    if off:
        names = list(dict.fromkeys(n for p in off for n in missing[p]))
        raise NotConfigured(platforms=off, settings_names=names)


def redirect_uri() -> str:
    """The one callback every platform sends the user back to (`state` says which flow)."""
    return settings.OAUTH_REDIRECT_URL or f"{settings.SITE_URL}/api/v1/linked-accounts/callback/"


def start_link(*, user, platform: str, return_to: str = "") -> str:
    """The platform's consent URL for this user (state and PKCE remembered for the callback;
    `return_to`, a path of ours, is where the callback sends a browser). Raises NotConfigured."""
    ensure_configured([platform])
    state, verifier = oauth_state.remember(
        purpose="link", user_id=user.pk, platform=platform, return_to=return_to
    )
    return oauth.authorization_url(
        oauth.oauth_app(platform),
        redirect_uri=redirect_uri(),
        state=state,
        code_verifier=verifier,
    )


def complete_link(*, code: str, state: str) -> tuple[LinkedAccount, str]:
    """Exchange the code, find who the account is and keep it (linking it again refreshes its
    tokens and clears "reconnect"); answers it and the path to send a browser back to, if any.
    Raises OAuthStateInvalid for an unknown or used state and
    AccountNeedsReconnect when the platform refuses the code."""
    pending = oauth_state.take(state=state, purpose="link")
    if pending is None:
        raise OAuthStateInvalid()
    platform = pending["platform"]
    ensure_configured([platform])
    app = oauth.oauth_app(platform)
    token = oauth.exchange_code(
        app, code=code, redirect_uri=redirect_uri(), code_verifier=pending["verifier"]
    )
    if platform == Platform.INSTAGRAM:
        token = instagram.extend_token(token)  # a short-lived token lasts an hour
    client = _client(platform, token=token, on_token=lambda new: token.update(new))
    who = IDENTITY[Platform(platform)](client)
    scope = str(token.get("scope") or " ".join(app.scopes))
    account, _created = LinkedAccount.objects.update_or_create(
        user_id=pending["user_id"],
        platform=platform,
        external_id=who.external_id,
        defaults={
            "display_name": who.display_name[:200],
            "scopes": sorted(set(scope.replace(",", " ").split())),
            **_encrypted(token),
            "status": LinkedAccount.Status.ACTIVE,
            "status_reason": "",
        },
    )
    return account, str(pending.get("return_to") or "")


def _encrypted(token: dict) -> dict:
    expires_at = token.get("expires_at")
    return {
        "access_token_encrypted": crypto.encrypt(str(token["access_token"])),
        "refresh_token_encrypted": crypto.encrypt(str(token.get("refresh_token") or "")),
        "expires_at": datetime.fromtimestamp(int(expires_at), tz=UTC) if expires_at else None,
    }


def token_of(account: LinkedAccount) -> dict:
    """The account's token as authlib takes it (decrypted: never leaves this process)."""
    token: dict[str, str | int] = {
        "access_token": crypto.decrypt(account.access_token_encrypted),
        "token_type": "Bearer",
    }
    refresh_token = crypto.decrypt(account.refresh_token_encrypted)
    if refresh_token:
        token["refresh_token"] = refresh_token
    if account.expires_at:
        token["expires_at"] = int(account.expires_at.timestamp())
    return token


def store_token(*, account_id: int, token: dict) -> None:
    """Keep a refreshed token (encrypted); the account is usable again."""
    fields = _encrypted(token) | {"status": LinkedAccount.Status.ACTIVE, "status_reason": ""}
    LinkedAccount.objects.filter(pk=account_id).update(**fields, updated_at=timezone.now())


def mark_reconnect(*, account_id: int, reason: str) -> None:
    """The platform refused the account's tokens: the user must link it again. Its history
    and every publication stay."""
    LinkedAccount.objects.filter(pk=account_id).update(
        status=LinkedAccount.Status.RECONNECT, status_reason=reason[:300], updated_at=timezone.now()
    )


def client_for(account: LinkedAccount) -> PlatformClient:
    """A session on the account's platform with a live token: one expiring within
    PUBLISH_TOKEN_REFRESH_LEAD_S is refreshed (and stored) first. Raises AccountNotLinked
    (reconnect) when the account needs it or its refresh is refused."""
    if account.status == LinkedAccount.Status.RECONNECT:
        raise AccountNotLinked(platforms=[account.platform], reconnect=True)
    token = token_of(account)
    if not token["access_token"]:
        mark_reconnect(account_id=account.pk, reason="no key can read the stored token")
        raise AccountNotLinked(platforms=[account.platform], reconnect=True)
    lead = timedelta(seconds=settings.PUBLISH_TOKEN_REFRESH_LEAD_S)
    if account.expires_at and account.expires_at - lead <= timezone.now():
        try:
            token = _refreshed(account.platform, token)
        except AccountNeedsReconnect as exc:
            mark_reconnect(account_id=account.pk, reason=exc.message)
            raise AccountNotLinked(platforms=[account.platform], reconnect=True) from exc
        store_token(account_id=account.pk, token=token)
    return _client(
        account.platform,
        token=token,
        on_token=lambda new: store_token(account_id=account.pk, token=new),
    )


def _refreshed(platform: str, token: dict) -> dict:
    if platform == Platform.INSTAGRAM:
        return instagram.extend_token(token)
    return oauth.refresh(oauth.oauth_app(platform), token=token)


def _client(platform: str, *, token: dict, on_token) -> PlatformClient:
    # The Graph API takes the token as the access_token parameter.
    placement = "uri" if platform == Platform.INSTAGRAM else "header"
    return PlatformClient(
        oauth.oauth_app(platform), token=token, on_token=on_token, token_placement=placement
    )


@transaction.atomic
def unlink(*, account: LinkedAccount) -> None:
    """Revoke the account's tokens at the platform (best effort: a platform that is down must
    not keep them here) and forget it; its publications stay, without the account."""
    token = token_of(account)
    revoked = token.get("refresh_token") or token["access_token"]
    if revoked:
        try:
            oauth.revoke(oauth.oauth_app(account.platform), token=revoked)
        except Exception:
            log.warning(
                "could not revoke the %s token of account %s",
                account.platform,
                account.pk,
                exc_info=True,
            )
    account.delete()


def refresh_expiring_tokens(*, within: timedelta = timedelta(days=7)) -> int:
    """Extend the long-lived tokens that have no refresh token (Meta's, about 60 days) before
    they run out, so an account used rarely stays linked. A refusal marks it "reconnect".
    Returns how many were extended. Safe to repeat."""
    extended = 0
    due = LinkedAccount.objects.filter(
        status=LinkedAccount.Status.ACTIVE,
        refresh_token_encrypted="",
        expires_at__lte=timezone.now() + within,
    )
    for account in due:
        try:
            token = _refreshed(account.platform, token_of(account))
        except AccountNeedsReconnect as exc:
            mark_reconnect(account_id=account.pk, reason=exc.message)
            continue
        except TransientProviderError:
            log.warning(
                "could not extend the token of account %s; next run tries again", account.pk
            )
            continue
        store_token(account_id=account.pk, token=token)
        extended += 1
    return extended
