"""The story state machine: the one table of legal moves (DESIGN.md §1)."""

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
    Status.PLANNED: frozenset({Status.PREVIEWING, Status.FAILED, Status.ARCHIVED}),
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

# Statuses in which a worker is busy with the story.
WORKING = frozenset({Status.PLANNING, Status.PREVIEWING, Status.FINALIZING})


def allowed_targets(current: str) -> list[str]:
    """The statuses a story in `current` may move to, sorted for stable messages."""
    return sorted(TRANSITIONS[Status(current)])
