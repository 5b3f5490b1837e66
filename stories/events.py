"""A story's event log: status changes, job changes and progress, in order.

Rows are written in the same transaction as the change they describe, so a reader that sees
the new status also sees its event. The row id is the server-sent event id, which makes a
stream resumable (Last-Event-ID) and polling trivial (`?after=<id>`).
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import json
import time
import weakref
from collections.abc import AsyncIterator, Callable, Iterator

from asgiref.sync import sync_to_async
from django.db import DatabaseError, close_old_connections
from django.db.models import OuterRef, Subquery

from stories.models import Event, Story
from stories.states import WORKING

PAGE_SIZE = 500  # events per poll or per stream read
SETTLE_S = 5.0  # how long a stream keeps looking for events that committed out of id order


def record_event(
    *,
    kind: str,
    payload: dict | None = None,
    story_id: int | None = None,
    job_id: int | None = None,
) -> Event:
    """Append one event to the story's log (or, given no story, to the job's: work without a
    story), inside the caller's transaction (no lock taken: callers already hold job and story
    locks, and another one here could deadlock)."""
    job_id = None if story_id is not None else job_id
    return Event.objects.create(story_id=story_id, job_id=job_id, kind=kind, payload=payload or {})


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


def events_after(
    *,
    story_id: int | None = None,
    job_id: int | None = None,
    after: int = 0,
    limit: int = PAGE_SIZE,
) -> list[Event]:
    """The story's (or the story-less job's) events with an id above `after`, oldest first, at
    most `limit`."""
    owner = {"story_id": story_id} if story_id is not None else {"job_id": job_id}
    return list(Event.objects.filter(pk__gt=after, **owner).order_by("pk")[:limit])


# Reads (status, whether work goes on) of what a stream follows, before each batch of events.
StateReader = Callable[[], tuple[str | None, bool]]


def story_state(story_id: int) -> StateReader:
    """A story's status; work goes on while it is a working one."""

    def read() -> tuple[str | None, bool]:
        status = Story.objects.filter(pk=story_id).values_list("status", flat=True).first()
        return status, status is not None and status in WORKING

    return read


class EventStream:
    """The state of one story's event stream, advanced one poll at a time by `step`.

    Ids are handed out at insert but become visible at commit, so two workers can commit a
    story's events out of id order. The stream therefore keeps reading from a watermark that
    trails `settle_s` behind and skips the ids it already sent, so a late commit still arrives.
    """

    def __init__(
        self,
        *,
        story_id: int | None = None,
        job_id: int | None = None,
        state: StateReader | None = None,
        after: int = 0,
        poll_s: float,
        heartbeat_s: float,
        max_s: float,
        settle_s: float = SETTLE_S,
    ):
        self.job_id = job_id
        self.state = state or story_state(story_id or 0)
        self.story_id, self.poll_s, self.heartbeat_s, self.max_s = (
            story_id,
            poll_s,
            heartbeat_s,
            max_s,
        )
        self.settle_s = settle_s
        self.started = self.last_beat = time.monotonic()
        self.watermark, self.sent = after, set[int]()
        self.history: collections.deque[tuple[float, int]] = collections.deque()

    def next_read_in(self) -> float:
        """Seconds until this stream must read again unless woken: the poll interval while
        late commits may still arrive (events seen within settle_s), else the next keep-alive."""
        if self.history:
            return self.poll_s
        now = time.monotonic()
        due = min(self.last_beat + self.heartbeat_s, self.started + self.max_s) + 0.05
        return max(self.poll_s, due - now)

    def retry_hint(self) -> str:
        """The first message: how long an EventSource waits before it reconnects."""
        return f"retry: {int(self.poll_s * 1000) + 1000}\n\n"

    def step(self) -> tuple[list[str], bool, bool]:
        """One poll: (messages to send, whether to poll again at once, whether the stream is
        over). Reads the database; call it from a thread, never from an event loop."""
        # Read the status before the events: every event written up to that status is
        # then already visible, so nothing is lost when the stream ends on it.
        status, working = self.state()
        batch = events_after(story_id=self.story_id, job_id=self.job_id, after=self.watermark)
        fresh = [event for event in batch if event.pk not in self.sent]
        messages = []
        for event in fresh:
            self.sent.add(event.pk)
            messages.append(format_sse(event))
        now = time.monotonic()
        if batch:
            self.history.append((now, max(self.sent)))
        while self.history and now - self.history[0][0] >= self.settle_s:
            self.watermark = max(self.watermark, self.history.popleft()[1])
        self.sent = {pk for pk in self.sent if pk > self.watermark}
        if len(batch) == PAGE_SIZE and fresh:
            return messages, True, False
        if not working:
            data = json.dumps(
                {"status": status, "last_event_id": max(self.sent | {self.watermark})}
            )
            messages.append(f"event: end\ndata: {data}\n\n")
            return messages, False, True
        if now - self.started > self.max_s:
            return messages, False, True
        if now - self.last_beat > self.heartbeat_s:
            self.last_beat = now
            messages.append(sse_comment("keep-alive"))
        return messages, False, False


