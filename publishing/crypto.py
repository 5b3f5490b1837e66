"""Tokens at rest: Fernet (AES-128-CBC + HMAC-SHA256, from `cryptography`) under the keys in
PUBLISH_TOKEN_KEYS. MultiFernet encrypts with the first key and reads with any, so keys rotate
by putting a new one first (and `rotate` re-encrypts)."""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _fernet() -> MultiFernet:
    keys = settings.PUBLISH_TOKEN_KEYS
    if not keys:
        raise ImproperlyConfigured("PUBLISH_TOKEN_KEYS is empty: set it to encrypt tokens.")
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(
            "PUBLISH_TOKEN_KEYS holds a key that is not a Fernet key (32 url-safe base64 "
            f"bytes; make one with cryptography's Fernet.generate_key()): {exc}"
        ) from None


def has_keys() -> bool:
    return bool(settings.PUBLISH_TOKEN_KEYS)


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode() if value else ""


def decrypt(value: str) -> str:
    """The plain token; "" for an empty field or one no current key can read."""
    if not value:
        return ""
    try:
        return _fernet().decrypt(value.encode()).decode()
    except InvalidToken:
        return ""


def rotate(value: str) -> str:
    return _fernet().rotate(value.encode()).decode() if value else ""
