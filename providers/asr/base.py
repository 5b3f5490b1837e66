"""Speech recognition: a recording in, the words heard out (used to check a take's text)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from providers.base import Usage


@dataclass(frozen=True)
class Transcript:
    text: str
    words: list[str]
    usage: Usage | None = None


class Transcriber(Protocol):
    def transcribe(self, *, audio_path: Path, language: str, duration_s: float) -> Transcript:
        """The words heard in `audio_path`. Raises Transient/PermanentProviderError."""
        ...
