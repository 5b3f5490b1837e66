"""Problem: one reason a reel may not go out yet, in words a user can act on."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Problem:
    """`code` is stable for clients; `message` is translated; `details` names the numbers."""

    code: str
    message: str
    details: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "message": str(self.message), "details": self.details}
