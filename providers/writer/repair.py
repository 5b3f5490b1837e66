"""Mends a writer's plan so that it keeps validate_plan's rules, keeping its words.

Models write good narration and poor arithmetic: a plan whose scene durations, scene count,
length or hashtags break a rule is repaired here in plain code rather than thrown away. Scene
durations are shared out from the narration's measured length (rates.py); too many scenes are
merged and too few split, at sentence boundaries where there are any; narration too long for
the reel is cut at a sentence boundary; hashtags, title and caption are brought inside their
limits. Each change is noted in `Plan.repairs` so that the story can say it was degraded.

Only text that cannot be used raises InvalidPlan naming the rule: no narration at all, the
wrong language, or too few words left to make a reel. A user's own script keeps its words and
its scenes; only its durations, title and hashtags are mended.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from providers.writer import copy_en, copy_ko
from providers.writer.base import (
    DURATION_TOLERANCE,
    MAX_HASHTAGS,
    MAX_SCENES,
    MAX_SCRIPT_SCENES,
    MIN_HASHTAGS,
    POST_CAPTION_MAX_CHARS,
    TITLE_MAX_CHARS,
    Brief,
    InvalidPlan,
    Plan,
    PlannedScene,
    min_scenes,
    scene_count,
)
from providers.writer.pacing import OVERLONG, speech_room_ms
from providers.writer.rates import estimate_speech_ms

SCRIPT_MIN_SCENE_MS = 1500  # as the template writer times a script's scenes
SCRIPT_PAUSE_MS = 400
_LANGUAGE_NAMES = {"ko": "Korean", "en": "English"}
# Where text may be cut, coarsest first: sentences, then clauses, then words.
_SENTENCE = re.compile(r"(?<=[.!?…。])\s+|\n+")
_CLAUSE = re.compile(r"(?<=[,;:、])\s+")
_BOUNDARIES = (("sentence", _SENTENCE), ("clause", _CLAUSE), ("word", re.compile(r"\s+")))


@dataclass
class _Scene:
    narration: str
    visual_prompt: str
    duration_ms: int
    key_phrase: str


def repair_plan(plan: Plan, brief: Brief, *, provider: str = "writer") -> Plan:
    """`plan` mended to keep the rules, with `repairs` noting each change; `plan` itself when
    nothing needed mending. Raises InvalidPlan naming the rule when the text is unusable."""

    def fail(rule: str, message: str) -> None:
        raise InvalidPlan(rule, message, provider=provider)

    notes: list[str] = []
    scenes = _usable_scenes(plan, notes)
    if not scenes:
        fail("narration", "no scene has any narration")
    narration = " ".join(scene.narration for scene in scenes)
    if not brief.script and not _speaks(narration, brief.language):
        language = _LANGUAGE_NAMES.get(brief.language, brief.language)
        fail("language", f"the narration is not in {language}")
    if brief.script:
        scenes = _repair_script(scenes, brief, notes)
    else:
        planned_ms = [scene.duration_ms for scene in scenes]
        changed = bool(notes)
        changed |= _trim_to_length(scenes, brief, notes)
        scenes, regrouped = _fit_scene_count(scenes, brief, notes)
        if len(scenes) < min_scenes(brief.duration_s):
            fail(
                "scene_count",
                f"the narration is too short to make {min_scenes(brief.duration_s)} scenes "
                f"({len(scenes)} could be made)",
            )
        _fit_durations(scenes, planned_ms, brief, notes, changed=changed or regrouped)
    title = _repair_title(plan, brief, scenes, notes)
    caption = _repair_caption(plan.post_caption, notes)
    hashtags = _repair_hashtags(plan.hashtags, brief, notes)
    if not notes:
        return plan
    return replace(
        plan,
        title=title,
        scenes=[
            PlannedScene(
                narration=s.narration,
                visual_prompt=s.visual_prompt,
                duration_ms=s.duration_ms,
                key_phrase=s.key_phrase,
            )
            for s in scenes
        ],
        post_caption=caption,
        hashtags=hashtags,
        repairs=(*plan.repairs, *notes),
    )


# ---------------------------------------------------------------- text


def _usable_scenes(plan: Plan, notes: list[str]) -> list[_Scene]:
    """The scenes with something to say; a missing visual prompt is taken from the words."""
    scenes = []
    for number, scene in enumerate(plan.scenes, start=1):
        narration = scene.narration.strip()
        if not any(ch.isalnum() for ch in narration):
            notes.append(f"scene {number} had no narration and was dropped")
            continue
        visual_prompt = scene.visual_prompt.strip()
        if not visual_prompt:
            visual_prompt = " ".join(narration.split())[:300]
            notes.append(f"scene {number} had no visual prompt; its narration is used")
        scenes.append(_Scene(narration, visual_prompt, scene.duration_ms, scene.key_phrase))
    return scenes


def _speaks(text: str, language: str) -> bool:
    """Whether `text` is mostly in `language` (ko or en); other languages are not checked.

    A Hangul syllable weighs as three letters, so a brand name in Latin letters inside Korean
    narration (or a Korean place name in English) does not tip the balance."""
    hangul = latin = other = 0
    for ch in text:
        if "\uac00" <= ch <= "\ud7a3" or "\u3131" <= ch <= "\u318e":
            hangul += 1
        elif ch.isascii() and ch.isalpha():
            latin += 1
        elif ch.isalpha():
            other += 1
    if language == "ko":
        return 3 * hangul >= latin + other
    if language == "en":
        return latin >= 3 * hangul + other
    return True


def _pieces(text: str) -> tuple[str, list[str]]:
    """`text` cut at its coarsest boundary that gives more than one piece, and its name."""
    for name, pattern in _BOUNDARIES:
        pieces = [p.strip() for p in pattern.split(text) if p and p.strip()]
        if len(pieces) > 1:
            return name, pieces
    return "word", [text.strip()]


def _phrase(text: str, language: str) -> str:
    """A short key phrase from the start of `text`, as the template writer makes for scripts."""
    words = text.split()[: 3 if language == "en" else 2]
    return " ".join(words).strip(" ,.!?")[:120]


# ---------------------------------------------------------------- length and scenes


def _trim_to_length(scenes: list[_Scene], brief: Brief, notes: list[str]) -> bool:
    """Narration far too long for the reel (OVERLONG times the speech it has room for, pauses
    and end card taken out) cut to that room: the last sentence of the longest scene first,
    so each scene keeps its opening. A little over is left alone: the timeline takes it out
    of the pauses. True if cut."""
    language = brief.language
    budget_ms = speech_room_ms(brief, len(scenes))
    before_ms = sum(estimate_speech_ms(s.narration, language=language) for s in scenes)
    if before_ms <= budget_ms * OVERLONG:
        return False
    cuts: set[str] = set()
    total_ms = before_ms
    while total_ms > budget_ms:
        cuttable = [s for s in scenes if len(_pieces(s.narration)[1]) > 1]
        if not cuttable:
            break  # one word a scene and still too long: the durations squeeze it
        longest = max(cuttable, key=lambda s: estimate_speech_ms(s.narration, language=language))
        boundary, pieces = _pieces(longest.narration)
        longest.narration = _join(pieces[:-1], boundary)
        cuts.add(boundary)
        total_ms = sum(estimate_speech_ms(s.narration, language=language) for s in scenes)
    where = " and ".join(name for name, _ in _BOUNDARIES if name in cuts)
    notes.append(
        f"the narration takes {before_ms / 1000:.0f} s to say, too long for a "
        f"{brief.duration_s} s reel; cut at {where} boundaries to {total_ms / 1000:.0f} s"
    )
    return True


def _join(pieces: list[str], boundary: str) -> str:
    """Pieces cut at `boundary` joined again; a cut clause or word still ends the sentence."""
    text = " ".join(pieces)
    if boundary == "word":
        return text.rstrip(" ,;:") + "…"
    if boundary == "clause":
        return text.rstrip(" ,;:") + "."
    return text


def _fit_scene_count(
    scenes: list[_Scene], brief: Brief, notes: list[str]
) -> tuple[list[_Scene], bool]:
    """Merge neighbours while there are too many scenes, split the longest while too few;
    either way toward the count a reel of this length wants. (scenes, whether regrouped)."""
    count = len(scenes)
    if min_scenes(brief.duration_s) <= count <= MAX_SCENES:
        return scenes, False
    wanted = scene_count(brief.duration_s)
    language = brief.language

    def speech(scene: _Scene) -> int:
        return estimate_speech_ms(scene.narration, language=language)

    scenes = list(scenes)
    while len(scenes) > wanted:
        # The neighbours that say least together, so the merged scenes stay even.
        i = min(range(len(scenes) - 1), key=lambda k: speech(scenes[k]) + speech(scenes[k + 1]))
        first, second = scenes[i], scenes[i + 1]
        scenes[i : i + 2] = [
            _Scene(
                narration=f"{first.narration} {second.narration}",
                visual_prompt=first.visual_prompt,
                duration_ms=first.duration_ms + second.duration_ms,
                key_phrase=first.key_phrase or second.key_phrase,
            )
        ]
    used: set[str] = set()
    while len(scenes) < wanted:
        split = _split_longest(scenes, language)
        if split is None:
            break
        i, boundary, (left, right) = split
        used.add(boundary)
        scene = scenes[i]
        scenes[i : i + 1] = [
            _Scene(left, scene.visual_prompt, scene.duration_ms // 2, scene.key_phrase),
            _Scene(
                right,
                scene.visual_prompt,
                scene.duration_ms - scene.duration_ms // 2,
                _phrase(right, language),
            ),
        ]
    if len(scenes) < count:
        notes.append(
            f"{count} scenes are too many for a {brief.duration_s} s reel; merged into "
            f"{len(scenes)}"
        )
    elif len(scenes) > count:
        where = " and ".join(name for name, _ in _BOUNDARIES if name in used)
        notes.append(
            f"{count} scene{'s are' if count != 1 else ' is'} too few for a "
            f"{brief.duration_s} s reel; split into {len(scenes)} at {where} boundaries"
        )
    return scenes, len(scenes) != count


def _split_longest(scenes: list[_Scene], language: str):
    """(index, boundary, (left, right)) splitting the longest scene at its coarsest boundary,
    preferring any scene that splits at a sentence over one that needs a clause or a word."""
    for name, _ in _BOUNDARIES:
        splittable = []
        for index, scene in enumerate(scenes):
            boundary, pieces = _pieces(scene.narration)
            if boundary == name and len(pieces) > 1:
                splittable.append((estimate_speech_ms(scene.narration, language=language), index))
        if not splittable:
            continue
        _, index = max(splittable)
        boundary, pieces = _pieces(scenes[index].narration)
        total = estimate_speech_ms(scenes[index].narration, language=language)
        # The cut that leaves the two halves closest to even.
        cut = min(
            range(1, len(pieces)),
            key=lambda k: abs(
                2 * estimate_speech_ms(" ".join(pieces[:k]), language=language) - total
            ),
        )
        return index, boundary, (" ".join(pieces[:cut]), " ".join(pieces[cut:]))
    return None


def _fit_durations(
    scenes: list[_Scene], planned_ms: list[int], brief: Brief, notes: list[str], *, changed: bool
) -> None:
    """Share the target length among the scenes by how long each takes to say, when the
    planned durations (of the scenes with narration) break the rule or the scenes changed."""
    target_ms = brief.duration_s * 1000
    total = sum(planned_ms)
    unset = [number for number, ms in enumerate(planned_ms, start=1) if ms <= 0]
    off = abs(total - target_ms) > target_ms * DURATION_TOLERANCE
    if not (unset or off or changed):
        return
    weights = [max(1, estimate_speech_ms(s.narration, language=brief.language)) for s in scenes]
    whole = sum(weights)
    shares = [round(target_ms * w / whole) for w in weights]
    shares[-1] += target_ms - sum(shares)
    for scene, share in zip(scenes, shares, strict=True):
        scene.duration_ms = share
    if off:
        notes.append(
            f"scene durations summed to {total / 1000:g} s for a {brief.duration_s} s reel; "
            "rescaled from the narration"
        )
    elif unset:
        notes.append(f"scene {', '.join(map(str, unset))} had no length; timed from the narration")


def _repair_script(scenes: list[_Scene], brief: Brief, notes: list[str]) -> list[_Scene]:
    """A script keeps its words: at most MAX_SCRIPT_SCENES scenes, each timed by its words."""
    if len(scenes) > MAX_SCRIPT_SCENES:
        extra = scenes[MAX_SCRIPT_SCENES - 1 :]
        merged = _Scene(
            " ".join(s.narration for s in extra),
            extra[0].visual_prompt,
            sum(s.duration_ms for s in extra),
            extra[0].key_phrase,
        )
        notes.append(
            f"the script has {len(scenes)} scenes; the last {len(extra)} were joined into one"
        )
        scenes = [*scenes[: MAX_SCRIPT_SCENES - 1], merged]
        merged.duration_ms = 0  # timed below from its words
    timed = False
    for scene in scenes:
        if scene.duration_ms <= 0:
            spoken = estimate_speech_ms(scene.narration, language=brief.language)
            scene.duration_ms = max(SCRIPT_MIN_SCENE_MS, spoken + SCRIPT_PAUSE_MS)
            timed = True
    if timed:
        notes.append("scenes without a length were timed from their narration")
    return scenes


# ---------------------------------------------------------------- what is posted beside it


def _repair_title(plan: Plan, brief: Brief, scenes: list[_Scene], notes: list[str]) -> str:
    title = " ".join(plan.title.split())
    if not title:
        title = " ".join((plan.hook or brief.keyword or scenes[0].narration).split())
        notes.append("the title was empty; the hook or keyword is used")
    if len(title) > TITLE_MAX_CHARS:
        cut = title[: TITLE_MAX_CHARS - 1].rsplit(" ", 1)[0].rstrip(" ,.;:")
        notes.append(f"the title was cut to {TITLE_MAX_CHARS} characters")
        title = f"{cut}…"
    return title if title != plan.title.strip() else plan.title


def _repair_caption(caption: str, notes: list[str]) -> str:
    """The caption inside POST_CAPTION_MAX_CHARS, cut after a whole sentence where it can."""
    if len(caption) <= POST_CAPTION_MAX_CHARS:
        return caption
    head = caption[:POST_CAPTION_MAX_CHARS]
    for _, pattern in _BOUNDARIES:
        ends = [match.start() for match in pattern.finditer(head)]
        if ends:
            head = head[: ends[-1]]
            break
    notes.append(f"the post caption was cut to {POST_CAPTION_MAX_CHARS} characters")
    return head.rstrip()


def _repair_hashtags(tags: list[str], brief: Brief, notes: list[str]) -> list[str]:
    """# and one word each, no repeats, MIN_HASHTAGS to MAX_HASHTAGS of them; missing ones
    come from the keyword, then the language's common tags."""
    cleaned: dict[str, str] = {}
    for tag in tags:
        word = "".join(ch for ch in tag.lstrip("#") if ch.isalnum() or ch == "_")
        if word and word.casefold() not in cleaned:
            cleaned[word.casefold()] = f"#{word}"
    result = list(cleaned.values())
    if result != list(tags):
        dropped = len(tags) - len(result)
        if dropped > 0:
            notes.append(f"{dropped} hashtag(s) were empty or repeated and were dropped")
        if any(t not in tags for t in result):
            notes.append("hashtags were rewritten as # and one word")
    if len(result) > MAX_HASHTAGS:
        notes.append(f"{len(result)} hashtags were cut to {MAX_HASHTAGS}")
        result = result[:MAX_HASHTAGS]
    if len(result) < MIN_HASHTAGS:
        copy = copy_ko if brief.language == "ko" else copy_en
        keyword = brief.keyword.split()
        added = 0
        for word in ["".join(keyword), *keyword, *copy.HASHTAGS]:
            word = "".join(ch for ch in word.lstrip("#") if ch.isalnum() or ch == "_")
            if word and word.casefold() not in cleaned and len(result) < MIN_HASHTAGS:
                cleaned[word.casefold()] = f"#{word}"
                result.append(f"#{word}")
                added += 1
        notes.append(f"{added} hashtag(s) were added from the keyword and common tags")
    return result
