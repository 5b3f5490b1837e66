"""My voice in my reel: a creator's recording becomes the narration of a scene, or of every
scene at once (the whole script read in one go), with word timings carried over from the TTS
reading of the same text so the captions follow the recording.

The upload answers 202 with a job (jobs.Job of kind `my_voice`, on the story's event stream);
the job aligns, cleans and sets the voices (jobs.side_jobs runs it). A voice set this way stays
until the scene's voice is regenerated, which speaks it with TTS again.
"""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path

import numpy as np
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext

from billing.services import record_usage
from jobs import dispatch
from jobs import services as job_services
from jobs.models import Job
from media import services as media_services
from media.models import Asset
from practice.analysis import NoSpeechHeard
from practice.services import MAX_RECORDING_S, RecordingTooLong, recording_duration_s
from providers import registry
from providers.voice.speak import speak_written
from reelmaker.errors import AlreadyRunning, InvalidRequest
from render.types import WordTiming
from scenes.models import Scene
from scenes.services.media import SCENE_PAUSE_MS
from scenes.services.pronunciations import lexicon_for, scene_voice_key
from speech import narration
from speech.analyze import NoSpeech
from speech.audio import SAMPLE_RATE, decode
from stories import services as story_services
from stories.models import Story

MY_VOICE_PROVIDER = "my-voice"
# A whole story read at once: at most this long (its alignment holds a byte per pair of
# 10 ms frames: three minutes against three minutes is about 320 MB), and never more than
# twice the story's length or 5 s over it, as for a line.
MAX_STORY_RECORDING_S = 180.0


def request_scene_voice(*, scene_id: int, by, recording: File) -> Job:
    """Store `recording` (checked by content, at most a minute) and queue the job that makes
    it the voice of one of `by`'s scenes. Raises Scene.DoesNotExist for a stranger's scene,
    PlanLocked/StoryBusy (409), AlreadyRunning (409), InvalidRequest (400), RecordingTooLong
    (413)."""
    scene = Scene.objects.select_related("story").get(
        pk=scene_id, story__owner=by, story__deleted_at__isnull=True
    )
    return _request(
        story=scene.story, scene=scene, by=by, recording=recording, cap_s=MAX_RECORDING_S
    )


def request_story_voice(*, story_id: int, by, recording: File) -> Job:
    """The same for the whole script read at once: the job splits it at the scene boundaries.
    Raises Story.DoesNotExist, InvalidRequest when no scene has narration yet, and the rest
    as request_scene_voice."""
    story = Story.objects.get(pk=story_id, owner=by, deleted_at__isnull=True)
    if not story.scenes.exclude(narration="").exists():
        raise InvalidRequest(
            InvalidRequest.default_message, details={"fields": {"story": ["no narration"]}}
        )
    cap_s = min(MAX_STORY_RECORDING_S, max(2 * story.duration_s, story.duration_s + 5))
    return _request(story=story, scene=None, by=by, recording=recording, cap_s=cap_s)


def _request(*, story: Story, scene: Scene | None, by, recording: File, cap_s: float) -> Job:
    story_services.ensure_editable(story=story, scenes=True)
    busy = Job.objects.filter(
        story=story, kind__in=(Job.Kind.MY_VOICE, Job.Kind.VOICE), status__in=job_services.OPEN
    )
    if scene is not None:
        # this scene's voice, or a whole reading that would set it too
        busy = busy.filter(Q(scene=scene) | Q(scene__isnull=True))
    if busy.exists():
        where = {"scene": scene.pk} if scene is not None else {}
        raise AlreadyRunning(details={**where, "kind": Job.Kind.MY_VOICE})
    found = recording_duration_s(recording)
    if found is not None and found > cap_s:
        raise RecordingTooLong(details={"max_duration_s": round(cap_s, 2), "duration_s": found})
    upload = media_services.store_upload(owner=by, file=recording, expect=("music",))
    with transaction.atomic():
        job = job_services.create_job(
            story=story,
            scene=scene,
            kind=Job.Kind.MY_VOICE,
            options={"recording": upload.pk, "scene": scene.pk if scene else None},
        )
        job_services.record_job_event(job_id=job.pk)
        dispatch.queue_jobs([job])
    return job


