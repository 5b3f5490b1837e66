"""Finds the caption and artwork font: Noto Sans CJK draws Hangul and Latin alike."""

from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path

CAPTION_FAMILY = "Noto Sans CJK KR"


class FontMissing(RuntimeError):
    """The CJK font is not installed; captions would show tofu boxes."""

    def __init__(self, pattern: str):
        super().__init__(
            f"Font '{pattern}' is not installed. Install Debian's fonts-noto-cjk "
            "(make demo does) and try again."
        )


@functools.cache
def font_path(*, bold: bool = True) -> Path:
    """The file of Noto Sans CJK KR (bold or regular). Raises FontMissing when absent."""
    pattern = f"{CAPTION_FAMILY}:weight={'bold' if bold else 'regular'}"
    if shutil.which("fc-match"):
        found = subprocess.run(
            ["fc-match", "-f", "%{file}|%{family}", pattern],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        file, _, family = found.partition("|")
        if file and CAPTION_FAMILY in family and Path(file).exists():
            return Path(file)
    raise FontMissing(pattern)
