"""[billing] gap: a plan's `final_resolution` is enforced. A final ordered on a 720p plan is
rendered at 720p (a user on that plan expects their reel, smaller, not a refusal); the
product's own QC (manage.py checkreel) judges the file at that size."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from billing import services as billing_services
from billing.models import Plan, Subscription
from jobs import inline, pipeline
from render.profiles import profile_for
from stories import services as story_services
from stories.states import Profile, Status
from tests.factories import UserFactory


def _on_plan(user, resolution: str) -> None:
    plan = Plan.objects.create(
        code=f"final-{resolution}", name=resolution, final_resolution=resolution
    )
    Subscription.objects.update_or_create(user=user, defaults={"plan": plan})


@pytest.mark.django_db
def test_the_plan_sets_a_final_s_resolution_and_the_caller_cannot(user):
    _on_plan(user, "720p")
    asked = {"quality": "standard", "resolution": "1080p"}

    final = billing_services.render_options(user=user, profile=Profile.FINAL, options=asked)
    preview = billing_services.render_options(user=user, profile=Profile.PREVIEW, options=asked)

    assert final["resolution"] == "720p"
    assert "resolution" not in preview
    Plan.objects.filter(code="final-720p").update(final_resolution="1080p")
    assert "resolution" not in billing_services.render_options(
        user=user, profile=Profile.FINAL, options=asked
    )  # 1080p finals keep their options (and their cached clips) as before


def test_profiles_at_each_resolution_keep_the_aspect():
    assert profile_for("final", "9:16", "720p").size == "720x1280"
    assert profile_for("final", "16:9", "720p").size == "1280x720"
    assert profile_for("final", "1:1", "720p").size == "720x720"
    assert profile_for("final", "9:16").size == "1080x1920"
    assert profile_for("preview", "9:16", "720p").size == "540x960"  # previews unchanged
    with pytest.raises(ValueError, match="resolution"):
        profile_for("final", "9:16", "4k")


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_final_on_a_720p_plan_is_rendered_at_720p_and_passes_checkreel():
    owner = UserFactory()
    _on_plan(owner, "720p")
    story = story_services.create_story(
        owner=owner, keyword="harbour sunrise", language="en", duration_s=6
    )
    pipeline.plan_story(story_id=story.pk, inline=True)
    inline.run_inline(story_id=story.pk)
    pipeline.render_final(story_id=story.pk, inline=True)

    inline.run_inline(story_id=story.pk)

    story.refresh_from_db()
    assert story.status == Status.COMPLETED, story.status
    path = story.final.file.path
    out = StringIO()
    call_command("checkreel", path, "--resolution", "720p", "--json", stdout=out)
    checks = {check["name"]: check for check in json.loads(out.getvalue())["checks"]}
    assert checks["resolution"]["status"] == "PASS"
    assert checks["resolution"]["value"] == "720x1280"
    with pytest.raises(CommandError, match="resolution"):  # it is not a 1080p final
        call_command("checkreel", path, stdout=StringIO())
    # The job's own QC judged it at the plan's size too (a 1080p expectation would FAIL it).
    stored = {check["name"]: check for check in story.final.qc["checks"]}
    assert stored["resolution"]["status"] == "PASS"
    assert stored["resolution"]["limit"] == "720x1280 for final 720p 9:16"
    assert story.final.qc["status"] in ("PASS", "WARN")
