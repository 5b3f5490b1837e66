"""Every change to practice lines, bookmarks and takes: one function per verb."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import status

from media import services as media_services
from media.models import Asset
from practice.models import Bookmark, Line, Take
from reelmaker.errors import DomainError, InvalidRequest
from render.inspection import UnusableMedia, inspect_media
from render.types import WordTiming
from scenes.models import Scene

log = logging.getLogger(__name__)

MAX_RECORDING_S = 60.0
# A take may run past its reference (a slower reading, a breath before it starts): up to
# twice its length or five seconds more, whichever is longer, and never past a minute.
RECORDING_SLACK_S = 5.0
RECORDING_FACTOR = 2.0


class AlreadyBookmarked(DomainError):
    code = "ALREADY_BOOKMARKED"
    http_status = status.HTTP_409_CONFLICT
    default_message = _("This line is already in your bookmarks.")


class RecordingTooLong(DomainError):
    code = "INVALID_REQUEST"
    http_status = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE


def recording_cap_s(reference_duration_ms: int) -> float:
    """The longest take accepted for a reference of this length, in seconds."""
    reference_s = reference_duration_ms / 1000
    return min(
        MAX_RECORDING_S, max(RECORDING_FACTOR * reference_s, reference_s + RECORDING_SLACK_S)
    )


def _clean_words(words: list[dict]) -> list[dict]:
    try:
        timings = [WordTiming.from_json(word) for word in words]
    except (KeyError, TypeError, ValueError):
        raise InvalidRequest(
            gettext("Each word needs text, start_ms and end_ms."),
            details={"fields": {"words": ["text, start_ms, end_ms"]}},
        ) from None
    if not timings or any(w.end_ms < w.start_ms or w.start_ms < 0 for w in timings):
        raise InvalidRequest(
            gettext("Words must be given, each ending after it starts."),
            details={"fields": {"words": ["start_ms <= end_ms"]}},
        )
    return [w.to_json() for w in timings]


def line_from_scene(*, scene_id: int, by, category: str = "", translation: str = "") -> Line:
    """A practice line from one of `by`'s scenes: its narration, voice and word timings.
    Raises Scene.DoesNotExist for a stranger's scene and InvalidRequest when it has no voice."""
    scene = Scene.objects.select_related("story", "voice").get(
        pk=scene_id, story__owner=by, story__deleted_at__isnull=True
    )
    if scene.voice is None or not scene.word_timings:
        raise InvalidRequest(gettext("This scene has no voice yet: make its voice first."))
    return Line.objects.create(
        text=scene.narration,
        translation=translation,
        language=scene.story.language,
        words=_clean_words(scene.word_timings),
        reference=scene.voice,
        reference_duration_ms=scene.voice.duration_ms or scene.duration_ms,
        category=category,
        speaker=scene.story.voice,
        scene=scene,
        created_by=by,
    )


def import_line(
    *,
    by,
    text: str,
    language: str,
    words: list[dict],
    audio: File,
    category: str = "",
    speaker: str = "",
    translation: str = "",
) -> Line:
    """A practice line from its text, timed words and reference recording (checked by content).
    Raises InvalidRequest for bad words or audio, UploadTooLarge past the upload limits."""
    cleaned = _clean_words(words)
    asset = media_services.store_upload(owner=by, file=audio, expect=("music",))
    return Line.objects.create(
        text=text,
        translation=translation,
        language=language,
        words=cleaned,
        reference=asset,
        reference_duration_ms=asset.duration_ms or 0,
        category=category,
        speaker=speaker,
        created_by=by,
    )


def view_line(*, line_id: int) -> None:
    """Count one view of the line (an F() update: concurrent views are all counted)."""
    Line.objects.filter(pk=line_id).update(view_count=F("view_count") + 1)


def bookmark_line(*, user, line_id: int) -> Bookmark:
    """Bookmark the line for `user`. Raises AlreadyBookmarked (409) on a repeat."""
    try:
        with transaction.atomic():
            return Bookmark.objects.create(user=user, line_id=line_id)
    except IntegrityError:
        raise AlreadyBookmarked(details={}) from None


def remove_bookmark(*, user, line_id: int) -> bool:
    """Drop the user's bookmark of the line; False when there was none. Safe to repeat."""
    deleted, _kinds = Bookmark.objects.filter(user=user, line_id=line_id).delete()
    return deleted > 0


def recording_duration_s(file: File) -> float | None:
    """How long an uploaded recording lasts by its content; None when it is not media (the
    upload check then says what is wrong with it)."""
    with tempfile.TemporaryDirectory(prefix="take-") as workdir:
        path = Path(workdir) / "take"
        with path.open("wb") as out:
            for chunk in file.chunks():
                out.write(chunk)
        file.seek(0)
        try:
            return inspect_media(path).duration_ms / 1000
        except UnusableMedia:
            return None


def delete_my_results(*, user, line_id: int | None = None) -> int:
    """Delete the user's takes (of one line, or all) and their recordings, to start again.
    Returns how many takes were deleted."""
    takes = Take.objects.filter(user=user)
    if line_id is not None:
        takes = takes.filter(line_id=line_id)
    recordings = list(takes.values_list("recording_id", flat=True))
    with transaction.atomic():
        count, _kinds = takes.delete()
        # a recording is only ever one take's (uploads of the same bytes share an asset)
        Asset.objects.filter(pk__in=recordings, owner=user).exclude(
            pk__in=Take.objects.values("recording_id")
        ).exclude(pk__in=Line.objects.values("reference_id")).delete()
    return count
