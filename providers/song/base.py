"""The song interface: lyrics and attributes in; a mixed track, word timings and the line and
section markers out. `sketch` says the vocal is a chant (the offline provider), not singing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from providers.base import PermanentProviderError, Usage
from providers.writer.song_lyrics import Lyrics
from render.types import WordTiming

GENRES = ("pop", "acoustic", "lofi", "ballad", "dance")
VOCALS = ("female", "male")
MOODS = ("upbeat", "calm", "dramatic", "warm")


@dataclass(frozen=True)
class SongRequest:
    """What to make: the lyrics (tempo and language inside), genre, vocal, mood, length."""

    lyrics: Lyrics
    genre: str = "pop"
    vocal: str = "female"
    mood: str = "upbeat"
    duration_ms: int = 15_000

    def __post_init__(self) -> None:
        if self.genre not in GENRES or self.vocal not in VOCALS or self.mood not in MOODS:
            raise PermanentProviderError(
                f"unknown song attributes {self.genre}/{self.vocal}/{self.mood}", provider="song"
            )


@dataclass(frozen=True)
class LineTiming:
    """One lyric line and when it is sung, in song time."""

    section: str
    text: str
    start_ms: int
    end_ms: int

    def to_json(self) -> dict:
        return {
            "section": self.section,
            "text": self.text,
            "start_ms": self.start_ms,
            "end_ms": self.end_ms,
        }

    @classmethod
    def from_json(cls, data: dict) -> LineTiming:
        return cls(
            section=str(data["section"]),
            text=str(data["text"]),
            start_ms=int(data["start_ms"]),
            end_ms=int(data["end_ms"]),
        )


@dataclass(frozen=True)
class SongResult:
    """A stereo WAV of the song, its words (one per caption word, in song time) and lines."""

    audio_path: Path
    duration_ms: int
    provider: str
    words: list[WordTiming]
    lines: list[LineTiming]
    sketch: bool  # True: a chanted offline vocal, not a sung one
    usage: Usage | None = None
    vocal_path: Path | None = None  # the vocal alone, when the provider gives it
    notes: list[str] = field(default_factory=list)


class SongProvider(Protocol):
    def make(
        self,
        request: SongRequest,
        *,
        out_dir: Path,
        task_id: str = "",
        on_task: Callable[[str], None] | None = None,
        on_progress: Callable[[float], None] | None = None,
    ) -> SongResult:
        """Write the song under `out_dir`. A gateway tells `on_task` the id of the task it
        accepted and, given `task_id` (a retry), polls that task instead of asking again;
        `on_progress` hears the fraction waited so far. Raises ProviderError."""
        ...
