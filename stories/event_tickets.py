"""Tickets for a story's event stream: a browser's EventSource cannot send a bearer token, so
it asks for a ticket with its token first and opens the stream with `?ticket=`.

A ticket is a random token in the default cache naming one user and one story (or, for work
without a story such as a practice take's analysis, one job). It lives
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
    story_id: int | None
    expires_at: datetime
    job_id: int | None = None


def _key(token: str) -> str:
    return f"events:ticket:{token}"


def issue_ticket(*, user_id: int, story_id: int | None, job_id: int | None = None) -> Ticket:
    """A new single-use ticket for this user's stream of this story, or of this story-less job
    (the caller checked that it is the user's)."""
    ttl_s = settings.EVENTS_TICKET_TTL_S
    token = secrets.token_urlsafe(32)
    claim = {"user_id": user_id, "story_id": story_id, "job_id": job_id}
    cache.set(_key(token), claim, ttl_s)
    expires_at = timezone.now() + timedelta(seconds=ttl_s)
    return Ticket(
        token=token, user_id=user_id, story_id=story_id, expires_at=expires_at, job_id=job_id
    )


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
        job_id=claim.get("job_id"),
    )
