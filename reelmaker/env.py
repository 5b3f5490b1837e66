"""Typed readers for environment settings; a malformed value names itself and stops start-up."""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a boolean; use 1/0, true/false, yes/no or on/off."
    )


def env_int(
    name: str, default: int, *, minimum: int | None = None, maximum: int | None = None
) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer.") from None
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise ImproperlyConfigured(f"{name}={value} is outside {minimum}..{maximum}.")
    return value


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = os.environ.get(name, default).strip()
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r} must be one of: {', '.join(choices)}.")
    return value


SECRET_KEY_MIN_LENGTH = 50  # what `manage.py check --deploy` asks for (security.W009)


def check_secret_key(value: str, *, dev_key: str) -> None:
    """Stop start-up with DEBUG off when SECRET_KEY is missing, a known default or too weak."""
    if not value:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (scripts/setup.sh writes one to .env "
            "for local use)."
        )
    if value == dev_key or value.startswith("django-insecure"):
        raise ImproperlyConfigured("SECRET_KEY is a published default; generate your own.")
    if len(value) < SECRET_KEY_MIN_LENGTH or len(set(value)) < 5:
        raise ImproperlyConfigured(
            f"SECRET_KEY is too weak: use at least {SECRET_KEY_MIN_LENGTH} random characters."
        )


def parse_proxy_ssl_header(raw: str) -> tuple[str, str] | None:
    """SECURE_PROXY_SSL_HEADER from "HTTP_X_FORWARDED_PROTO,https"; empty: None."""
    if not raw.strip():
        return None
    header, _, value = (part.strip() for part in raw.partition(","))
    if not header.startswith("HTTP_") or not value:
        raise ImproperlyConfigured(
            f"SECURE_PROXY_SSL_HEADER={raw!r} must look like HTTP_X_FORWARDED_PROTO,https."
        )
    return header, value


def load_env_file() -> None:
    """Read the git-ignored .env at the project root (or the file REELMAKER_ENV_FILE names;
    empty: none) into os.environ. The real environment wins over the file."""
    from dotenv import load_dotenv

    default = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), ".env")
    path = os.environ.get("REELMAKER_ENV_FILE", default)
    if path:
        load_dotenv(path, override=False)
