"""Tickets for a story's event stream: a browser's EventSource cannot send a bearer token, so
it asks for a ticket with its token first and opens the stream with `?ticket=`.

A ticket is a random token in the default cache naming one user and one story. It lives
EVENTS_TICKET_TTL_S (60 s by default) and opens one stream: redeeming deletes it, and only the
caller whose delete removed it gets it, so with a shared cache (CACHE_URL) a ticket is single
use across every web process.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

# What secrets.token_urlsafe makes; anything else is no ticket and never reaches the cache
# (a key with spaces or control characters is an error in memcached).
TOKEN = re.compile(r"[A-Za-z0-9_-]{1,128}")


@dataclass(frozen=True)
class Ticket:
    token: str
    user_id: int
    story_id: int
    expires_at: datetime


def _key(token: str) -> str:
    return f"events:ticket:{token}"


def issue_ticket(*, user_id: int, story_id: int) -> Ticket:
    """A new single-use ticket for this user's stream of this story (the caller checked that
    the story is the user's)."""
    ttl_s = settings.EVENTS_TICKET_TTL_S
    token = secrets.token_urlsafe(32)
    cache.set(_key(token), {"user_id": user_id, "story_id": story_id}, ttl_s)
    expires_at = timezone.now() + timedelta(seconds=ttl_s)
    return Ticket(token=token, user_id=user_id, story_id=story_id, expires_at=expires_at)


def redeem_ticket(*, token: str) -> Ticket | None:
    """The ticket, used up now; None when it is unknown, expired or already used."""
    if not TOKEN.fullmatch(token):
        return None
    key = _key(token)
    claim = cache.get(key)
    # The delete is the claim: of two redeemers racing, only one sees its delete succeed.
    if claim is None or not cache.delete(key):
        return None
    return Ticket(
        token=token,
        user_id=claim["user_id"],
        story_id=claim["story_id"],
        expires_at=timezone.now(),
    )
