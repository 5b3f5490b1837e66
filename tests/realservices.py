"""Real brokers (Redis, RabbitMQ) and real Celery worker processes for tests.

`redis_server` starts a throwaway redis-server (free port, temp dir, no persistence) and
points this process's Celery app at it; `rabbitmq_server` does the same with a throwaway
rabbitmq-server. `broker` is Redis unless a test parametrizes it indirectly
(`@pytest.mark.parametrize("broker", ["redis", "rabbitmq"], indirect=True)`).
`celery_workers` starts worker subprocesses of the project app, each in its own process
group (so a test can SIGKILL a worker together with its pool child and FFmpeg), on the
suite's PostgreSQL test database and the test's MEDIA_ROOT.
`celery_workers.beat()` starts `celery beat` with the project's schedule (the lease reaper).
Broker, lease and reaper settings are the shipped defaults (visibility timeout 3600 s): a
dead worker's job comes back through the reaper, as in a deployment.

Tests using them must be `@pytest.mark.django_db(transaction=True)`: a worker is another
process and only sees committed rows.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from kombu import pools as kombu_pools

from tests.pgserver import free_port

REPO = Path(__file__).resolve().parents[1]
CELERY = REPO / ".venv" / "bin" / "celery"


class RedisServer:
    """redis-server on 127.0.0.1 and a free port; no RDB/AOF files; stopped with SIGKILL."""

    def __init__(self) -> None:
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="rd-", dir="/tmp")
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout_s: float = 10) -> RedisServer:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is not installed: apt-get install redis-server")
        self.proc = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                self.dir,
                "--daemonize",
                "no",
                "--logfile",
                f"{self.dir}/redis.log",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import redis

        client = redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=0.2)
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                if client.ping():
                    break
            except redis.ConnectionError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"redis-server did not start on port {self.port}") from None
                time.sleep(0.02)  # polling a port: there is no event to wait on
        client.close()
        return self

    def client(self):
        import redis

        return redis.Redis(host="127.0.0.1", port=self.port)

    def queue_length(self, queue: str) -> int:
        """Messages waiting in `queue` (not yet delivered to a worker)."""
        return int(self.client().llen(queue))

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)
        shutil.rmtree(self.dir, ignore_errors=True)


RABBITMQ_BIN = Path("/usr/lib/rabbitmq/bin")


class RabbitMqServer:
    """rabbitmq-server (Debian's) on 127.0.0.1 and a free port, all of its state in a temp dir.

    Debian's /usr/sbin wrappers switch to the `rabbitmq` user and drop the environment, so the
    scripts under /usr/lib/rabbitmq/bin are run directly. Every node gets a unique name, its own
    Erlang distribution port and HOME (the Erlang cookie lives there), so parallel runs and a
    system-wide RabbitMQ never meet; epmd is Erlang's shared port mapper and is left running.
    Stopped with `rabbitmqctl stop` (about 2 s), else the process group is killed."""

    def __init__(self) -> None:
        self.port, self.dist_port = free_port(), free_port()
        self.dir = tempfile.mkdtemp(prefix="rmq-", dir="/tmp")
        self.node = f"reelmaker-test-{os.getpid()}-{self.port}@localhost"
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.port}//"

    def _env(self) -> dict[str, str]:
        return {
            **os.environ,
            "HOME": self.dir,
            "RABBITMQ_NODENAME": self.node,
            "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1",
            "RABBITMQ_NODE_PORT": str(self.port),
            "RABBITMQ_DIST_PORT": str(self.dist_port),
            "RABBITMQ_MNESIA_BASE": f"{self.dir}/mnesia",
            "RABBITMQ_LOG_BASE": f"{self.dir}/log",
            "RABBITMQ_CONFIG_FILE": f"{self.dir}/rabbitmq",
            "RABBITMQ_ENABLED_PLUGINS_FILE": f"{self.dir}/enabled_plugins",
            "RABBITMQ_PID_FILE": f"{self.dir}/rabbitmq.pid",
            "ERL_EPMD_ADDRESS": "127.0.0.1",
        }

    def start(self, timeout_s: float = 60) -> RabbitMqServer:
        binary = RABBITMQ_BIN / "rabbitmq-server"
        if not binary.exists():
            raise RuntimeError("rabbitmq-server is not installed: apt-get install rabbitmq-server")
        # guest may log in from 127.0.0.1 only by default, which is where the tests are.
        Path(self.dir, "rabbitmq.conf").write_text("log.console = false\n", encoding="utf-8")
        with open(f"{self.dir}/server.log", "ab") as log:
            self.proc = subprocess.Popen(
                [str(binary)],
                cwd=self.dir,
                env=self._env(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                self._connection().connect().close()
                break
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"rabbitmq-server did not start on {self.port}") from None
                time.sleep(0.2)  # polling a port: there is no event to wait on
        return self

    def _connection(self):
        from kombu import Connection

        return Connection(self.url, connect_timeout=1)

    def queue_length(self, queue: str) -> int:
        """Messages ready in `queue` (0 while it is not declared yet)."""
        from amqp.exceptions import NotFound

        with self._connection() as connection:
            try:
                return connection.default_channel.queue_declare(queue, passive=True).message_count
            except NotFound:
                return 0

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            subprocess.run(
                [str(RABBITMQ_BIN / "rabbitmqctl"), "-n", self.node, "stop"],
                env=self._env(),
                cwd=self.dir,
                capture_output=True,
                timeout=30,
                check=False,
            )
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        shutil.rmtree(self.dir, ignore_errors=True)


def point_celery_at(url: str) -> Callable[[], None]:
    """Send this process's tasks and control messages to `url`; returns an undo function."""
    from reelmaker.celery import app

    saved = {
        "broker_url": app.conf.broker_url,
        "broker_transport_options": app.conf.broker_transport_options,
    }

    def reset_pools() -> None:
        # kombu keeps connection and producer pools in process-wide registries keyed by the
        # broker URL: closing one without dropping it from the registry leaves a closed pool
        # that the next test on that URL would get ("Acquire on closed pool").
        kombu_pools.reset()
        app._pool = None
        app.amqp._producer_pool = None

    app.conf.broker_url = url
    if not url.startswith("redis"):
        app.conf.broker_transport_options = {}  # the Redis-only options mean nothing to AMQP
    reset_pools()

    def undo() -> None:
        app.conf.update(saved)
        reset_pools()

    return undo


class CeleryWorker:
    """One `celery worker` subprocess of the project app in its own process group."""

    def __init__(
        self, *, name: str, app: str, queues: str, env: dict[str, str], log_path: Path
    ) -> None:
        self.name, self.app, self.queues, self.env = name, app, queues, env
        self.log_path = log_path
        self.proc: subprocess.Popen | None = None
        self.hostname = ""

    def start(self, timeout_s: float = 60) -> CeleryWorker:
        from reelmaker.celery import app

        self.hostname = f"{self.name}@{os.uname().nodename}"
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(
                [
                    str(CELERY),
                    "-A",
                    self.app,
                    "worker",
                    "-Q",
                    self.queues,
                    "-c",
                    "1",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                    "-l",
                    "info",
                    "-n",
                    f"{self.name}@%h",
                ],
                cwd=REPO,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: killpg reaches pool and FFmpeg
            )
        deadline = time.monotonic() + timeout_s
        # Readiness is the worker answering a broadcast ping (each call waits up to 0.5 s).
        while not app.control.ping(destination=[self.hostname], timeout=0.5):
            if self.proc.poll() is not None:
                raise RuntimeError(f"worker {self.name} exited:\n{self.log_tail()}")
            if time.monotonic() > deadline:
                self.kill()
                raise RuntimeError(f"worker {self.name} did not answer ping:\n{self.log_tail()}")
        return self

    @property
    def is_alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill(self) -> None:
        """SIGKILL the whole process group: worker, pool child and any FFmpeg it runs."""
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)

    def log_tail(self, lines: int = 60) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


