"""What every platform's upload takes and gives back: plain values, no ORM."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

PRIVACIES = ("public", "unlisted", "private")


@dataclass(frozen=True)
class Post:
    """The reel and what the user wrote for it."""

    path: Path
    size_bytes: int
    title: str
    description: str
    hashtags: tuple[str, ...]
    privacy: str  # one of PRIVACIES; each platform maps it onto its own words
    language: str
    publish_at: datetime | None = None
    # Every reel is generated media: each platform's synthetic-media / AI-content flag is set.
    is_ai_generated: bool = True

    @property
    def caption(self) -> str:
        tags = " ".join(f"#{tag.lstrip('#')}" for tag in self.hashtags)
        return "\n\n".join(part for part in (self.description, tags) if part)


@dataclass(frozen=True)
class Posted:
    post_id: str
    url: str


@dataclass(frozen=True)
class Identity:
    """Who the linked account is on the platform."""

    external_id: str
    display_name: str


# An upload keeps where it got to (a session URL, a container id) so that a retry resumes
# instead of starting over: the job's state, saved by the caller after every step.
SaveState = Callable[[dict], None]


def chunks(path: Path, *, size: int, start: int = 0):
    """(offset, bytes) pieces of the file from `start`, `size` bytes each."""
    with path.open("rb") as fh:
        fh.seek(start)
        offset = start
        while piece := fh.read(size):
            yield offset, piece
            offset += len(piece)
