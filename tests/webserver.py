"""The production web server (gunicorn.conf.py: gunicorn with uvicorn workers, ASGI) started as
a subprocess on a free port, for tests and benchmarks."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def start_web_server(
    *, port: int, database_url: str, log: Path, workers: int = 1, env: dict | None = None
) -> subprocess.Popen:
    """Start `gunicorn -c gunicorn.conf.py reelmaker.asgi:application` with DEBUG off; returns
    once /health/ answers (raises RuntimeError with the log's tail if it never does)."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "reelmaker.settings",
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_urlsafe(40),
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "BIND_HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_CONCURRENCY": str(workers),
        "LOG_LEVEL": "WARNING",
        **(env or {}),
    }
    with log.open("wb") as out:
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "-c",
                "gunicorn.conf.py",
                "reelmaker.asgi:application",
            ],
            cwd=REPO,
            env=environment,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=5) as answer:
                if answer.status == 200:
                    return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            stop_web_server(server)
            raise RuntimeError(f"the web server did not start:\n{log.read_text()[-3000:]}")
        time.sleep(0.1)


def stop_web_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