class CeleryBeat(CeleryWorker):
    """`celery beat` of the project app (its CELERY_BEAT_SCHEDULE) in its own process group."""

    def __init__(self, *, env: dict[str, str], log_path: Path, schedule_path: Path) -> None:
        super().__init__(name="beat", app="reelmaker", queues="", env=env, log_path=log_path)
        self.schedule_path = schedule_path

    def start(self, timeout_s: float = 60) -> CeleryBeat:
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(
                [
                    str(CELERY),
                    "-A",
                    "reelmaker",
                    "beat",
                    "-s",
                    str(self.schedule_path),
                    "-l",
                    "info",
                ],
                cwd=REPO,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout_s
        # Readiness is its start-up line in the log (beat answers no ping).
        while "beat: Starting..." not in self.log_tail():
            if self.proc.poll() is not None:
                raise RuntimeError(f"celery beat exited:\n{self.log_tail()}")
            if time.monotonic() > deadline:
                self.kill()
                raise RuntimeError(f"celery beat did not start:\n{self.log_tail()}")
            time.sleep(0.1)  # a log file has no event to wait on
        return self


def worker_env(*, broker_url: str, media_root: Path, work_dir: Path, **extra: str) -> dict:
    """The environment of a worker process: this test's database, broker and media."""
    from django.db import connection

    db = connection.settings_dict  # during a test: the test database (test_reelmaker)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("CELERY_", "DJANGO_", "DATABASE_", "REELMAKER_", "PYTEST"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="reelmaker.settings",
        SECRET_KEY="test-only-secret-key-not-for-production-0123456789",
        DEBUG="0",
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        CELERY_BROKER_URL=broker_url,
        MEDIA_ROOT=str(media_root),
        REELMAKER_VAR_DIR=str(work_dir),
        REELMAKER_WORK_DIR=str(work_dir / "work"),
        # System checks (URL conf, admin, ...) are the suite's business, not each worker's start.
        CELERY_SKIP_CHECKS="1",
        PYTHONPATH=str(REPO),
        PYTHONUNBUFFERED="1",
        LOG_LEVEL="WARNING",
    )
    env.update(extra)
    return env


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    """A fresh Redis for this test, with this process's Celery app sending to it."""
    server = RedisServer().start()
    undo = point_celery_at(server.url)
    try:
        yield server
    finally:
        undo()
        server.stop()


