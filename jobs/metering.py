"""Checks before work starts: the plan allows the step and its estimated cost, the owner has
room for more queued jobs, and the scene is not already making the same part; and the prompt
test, metered the same way."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy

from billing import services as billing_services
from billing.estimates import cost_estimate, scene_parts_estimate
from jobs import services as job_services
from jobs.models import Job
from reelmaker.errors import AlreadyRunning, DomainError, TooManyQueuedJobs
from scenes.models import Prompt, Scene
from scenes.services import prompts
from stories.models import Story


class SongReelSteps(DomainError):
    code = "ILLEGAL_TRANSITION"
    http_status = 409
    default_message = gettext_lazy(
        "This story carries a song reel: make its song and its lyric video from the song reel."
    )


def ensure_allowed(
    *, story: Story, step: str, estimate_usd=None, jobs: bool = True, song_reel: bool = False
) -> None:
    """The plan allows `step` for the story and what it is estimated to cost (the whole cost
    estimate unless given), and the owner has room for more queued jobs. Reads only. A song
    reel's story takes only its own steps (`song_reel`: places.services.song_requests): a
    narrated plan or render of it is refused with SongReelSteps (409)."""
    if not song_reel and Story.objects.filter(pk=story.pk, song_reel__isnull=False).exists():
        raise SongReelSteps()
    if estimate_usd is None:
        estimate_usd = cost_estimate(story=story)["total_usd"]
    billing_services.ensure_quota(
        user=story.owner, step=step, story=story, estimate_usd=estimate_usd
    )
    if jobs:
        ensure_queue_room(user=story.owner)


def ensure_queue_room(*, user) -> None:
    """Raises TooManyQueuedJobs (429) while the user has MAX_QUEUED_JOBS_PER_USER queued or
    running jobs."""
    open_jobs = Job.objects.filter(story__owner=user, status__in=job_services.OPEN).count()
    if open_jobs >= settings.MAX_QUEUED_JOBS_PER_USER:
        raise TooManyQueuedJobs(
            details={"open_jobs": open_jobs, "max_open_jobs": settings.MAX_QUEUED_JOBS_PER_USER}
        )


def ensure_scene_idle(*, scene: Scene, kinds) -> None:
    """Raises AlreadyRunning (409) when the scene has a queued or running job of `kinds`."""
    busy = (
        Job.objects.filter(scene=scene, kind__in=kinds, status__in=job_services.OPEN)
        .values_list("kind", flat=True)
        .first()
    )
    if busy is not None:
        raise AlreadyRunning(details={"scene": scene.pk, "kind": busy})


def run_prompt_test(*, prompt_id: int, by=None) -> prompts.PromptTestResult:
    """Run a prompt test (scenes.services.prompts.run_prompt_test), metered like the steps:
    refused with AlreadyRunning while the scene's job of that kind (or another test of it)
    is queued or running, and with QuotaExceeded past the monthly provider budget."""
    prompt = Prompt.objects.select_related("scene__story__owner").get(pk=prompt_id)
    scene = prompt.scene
    part = "visual" if prompt.kind == Prompt.Kind.VISUAL else "voice"
    ensure_scene_idle(scene=scene, kinds=[Job.Kind.VISUAL if part == "visual" else Job.Kind.VOICE])
    estimate = scene_parts_estimate(scene=scene, parts=(part,), text=prompt.text)
    ensure_allowed(story=scene.story, step="prompt_test", estimate_usd=estimate, jobs=False)
    running = f"prompt-test:{scene.pk}:{part}"
    if not cache.add(running, prompt_id, timeout=2 * settings.PROVIDER_TIMEOUT_S):
        raise AlreadyRunning()
    try:
        return prompts.run_prompt_test(prompt_id=prompt_id, by=by)
    finally:
        cache.delete(running)
