"""What follows a song reel's job (places.services.song_jobs) once it succeeded: the song
makes its story PLANNED; the lyric video makes it PREVIEW_READY, or COMPLETED for a final
(billing.receivers then settles the month's reel), and sends its webhook. Safe to repeat."""

from __future__ import annotations

from django.db import transaction

from jobs import webhooks
from jobs.models import Job
from stories import services as story_services
from stories.models import Story
from stories.states import RENDERING, Profile, Status

KINDS = (Job.Kind.SONG, Job.Kind.LYRIC_VIDEO)


def advance(*, job: Job) -> None:
    if job.kind not in KINDS:
        return  # a quick clip: a story of its own with no steps after it
    story_id = job.step_story_id
    with transaction.atomic():
        story = Story.objects.select_for_update().get(pk=story_id)
        if job.kind == Job.Kind.SONG:
            if story.status == Status.PLANNING:
                story_services.transition_story(
                    story_id=story_id, to=Status.PLANNED, reason="song made"
                )
            return
        done = Status.COMPLETED if job.profile == Profile.FINAL else Status.PREVIEW_READY
        if story.status in RENDERING:
            story_services.transition_story(story_id=story_id, to=done, reason="rendered")
    webhooks.queue_story_webhook(story_id=story_id)
