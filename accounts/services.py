"""Account lifecycle: password change and reset, email verification, log out everywhere.

Mails go through Django's email backend (EMAIL_BACKEND; the console by default)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.models import VerifiedEmail
from accounts.tokens import (
    decode_uid,
    email_verification_tokens,
    encode_uid,
    password_reset_tokens,
)
from reelmaker.errors import EmailNotVerified, InvalidRequest

User = get_user_model()


def _check_new_password(user, password: str, *, field: str) -> None:
    try:
        password_validation.validate_password(password, user=user)
    except DjangoValidationError as exc:
        raise InvalidRequest(
            _("Some fields are invalid."), details={"fields": {field: list(exc.messages)}}
        ) from None


def _user_from_link(uid: str, token: str, generator):
    pk = decode_uid(uid)
    user = User.objects.filter(pk=pk).first() if pk and pk.isdigit() else None
    if user is None or not generator.check_token(user, token):
        raise InvalidRequest(_("The link is invalid or has expired. Ask for a new one."))
    return user


def logout_everywhere(*, user) -> int:
    """Blacklist every outstanding refresh token of `user`. Safe to repeat; returns how many
    were newly blacklisted. Access tokens already issued live out their short lifetime."""
    outstanding = OutstandingToken.objects.filter(user=user, blacklistedtoken__isnull=True)
    tokens = [BlacklistedToken(token=token) for token in outstanding]
    BlacklistedToken.objects.bulk_create(tokens, ignore_conflicts=True)
    return len(tokens)


def token_pair(*, user) -> dict:
    refresh = RefreshToken.for_user(user)
    return {"access": str(refresh.access_token), "refresh": str(refresh)}


@transaction.atomic
def change_password(*, user, old_password: str, new_password: str) -> dict:
    """Set a new password after checking the old one; every other session is logged out.
    Returns a fresh token pair for the caller."""
    if not user.check_password(old_password):
        raise InvalidRequest(
            _("Some fields are invalid."),
            details={"fields": {"old_password": [_("The current password is wrong.")]}},
        )
    _check_new_password(user, new_password, field="new_password")
    user.set_password(new_password)
    user.save(update_fields=["password"])
    logout_everywhere(user=user)
    return token_pair(user=user)


def request_password_reset(*, email: str) -> None:
    """Mail a reset link to the active account with this email, if any. Says nothing about
    whether one exists."""
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None or not user.has_usable_password():
        return
    uid, token = encode_uid(user.pk), password_reset_tokens.make_token(user)
    link = f"{settings.SITE_URL}/reset-password?uid={uid}&token={token}"
    send_mail(
        _("Reset your reelmaker password"),
        _(
            "Someone asked to reset the password of your reelmaker account.\n\n"
            "To choose a new one, open %(link)s\n"
            "or send uid=%(uid)s and token=%(token)s to /api/v1/auth/password/reset/confirm.\n\n"
            "If it was not you, ignore this mail."
        )
        % {"link": link, "uid": uid, "token": token},
        None,
        [user.email],
    )


@transaction.atomic
def confirm_password_reset(*, uid: str, token: str, new_password: str) -> None:
    """Set the new password from a reset link (one use: the token covers the old password)
    and log out every session."""
    user = _user_from_link(uid, token, password_reset_tokens)
    _check_new_password(user, new_password, field="new_password")
    user.set_password(new_password)
    user.save(update_fields=["password"])
    logout_everywhere(user=user)


def is_email_verified(user) -> bool:
    return VerifiedEmail.objects.filter(user=user, email__iexact=user.email).exists()


def request_email_verification(*, user) -> bool:
    """Mail a verification link for the user's current email; False when already verified."""
    if is_email_verified(user):
        return False
    uid, token = encode_uid(user.pk), email_verification_tokens.make_token(user)
    link = f"{settings.SITE_URL}/verify-email?uid={uid}&token={token}"
    send_mail(
        _("Confirm your email for reelmaker"),
        _(
            "Confirm that this is your email: open %(link)s\n"
            "or send uid=%(uid)s and token=%(token)s to /api/v1/auth/email/verify/confirm."
        )
        % {"link": link, "uid": uid, "token": token},
        None,
        [user.email],
    )
    return True


@transaction.atomic
def confirm_email_verification(*, uid: str, token: str):
    """Mark the user's current email verified. Safe to repeat."""
    user = _user_from_link(uid, token, email_verification_tokens)
    VerifiedEmail.objects.update_or_create(
        user=user, defaults={"email": user.email, "verified_at": timezone.now()}
    )
    return user


def ensure_may_start_work(*, user) -> None:
    """Raises EmailNotVerified (403) when REQUIRE_VERIFIED_EMAIL is on and the user's email
    is not verified."""
    if settings.REQUIRE_VERIFIED_EMAIL and not is_email_verified(user):
        raise EmailNotVerified()


def email_taken(email: str, *, exclude_pk: int | None = None) -> bool:
    """Whether another account signs in with `email` (as its username or its email)."""
    users = User.objects.filter(username__iexact=email) | User.objects.filter(email__iexact=email)
    if exclude_pk is not None:
        users = users.exclude(pk=exclude_pk)
    return users.exists()
