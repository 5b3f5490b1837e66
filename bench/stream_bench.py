"""Event streams beside API traffic: 500 open server-sent-event streams and 50 API clients
against the production web server (gunicorn.conf.py: gunicorn with uvicorn workers, ASGI).

Like api_bench.py it starts a throwaway PostgreSQL cluster, migrates, makes users with JWTs
minted directly and seed stories, then starts the server with DEBUG off (WEB_CONCURRENCY
workers: the number of cores by default). Streams are spread over users, --per-user each (the
default cap, EVENTS_MAX_STREAMS_PER_USER=5), each following a story that is being worked on
(PLANNING), so it stays open and polls like a real client's. Once every stream is open,
the API clients run api_bench's loop (list / detail / create, 40/40/20, --think-ms between
requests) for --duration seconds. A stream that is refused or ends early is an error.

    .venv/bin/python bench/stream_bench.py [--streams 500] [--clients 50] [--duration 60]

The last line is `streams=… rps=… p95_ms=… errors=…` (streams: those open at the end; rps,
p95: the API clients'); targets on 2 cores: p95 < 150 ms, 0 errors.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from api_bench import OPS, client_loop, percentile, prepare

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.pgserver import PgServer, free_port  # noqa: E402
from tests.webserver import start_web_server, stop_web_server  # noqa: E402


def working_stories(users: list[tuple[str, list[int]]]) -> None:
    """The first story of every user is being planned, so its stream stays open."""
    from stories.services import transition_story
    from stories.states import Status

    for _, ids in users:
        transition_story(story_id=ids[0], to=Status.PLANNING, reason="stream bench")
    from django.db import connections

    connections.close_all()


async def follow(http, token: str, story_id: int, opened: asyncio.Event, stop, errors, live):
    """One EventSource: open, then read until the bench ends."""
    headers = {"Authorization": f"Bearer {token}", "Accept": "text/event-stream"}
    try:
        async with http.stream("GET", f"/api/v1/stories/{story_id}/events/", headers=headers) as r:
            if r.status_code != 200:
                errors.append(f"stream: {r.status_code}")
                return
            chunks = r.aiter_text()
            await chunks.__anext__()  # the retry hint: the stream is open
            live.append(story_id)
            opened.set()
            reader = asyncio.ensure_future(_drain(chunks))
            done, _ = await asyncio.wait({reader, stop}, return_when=asyncio.FIRST_COMPLETED)
            if reader in done:
                errors.append("stream: ended early")
                live.remove(story_id)
            reader.cancel()
    except Exception as exc:  # a refused or dropped stream is an error, not a crash
        errors.append(f"stream: {exc!r}")
        if story_id in live:
            live.remove(story_id)
    finally:
        opened.set()


async def _drain(chunks) -> None:
    async for _ in chunks:
        pass


def server_threads(master_pid: int) -> int:
    """Threads of the server's worker processes now (one line per /proc task)."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    return sum(len(list(Path(f"/proc/{pid}/task").iterdir())) for pid in children)


