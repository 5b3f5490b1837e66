"""Post text per platform (SEO): proposed by the writer within each platform's limits, in the
story's language, stored per story so the user can edit it before posting. The one entry
point for a story's post text: a song reel's story takes its text from its place's SEO
(places.services.seo: the marketing brief, cached per story for an hour) instead."""

from __future__ import annotations

import logging
from typing import Literal

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext

from billing.services import record_usage
from places.models import SongReel
from places.services import seo as place_seo
from provenance.models import REEL_FORMATS, Platform, PostText
from providers import registry
from providers.base import ProviderError
from providers.writer.openai_writer import OpenAIWriter
from providers.writer.post_text import (
    Limits,
    OpenAIPostWriter,
    PostDraft,
    PostRequest,
    clean_hashtags,
    clip,
    template_post,
)
from reelmaker.errors import InvalidRequest
from stories.models import Story

log = logging.getLogger(__name__)
TEMPLATE = "template"
PLACE = "place"


def limits_for(platform: str) -> Limits:
    """The text limits of `platform` from settings.PLATFORM_RULES."""
    rules = settings.PLATFORM_RULES[platform]
    return Limits(
        title_max_chars=rules["title_max_chars"],
        description_max_chars=rules["description_max_chars"],
        hashtags_max=rules["hashtags_max"],
        hashtags_in_title=rules["hashtags_in_title"],
    )


def _request(story: Story, platform: str) -> PostRequest:
    language: Literal["ko", "en"] = "ko" if story.language == "ko" else "en"
    return PostRequest(
        platform=platform,
        language=language,
        keyword=story.keyword,
        title=story.title,
        hook=story.hook,
        caption=story.post_caption,
        hashtags=list(story.hashtags or []),
        limits=limits_for(platform),
    )


def place_post(reel: SongReel, platform: str) -> PostDraft:
    """A song reel's post text: its place's SEO for `platform`, within the platform's limits."""
    made = place_seo.seo_for(reel)[platform]
    limits = limits_for(platform)
    return PostDraft(
        title=clip(made["title"], limits.title_max_chars),
        description=clip(made["description"], limits.description_max_chars),
        hashtags=clean_hashtags(made["hashtags"], limits.hashtags_max),
    )


def write_post(story: Story, platform: str) -> tuple[PostDraft, str]:
    """(a fresh draft, the writer's name). A song reel's story: its place's SEO. Otherwise the
    OpenAI writer when the story's writer is OpenAI; the template writer otherwise, and when
    OpenAI fails (the failure is logged)."""
    reel = SongReel.objects.filter(story=story).select_related("place").first()
    if reel is not None:
        return place_post(reel, platform), PLACE
    request = _request(story, platform)
    writer = registry.get_writer()
    if isinstance(writer, OpenAIWriter):
        try:
            draft = OpenAIPostWriter.like(writer).write_post(request=request)
        except ProviderError as exc:
            log.warning("post text for story %s on %s: %s; template used", story.pk, platform, exc)
        else:
            record_usage(usage=draft.usage, story=story)
            return draft, "openai"
    return template_post(request), TEMPLATE


@transaction.atomic
def proposed_post(story: Story, platform: str, *, refresh: bool = False) -> PostText:
    """The story's post text for `platform`: the stored one, else a new proposal. `refresh`
    asks the writer again, except for text the user edited (that is never overwritten)."""
    if platform not in Platform.values:
        raise ValueError(f"unknown platform {platform!r}")
    existing = PostText.objects.select_for_update().filter(story=story, platform=platform).first()
    if existing is not None and (existing.is_edited or not refresh):
        return existing
    draft, writer = write_post(story, platform)
    fields = {
        "title": draft.title,
        "description": draft.description,
        "hashtags": draft.hashtags,
        "writer": writer,
        "is_edited": False,
    }
    if existing is None:
        return PostText.objects.create(story=story, platform=platform, **fields)
    for name, value in fields.items():
        setattr(existing, name, value)
    existing.save(update_fields=[*fields, "updated_at"])
    return existing


def proposed_posts(story: Story, *, refresh: bool = False) -> list[PostText]:
    """proposed_post for every platform, in Platform order."""
    return [proposed_post(story, platform, refresh=refresh) for platform in Platform.values]


def posts_by_platform(story: Story) -> dict[str, dict]:
    """{platform: {title, description, hashtags}}: the story's post texts (edited or not)."""
    return {
        post.platform: {
            "title": post.title,
            "description": post.description,
            "hashtags": list(post.hashtags),
        }
        for post in proposed_posts(story)
    }


@transaction.atomic
def edit_post(
    *,
    story: Story,
    platform: str,
    title: str | None = None,
    description: str | None = None,
    hashtags: list[str] | None = None,
) -> PostText:
    """The user's own text for `platform`, checked against its limits (InvalidRequest naming
    each field over its limit; nothing is saved then). Marks it edited."""
    post = proposed_post(story, platform)
    limits = limits_for(platform)
    new_title = post.title if title is None else title.strip()
    new_description = post.description if description is None else description.strip()
    new_tags = post.hashtags if hashtags is None else clean_hashtags(hashtags, 10**6)
    errors: dict[str, list[str]] = {}
    name = str(REEL_FORMATS[Platform(platform)])
    if len(new_title) > limits.title_max_chars:
        errors["title"] = [
            gettext("%(platform)s titles have at most %(max)d characters (this has %(n)d).")
            % {"platform": name, "max": limits.title_max_chars, "n": len(new_title)}
        ]
    if len(new_description) > limits.description_max_chars:
        errors["description"] = [
            gettext("%(platform)s descriptions have at most %(max)d characters (this has %(n)d).")
            % {"platform": name, "max": limits.description_max_chars, "n": len(new_description)}
        ]
    if len(new_tags) > limits.hashtags_max:
        errors["hashtags"] = [
            gettext("%(platform)s takes at most %(max)d hashtags (this has %(n)d).")
            % {"platform": name, "max": limits.hashtags_max, "n": len(new_tags)}
        ]
    if errors:
        raise InvalidRequest(
            gettext("The post text is over %(platform)s's limits.") % {"platform": name},
            details={"fields": errors},
        )
    post.title, post.description, post.hashtags = new_title, new_description, new_tags
    post.is_edited = True
    post.save(update_fields=["title", "description", "hashtags", "is_edited", "updated_at"])
    return post
