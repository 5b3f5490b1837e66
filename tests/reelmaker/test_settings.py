import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def start_django(**env):
    full_env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY")}
    # REELMAKER_ENV_FILE="": a developer's .env (setup.sh writes one) must not fill the gaps.
    full_env.update({"CACHE_URL": "locmem://", "REELMAKER_ENV_FILE": "", **env})
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
    assert start_django(DEBUG="0", SECRET_KEY=STRONG_KEY).returncode == 0


STRONG_KEY = "k3Y-for-tests-only_0123456789abcdefghijklmnopqrstuvwxyz"
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": STRONG_KEY,
    "CACHE_URL": "redis://127.0.0.1:6379/0",
    "ALLOWED_HOSTS": "reels.example.com",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "SECURE_HSTS_PRELOAD": "1",
    "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
    "TRUSTED_PROXIES": "1",
}


def run_manage(*args, env_file=None, **env):
    full_env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DEBUG", "SECRET_KEY", "CACHE_URL", "DJANGO_SETTINGS_MODULE")
        and not k.startswith("SECURE_")
    }
    full_env.update(env, REELMAKER_ENV_FILE=str(env_file or ""))
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr + result.stdout
    assert "WARNINGS" not in result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("secret", "named"),
    [
        ("", "SECRET_KEY must be set"),
        ("insecure-local-development-key-only-used-with-DEBUG", "published default"),
        ("short-key", "SECRET_KEY is too weak"),
    ],
)
def test_manage_py_without_a_good_secret_key_prints_one_line(secret, named):
    result = run_manage("check", DEBUG="0", SECRET_KEY=secret, CACHE_URL="locmem://")

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert named in result.stderr


def test_debug_off_needs_a_shared_cache():
    result = run_manage("check", DEBUG="0", SECRET_KEY=STRONG_KEY)

    assert result.returncode == 1
    assert "CACHE_URL must name a shared cache" in result.stderr
    assert "Traceback" not in result.stderr


def test_manage_py_reads_the_env_file(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text(f"DEBUG=1\nSECRET_KEY={STRONG_KEY}\nLOG_LEVEL=WARNING\n")

    with_file = run_manage(
        "shell", "-c", "from django.conf import settings; print(settings.DEBUG)", env_file=env_file
    )
    without = run_manage("check")

    assert with_file.returncode == 0, with_file.stderr
    assert with_file.stdout.strip().splitlines()[-1] == "True"
    assert without.returncode == 1
    assert "SECRET_KEY must be set" in without.stderr


def test_setup_script_writes_an_env_file_once():
    script = (ROOT / "scripts" / "setup.sh").read_text()

    assert "if [ ! -f .env ]" in script
    assert "DEBUG=1" in script
    assert "token_urlsafe" in script
    assert ".env" in (ROOT / ".gitignore").read_text().splitlines()
