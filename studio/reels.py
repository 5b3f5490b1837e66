"""What the studio's pages show of stories and voices, as plain rows for the templates."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse

from billing import services as billing_services
from providers.voices import available_voices
from scenes.serializers import asset_url
from stories.models import Story


def reel_rows(stories: Iterable[Story], *, request=None) -> list[dict]:
    return [
        {
            "id": story.pk,
            "title": str(story),
            "status": story.status,
            "status_label": story.get_status_display(),
            "duration_s": story.duration_s,
            "aspect": story.aspect,
            "created_at": story.created_at,
            "deleted_at": story.deleted_at,
            "thumbnail": asset_url(story.thumbnail, request),
        }
        for story in stories
    ]


def voice_rows(*, request) -> list[dict]:
    """Every voice with a sample a browser can play (the API's own sample URL by default)."""
    return [
        {
            "id": voice.id,
            "language": voice.language,
            "label": voice.label,
            "sample_url": voice.sample_url
            or request.build_absolute_uri(reverse("voice-sample", args=[voice.id])),
        }
        for voice in available_voices()
    ]


def plan_left(*, user) -> dict:
    """What the user's plan has left this month: reels and provider budget."""
    plan = billing_services.subscription_for(user=user).plan
    used = billing_services.reels_this_month(user=user)
    return {
        "plan": plan.name,
        "reels_left": max(plan.reels_per_month - used, 0),
        "budget_left_usd": billing_services.budget_left(user=user, plan=plan),
    }
