"""A user's pronunciation lexicon (written word -> how to say it) and the narration key that
makes a changed lexicon voice the affected scenes again."""

from __future__ import annotations

import hashlib
import json

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from providers.voice.normalize import Pronunciation, SpokenText, to_spoken
from reelmaker.errors import InvalidRequest
from scenes.models import PronunciationEntry
from stories.models import Story

# A lexicon is matched against every word of every narration: keep it a lexicon, not a book.
MAX_PRONUNCIATIONS = 1000
# Bump when the normaliser reads something differently: every scene is then voiced again.
NORMALIZER_VERSION = 1


def lexicon_for(*, user_id: int, language: str) -> list[Pronunciation]:
    """The user's pronunciations for `language`, as the voice layer takes them."""
    rows = PronunciationEntry.objects.filter(user_id=user_id, language=language)
    return [
        Pronunciation(word=word, spoken=spoken)
        for word, spoken in rows.values_list("word", "spoken")
    ]


def preview_spoken(*, user_id: int, language: str, text: str) -> SpokenText:
    """What every voice would be asked to say for `text` in a story of this user's. Reads only."""
    return to_spoken(
        text, language=language, lexicon=lexicon_for(user_id=user_id, language=language)
    )


def voice_key(*, spoken_text: str, language: str, voice: str) -> str:
    """The narration key: what the voice is asked to say and who says it."""
    payload = json.dumps([NORMALIZER_VERSION, spoken_text, language, voice], ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


def scene_voice_key(*, story: Story, narration: str, lexicon: list[Pronunciation]) -> str:
    spoken = to_spoken(narration, language=story.language, lexicon=lexicon)
    return voice_key(spoken_text=spoken.text, language=story.language, voice=story.voice)


def stale_voice_scene_ids(*, story: Story) -> set[int]:
    """The story's voiced scenes whose narration key changed since they were voiced (the
    owner's pronunciations, the voice or the normaliser changed). A scene voiced before keys
    were kept (empty key) is not stale."""
    scenes = list(story.scenes.exclude(voice=None).exclude(voice_key=""))
    if not scenes:
        return set()
    lexicon = lexicon_for(user_id=story.owner_id, language=story.language)
    return {
        scene.pk
        for scene in scenes
        if scene.voice_key
        != scene_voice_key(story=story, narration=scene.narration, lexicon=lexicon)
    }


def create_pronunciation(*, user, language: str, word: str, spoken: str) -> PronunciationEntry:
    """Add `word` -> `spoken` to the user's lexicon. Raises InvalidRequest when the user has
    this word in this language already or has MAX_PRONUNCIATIONS."""
    if PronunciationEntry.objects.filter(user=user).count() >= MAX_PRONUNCIATIONS:
        raise InvalidRequest(
            _("You have %(max)d pronunciations, the most there can be; remove one first.")
            % {"max": MAX_PRONUNCIATIONS},
            details={"max_pronunciations": MAX_PRONUNCIATIONS},
        )
    try:
        with transaction.atomic():
            return PronunciationEntry.objects.create(
                user=user, language=language, word=word, spoken=spoken
            )
    except IntegrityError:
        raise _word_taken(word) from None


def update_pronunciation(*, entry_id: int, **changes) -> PronunciationEntry:
    """Change an entry's language, word or spoken form. Raises InvalidRequest when the user
    has the new word in that language already."""
    entry = PronunciationEntry.objects.get(pk=entry_id)
    fields = [name for name in ("language", "word", "spoken") if name in changes]
    for name in fields:
        setattr(entry, name, changes[name])
    if not fields:
        return entry
    try:
        with transaction.atomic():
            entry.save(update_fields=[*fields, "updated_at"])
    except IntegrityError:
        raise _word_taken(entry.word) from None
    return entry


def delete_pronunciation(*, entry_id: int) -> None:
    """Remove an entry; safe to repeat."""
    PronunciationEntry.objects.filter(pk=entry_id).delete()


def _word_taken(word: str) -> InvalidRequest:
    message = _("You already have a pronunciation for “%(word)s” in this language.") % {
        "word": word
    }
    return InvalidRequest(message, details={"fields": {"word": [message]}})
