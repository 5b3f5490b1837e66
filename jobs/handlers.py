"""Which service does each kind of job. A handler takes the job and returns what to record.

Progress: FFmpeg jobs follow FFmpeg's own progress (job_services.progress_reporter); the
others report coarse steps: 0 when claimed, 50 once their work is done and being recorded,
100 when succeeded.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import connection
from django.utils.translation import gettext as _

from jobs import services as job_services
from jobs.models import Job
from places.services import song_jobs
from practice import analysis as practice_analysis
from practice import narration as practice_narration
from publishing import services as publishing_services
from reelmaker.errors import InvalidRequest
from scenes import planning
from scenes import services as scene_services
from scenes.services import quick_clip


def _coarse(handler: Callable[[Job], dict]) -> Callable[[Job], dict]:
    def run(job: Job) -> dict:
        result = handler(job)
        job_services.set_progress(job_id=job.pk, progress=50)
        return result

    return run


def _plan(job: Job) -> dict:
    return planning.write_plan(story_id=job.step_story_id, job=job)


def _scene_id(job: Job) -> int:
    # A scene job's scene is SET_NULL when the scene is deleted under it.
    if job.scene_id is None:
        raise InvalidRequest(_("The scene of this job was deleted."))
    return job.scene_id


def _visual(job: Job) -> dict:
    return scene_services.make_scene_visual(scene_id=_scene_id(job), job=job)


def _voice(job: Job) -> dict:
    return scene_services.make_scene_voice(scene_id=_scene_id(job), job=job)


def _music(job: Job) -> dict:
    return scene_services.make_story_music(story_id=job.step_story_id, job=job)


def _quick_clip(job: Job) -> dict:
    return quick_clip.make_quick_clip(story_id=job.step_story_id, job=job)


def _scene_render(job: Job) -> dict:
    with cancel_on_job_cancel(job.pk) as cancel:
        return scene_services.render_scene(
            scene_id=_scene_id(job),
            profile=job.profile,
            options=job.options,
            job=job,
            cancel=cancel,
            on_progress=job_services.progress_reporter(job_id=job.pk),
        )


def _assemble(job: Job) -> dict:
    with cancel_on_job_cancel(job.pk) as cancel:
        return scene_services.assemble_story(
            story_id=job.step_story_id,
            profile=job.profile,
            options=job.options,
            job=job,
            cancel=cancel,
            on_progress=job_services.progress_reporter(job_id=job.pk),
        )


@contextmanager
def cancel_on_job_cancel(job_id: int, poll_s: float = 0.5) -> Iterator[threading.Event]:
    """An event set as soon as the job is canceled, or its run lost its lease (the reaper gave
    the job to another run), so a running FFmpeg is terminated."""
    canceled, done = threading.Event(), threading.Event()
    lease = Job.objects.filter(pk=job_id).values_list("lease_token", flat=True).first() or ""

    def watch() -> None:
        try:
            while not done.wait(poll_s):
                others = Job.objects.filter(pk=job_id).exclude(
                    status=Job.Status.RUNNING, lease_token=lease
                )
                if others.exists():
                    canceled.set()
                    return
        finally:
            connection.close()  # this thread's own connection

    watcher = threading.Thread(target=watch, name=f"cancel-watch-{job_id}", daemon=True)
    watcher.start()
    try:
        yield canceled
    finally:
        done.set()
        watcher.join()


def _song(job: Job) -> dict:
    # A gateway's song reports the share of its deadline waited; the offline one, steps.
    return song_jobs.run_song_job(job, on_progress=job_services.progress_reporter(job_id=job.pk))


def _lyric_video(job: Job) -> dict:
    return song_jobs.run_lyric_video_job(job)


def _upload(job: Job) -> dict:
    return publishing_services.upload_publication(job=job)


HANDLERS: dict[str, Callable[[Job], dict]] = {
    Job.Kind.PLAN: _coarse(_plan),
    Job.Kind.VISUAL: _coarse(_visual),
    Job.Kind.VOICE: _coarse(_voice),
    Job.Kind.MUSIC: _coarse(_music),
    Job.Kind.SCENE_RENDER: _scene_render,
    Job.Kind.ASSEMBLE: _assemble,
    Job.Kind.QUICK_CLIP: _coarse(_quick_clip),
    Job.Kind.UPLOAD: _coarse(_upload),
    Job.Kind.SONG: _coarse(_song),
    Job.Kind.LYRIC_VIDEO: _coarse(_lyric_video),
    Job.Kind.ANALYSIS: practice_analysis.analyse_take_job,
    Job.Kind.MY_VOICE: practice_narration.my_voice_job,
}

# What else a side job's failure changes (jobs.side_jobs), given the job, code and message.
ON_FAILURE: dict[str, Callable[[Job, str, str], None]] = {
    Job.Kind.ANALYSIS: practice_analysis.take_job_failed,
}
# ... and what its retry (staff, the API) and its cancel change.
ON_RETRY: dict[str, Callable[[Job], None]] = {Job.Kind.ANALYSIS: practice_analysis.take_job_retried}
ON_CANCEL: dict[str, Callable[[Job], None]] = {
    Job.Kind.ANALYSIS: practice_analysis.take_job_canceled
}
