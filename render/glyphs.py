"""Glyph coverage: every character a frame will draw has a glyph in the chosen font (no tofu).

    missing = missing_glyphs("ร้านกาแฟ", font_file, family="Noto Sans Thai")   # "" when covered

Read from the font's cmap with fontTools; a TrueType collection (.ttc) is searched for the
face of `family`, since libass draws with that face.
"""

from __future__ import annotations

import functools
import unicodedata
from pathlib import Path

from fontTools.ttLib import TTCollection, TTFont

# Drawn by no glyph: spaces, joiners, controls (libass handles them itself).
_SKIP_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf"})


@functools.cache
def _cmap(path: str, family: str) -> frozenset[int]:
    if path.lower().endswith((".ttc", ".otc")):
        collection = TTCollection(path, lazy=True)
        fonts = list(collection.fonts)
        chosen = next((f for f in fonts if f["name"].getDebugName(1) == family), fonts[0])
    else:
        chosen = TTFont(path, lazy=True)
    return frozenset(chosen.getBestCmap())


def missing_glyphs(text: str, font_file: Path, *, family: str) -> str:
    """The distinct characters of `text` the font has no glyph for, in order of appearance."""
    cmap = _cmap(str(font_file), family)
    seen: dict[str, None] = {}
    for ch in text:
        if unicodedata.category(ch) in _SKIP_CATEGORIES or ord(ch) in cmap:
            continue
        seen.setdefault(ch, None)
    return "".join(seen)
