"""Sign in with Google or Kakao (OAuth 2.0 authorization code with state and PKCE, through
authlib), beside email and password; the API answers a JWT pair as for a password login.

Google's answer is trusted through its OpenID Connect ID token, verified against Google's
published keys with the nonce this sign-in sent (providers.publish.id_token); Kakao's through
its profile API called with the fresh access token.

A first social sign-in makes an account, or joins the existing account with the same email
when the provider says it verified that email (an unverified address could be anyone's). A
signed-in user who completes a social sign-in adds that identity to their own account.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import update_last_login
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.models import SocialIdentity, VerifiedEmail
from billing import services as billing_services
from providers.base import PermanentProviderError
from providers.publish import id_token, oauth, signin
from publishing import oauth_state
from publishing.errors import IdTokenInvalid, NotConfigured, OAuthStateInvalid
from reelmaker.errors import EmailTaken

User = get_user_model()


SIGN_IN_PROVIDERS = (oauth.GOOGLE, oauth.KAKAO)


def configured_providers() -> list[str]:
    """The sign-in providers whose OAuth app is set on this server, in display order."""
    return [name for name in SIGN_IN_PROVIDERS if oauth.oauth_app(name).is_configured]


def _app(provider: str) -> oauth.OAuthApp:
    app = oauth.oauth_app(provider)
    if not app.is_configured:
        raise NotConfigured(platforms=[provider], settings_names=list(app.settings_names))
    return app


def redirect_uri(provider: str) -> str:
    base = settings.SOCIAL_REDIRECT_BASE_URL or f"{settings.SITE_URL}/auth/social"
    return f"{base}/{provider}/"


def start_social_sign_in(*, provider: str) -> str:
    """The provider's consent URL (state and PKCE remembered). Raises NotConfigured."""
    app = _app(provider)
    # The nonce ties Google's ID token to this sign-in: a token from another one is refused.
    nonce = secrets.token_urlsafe(24) if provider == oauth.GOOGLE else ""
    state, verifier = oauth_state.remember(purpose="signin", provider=provider, nonce=nonce)
    params = {"nonce": nonce} if nonce else {}
    return oauth.authorization_url(
        app, redirect_uri=redirect_uri(provider), state=state, code_verifier=verifier, **params
    )


def complete_social_sign_in(*, provider: str, code: str, state: str, user=None) -> dict:
    """As social_account, answered as a JWT pair (the API's sign-in)."""
    account, created = social_account(provider=provider, code=code, state=state, user=user)
    refresh = RefreshToken.for_user(account)
    update_last_login(type(account), account)
    return {"access": str(refresh.access_token), "refresh": str(refresh), "created": created}


def social_account(*, provider: str, code: str, state: str, user=None) -> tuple:
    """Exchange the code, find or make the user: (user, created). Raises OAuthStateInvalid
    (unknown or used state), IdTokenInvalid (Google's ID token failed a check), EmailTaken
    (this identity signs in as someone else) or a ProviderError when the provider refuses."""
    pending = oauth_state.take(state=state, purpose="signin")
    if pending is None or pending["provider"] != provider:
        raise OAuthStateInvalid()
    app = _app(provider)
    token = oauth.exchange_code(
        app, code=code, redirect_uri=redirect_uri(provider), code_verifier=pending["verifier"]
    )
    if provider == oauth.GOOGLE:
        profile = _verified_google(token, client_id=app.client_id, nonce=pending.get("nonce", ""))
    else:
        profile = signin.kakao_profile(access_token=str(token["access_token"]))
    return _user_for(profile, signed_in=user)


def _verified_google(token: dict, *, client_id: str, nonce: str) -> signin.SocialProfile:
    if not token.get("id_token"):
        raise PermanentProviderError("the token answer had no ID token", provider="Google")
    try:
        claims = id_token.verify_google_id_token(
            str(token["id_token"]), client_id=client_id, nonce=nonce
        )
    except id_token.IdTokenRejected as exc:
        raise IdTokenInvalid(provider="Google", reason=exc.reason) from exc
    return signin.google_profile(claims)


@transaction.atomic
def _user_for(profile: signin.SocialProfile, *, signed_in=None):
    identity = (
        SocialIdentity.objects.select_related("user")
        .filter(provider=profile.provider, subject=profile.subject)
        .first()
    )
    if identity is not None:
        if signed_in is not None and identity.user_id != signed_in.pk:
            raise EmailTaken(_("This sign-in already belongs to another reelmaker account."))
        return identity.user, False
    account, created = signed_in, False
    if account is None and profile.email and profile.email_verified:
        account = User.objects.filter(email__iexact=profile.email).first()
    if account is None:
        account, created = _new_user(profile), True
    SocialIdentity.objects.create(
        user=account, provider=profile.provider, subject=profile.subject, email=profile.email
    )
    return account, created


def _new_user(profile: signin.SocialProfile):
    email = profile.email if profile.email_verified else ""
    username = email or f"{profile.provider}:{profile.subject}"
    user = User.objects.create_user(
        username=username[:150], email=email, first_name=profile.name[:150]
    )
    user.set_unusable_password()  # a password can be set later (password reset by email)
    user.save(update_fields=["password"])
    if email:
        VerifiedEmail.objects.create(user=user, email=email, verified_at=timezone.now())
    billing_services.subscription_for(user=user)
    return user
