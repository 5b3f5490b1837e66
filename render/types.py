"""Plain value types shared by the providers, captions and the renderer (no ORM)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WordTiming:
    """One spoken word and when it is heard, relative to the start of its scene's audio."""

    text: str
    start_ms: int
    end_ms: int

    def to_json(self) -> dict:
        return {"text": self.text, "start_ms": self.start_ms, "end_ms": self.end_ms}

    @classmethod
    def from_json(cls, data: dict) -> WordTiming:
        return cls(
            text=str(data["text"]), start_ms=int(data["start_ms"]), end_ms=int(data["end_ms"])
        )
