"""TemplateWriter: the offline writer, Korean and English, deterministic for a given brief.

A plan is hook + body beats + call to action. The speech the reel has room for (its length
less a pause per scene and, for a business, the end card: rates.speech_budget_ms) is shared
among the scenes, each filled with sentences until its narration fits its share at the
offline voices' speaking rate (rates.py); 5-10 s reels get two or three scenes. A business
brief closes on the most complete line naming its name, offer, place and contact that fits.
Choices come from a random generator seeded by a
hash of the brief, so the same brief always gives the same plan.
"""

from __future__ import annotations

import hashlib
import random
import re
from types import ModuleType

from providers.base import PermanentProviderError, Usage
from providers.writer import copy_en, copy_ko
from providers.writer.base import (
    MAX_HASHTAGS,
    Brief,
    Plan,
    PlannedScene,
    has_end_card,
    scene_count,
    validate_plan,
)
from providers.writer.korean import PARTICLES, attach
from providers.writer.rates import estimate_speech_ms, speech_budget_ms
from providers.writer.repair import repair_plan

PROVIDER = "template"
HOOK_MAX_MS = 2600  # the hook must land in the first two seconds or so
_BODY_ORDER = ("why", "detail", "place", "audience", "tip", "moment")
_FIELD = re.compile(r"\{(\w+)(?::(\w+))?\}")
DETAILS = ("name", "place", "product", "audience", "offer", "contact")

STYLE_LOOKS: dict[str, str] = {
    "modern": "clean modern look, soft natural light, minimal background",
    "vivid": "bold saturated colours, high contrast, energetic composition",
    "calm": "soft pastel tones, gentle light, peaceful mood",
    "retro": "warm film grain, 80s colour palette, nostalgic mood",
    "minimal": "lots of negative space, simple shapes, muted palette",
    "food": "appetising close-up food photography, warm light, shallow depth of field",
}

_SHOTS: dict[str, str] = {
    "hook": "eye-catching opening shot of {subject}",
    "intro": "wide establishing shot of {subject}",
    "why": "people smiling while enjoying {subject}",
    "detail": "detailed close-up of {detail}",
    "place": "inviting interior and atmosphere of {where}",
    "audience": "{who} enjoying {subject}",
    "tip": "hands demonstrating {subject}, over-the-shoulder view",
    "moment": "warm candid moment with {subject}, golden hour",
    "cta": "hero shot of {brand}, inviting and bright",
}


def _copy(language: str) -> ModuleType:
    if language == "ko":
        return copy_ko
    if language == "en":
        return copy_en
    raise PermanentProviderError(f"the template writer has no '{language}' copy", provider=PROVIDER)


def _seed(brief: Brief) -> int:
    parts = [
        brief.keyword.strip().casefold(),
        brief.language,
        str(brief.duration_s),
        brief.style,
        brief.tone,
        repr(sorted(brief.business.items())),
        brief.script or "",
    ]
    return int.from_bytes(hashlib.sha256("\x1f".join(parts).encode()).digest()[:8], "big")


class _Filler:
    """Fills `{field}` / `{field:particle}` templates from the brief; skips ones it can't fill."""

    def __init__(self, brief: Brief):
        keyword = " ".join(brief.keyword.split())
        self.values = {
            "kw": keyword,
            "Kw": keyword[:1].upper() + keyword[1:],
            "seconds": str(brief.duration_s),
        }
        for key in DETAILS:
            if brief.detail(key):
                self.values[key] = " ".join(brief.detail(key).split())
        self.language = brief.language

    def can(self, template: str) -> bool:
        return all(m.group(1) in self.values for m in _FIELD.finditer(template))

    def uses_details(self, template: str) -> bool:
        return any(m.group(1) in DETAILS for m in _FIELD.finditer(template))

    def fill(self, template: str) -> str:
        def one(match: re.Match[str]) -> str:
            value = self.values[match.group(1)]
            particle = match.group(2)
            return attach(value, particle) if particle in PARTICLES else value

        return _FIELD.sub(one, template)

    def detailed(self, templates: list[str]) -> set[str]:
        """The filled texts of those templates that name a business detail."""
        return {self.fill(t) for t in templates if self.can(t) and self.uses_details(t)}

    def options(self, templates: list[str], rng: random.Random) -> list[str]:
        """Fillable templates, those using business details first, each group shuffled."""
        own = [t for t in templates if self.can(t) and self.uses_details(t)]
        generic = [t for t in templates if self.can(t) and not self.uses_details(t)]
        rng.shuffle(own)
        rng.shuffle(generic)
        return [self.fill(t) for t in own + generic]