@pytest.fixture
def rabbitmq_server() -> Iterator[RabbitMqServer]:
    """A fresh RabbitMQ for this test, with this process's Celery app sending to it."""
    server = RabbitMqServer().start()
    undo = point_celery_at(server.url)
    try:
        yield server
    finally:
        undo()
        server.stop()


@pytest.fixture
def broker(request):
    """The broker of this test's workers: Redis, or RabbitMQ when parametrized so."""
    kind = getattr(request, "param", "redis")
    if kind not in ("redis", "rabbitmq"):
        raise ValueError(f"unknown broker {kind!r}")
    return request.getfixturevalue(f"{kind}_server")


@pytest.fixture
def celery_workers(broker, settings, tmp_path, request):
    """`start(name, app=, queues=, **env)` starts a worker and waits until it answers ping.

    Every worker still running is SIGKILLed at the end; on failure their logs are printed.
    """
    started: list[CeleryWorker] = []
    work_dir = Path(tempfile.mkdtemp(prefix="wk-", dir="/tmp"))

    def start(
        name: str, *, app: str = "reelmaker", queues: str = "default,render", **extra_env: str
    ) -> CeleryWorker:
        env = worker_env(
            broker_url=broker.url,
            media_root=Path(settings.MEDIA_ROOT),
            work_dir=work_dir,
            **extra_env,
        )
        worker = CeleryWorker(
            name=name, app=app, queues=queues, env=env, log_path=tmp_path / f"{name}.log"
        )
        started.append(worker)
        return worker.start()

    def beat() -> CeleryBeat:
        env = worker_env(
            broker_url=broker.url, media_root=Path(settings.MEDIA_ROOT), work_dir=work_dir
        )
        process = CeleryBeat(
            env=env, log_path=tmp_path / "beat.log", schedule_path=work_dir / "beat-schedule"
        )
        started.append(process)  # killed, and its log printed, like a worker's
        return process.start()

    start.workers = started
    start.beat = beat
    try:
        yield start
    finally:
        for worker in started:
            worker.kill()
        report = getattr(request.node, "rep_call", None)  # set by tests/durability/conftest.py
        if report is not None and report.failed:
            for worker in started:
                sys.stderr.write(f"\n--- {worker.name} log ---\n{worker.log_tail()}\n")
        shutil.rmtree(work_dir, ignore_errors=True)
