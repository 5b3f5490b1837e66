"""Reads of practice: the catalogue, related lines, a user's takes and their "my page"."""

from __future__ import annotations

from django.db.models import Avg, Count, Max, QuerySet

from practice.models import Bookmark, Line, Take

ORDERINGS = {"latest": ("-created_at", "-id"), "popular": ("-view_count", "-created_at", "-id")}
LINE_ORDERS = sorted(ORDERINGS)
RELATED_LIMIT = 6


def lines(*, category: str = "", language: str = "", order: str = "latest") -> QuerySet[Line]:
    """The catalogue, newest first or most viewed first, optionally of one category or
    language. Raises KeyError for an unknown order."""
    found = Line.objects.select_related("reference")
    if category:
        found = found.filter(category=category)
    if language:
        found = found.filter(language=language)
    return found.order_by(*ORDERINGS[order])


def related_lines(*, line: Line) -> QuerySet[Line]:
    """Other lines of the same category (else the same language), most viewed first."""
    others = Line.objects.exclude(pk=line.pk).select_related("reference")
    if line.category:
        others = others.filter(category=line.category)
    else:
        others = others.filter(language=line.language)
    return others.order_by(*ORDERINGS["popular"])[:RELATED_LIMIT]


def bookmarked_line_ids(*, user) -> set[int]:
    return set(Bookmark.objects.filter(user=user).values_list("line_id", flat=True))


def takes_for(*, user) -> QuerySet[Take]:
    """The user's takes, newest first (another user's are not there)."""
    return Take.objects.filter(user=user).select_related("line", "recording")


def my_page(*, user) -> dict:
    """Counts, bookmarks, the lines practised with their latest status and scores, and the
    average scores over every analysed take."""
    takes = takes_for(user=user)
    analysed = takes.filter(status=Take.Status.SUCCEEDED)
    per_line = (
        takes.values("line_id", "line__text")
        .annotate(takes=Count("id"), best_score=Max("score"), average_score=Avg("score"))
        .order_by("line_id")
    )
    latest: dict[int, Take] = {}
    for take in takes.order_by("line_id", "-created_at", "-id"):
        latest.setdefault(take.line_id, take)
    practised = [
        {
            "line_id": row["line_id"],
            "text": row["line__text"],
            "takes": row["takes"],
            "status": latest[row["line_id"]].status,
            "rank": latest[row["line_id"]].rank,
            "best_score": row["best_score"],
            "average_score": row["average_score"],
        }
        for row in per_line
    ]
    bookmarks = Bookmark.objects.filter(user=user).select_related("line")
    return {
        "counts": {
            "bookmarks": bookmarks.count(),
            "lines_practised": len(practised),
            "takes": takes.count(),
            "takes_analysed": analysed.count(),
        },
        "average_score": analysed.aggregate(value=Avg("score"))["value"],
        "averages": _average_parts(analysed),
        "bookmarks": [
            {"line_id": b.line_id, "text": b.line.text, "created_at": b.created_at}
            for b in bookmarks
        ],
        "practised": practised,
    }


def _average_parts(analysed: QuerySet[Take]) -> dict[str, float | None]:
    """Mean similarity (0-100), timing, intonation and expressiveness (0-1) of the takes."""
    parts: dict[str, list[float]] = {
        "similarity": [],
        "timing": [],
        "intonation": [],
        "expressiveness": [],
    }
    for result in analysed.values_list("result", flat=True):
        parts["similarity"].append(float(result.get("similarity", 0)))
        parts["timing"].append(float(result.get("timing", 0)))
        parts["intonation"].append(float(result.get("intonation", {}).get("score", 0)))
        parts["expressiveness"].append(float(result.get("expressiveness", {}).get("score", 0)))
    return {name: (sum(v) / len(v) if v else None) for name, v in parts.items()}
