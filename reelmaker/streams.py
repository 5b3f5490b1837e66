"""Open event streams per user, counted in the shared cache: a cap on what one user holds open.

The count lives in the default cache, so with many web processes set CACHE_URL (Redis) for one
count across them, as for the throttles. Each count expires `ttl_s` after the last stream was
opened, so slots that a killed process never gave back come free again.
"""

from __future__ import annotations

from django.core.cache import cache

from reelmaker.errors import TooManyStreams


def _key(user_id: int) -> str:
    return f"events:open-streams:{user_id}"


def open_stream_slot(*, user_id: int, limit: int, ttl_s: int) -> None:
    """Count one more open stream for the user; raises TooManyStreams (429) past `limit`,
    counting nothing. Give the slot back with close_stream_slot."""
    key = _key(user_id)
    cache.add(key, 0, ttl_s)
    try:
        opened = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, ttl_s)
        opened = 1
    cache.touch(key, ttl_s)
    if opened > limit:
        close_stream_slot(user_id=user_id)
        raise TooManyStreams(
            details={"limit": limit, "retry_after_s": TooManyStreams.retry_after_s}
        )


def close_stream_slot(*, user_id: int) -> None:
    """Give one slot back (safe once the count has expired)."""
    try:
        if cache.decr(_key(user_id)) < 0:
            cache.delete(_key(user_id))
    except ValueError:  # the count expired: nothing to give back
        pass
