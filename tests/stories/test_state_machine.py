import ast
import threading
from pathlib import Path

import pytest
from django.db import connection

from reelmaker.errors import IllegalTransition
from stories import services
from stories.models import Story, StoryStateTransition
from stories.states import TRANSITIONS, Status
from tests.factories import StoryFactory

ALL_PAIRS = [(a, b) for a in Status for b in Status]
LEGAL = {(a, b) for a, targets in TRANSITIONS.items() for b in targets}


@pytest.mark.django_db
@pytest.mark.parametrize(("source", "target"), ALL_PAIRS, ids=lambda s: s.value)
def test_every_pair_follows_the_table(source, target):
    story = StoryFactory()
    Story.objects.filter(pk=story.pk).update(status=source)

    if (source, target) in LEGAL:
        moved = services.transition_story(story_id=story.pk, to=target, reason="test")

        assert moved.status == target
        row = StoryStateTransition.objects.get(story=story)
        assert (row.from_status, row.to_status, row.reason) == (source, target, "test")
    else:
        with pytest.raises(IllegalTransition) as refused:
            services.transition_story(story_id=story.pk, to=target)

        assert refused.value.details["allowed"] == sorted(TRANSITIONS[source])
        assert refused.value.http_status == 409
        story.refresh_from_db()
        assert story.status == source
        assert not story.transitions.exists()


def test_table_matches_design_diagram():
    assert TRANSITIONS[Status.DRAFT] == {Status.PLANNING, Status.ARCHIVED}
    assert TRANSITIONS[Status.FAILED] == {
        Status.PLANNING,
        Status.PREVIEWING,
        Status.FINALIZING,
        Status.ARCHIVED,
    }
    archivable = {s for s, targets in TRANSITIONS.items() if Status.ARCHIVED in targets}
    assert archivable == {
        Status.DRAFT,
        Status.PLANNED,
        Status.PREVIEW_READY,
        Status.COMPLETED,
        Status.FAILED,
    }
    assert TRANSITIONS[Status.ARCHIVED] == frozenset()


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_transitions_serialize_on_postgresql():
    assert connection.vendor == "postgresql"
    story = StoryFactory()
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def move(target):
        barrier.wait()
        try:
            outcomes[target] = services.transition_story(story_id=story.pk, to=target).status
        except IllegalTransition as exc:
            outcomes[target] = exc.details["current"]
        finally:
            connection.close()

    threads = [threading.Thread(target=move, args=(t,)) for t in (Status.PLANNING, Status.ARCHIVED)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    story.refresh_from_db()
    assert story.transitions.count() == 1
    winner = story.transitions.get().to_status
    loser = Status.ARCHIVED if winner == Status.PLANNING else Status.PLANNING
    assert story.status == winner
    assert outcomes[loser] == winner  # the loser saw the new state, not the old one


def test_nothing_outside_the_service_assigns_story_status():
    root = Path(__file__).resolve().parents[2]
    offenders = []
    for path in root.glob("*/**/*.py"):
        rel = path.relative_to(root).as_posix()
        if rel.startswith((".venv/", "tests/", "var/")) or "/migrations/" in rel:
            continue
        for node in ast.walk(ast.parse(path.read_text(), filename=rel)):
            targets = []
            if isinstance(node, ast.Assign):
                targets = node.targets
            elif isinstance(node, ast.AugAssign | ast.AnnAssign):
                targets = [node.target]
            for target in targets:
                if isinstance(target, ast.Attribute) and target.attr == "status":
                    owner = ast.unparse(target.value)
                    if "story" in owner and rel != "stories/services.py":
                        offenders.append(f"{rel}:{node.lineno}")
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "update":
                source = ast.unparse(node)
                if "status=" in source and ("Story" in source or "stor" in source.split(".")[0]):
                    offenders.append(f"{rel}:{node.lineno}")
    assert offenders == []
