"""The visual interface: a scene's prompt in, an image or clip file with its credits out."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

from providers.base import Usage


@dataclass(frozen=True)
class VisualResult:
    """A scene visual on disk plus what the renderer and the credits need to know about it."""

    path: Path
    kind: Literal["image", "video"]
    width: int
    height: int
    mime: str
    provider: str
    attribution: str = ""
    licence: str = ""
    source_url: str = ""
    usage: Usage | None = None


class VisualProvider(Protocol):
    def make(
        self,
        *,
        prompt: str,
        key_phrase: str,
        style: str,
        language: str,
        index: int,
        width: int,
        height: int,
        out_path: Path,
    ) -> VisualResult:
        """Write scene `index`'s visual to `out_path` (the suffix may change; see result.path)."""
        ...
