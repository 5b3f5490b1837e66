"""Quick clips: prompt -> image -> a short clip, one QUICK_CLIP job in a story of its own
(scenes.services.quick_clip makes it; jobs.pipeline.advance_story has nothing to do after)."""

from __future__ import annotations

from django.db import transaction

from jobs import dispatch
from jobs import services as job_services
from jobs.models import Job
from jobs.pipeline import create_story


@transaction.atomic
def start_quick_clip(*, owner, prompt: str, aspect: str, duration_s: int, language: str) -> Job:
    """Prompt -> image -> a short clip, as one QUICK_CLIP job of a story of its own (hidden from
    the reels, kept with its media in the owner's library). Raises QuotaExceeded (402)."""
    story = create_story(
        owner=owner,
        keyword=prompt,
        title=prompt[:200],
        language=language,
        aspect=aspect,
        duration_s=duration_s,
        is_quick_clip=True,
    )
    job = job_services.create_job(story=story, kind=Job.Kind.QUICK_CLIP)
    dispatch.queue_jobs([job])
    return job
