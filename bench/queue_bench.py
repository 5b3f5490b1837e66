"""Queue benchmark: many short reels at once on real PostgreSQL, Redis and Celery workers, while
a chaos thread SIGKILLs a random worker every 20 s and starts a new one.

    .venv/bin/python bench/queue_bench.py [--reels 100] [--kill-every 20] [--baseline-reels N]

Every part runs with the shipped defaults (visibility timeout, job leases, reaper interval):
the reaper, not the broker, is what brings a killed worker's jobs back. Each reel is planned in
this process (the template writer, no provider) and then its preview is queued through
`jobs.pipeline.generate_preview`, all at once. Afterwards a baseline run queues
`--baseline-reels` reels on ONE worker with no chaos, for throughput. Last line:

    reels=100 completed=… lost=… duplicated=… kills=… wall_s=… one_worker_wall_s=…

`lost` counts reels that did not reach PREVIEW_READY before the deadline; `duplicated` counts
a second succeeded job of one kind for one scene (or for the story) and profile, or a second
preview file. Targets: completed=reels, lost=0, duplicated=0, and two workers at least 1.8x
one worker's throughput (printed as `speedup`).
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.pgserver import PgServer  # noqa: E402  (the repo on sys.path first)
from tests.realservices import CELERY, CeleryWorker, RedisServer  # noqa: E402

KEYWORDS = ("rainy day bookshop", "night market noodles", "morning run", "tiny balcony garden")
DURATION_S = 8


def configure(*, pg: PgServer, redis: RedisServer, tmp: Path) -> dict[str, str]:
    env = {
        "DJANGO_SETTINGS_MODULE": "reelmaker.settings",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{pg.port}/postgres",
        "CELERY_BROKER_URL": redis.url,
        "CACHE_URL": redis.url.rsplit("/", 1)[0] + "/1",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "REELMAKER_VAR_DIR": str(tmp),
        "MEDIA_ROOT": str(tmp / "media"),
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return {**os.environ, **env}


def queue_reels(n: int, *, tag: str) -> list[int]:
    """Plan `n` short stories here, then queue all their previews at once; their ids."""
    from django.contrib.auth import get_user_model

    from jobs import inline, pipeline

    ids = []
    for i in range(n):
        # One reel per user, as when many people press "make" at once (a user's queue is capped).
        owner, _ = get_user_model().objects.get_or_create(username=f"queue-bench-{tag}-{i}")
        story = pipeline.create_story(
            owner=owner, keyword=KEYWORDS[i % len(KEYWORDS)], language="en", duration_s=DURATION_S
        )
        pipeline.plan_story(story_id=story.pk, inline=True)
        inline.run_inline(story_id=story.pk)
        ids.append(story.pk)
    for story_id in ids:
        pipeline.generate_preview(story_id=story_id)
    return ids


def settled(ids: list[int]) -> tuple[int, int]:
    """(ready, failed) among the stories."""
    from stories.models import Story
    from stories.states import Status

    rows = Story.objects.filter(pk__in=ids).values_list("status", flat=True)
    statuses = list(rows)
    return statuses.count(Status.PREVIEW_READY), statuses.count(Status.FAILED)


def duplicates(ids: list[int]) -> int:
    from django.db.models import Count

    from jobs.models import Job
    from media.models import Asset

    twice = (
        Job.objects.filter(story_id__in=ids, status=Job.Status.SUCCEEDED)
        .values("story_id", "scene_id", "kind", "profile")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    previews = (
        Asset.objects.filter(story_id__in=ids, kind=Asset.Kind.VIDEO, source_provider="render")
        .values("story_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    return twice + previews


class Fleet:
    """Worker processes on both queues, one beat, and a chaos thread that kills and replaces."""

    def __init__(self, *, env: dict[str, str], logs: Path) -> None:
        self.env, self.logs = env, logs
        self.workers: list[CeleryWorker] = []
        self.kills = 0
        self.serial = 0
        self.lock = threading.Lock()
        self.beat = None

    def add_worker(self) -> None:
        self.serial += 1
        name = f"bench{self.serial}"
        worker = CeleryWorker(
            name=name,
            app="reelmaker",
            queues="default,render,webhooks",
            env=self.env,
            log_path=self.logs / f"{name}.log",
        )
        self.workers.append(worker.start())

    def start_beat(self) -> None:
        import subprocess

        log = (self.logs / "beat.log").open("ab")
        self.beat = subprocess.Popen(
            [str(CELERY), "-A", "reelmaker", "beat", "-l", "warning", "-s", str(self.logs / "sch")],
            cwd=REPO,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def chaos(self, stop: threading.Event, every_s: float) -> None:
        while not stop.wait(every_s):
            with self.lock:
                victim = random.choice([w for w in self.workers if w.is_alive])
                victim.kill()
                self.workers.remove(victim)
                self.kills += 1
                self.add_worker()

    def stop(self) -> None:
        for worker in self.workers:
            worker.kill()
        if self.beat is not None and self.beat.poll() is None:
            self.beat.kill()
            self.beat.wait(timeout=10)


def run(n: int, *, workers: int, kill_every: float | None, env, logs, tag, deadline_s):
    fleet = Fleet(env=env, logs=logs)
    for _ in range(workers):
        fleet.add_worker()
    fleet.start_beat()
    stop = threading.Event()
    chaos = None
    try:
        ids = queue_reels(n, tag=tag)
        started = time.monotonic()
        if kill_every:
            chaos = threading.Thread(target=fleet.chaos, args=(stop, kill_every), daemon=True)
            chaos.start()
        while time.monotonic() - started < deadline_s:
            ready, failed = settled(ids)
            if ready + failed == n:
                break
            time.sleep(1)
        wall = time.monotonic() - started
        stop.set()
        if chaos is not None:
            chaos.join()
        ready, failed = settled(ids)
        return ready, n - ready, duplicates(ids), fleet.kills, wall
    finally:
        stop.set()
        fleet.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reels", type=int, default=100)
    parser.add_argument("--kill-every", type=float, default=20.0, help="seconds between kills")
    parser.add_argument("--baseline-reels", type=int, default=None, help="default: --reels")
    parser.add_argument("--deadline", type=float, default=1800.0, help="seconds per run")
    args = parser.parse_args()
    baseline = args.baseline_reels or args.reels

    pg, redis = PgServer().start(), RedisServer().start()
    tmp = Path(tempfile.mkdtemp(prefix="queue-bench-"))
    try:
        env = configure(pg=pg, redis=redis, tmp=tmp)
        from reelmaker.celery import app

        app.conf.broker_url = redis.url
        completed, lost, duplicated, kills, wall = run(
            args.reels, workers=2, kill_every=args.kill_every, env=env, logs=tmp,
            tag="chaos", deadline_s=args.deadline,
        )  # fmt: skip
        print(f"chaos run: {args.reels} reels on 2 workers, a kill every {args.kill_every:.0f} s")
        _, _, _, _, one_wall = run(
            baseline, workers=1, kill_every=None, env=env, logs=tmp, tag="one",
            deadline_s=args.deadline,
        )  # fmt: skip
        two_rate = completed / wall if wall else 0.0
        one_rate = baseline / one_wall if one_wall else 0.0
        print(
            f"throughput: 2 workers with chaos {two_rate:.2f} reels/s, one worker "
            f"{one_rate:.2f} reels/s, speedup {two_rate / one_rate if one_rate else 0:.2f}x; "
            f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
        )
        one_worker_wall = one_wall * args.reels / baseline
        print(
            f"reels={args.reels} completed={completed} lost={lost} duplicated={duplicated} "
            f"kills={kills} wall_s={wall:.1f} one_worker_wall_s={one_worker_wall:.1f}"
        )
        return 0 if lost == 0 and duplicated == 0 else 1
    finally:
        pg.stop()
        redis.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