class TemplateWriter:
    """Offline writer for ko and en; same brief, same plan. Raises PermanentProviderError."""

    def write(self, *, brief: Brief) -> Plan:
        """A plan of 4-8 scenes (or the user's script) that passes validate_plan."""
        if not brief.keyword.strip() and not (brief.script or "").strip():
            raise PermanentProviderError("the brief needs a keyword or a script", provider=PROVIDER)
        copy = _copy(brief.language)
        rng = random.Random(_seed(brief))  # noqa: S311 - copy choice, not secrets
        filler = _Filler(brief)
        if not brief.keyword.strip():
            first = re.split(r"(?<=[.!?])\s", brief.script.strip())[0]  # type: ignore[union-attr]
            filler.values["kw"] = filler.values["Kw"] = first[:40].strip()
        if brief.script and brief.script.strip():
            plan = self._from_script(brief=brief, copy=copy, filler=filler, rng=rng)
        else:
            plan = self._from_templates(brief=brief, copy=copy, filler=filler, rng=rng)
        return validate_plan(repair_plan(plan, brief, provider=PROVIDER), brief, provider=PROVIDER)

    def _from_templates(
        self, *, brief: Brief, copy: ModuleType, filler: _Filler, rng: random.Random
    ) -> Plan:
        language = brief.language
        count = scene_count(brief.duration_s)
        target_ms = brief.duration_s * 1000
        # Speech paced to the reel: its pauses and its end card come out of the length first.
        budget_ms = speech_budget_ms(
            duration_s=brief.duration_s, scenes=count, end_card=has_end_card(brief)
        )

        def say_ms(text: str) -> int:
            return estimate_speech_ms(text, language=language)

        fair_ms = budget_ms / count
        hook_max = min(HOOK_MAX_MS, fair_ms * 1.2)
        hooks = [h for h in filler.options(copy.HOOKS, rng) if say_ms(h) <= hook_max]
        hook = (hooks or [filler.fill("{kw}!")])[0]
        # A business's closing line may take more than a fair share: it is what the reel is for.
        call_room = max(fair_ms * 1.3, budget_ms * 0.4) if has_end_card(brief) else fair_ms * 1.3
        call, call_to_action = self._call(copy=copy, filler=filler, rng=rng, room_ms=call_room)

        beats = ["intro", *self._body_beats(brief, count - 2), "cta"]
        used: set[str] = {hook, call}
        pools = {beat: filler.options(copy.BEATS.get(beat, []), rng) for beat in beats}
        pools["cta"] = filler.options(copy.CALLS, rng)
        fillers = filler.options(copy.FILLERS, rng)
        detailed = filler.detailed(
            [
                *copy.HOOKS,
                *copy.CALLS,
                *copy.BUSINESS_CALLS,
                *[t for pool in copy.BEATS.values() for t in pool],
            ]
        )

        narrations: list[str] = []
        spent_ms = 0
        for index, beat in enumerate(beats):
            # The closing line is kept for the last scene; the others share what is left.
            room: float
            if beat == "cta":
                room = budget_ms - spent_ms
            else:
                room = (budget_ms - say_ms(call) - spent_ms) / (count - 1 - index)
            sentences = [hook] if index == 0 else [call] if beat == "cta" else []
            # One sentence naming the business per scene is enough; more reads like spam.
            named = any(s in detailed for s in sentences)
            candidates = [*pools[beat], *fillers]
            for candidate in candidates:
                current = say_ms(" ".join(sentences)) if sentences else 0
                if current >= room * 0.85:
                    break
                if candidate in used or (named and candidate in detailed):
                    continue
                if say_ms(" ".join([*sentences, candidate])) <= room * 1.05:
                    sentences.append(candidate)
                    used.add(candidate)
                    named = named or candidate in detailed
            if not sentences:
                # Too little time for any line that fits: the shortest unused one.
                spare = [c for c in candidates if c not in used] or candidates
                sentences.append(min(spare, key=say_ms))
                used.add(sentences[0])
            if beat == "cta" and sentences[0] != call:
                sentences.remove(call)
                sentences.insert(0, call)
            text = " ".join(sentences)
            narrations.append(text)
            spent_ms += say_ms(text)

        durations = share_ms(target_ms, [say_ms(text) for text in narrations])
        subject = filler.values["kw"]
        scenes = [
            PlannedScene(
                narration=text,
                visual_prompt=self._visual_prompt(beat, brief, filler),
                duration_ms=duration,
                key_phrase=filler.options(copy.KEY_PHRASES[beat], rng)[0],
            )
            for beat, text, duration in zip(beats, narrations, durations, strict=True)
        ]
        title = filler.options(copy.TITLES, rng)[0]
        return Plan(
            title=title,
            hook=hook,
            scenes=scenes,
            call_to_action=call_to_action,
            post_caption=self._caption(copy=copy, filler=filler, rng=rng, call=call_to_action),
            hashtags=self._hashtags(brief=brief, copy=copy, rng=rng, subject=subject),
            usage=_usage(scenes),
        )

    def _from_script(
        self, *, brief: Brief, copy: ModuleType, filler: _Filler, rng: random.Random
    ) -> Plan:
        paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", brief.script or "")]
        paragraphs = [p for p in paragraphs if p]
        scenes = []
        for index, text in enumerate(paragraphs):
            beat = "hook" if index == 0 else "cta" if index == len(paragraphs) - 1 else "intro"
            words = text.split()
            phrase = " ".join(words[:3]) if brief.language == "en" else " ".join(words[:2])
            scenes.append(
                PlannedScene(
                    narration=text,
                    visual_prompt=f"{self._visual_prompt(beat, brief, filler)}; {text[:160]}",
                    duration_ms=max(1500, estimate_speech_ms(text, language=brief.language) + 400),
                    key_phrase=phrase.strip(" ,.!?"),
                )
            )
        hook = re.split(r"(?<=[.!?])\s", paragraphs[0])[0] if paragraphs else ""
        call = re.split(r"(?<=[.!?])\s", paragraphs[-1])[-1] if paragraphs else ""
        return Plan(
            title=filler.options(copy.TITLES, rng)[0],
            hook=hook,
            scenes=scenes,
            call_to_action=call,
            post_caption=self._caption(copy=copy, filler=filler, rng=rng, call=call),
            hashtags=self._hashtags(brief=brief, copy=copy, rng=rng, subject=filler.values["kw"]),
            usage=_usage(scenes),
        )

    @staticmethod
    def _call(
        *, copy: ModuleType, filler: _Filler, rng: random.Random, room_ms: float
    ) -> tuple[str, str]:
        """(the closing line spoken, the plan's call to action). A business brief closes on
        the most complete business line that fits `room_ms`, and its call to action is the
        most complete one (the end card shows it whole); any other brief on a common call."""

        def say_ms(text: str) -> int:
            return estimate_speech_ms(text, language=filler.language)

        own = [filler.fill(t) for t in copy.BUSINESS_CALLS if filler.can(t)]
        if filler.values.get("name") and own:
            fits = [line for line in own if say_ms(line) <= room_ms]
            return (fits or [min(own, key=say_ms)])[0], own[0]
        calls = filler.options(copy.CALLS, rng)
        fits = [line for line in calls if say_ms(line) <= room_ms]
        call = (fits or [min(calls, key=say_ms)])[0]
        return call, call

    @staticmethod
    def _body_beats(brief: Brief, count: int) -> list[str]:
        # Beats the brief has details for come first; the story keeps _BODY_ORDER.
        wanted = {"product": "detail", "place": "place", "audience": "audience"}
        preferred = [beat for key, beat in wanted.items() if brief.detail(key)]
        rest = [beat for beat in _BODY_ORDER if beat not in preferred]
        chosen = set((preferred + rest)[:count])
        return [beat for beat in _BODY_ORDER if beat in chosen]

    @staticmethod
    def _visual_prompt(beat: str, brief: Brief, filler: _Filler) -> str:
        values = filler.values
        subject = values["kw"]
        shot = _SHOTS[beat].format(
            subject=subject,
            detail=values.get("product", subject),
            where=values.get("place", subject),
            who=values.get("audience", "friends"),
            brand=values.get("name", subject),
        )
        look = STYLE_LOOKS.get(brief.style, STYLE_LOOKS["modern"])
        return f"{shot}, {look}, vertical {brief.aspect} frame, no text"

    @staticmethod
    def _caption(*, copy: ModuleType, filler: _Filler, rng: random.Random, call: str) -> str:
        lines = [filler.options(copy.CAPTIONS, rng)[0], call]
        # The pin line only when the brief has a place or a name to pin.
        lines += [c for c in filler.options(copy.CAPTION_CALLS, rng) if c.startswith("📍")][:1]
        return "\n".join(dict.fromkeys(lines))

    @staticmethod
    def _hashtags(*, brief: Brief, copy: ModuleType, rng: random.Random, subject: str) -> list[str]:
        own = [subject.replace(" ", ""), *subject.split()]
        for key in ("name", "place", "product"):
            if brief.detail(key):
                own.append(brief.detail(key).replace(" ", ""))
        extra = list(copy.STYLE_HASHTAGS.get(brief.style, []))
        if brief.detail("name"):
            extra += copy.BUSINESS_HASHTAGS
        generic = list(copy.HASHTAGS)
        rng.shuffle(generic)
        tags: dict[str, str] = {}
        for word in [*own, *extra, *generic]:
            tag = "#" + "".join(ch for ch in word.lstrip("#") if ch.isalnum() or ch == "_")
            if len(tag) > 1 and tag.casefold() not in tags:
                tags[tag.casefold()] = tag
        return list(tags.values())[:MAX_HASHTAGS]


def scene_visual_prompt(*, brief: Brief, narration: str, position: int, count: int) -> str:
    """The visual prompt this writer gives a scene of a user's own script: the shot its place
    calls for (opening, body, closing) in the brief's style, and what its narration says."""
    beat = "hook" if position == 0 else "cta" if position == count - 1 else "intro"
    text = " ".join(narration.split())
    shot = TemplateWriter._visual_prompt(beat, brief, _Filler(brief))
    return f"{shot}; {text[:160]}" if text else shot


def share_ms(total_ms: int, weights: list[float]) -> list[int]:
    """`total_ms` split in proportion to `weights`, summing exactly to `total_ms`."""
    whole = sum(weights) or 1
    shares = [round(total_ms * w / whole) for w in weights]
    shares[-1] += total_ms - sum(shares)
    return shares


def _usage(scenes: list[PlannedScene]) -> Usage:
    words = sum(len(scene.narration.split()) for scene in scenes)
    return Usage(
        provider=PROVIDER,
        model="template-v1",
        units=float(words),
        unit="words",
    )
