"""Media QC's report: what a reel should be (Expect), one judgement (Check), all of them
(QCReport, plain JSON), and the error a job fails with when a reel does not pass (QCFailed)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

from render.qc_measure import Measurements
from render.runner import RenderError

PASS, WARN, FAIL = "PASS", "WARN", "FAIL"
RANK = {PASS: 0, WARN: 1, FAIL: 2}
DURATION_TOLERANCE_S = 0.5  # issue #12 and the reference checker agree


@dataclass(frozen=True)
class Expect:
    """What the reel should be: its profile and aspect, its planned length (FAIL outside
    `tolerance_s`) and the length the story asked for (`target_s`: WARN outside it, since the
    narration, not the renderer, decides how long a reel runs)."""

    profile: str = "final"
    aspect: str = "9:16"
    resolution: str = "1080p"  # a final's (render.profiles.FINAL_RESOLUTIONS)
    duration_s: float | None = None
    target_s: float | None = None
    tolerance_s: float = DURATION_TOLERANCE_S


@dataclass(frozen=True)
class Check:
    """One judgement: what was measured (`value`) against what is allowed (`limit`), and a
    sentence saying what is wrong (empty when it passed)."""

    name: str
    status: str
    value: str
    limit: str
    message: str = ""


@dataclass(frozen=True)
class QCReport:
    """Every check of one file and the worst status among them (`status`). `rerendered` marks
    the report of a safe re-render, made because the first render failed."""

    status: str
    checks: tuple[Check, ...]
    profile: str
    aspect: str
    elapsed_s: float = 0.0
    file: str = ""
    rerendered: bool = False

    @property
    def failed(self) -> list[str]:
        return [check.name for check in self.checks if check.status == FAIL]

    @property
    def warned(self) -> list[str]:
        return [check.name for check in self.checks if check.status == WARN]

    @property
    def is_readable(self) -> bool:
        return not any(check.name == "readable" for check in self.checks)

    @classmethod
    def failing(cls, *, name: str, value: str, limit: str, message: str, expect: Expect):
        """A report of one FAIL check, for a file that could not be judged at all."""
        return cls(FAIL, (Check(name, FAIL, value, limit, message),), expect.profile, expect.aspect)

    def to_json(self) -> dict:
        data = asdict(self)
        data["checks"] = [asdict(check) for check in self.checks]
        data["failed"] = self.failed
        data["elapsed_s"] = round(self.elapsed_s, 3)
        return data

    @classmethod
    def from_json(cls, data: dict) -> QCReport:
        return cls(
            status=data["status"],
            checks=tuple(Check(**check) for check in data["checks"]),
            profile=data["profile"],
            aspect=data["aspect"],
            elapsed_s=float(data.get("elapsed_s", 0.0)),
            file=data.get("file", ""),
            rerendered=bool(data.get("rerendered", False)),
        )

    def lines(self) -> list[str]:
        """One line per check: STATUS name: value (limit) - message."""
        return [
            f"{c.status:<4} {c.name}: {c.value} ({c.limit})"
            + (f" - {c.message}" if c.message else "")
            for c in self.checks
        ]


class QCFailed(RenderError):
    """A reel failed QC (after its safe re-render); `report` says which checks and why."""

    def __init__(self, report: QCReport):
        super().__init__("qc", "failed checks: " + "; ".join(_failure_lines(report)))
        self.report = report


def _failure_lines(report: QCReport) -> list[str]:
    return [f"{c.name}: {c.value} ({c.limit})" for c in report.checks if c.status == FAIL]


CheckFn = Callable[[Measurements, Expect], Check]
