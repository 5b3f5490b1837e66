"""A story's event log: status changes, job changes and progress, in order.

Rows are written in the same transaction as the change they describe, so a reader that sees
the new status also sees its event. The row id is the server-sent event id, which makes a
stream resumable (Last-Event-ID) and polling trivial (`?after=<id>`).
"""

from __future__ import annotations

import collections
import json
import time
from collections.abc import Iterator

from stories.models import Event, Story
from stories.states import WORKING

PAGE_SIZE = 500  # events per poll or per stream read
SETTLE_S = 5.0  # how long a stream keeps looking for events that committed out of id order


def record_event(*, story_id: int, kind: str, payload: dict | None = None) -> Event:
    """Append one event to the story's log, inside the caller's transaction (no lock taken:
    callers already hold job and story locks, and another one here could deadlock)."""
    return Event.objects.create(story_id=story_id, kind=kind, payload=payload or {})


def record_status_event(
    *, story_id: int, from_status: str, to_status: str, reason: str = ""
) -> Event:
    """A story moved from one status to another."""
    return record_event(
        story_id=story_id,
        kind=Event.Kind.STATUS,
        payload={"from": str(from_status), "to": str(to_status), "reason": reason[:500]},
    )


def format_sse(event: Event) -> str:
    """One event in the text/event-stream wire format (id, event, data)."""
    data = json.dumps(event_as_dict(event), ensure_ascii=False, separators=(",", ":"))
    return f"id: {event.pk}\nevent: {event.kind}\ndata: {data}\n\n"


def event_as_dict(event: Event) -> dict:
    return {
        "id": event.pk,
        "kind": event.kind,
        "payload": event.payload,
        "created_at": event.created_at.isoformat(),
    }


def sse_comment(text: str) -> str:
    """A comment line: clients ignore it; proxies see traffic and keep the stream open."""
    return f": {text}\n\n"


def events_after(*, story_id: int, after: int = 0, limit: int = PAGE_SIZE) -> list[Event]:
    """The story's events with an id above `after`, oldest first, at most `limit`."""
    return list(Event.objects.filter(story_id=story_id, pk__gt=after).order_by("pk")[:limit])


def stream_story_events(
    *,
    story_id: int,
    after: int = 0,
    poll_s: float,
    heartbeat_s: float,
    max_s: float,
    settle_s: float = SETTLE_S,
) -> Iterator[str]:
    """Server-sent events for a story: everything after `after`, then new events as they are
    written, ending with an `end` event naming the status once the story rests (no step is
    running). A stream longer than `max_s` closes; the client resumes with Last-Event-ID.

    Ids are handed out at insert but become visible at commit, so two workers can commit a
    story's events out of id order. The stream therefore keeps reading from a watermark that
    trails `settle_s` behind and skips the ids it already sent, so a late commit still arrives.
    """
    started = last_beat = time.monotonic()
    watermark, sent = after, set()
    history: collections.deque[tuple[float, int]] = collections.deque()
    yield f"retry: {int(poll_s * 1000) + 1000}\n\n"
    while True:
        # Read the status before the events: every event written up to that status is
        # then already visible, so nothing is lost when the stream ends on it.
        status = Story.objects.filter(pk=story_id).values_list("status", flat=True).first()
        batch = events_after(story_id=story_id, after=watermark)
        fresh = [event for event in batch if event.pk not in sent]
        for event in fresh:
            sent.add(event.pk)
            yield format_sse(event)
        now = time.monotonic()
        if batch:
            history.append((now, max(sent)))
        while history and now - history[0][0] >= settle_s:
            watermark = max(watermark, history.popleft()[1])
        sent = {pk for pk in sent if pk > watermark}
        if len(batch) == PAGE_SIZE and fresh:
            continue
        if status is None or status not in WORKING:
            data = json.dumps({"status": status, "last_event_id": max(sent | {watermark})})
            yield f"event: end\ndata: {data}\n\n"
            return
        if now - started > max_s:
            return
        if now - last_beat > heartbeat_s:
            last_beat = now
            yield sse_comment("keep-alive")
        time.sleep(poll_s)
