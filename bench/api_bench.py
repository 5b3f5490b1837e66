"""API load benchmark: concurrent clients list, create and poll stories against gunicorn.

Tool: a small asyncio + httpx script (not locust). By default it starts everything it needs
on this machine: a throwaway PostgreSQL cluster (tests/pgserver.py), the schema
(`migrate`), one user per client with a JWT minted directly (logging 50 users in through the
throttled login endpoint would measure the throttle), seed stories, and the production app
server (gunicorn, gthread workers, DEBUG off). Then each client, for --duration seconds, in
a loop: lists its stories (page 1), polls one of its stories, or creates one (40/40/20),
then waits --think-ms (default 1000 ms, the poll interval of a frontend; 0 makes the clients
closed-loop, which measures saturation: latency is then clients / throughput).

    .venv/bin/python bench/api_bench.py [--clients 50] [--duration 60] [--think-ms 1000]

The last line is `rps=… p50_ms=… p95_ms=… errors=…` over all requests of the timed window;
the lines above it split latency by operation (targets on 2 cores: p95 < 150 ms for list and
detail, 0 errors). Creating a story starts no work, so no broker or worker is needed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.pgserver import PgServer, free_port  # noqa: E402

OPS = ("list", "detail", "create")
WEIGHTS = (4, 4, 2)
KEYWORDS = [("rainy day bookshop", "en"), ("성수동 브런치 카페", "ko"), ("morning coffee", "en")]


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def prepare(*, clients: int, seed_stories: int) -> list[tuple[str, list[int]]]:
    """Migrate, then one user per client: (access token, ids of its seeded stories)."""
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=REPO, check=True
    )
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from rest_framework_simplejwt.tokens import AccessToken

    from stories.models import Story

    users = []
    for n in range(clients):
        user = get_user_model().objects.create_user(
            username=f"bench{n}", email=f"bench{n}@example.com", password=None
        )
        stories = Story.objects.bulk_create(
            Story(owner=user, keyword=k, language=lang, duration_s=30, aspect="9:16")
            for k, lang in (KEYWORDS[i % len(KEYWORDS)] for i in range(seed_stories))
        )
        users.append((str(AccessToken.for_user(user)), [s.pk for s in stories]))
    from django.db import connections

    connections.close_all()
    return users


def start_gunicorn(*, port: int, workers: int, threads: int, log: Path) -> subprocess.Popen:
    with log.open("wb") as out:
        return subprocess.Popen(
            [
                str(REPO / ".venv" / "bin" / "gunicorn"),
                "reelmaker.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--worker-class",
                "gthread",
                "--threads",
                str(threads),
                "--keep-alive",
                "30",
                "--log-level",
                "warning",
            ],
            cwd=REPO,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


async def wait_ready(base: str, proc: subprocess.Popen, timeout_s: float = 60) -> None:
    import httpx

    deadline = time.monotonic() + timeout_s
    async with httpx.AsyncClient(base_url=base) as http:
        while True:
            try:
                if (await http.get("/health/")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not start")
            await asyncio.sleep(0.1)


async def client_loop(
    http, token: str, story_ids: list[int], stop_at: float, samples, errors, think_s: float
):
    headers = {"Authorization": f"Bearer {token}"}
    rng = random.Random(token)
    if think_s:
        await asyncio.sleep(rng.uniform(0, think_s))  # clients do not start in lockstep
    while time.monotonic() < stop_at:
        op = rng.choices(OPS, WEIGHTS)[0]
        started = time.perf_counter()
        try:
            if op == "list":
                response = await http.get("/api/v1/stories/", headers=headers)
                ok = response.status_code == 200
            elif op == "detail":
                story_id = rng.choice(story_ids)
                response = await http.get(f"/api/v1/stories/{story_id}/", headers=headers)
                ok = response.status_code == 200
            else:
                keyword, language = rng.choice(KEYWORDS)
                response = await http.post(
                    "/api/v1/stories/",
                    headers=headers,
                    json={
                        "keyword": keyword,
                        "language": language,
                        "duration_s": 30,
                        "aspect": "9:16",
                    },
                )
                ok = response.status_code == 201
                if ok:
                    story_ids.append(response.json()["id"])
        except Exception as exc:  # a refused or dropped connection is an error, not a crash
            ok, response = False, exc
        elapsed_ms = (time.perf_counter() - started) * 1000
        if ok:
            samples[op].append(elapsed_ms)
        else:
            errors.append(f"{op}: {getattr(response, 'status_code', response)!r}")
        if think_s:
            await asyncio.sleep(think_s)


async def run_load(base: str, users, *, duration_s: float, warmup_s: float, think_s: float):
    import httpx

    limits = httpx.Limits(max_connections=len(users), max_keepalive_connections=len(users))
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as http:
        warm: dict[str, list[float]] = {op: [] for op in OPS}
        stop = time.monotonic() + warmup_s
        await asyncio.gather(
            *(client_loop(http, t, ids, stop, warm, [], think_s) for t, ids in users)
        )
        samples: dict[str, list[float]] = {op: [] for op in OPS}
        errors: list[str] = []
        started = time.monotonic()
        stop = started + duration_s
        await asyncio.gather(
            *(client_loop(http, t, ids, stop, samples, errors, think_s) for t, ids in users)
        )
        return samples, errors, time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0, help="timed window, seconds")
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--think-ms", type=float, default=1000.0, help="pause between requests")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--seed-stories", type=int, default=20, help="stories per user")
    args = parser.parse_args()

    load_before = os.getloadavg()[0]
    pg = PgServer().start()
    tmp = Path(tempfile.mkdtemp(prefix="bench-"))
    port = free_port()
    os.environ.update(
        DJANGO_SETTINGS_MODULE="reelmaker.settings",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{pg.port}/postgres",
        SECRET_KEY=secrets.token_urlsafe(40),
        DEBUG="0",
        CACHE_URL="locmem://",  # one process counts its own throttles; fine for a bench
        SECURE_SSL_REDIRECT="0",  # plain HTTP to the server: TLS ends at a proxy in production
        ALLOWED_HOSTS="127.0.0.1",
        REELMAKER_VAR_DIR=str(tmp),
        MEDIA_ROOT=str(tmp / "media"),
        LOG_LEVEL="WARNING",
    )
    server = None
    try:
        users = prepare(clients=args.clients, seed_stories=args.seed_stories)
        server = start_gunicorn(
            port=port, workers=args.workers, threads=args.threads, log=tmp / "gunicorn.log"
        )
        base = f"http://127.0.0.1:{port}"
        asyncio.run(wait_ready(base, server))
        samples, errors, elapsed = asyncio.run(
            run_load(
                base,
                users,
                duration_s=args.duration,
                warmup_s=args.warmup,
                think_s=args.think_ms / 1000,
            )
        )
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
            if server.returncode not in (0, -15):
                print((tmp / "gunicorn.log").read_text(errors="replace")[-3000:])
        pg.stop()
        shutil.rmtree(tmp, ignore_errors=True)

    every = [ms for op in OPS for ms in samples[op]]
    print(
        f"server: gunicorn gthread {args.workers}x{args.threads}, PostgreSQL; "
        f"{args.clients} clients, {args.duration:.0f} s, think {args.think_ms:.0f} ms; "
        f"load average before/after {load_before:.1f}/{os.getloadavg()[0]:.1f} "
        f"on {os.cpu_count()} cores"
    )
    for op in OPS:
        print(
            f"  {op:<7} n={len(samples[op]):<6} p50_ms={percentile(samples[op], 50):.1f} "
            f"p95_ms={percentile(samples[op], 95):.1f}"
        )
    for line in sorted(set(errors))[:10]:
        print(f"  error: {line} x{errors.count(line)}")
    total = len(every) + len(errors)
    print(
        f"rps={total / elapsed:.1f} p50_ms={percentile(every, 50):.1f} "
        f"p95_ms={percentile(every, 95):.1f} errors={len(errors)}"
    )
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