def my_voice_job(job: Job) -> dict:
    """The `my_voice` job's handler: the scene's voice, or every narrated scene's from one
    reading of the whole script. Raises NoSpeechHeard, PlanLocked/StoryBusy (the story was
    locked meanwhile) and what FFmpeg or the TTS voice raise."""
    story = Story.objects.select_related("owner").get(pk=job.step_story_id)
    story_services.ensure_editable(story=story, scenes=True)
    upload = Asset.objects.get(pk=job.options["recording"])
    scenes = list(story.scenes.exclude(narration="").order_by("position"))
    if job.options.get("scene"):
        # a scene deleted since (the job's scene is then None) leaves nothing to narrate
        scenes = [scene for scene in scenes if scene.pk == job.scene_id]
    if not scenes:
        raise InvalidRequest(gettext("There is no narration left to read."))
    lexicon = lexicon_for(user_id=story.owner_id, language=story.language)
    with tempfile.TemporaryDirectory(prefix="my-voice-") as tmp:
        work = Path(tmp)
        readings, cost = [], Decimal("0")
        for scene in scenes:
            reading = speak_written(
                registry.get_voice_provider(),
                text=scene.narration,
                language=story.language,
                voice=story.voice,
                out_path=work / f"tts-{scene.pk}.wav",
                lexicon=lexicon,
            )
            record = record_usage(usage=reading.usage, story=story, job=job)
            cost += record.cost_usd if record is not None else 0
            readings.append((decode(reading.audio_path), reading.words))
        job_services.set_progress(job_id=job.pk, progress=30)
        mine = media_services.local_copy(upload, work)
        samples = decode(mine, max_s=MAX_STORY_RECORDING_S + 1)
        try:
            parts = _parts(readings, samples)
        except NoSpeech:
            raise NoSpeechHeard() from None
        job_services.set_progress(job_id=job.pk, progress=70)
        voices = []
        for scene, part in zip(scenes, parts, strict=True):
            source = (
                mine
                if len(parts) == 1
                else narration.cut(
                    mine, work / f"part-{scene.pk}.wav", start_ms=part.start_ms, end_ms=part.end_ms
                )
            )
            duration_ms = part.end_ms - part.start_ms
            cleaned = narration.clean(
                source, work / f"voice-{scene.pk}.wav", duration_s=duration_ms / 1000
            )
            voice = media_services.save_asset(
                owner=story.owner,
                story=story,
                kind=Asset.Kind.AUDIO,
                path=cleaned,
                mime_type="audio/wav",
                source_provider=MY_VOICE_PROVIDER,
                duration_ms=duration_ms,
            )
            voices.append((scene, voice, part.words, duration_ms))
    with transaction.atomic():
        for scene, voice, words, duration_ms in voices:
            _set_voice(
                story=story,
                scene_id=scene.pk,
                voice=voice,
                words=words,
                duration_ms=duration_ms,
                lexicon=lexicon,
            )
    output = voices[0][1] if len(voices) == 1 else None
    return {"provider": MY_VOICE_PROVIDER, "output": output, "cost_usd": cost}


def _parts(
    readings: list[tuple[np.ndarray, list[WordTiming]]], samples: np.ndarray
) -> list[narration.Part]:
    if len(readings) == 1:
        ((reference, words),) = readings
        moved = narration.transfer_words(reference=reference, words=words, recording=samples)
        return [
            narration.Part(start_ms=0, end_ms=round(len(samples) * 1000 / SAMPLE_RATE), words=moved)
        ]
    return narration.split_reading(readings=readings, recording=samples)


def _set_voice(
    *, story: Story, scene_id: int, voice: Asset, words: list[WordTiming], duration_ms: int, lexicon
) -> None:
    scene = Scene.objects.select_for_update().get(pk=scene_id)
    scene.voice = voice
    scene.word_timings = [w.to_json() for w in words]
    scene.duration_ms = duration_ms + SCENE_PAUSE_MS
    # the key of the narration as written: the voice stays until the text changes
    scene.voice_key = scene_voice_key(story=story, narration=scene.narration, lexicon=lexicon)
    scene.save(update_fields=["voice", "word_timings", "duration_ms", "voice_key", "updated_at"])
