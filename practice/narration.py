"""My voice in my reel: a creator's recording becomes a scene's narration, with word timings
carried over from the TTS reading of the same text so the captions follow the recording."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.core.files import File
from django.db import transaction

from media import services as media_services
from media.models import Asset
from practice.services import MAX_RECORDING_S, RecordingTooLong, recording_duration_s
from providers import registry
from providers.voice.speak import speak_written
from scenes.models import Scene
from scenes.services.media import SCENE_PAUSE_MS
from scenes.services.pronunciations import lexicon_for, scene_voice_key
from speech import narration
from speech.audio import decode
from stories import services as story_services

MY_VOICE_PROVIDER = "my-voice"


def use_my_voice(*, scene_id: int, by, recording: File) -> Scene:
    """Make `recording` (checked by content, at most a minute) the voice of one of `by`'s
    scenes: aligned to the scene's TTS reading for word timings, cleaned, and kept until the
    voice is regenerated (which speaks it with TTS again). Raises Scene.DoesNotExist for a
    stranger's scene, PlanLocked/StoryBusy (409), InvalidRequest (400), RecordingTooLong
    (413) and speech.analyze.NoSpeech."""
    scene = Scene.objects.select_related("story").get(
        pk=scene_id, story__owner=by, story__deleted_at__isnull=True
    )
    story = scene.story
    story_services.ensure_editable(story=story, scenes=True)
    found = recording_duration_s(recording)
    if found is not None and found > MAX_RECORDING_S:
        raise RecordingTooLong(details={"max_duration_s": MAX_RECORDING_S, "duration_s": found})
    upload = media_services.store_upload(owner=by, file=recording, expect=("music",))
    lexicon = lexicon_for(user_id=story.owner_id, language=story.language)
    with tempfile.TemporaryDirectory(prefix="my-voice-") as tmp:
        work = Path(tmp)
        reading = speak_written(
            registry.get_voice_provider(),
            text=scene.narration,
            language=story.language,
            voice=story.voice,
            out_path=work / "tts.wav",
            lexicon=lexicon,
        )
        mine = media_services.local_copy(upload, work)
        samples = decode(mine)
        words = narration.transfer_words(
            reference=decode(reading.audio_path), words=reading.words, recording=samples
        )
        duration_ms = round(len(samples) / 16)  # 16 kHz samples
        cleaned = narration.clean(mine, work / "my-voice.wav", duration_s=duration_ms / 1000)
        voice = media_services.save_asset(
            owner=by,
            story=story,
            kind=Asset.Kind.AUDIO,
            path=cleaned,
            mime_type="audio/wav",
            source_provider=MY_VOICE_PROVIDER,
            duration_ms=duration_ms,
        )
    with transaction.atomic():
        scene = Scene.objects.select_for_update().get(pk=scene_id)
        scene.voice = voice
        scene.word_timings = [w.to_json() for w in words]
        scene.duration_ms = duration_ms + SCENE_PAUSE_MS
        # the key of the narration as written: the voice stays until the text changes
        scene.voice_key = scene_voice_key(story=story, narration=scene.narration, lexicon=lexicon)
        scene.save(
            update_fields=["voice", "word_timings", "duration_ms", "voice_key", "updated_at"]
        )
    return scene