def stream_story_events(**options) -> Iterator[str]:
    """Server-sent events for a story (a plain iterator, for WSGI: it holds its thread):
    everything after `after`, then new events as they are written, ending with an `end` event
    naming the status once the story rests (no step is running). A stream longer than `max_s`
    closes; the client resumes with Last-Event-ID. Takes EventStream's arguments."""
    stream = EventStream(**options)
    yield stream.retry_hint()
    while True:
        messages, again, over = stream.step()
        yield from messages
        if over:
            return
        if not again:
            time.sleep(stream.poll_s)


async def astream_story_events(
    *, on_close: Callable[[], None] | None = None, **options
) -> AsyncIterator[str]:
    """The same stream as an async iterator, for ASGI: between polls it holds no thread. It
    reads the story when StoryWatcher sees it change, while it is settling late commits, and
    for each keep-alive; those reads run on the event loop's small shared thread pool. `on_close`
    runs once the stream ends, also when the client goes away (the server then cancels it)."""
    stream = EventStream(**options)
    step = sync_to_async(_step_on_pool_thread, thread_sensitive=False)
    watcher = StoryWatcher.for_running_loop(poll_s=stream.poll_s)
    # A story-less job's stream has no watcher to wake it: it reads every poll instead.
    story_id = stream.story_id
    changed = watcher.watch(story_id) if story_id is not None else asyncio.Event()
    try:
        yield stream.retry_hint()
        while True:
            changed.clear()  # a change seen from here on wakes the wait below
            messages, again, over = await step(stream)
            for message in messages:
                yield message
            if over:
                return
            if again:
                continue
            wait_s = stream.next_read_in() if story_id is not None else stream.poll_s
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), wait_s)
    finally:
        if story_id is not None:
            watcher.unwatch(story_id, changed)
        if on_close is not None:
            await sync_to_async(on_close, thread_sensitive=False)()


class StoryWatcher:
    """One per event loop: every `poll_s`, one query reads the status and the last event id of
    every story that a stream follows, and wakes the streams of the stories that changed. A
    process with 500 open streams thus polls the database once per interval, not 500 times."""

    _by_loop: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, StoryWatcher] = (
        weakref.WeakKeyDictionary()
    )

    def __init__(self, *, poll_s: float):
        self.poll_s = poll_s
        self.streams: dict[int, set[asyncio.Event]] = {}
        self.seen: dict[int, tuple] = {}
        self.task: asyncio.Task | None = None

    @classmethod
    def for_running_loop(cls, *, poll_s: float) -> StoryWatcher:
        loop = asyncio.get_running_loop()
        if loop not in cls._by_loop:
            cls._by_loop[loop] = cls(poll_s=poll_s)
        return cls._by_loop[loop]

    def watch(self, story_id: int) -> asyncio.Event:
        changed = asyncio.Event()
        self.streams.setdefault(story_id, set()).add(changed)
        if self.task is None:
            self.task = asyncio.ensure_future(self._poll())
        return changed

    def unwatch(self, story_id: int, changed: asyncio.Event) -> None:
        followers = self.streams.get(story_id, set())
        followers.discard(changed)
        if not followers:
            self.streams.pop(story_id, None)
            self.seen.pop(story_id, None)

    async def _poll(self) -> None:
        read = sync_to_async(_story_signatures, thread_sensitive=False)
        try:
            while self.streams:
                try:
                    signatures = await read(list(self.streams))
                except DatabaseError:
                    signatures = {}  # the streams' own reads report it; try again next time
                for story_id, signature in signatures.items():
                    if self.seen.get(story_id) != signature:
                        self.seen[story_id] = signature
                        for changed in self.streams.get(story_id, ()):
                            changed.set()
                await asyncio.sleep(self.poll_s)
        finally:
            self.task = None


def _story_signatures(story_ids: list[int]) -> dict[int, tuple]:
    """(status, last event id) of each story: one query, an index lookup per story."""
    close_old_connections()  # as in _step_on_pool_thread
    last_event = Event.objects.filter(story=OuterRef("pk")).order_by("-pk").values("pk")[:1]
    rows = (
        Story.objects.filter(pk__in=story_ids)
        .annotate(last_event=Subquery(last_event))
        .values_list("pk", "status", "last_event")
    )
    return {pk: (status, last) for pk, status, last in rows}


def _step_on_pool_thread(stream: EventStream) -> tuple[list[str], bool, bool]:
    # No request signals reach the pool's threads: drop a broken or expired connection here,
    # as a request would (under ASGI this hands the connection back to the pool).
    close_old_connections()
    return stream.step()
