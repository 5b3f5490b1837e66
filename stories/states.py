"""The story state machine: the one table of legal moves, and every status set read from it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "DRAFT", _("Draft")
    PLANNING = "PLANNING", _("Planning")
    PLANNED = "PLANNED", _("Planned")
    PREVIEWING = "PREVIEWING", _("Rendering preview")
    PREVIEW_READY = "PREVIEW_READY", _("Preview ready")
    FINALIZING = "FINALIZING", _("Rendering final")
    COMPLETED = "COMPLETED", _("Completed")
    FAILED = "FAILED", _("Failed")
    ARCHIVED = "ARCHIVED", _("Archived")


TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.DRAFT: frozenset({Status.PLANNING, Status.ARCHIVED}),
    Status.PLANNING: frozenset({Status.PLANNED, Status.FAILED}),
    # PLANNED -> FINALIZING: a final render without a preview pass (autopilot, makereel).
    Status.PLANNED: frozenset(
        {Status.PREVIEWING, Status.FINALIZING, Status.FAILED, Status.ARCHIVED}
    ),
    # PREVIEWING and PREVIEW_READY go back to PLANNED when a scene is edited.
    Status.PREVIEWING: frozenset({Status.PREVIEW_READY, Status.PLANNED, Status.FAILED}),
    Status.PREVIEW_READY: frozenset(
        {Status.FINALIZING, Status.PLANNED, Status.FAILED, Status.ARCHIVED}
    ),
    Status.FINALIZING: frozenset({Status.COMPLETED, Status.FAILED}),
    Status.COMPLETED: frozenset({Status.ARCHIVED}),
    # Leaving FAILED returns to the step whose job failed, when that job is retried.
    Status.FAILED: frozenset(
        {Status.PLANNING, Status.PREVIEWING, Status.FINALIZING, Status.ARCHIVED}
    ),
    Status.ARCHIVED: frozenset(),
}

# The status sets: WORKING is named; the rest are read from the table, so they follow it.

# A worker holds the story: each of these ends in success or FAILED, never by a user's move.
WORKING = frozenset({Status.PLANNING, Status.PREVIEWING, Status.FINALIZING})
# Finished for good: only archiving is left.
TERMINAL = frozenset(s for s, targets in TRANSITIONS.items() if targets <= {Status.ARCHIVED})
# The brief and the scenes can be edited: nothing runs and the story is not finished.
EDITABLE = frozenset(Status) - WORKING - TERMINAL
# Where a failed job takes its story to FAILED (FAILED itself: a second failure keeps it there).
FAILABLE = frozenset(s for s, targets in TRANSITIONS.items() if Status.FAILED in targets) | {
    Status.FAILED
}
# The outcomes a story's callback URL is told about.
OUTCOMES = frozenset({Status.COMPLETED, Status.FAILED})


class Profile(models.TextChoices):
    """How a render is made: `preview` (small, fast, watermarked) or `final` (full size)."""

    PREVIEW = "preview", _("Preview")
    FINAL = "final", _("Final")


# The working status each render profile runs in, and back.
PROFILE_STEP = {Profile.PREVIEW: Status.PREVIEWING, Profile.FINAL: Status.FINALIZING}
STEP_PROFILE = {step: profile for profile, step in PROFILE_STEP.items()}
# The renders: the plan stays locked while one runs.
RENDERING = frozenset(PROFILE_STEP.values())


def allowed_targets(current: str) -> list[str]:
    """The statuses a story in `current` may move to, sorted for stable messages."""
    return sorted(TRANSITIONS[Status(current)])