async def run(base: str, stream_users, api_users, args, master_pid: int):
    import httpx

    stream_limits = httpx.Limits(max_connections=None, max_keepalive_connections=0)
    api_limits = httpx.Limits(max_connections=len(api_users), max_keepalive_connections=100)
    timeout = httpx.Timeout(30, read=None)
    async with (
        httpx.AsyncClient(base_url=base, limits=stream_limits, timeout=timeout) as streams_http,
        httpx.AsyncClient(base_url=base, limits=api_limits, timeout=30) as http,
    ):
        stop = asyncio.get_running_loop().create_future()
        stream_errors: list[str] = []
        live: list[int] = []
        followers = []
        for n in range(args.streams):  # opened a few at a time, as clients arrive
            token, ids = stream_users[n // args.per_user]
            opened = asyncio.Event()
            followers.append(
                asyncio.ensure_future(
                    follow(streams_http, token, ids[0], opened, stop, stream_errors, live)
                )
            )
            if n % 25 == 24:
                await opened.wait()
        while len(live) + len(stream_errors) < args.streams:
            await asyncio.sleep(0.1)
        print(f"  {len(live)} streams open, {server_threads(master_pid)} server threads")

        warm: dict[str, list[float]] = {op: [] for op in OPS}
        until = time.monotonic() + args.warmup
        think_s = args.think_ms / 1000
        await asyncio.gather(
            *(client_loop(http, t, ids, until, warm, [], think_s) for t, ids in api_users)
        )
        samples: dict[str, list[float]] = {op: [] for op in OPS}
        errors: list[str] = []
        started = time.monotonic()
        until = started + args.duration
        await asyncio.gather(
            *(client_loop(http, t, ids, until, samples, errors, think_s) for t, ids in api_users)
        )
        elapsed = time.monotonic() - started
        still_open, threads = len(live), server_threads(master_pid)
        stop.set_result(None)
        await asyncio.gather(*followers)
        return samples, errors + stream_errors, elapsed, still_open, threads


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--streams", type=int, default=500)
    parser.add_argument("--per-user", type=int, default=5, help="streams per stream user")
    parser.add_argument("--clients", type=int, default=50, help="API clients")
    parser.add_argument("--duration", type=float, default=60.0, help="timed window, seconds")
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--think-ms", type=float, default=1000.0)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()

    load_before = os.getloadavg()[0]
    pg = PgServer().start()
    tmp = Path(tempfile.mkdtemp(prefix="bench-"))
    database_url = f"postgres://postgres@127.0.0.1:{pg.port}/postgres"
    os.environ.update(
        DJANGO_SETTINGS_MODULE="reelmaker.settings",
        DATABASE_URL=database_url,
        DEBUG="0",
        CACHE_URL="locmem://",  # one process counts its own throttles; fine for a bench
        SECURE_SSL_REDIRECT="0",  # plain HTTP to the server: TLS ends at a proxy in production
        SECRET_KEY="stream-bench-" + "x" * 40,
        REELMAKER_VAR_DIR=str(tmp),
        MEDIA_ROOT=str(tmp / "media"),
        LOG_LEVEL="WARNING",
    )
    stream_user_count = -(-args.streams // args.per_user)
    server = None
    try:
        users = prepare(clients=stream_user_count + args.clients, seed_stories=20)
        stream_users, api_users = users[:stream_user_count], users[stream_user_count:]
        working_stories(stream_users)
        server = start_web_server(
            port=(port := free_port()),
            database_url=database_url,
            log=tmp / "server.log",
            workers=args.workers,
            env={
                "SECRET_KEY": os.environ["SECRET_KEY"],
                "REELMAKER_VAR_DIR": str(tmp),
                "EVENTS_MAX_STREAMS_PER_USER": str(args.per_user),
            },
        )
        samples, errors, elapsed, still_open, threads = asyncio.run(
            run(f"http://127.0.0.1:{port}", stream_users, api_users, args, server.pid)
        )
    finally:
        if server is not None:
            stop_web_server(server)
            if server.returncode not in (0, -15):
                print((tmp / "server.log").read_text(errors="replace")[-3000:])
        pg.stop()
        shutil.rmtree(tmp, ignore_errors=True)

    every = [ms for op in OPS for ms in samples[op]]
    print(
        f"server: gunicorn + uvicorn workers x{args.workers} (ASGI), PostgreSQL; "
        f"{args.streams} streams over {stream_user_count} users, {args.clients} API clients, "
        f"{args.duration:.0f} s, think {args.think_ms:.0f} ms; server threads at the end "
        f"{threads}; load average before/after {load_before:.1f}/{os.getloadavg()[0]:.1f} "
        f"on {os.cpu_count()} cores"
    )
    for op in OPS:
        print(
            f"  {op:<7} n={len(samples[op]):<6} p50_ms={percentile(samples[op], 50):.1f} "
            f"p95_ms={percentile(samples[op], 95):.1f}"
        )
    for line in sorted(set(errors))[:10]:
        print(f"  error: {line} x{errors.count(line)}")
    total = len(every) + len([e for e in errors if not e.startswith("stream")])
    print(
        f"streams={still_open} rps={total / elapsed:.1f} p95_ms={percentile(every, 95):.1f} "
        f"errors={len(errors)}"
    )
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
