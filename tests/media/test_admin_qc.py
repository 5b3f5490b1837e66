"""Operators find reels by their media QC status in admin: a column and a filter on assets and
on stories (by the story's latest reel)."""

from __future__ import annotations

import pytest

from media.models import Asset
from tests.factories import StoryFactory, UserFactory

pytestmark = pytest.mark.django_db


def report(status: str, failed: tuple[str, ...] = (), *, rerendered: bool = False) -> dict:
    checks = [
        {"name": "container", "status": "PASS", "value": "MP4", "limit": "MP4", "message": ""}
    ]
    checks += [
        {"name": name, "status": status, "value": "v", "limit": "l", "message": "Wrong."}
        for name in failed
    ]
    return {
        "status": status,
        "checks": checks,
        "profile": "final",
        "aspect": "9:16",
        "failed": [name for name in failed if status == "FAIL"],
        "rerendered": rerendered,
        "elapsed_s": 1.2,
        "file": "reel.mp4",
    }


def reel(story, qc: dict) -> Asset:
    return Asset.objects.create(
        owner=story.owner, story=story, kind=Asset.Kind.VIDEO, file="reel.mp4", qc=qc
    )


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_assets_filter_by_qc_status_and_show_what_did_not_pass(staff_client):
    story = StoryFactory()
    passed = reel(story, report("PASS"))
    warned = reel(story, report("WARN", ("freeze",), rerendered=True))
    unchecked = Asset.objects.create(
        owner=story.owner, story=story, kind=Asset.Kind.IMAGE, file="a.png"
    )

    by_status = {
        status: list(
            staff_client.get("/admin/media/asset/", {"qc": status}).context["cl"].result_list
        )
        for status in ("PASS", "WARN", "FAIL", "none")
    }
    page = staff_client.get("/admin/media/asset/").content.decode()

    assert by_status == {"PASS": [passed], "WARN": [warned], "FAIL": [], "none": [unchecked]}
    assert "WARN (re-rendered): freeze" in page


def test_stories_filter_by_their_latest_reels_qc(staff_client):
    final_failed = StoryFactory()
    final_failed.preview = reel(final_failed, report("PASS"))
    final_failed.final = reel(final_failed, report("FAIL", ("loudness",)))
    final_failed.save()
    preview_only = StoryFactory()
    preview_only.preview = reel(preview_only, report("PASS"))
    preview_only.save()

    failing = staff_client.get("/admin/stories/story/", {"reel_qc": "FAIL"}).context["cl"]
    passing = staff_client.get("/admin/stories/story/", {"reel_qc": "PASS"}).context["cl"]
    page = staff_client.get("/admin/stories/story/").content.decode()

    assert list(failing.result_list) == [final_failed]
    assert list(passing.result_list) == [preview_only]
    assert "FAIL: loudness" in page


def test_an_assets_page_shows_its_qc_report_as_a_table(staff_client):
    asset = reel(StoryFactory(), report("FAIL", ("black",)))

    page = staff_client.get(f"/admin/media/asset/{asset.pk}/change/").content.decode()

    assert "<td>FAIL</td><td>black</td>" in page
    assert "Wrong." in page
