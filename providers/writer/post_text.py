"""Post text per platform: a title, a description and hashtags within the platform's limits,
in the story's language. The template writer builds it from the plan; OpenAIPostWriter asks
the model (structured output) and the answer is fitted to the same limits."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Literal

from providers.base import PermanentProviderError, Usage
from providers.writer.openai_writer import PROVIDER, OpenAIWriter

ELLIPSIS = "…"
# The tag each platform's own feed looks for, per language.
PLATFORM_TAGS: dict[str, dict[str, str]] = {
    "youtube": {"en": "#Shorts", "ko": "#쇼츠"},
    "instagram": {"en": "#Reels", "ko": "#릴스"},
    "tiktok": {"en": "#fyp", "ko": "#추천"},
}
SCHEMA_NAME = "post_text"


@dataclass(frozen=True)
class Limits:
    """A platform's text limits (settings.PLATFORM_RULES); 0 means it has no such field."""

    title_max_chars: int
    description_max_chars: int
    hashtags_max: int
    hashtags_in_title: bool = False


@dataclass(frozen=True)
class PostRequest:
    platform: str
    language: Literal["ko", "en"]
    keyword: str
    title: str
    hook: str
    caption: str
    hashtags: list[str]
    limits: Limits


@dataclass(frozen=True)
class PostDraft:
    title: str
    description: str
    hashtags: list[str] = field(default_factory=list)
    usage: Usage | None = None


def clip(text: str, limit: int) -> str:
    """`text` cut to `limit` characters at a word boundary, with an ellipsis when cut."""
    text = " ".join(text.split()) if "\n" not in text else text.strip()
    if limit <= 0:
        return ""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rstrip().rfind(" ")]
    return cut.rstrip() + ELLIPSIS


def clean_hashtags(tags: list[str], limit: int) -> list[str]:
    """`tags` as '#word', without repeats (case-blind), at most `limit`."""
    seen, out = set(), []
    for raw in tags:
        word = "".join(str(raw).split()).lstrip("#")
        word = "".join(ch for ch in word if ch.isalnum() or ch == "_")
        if not word or word.casefold() in seen:
            continue
        seen.add(word.casefold())
        out.append(f"#{word}")
    return out[: max(0, limit)]


def fit(draft: PostDraft, limits: Limits) -> PostDraft:
    """`draft` within `limits`: hashtags counted and cleaned, texts cut; where the hashtags
    live inside the title (TikTok) they are appended while they fit."""
    tags = clean_hashtags(draft.hashtags, limits.hashtags_max)
    title, description = draft.title, draft.description
    if limits.hashtags_in_title:
        title = clip(title, limits.title_max_chars)
        kept: list[str] = []
        for tag in tags:
            if len(title) + len(" ".join([*kept, tag])) + 2 <= limits.title_max_chars:
                kept.append(tag)
        tags = kept
        title = f"{title}\n\n{' '.join(tags)}".strip() if tags else title
        return replace(draft, title=title, description="", hashtags=tags)
    title = clip(title, limits.title_max_chars)
    if limits.description_max_chars:
        tail = " ".join(tags)
        room = limits.description_max_chars - (len(tail) + 2 if tail else 0)
        description = clip(description, max(room, 0))
        description = f"{description}\n\n{tail}".strip() if tail else description
    else:
        description = ""
    return replace(draft, title=title, description=description, hashtags=tags)


def template_post(request: PostRequest) -> PostDraft:
    """The offline writer: the plan's title, hook and caption shaped for the platform."""
    tag = PLATFORM_TAGS[request.platform][request.language]
    tags = [*request.hashtags, tag] if request.platform != "youtube" else [tag, *request.hashtags]
    title = request.title or request.keyword
    if request.platform == "youtube":
        body = "\n\n".join(part for part in (request.hook, request.caption) if part)
        draft = PostDraft(title=title, description=body, hashtags=tags)
    elif request.platform == "instagram":
        body = "\n\n".join(part for part in (request.hook, request.caption) if part)
        draft = PostDraft(title="", description=body or title, hashtags=tags)
    else:
        draft = PostDraft(
            title=request.caption or request.hook or title, description="", hashtags=tags
        )
    return fit(draft, request.limits)


_INSTRUCTIONS = {
    "en": (
        "You write the text posted beside a short vertical video on {platform}. Write in "
        "English. The title has at most {title} characters (0: leave it empty), the "
        "description at most {description} characters (0: leave it empty), and give at most "
        "{tags} hashtags, each '#' and one word. Make the first line make people stop "
        "scrolling; no clickbait, no claims the video does not make."
    ),
    "ko": (
        "{platform}에 올리는 짧은 세로 영상의 게시 문구를 한국어로 씁니다. 제목은 최대 "
        "{title}자(0이면 비움), 설명은 최대 {description}자(0이면 비움), 해시태그는 최대 "
        "{tags}개로 '#'과 한 단어로 씁니다. 첫 줄은 스크롤을 멈추게 하되, 낚시성 문구나 영상에 "
        "없는 주장은 쓰지 않습니다."
    ),
}


def post_schema() -> dict:
    return {
        "type": "object",
        "properties": {
            "title": {"type": "string"},
            "description": {"type": "string"},
            "hashtags": {"type": "array", "items": {"type": "string"}},
        },
        "required": ["title", "description", "hashtags"],
        "additionalProperties": False,
    }


def post_messages(request: PostRequest) -> list[dict]:
    limits = request.limits
    system = _INSTRUCTIONS[request.language].format(
        platform=request.platform,
        title=limits.title_max_chars,
        description=limits.description_max_chars,
        tags=limits.hashtags_max,
    )
    facts = {
        "topic": request.keyword,
        "video_title": request.title,
        "hook": request.hook,
        "caption": request.caption,
        "hashtags": request.hashtags,
    }
    return [
        {"role": "system", "content": system},
        {"role": "user", "content": json.dumps(facts, ensure_ascii=False)},
    ]


class OpenAIPostWriter(OpenAIWriter):
    """Post text through the same client, errors and usage as the OpenAI plan writer."""

    @classmethod
    def like(cls, writer: OpenAIWriter) -> OpenAIPostWriter:
        return cls(
            model=writer.model,
            api_key=writer.api_key,
            api_key_env=writer.api_key_env,
            base_url=writer.base_url,
            timeout_s=writer.timeout_s,
            api=writer.api,
            temperature=writer.temperature,
        )

    def write_post(self, *, request: PostRequest) -> PostDraft:
        """A draft within the platform's limits. Raises TransientProviderError (timeouts, 429,
        5xx) or PermanentProviderError (an answer of the wrong shape, a refusal)."""
        client = self._client()
        answer = self._ask(client, post_messages(request), post_schema())
        try:
            data = json.loads(answer.content)
            draft = PostDraft(
                title=str(data["title"]),
                description=str(data["description"]),
                hashtags=[str(tag) for tag in data["hashtags"]],
            )
        except (ValueError, KeyError, TypeError):
            raise self._malformed("the post text is not the JSON asked for") from None
        if not (draft.title.strip() or draft.description.strip()):
            raise PermanentProviderError("the model wrote no post text", provider=PROVIDER)
        return replace(fit(draft, request.limits), usage=self._usage([answer]))
