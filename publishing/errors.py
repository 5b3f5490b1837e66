"""Refusals of the publishing app, each with its code, HTTP status and translated message."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import status

from reelmaker.errors import DomainError


class NotConfigured(DomainError):
    """No OAuth app (or no token key) is set for these platforms: the settings are named."""

    code = "NOT_CONFIGURED"
    http_status = status.HTTP_400_BAD_REQUEST

    def __init__(self, *, platforms: list[str], settings_names: list[str]):
        super().__init__(
            _(
                "%(platforms)s is not configured on this server: set %(settings)s in the "
                "environment and restart."
            )
            % {"platforms": ", ".join(platforms), "settings": ", ".join(settings_names)},
            details={"platforms": platforms, "settings": settings_names},
        )


class AccountNotLinked(DomainError):
    """No usable linked account for these platforms (none, or one that needs reconnecting)."""

    code = "ACCOUNT_NOT_LINKED"
    http_status = status.HTTP_409_CONFLICT

    def __init__(self, *, platforms: list[str], reconnect: bool = False):
        message = (
            _("Reconnect your %(platforms)s account: the platform no longer accepts its access.")
            if reconnect
            else _("Link a %(platforms)s account first (Linked accounts, Connect).")
        )
        super().__init__(
            message % {"platforms": ", ".join(platforms)},
            details={"platforms": platforms, "reconnect": reconnect},
        )


class NotPublishable(DomainError):
    code = "ILLEGAL_TRANSITION"
    http_status = status.HTTP_409_CONFLICT

    def __init__(self, *, current: str):
        super().__init__(
            _("Only a completed story with its final video can be published (it is %(current)s).")
            % {"current": current},
            details={"current": current, "allowed": ["COMPLETED"]},
        )


class NotCancelable(DomainError):
    code = "ILLEGAL_TRANSITION"
    http_status = status.HTTP_409_CONFLICT
    default_message = _("Only a publication that has not started uploading can be canceled.")


class OAuthStateInvalid(DomainError):
    code = "INVALID_REQUEST"
    default_message = _(
        "This sign-in link expired or was already used, or did not come from us. Start again."
    )


class IdTokenInvalid(DomainError):
    """The sign-in provider's ID token failed a check (signature, key, issuer, audience, expiry,
    nonce): nobody is signed in by it."""

    code = "ID_TOKEN_INVALID"
    http_status = status.HTTP_400_BAD_REQUEST
    WHY = {
        "malformed": _("the ID token is not a valid JWT"),
        "signature": _("its signature does not match the provider's keys"),
        "unknown_key": _("it is signed with a key the provider does not publish"),
        "issuer": _("it was not issued by the provider"),
        "audience": _("it was issued to another application"),
        "expired": _("it has expired"),
        "nonce": _("it belongs to another sign-in"),
        "claims": _("its claims are incomplete"),
    }

    def __init__(self, *, provider: str, reason: str):
        why = self.WHY.get(reason, self.WHY["claims"])
        super().__init__(
            _("%(provider)s sign-in could not be verified: %(why)s. Start again.")
            % {"provider": provider, "why": why},
            details={"provider": provider, "reason": reason},
        )


class PlatformRefused(DomainError):
    """The platform refused the upload for good (a failed container, a rejected video)."""

    code = "EXTERNAL_API_ERROR"
    http_status = status.HTTP_502_BAD_GATEWAY

    def __init__(self, *, platform: str, reason: str):
        super().__init__(
            _("%(platform)s refused the video: %(reason)s")
            % {"platform": platform, "reason": reason},
            details={"provider": platform, "reason": reason},
        )


class RulesRefused(DomainError):
    """The reel breaks a platform's rules or uses an asset whose licence forbids posting it:
    every problem is listed, each with its own code and words (provenance.problems)."""

    code = "PUBLISH_REFUSED"
    http_status = status.HTTP_400_BAD_REQUEST

    def __init__(self, *, problems: list[dict]):
        super().__init__(
            _("This reel cannot be posted yet: %(reasons)s")
            % {"reasons": " ".join(str(p["message"]) for p in problems)},
            details={"problems": problems},
        )
