"""Asset (scenes -> media), AIProviderConfig (scenes -> providers) and Event (jobs -> stories)
moved apps by migration state only: a database made with the old layout keeps every row and
every link when it is migrated forward."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

OLD_LAYOUT = [
    ("stories", "0002_idempotencyrecord"),
    ("scenes", "0002_initial"),
    ("jobs", "0004_job_provider_fallback_note"),
    ("billing", "0006_seed_video_prices"),
    ("media", "0001_initial"),  # before columns added to the moved Asset table
]


@pytest.mark.django_db(transaction=True)
def test_a_database_made_with_the_old_layout_keeps_its_rows_and_links():
    executor = MigrationExecutor(connection)
    executor.migrate(OLD_LAYOUT)
    old = executor.loader.project_state(OLD_LAYOUT).apps
    owner = old.get_model("auth", "User").objects.create(username="old@example.com")
    story = old.get_model("stories", "Story").objects.create(
        owner=owner, keyword="old layout", language="en", status="PREVIEW_READY"
    )
    asset = old.get_model("scenes", "Asset").objects.create(
        owner=owner, story=story, kind="video", file="assets/old.mp4", bytes=42
    )
    story.preview = asset
    story.save()
    scene = old.get_model("scenes", "Scene").objects.create(
        story=story, position=0, narration="hello", visual=asset
    )
    job = old.get_model("jobs", "Job").objects.create(story=story, kind="assemble", output=asset)
    event = old.get_model("jobs", "Event").objects.create(story=story, kind="job", payload={"a": 1})
    config = old.get_model("scenes", "AIProviderConfig").objects.create(
        capability="writer", provider="openai", model="gpt-4o-mini"
    )

    call_command("migrate", verbosity=0)

    from jobs.models import Job
    from media.models import Asset
    from providers.models import AIProviderConfig
    from scenes.models import Scene
    from stories.models import Event, Story

    moved = Story.objects.get(pk=story.pk)
    assert moved.preview == Asset.objects.get(pk=asset.pk)
    assert Asset.objects.get(pk=asset.pk).bytes == 42
    assert Scene.objects.get(pk=scene.pk).visual_id == asset.pk
    assert Job.objects.get(pk=job.pk).output_id == asset.pk
    assert Event.objects.get(pk=event.pk).payload == {"a": 1}
    assert AIProviderConfig.objects.get(pk=config.pk).model == "gpt-4o-mini"
