"""Finds the caption and artwork font: Noto Sans CJK draws Hangul and Latin alike; other
scripts (Thai) get a family of their own, picked per language by `family_for`."""

from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path

CAPTION_FAMILY = "Noto Sans CJK KR"

# Families per language, best first; Noto Sans CJK also covers Latin with Vietnamese marks.
# The regional CJK faces draw each language's own glyph shapes (Han variants differ).
LANGUAGE_FAMILIES: dict[str, tuple[str, ...]] = {
    "ko": (CAPTION_FAMILY,),
    "en": (CAPTION_FAMILY,),
    "vi": (CAPTION_FAMILY,),
    "ja": ("Noto Sans CJK JP",),
    "zh": ("Noto Sans CJK SC",),
    # Debian fonts-thai-tlwg (Thai and Latin, so prices and hashtags draw), else fonts-noto-core.
    "th": ("Loma", "Noto Sans Thai"),
}
PACKAGE_HINT = {
    "Noto Sans Thai": "fonts-noto-core or fonts-thai-tlwg",
    "Loma": "fonts-thai-tlwg",
}


class FontMissing(RuntimeError):
    """The caption font is not installed; captions would show tofu boxes."""

    def __init__(self, pattern: str):
        family = pattern.partition(":")[0]
        package = PACKAGE_HINT.get(family, "fonts-noto-cjk")
        super().__init__(
            f"Font '{pattern}' is not installed. Install Debian's {package} "
            "(make demo does) and try again."
        )


@functools.cache
def font_path(*, bold: bool = True, family: str = CAPTION_FAMILY) -> Path:
    """The file of `family` (bold or regular). Raises FontMissing when absent."""
    pattern = f"{family}:weight={'bold' if bold else 'regular'}"
    if shutil.which("fc-match"):
        found = subprocess.run(
            ["fc-match", "-f", "%{file}|%{family}", pattern],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        file, _, families = found.partition("|")
        if file and family in families.split(",") and Path(file).exists():
            return Path(file)
        if file and family in families and Path(file).exists():
            return Path(file)
    raise FontMissing(pattern)


@functools.cache
def family_for(language: str) -> str:
    """The first installed caption family for `language` (the CJK default for others).
    Raises FontMissing naming the package when none of its families is installed."""
    candidates = LANGUAGE_FAMILIES.get(language, (CAPTION_FAMILY,))
    for family in candidates:
        try:
            font_path(bold=True, family=family)
        except FontMissing:
            continue
        return family
    raise FontMissing(candidates[0])
