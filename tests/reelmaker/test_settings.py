import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def start_django(**env):
    full_env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY")}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**full_env, "DJANGO_SETTINGS_MODULE": "reelmaker.settings"},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"DEBUG": "maybe"}, "DEBUG='maybe'"),
        ({"DEBUG": "1", "RENDER_WORKERS": "many"}, "RENDER_WORKERS='many'"),
        ({"DEBUG": "1", "RENDER_ENCODER": "h265_magic"}, "RENDER_ENCODER='h265_magic'"),
        ({"DEBUG": "1", "CELERY_BROKER_URL": "sqs://x"}, "CELERY_BROKER_URL='sqs://x'"),
        ({"DEBUG": "1", "DATABASE_URL": "nosuchdb://x"}, "DATABASE_URL is malformed"),
        ({"DEBUG": "0"}, "SECRET_KEY must be set"),
    ],
)
def test_malformed_setting_stops_start_up_naming_it(env, named):
    result = start_django(**env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert named in result.stderr


@pytest.mark.parametrize(
    "url", ["redis://127.0.0.1:6379/0", "amqp://guest:guest@127.0.0.1:5672//", "amqps://h//"]
)
def test_redis_and_rabbitmq_broker_urls_are_accepted(url):
    assert start_django(DEBUG="1", CELERY_BROKER_URL=url).returncode == 0


def test_defaults_start_with_no_environment():
    assert start_django(DEBUG="1").returncode == 0
    assert start_django(DEBUG="0", SECRET_KEY="x" * 50).returncode == 0
