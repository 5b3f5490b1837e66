"""Picks the provider for each capability from settings (and, later, AIProviderConfig rows).

The offline providers are the defaults: no account and no network.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def get_writer():
    from stories.writers.template import TemplateWriter

    if settings.REELMAKER_WRITER == "template":
        return TemplateWriter()
    raise ImproperlyConfigured(f"REELMAKER_WRITER={settings.REELMAKER_WRITER!r} is not available.")


def get_voice_provider():
    from scenes.voices.offline import OfflineVoiceProvider

    if settings.REELMAKER_VOICE == "offline":
        return OfflineVoiceProvider()
    raise ImproperlyConfigured(f"REELMAKER_VOICE={settings.REELMAKER_VOICE!r} is not available.")


def get_visual_provider():
    from scenes.visuals.artwork import ArtworkProvider

    return ArtworkProvider()


def get_music_provider():
    from scenes.music.generated import GeneratedMusicProvider

    return GeneratedMusicProvider()
