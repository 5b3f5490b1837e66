"""Generated artwork."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from providers.visual.artwork import PALETTES, ArtworkProvider


def _art(
    tmp_path: Path,
    *,
    index: int = 0,
    phrase: str = "성수동 카페",
    style: str = "modern",
    prompt: str = "cafe",
    size: tuple[int, int] = (1080, 1920),
):
    return ArtworkProvider().make(
        prompt=prompt,
        key_phrase=phrase,
        style=style,
        language="ko",
        index=index,
        width=size[0],
        height=size[1],
        out_path=tmp_path / f"art{index}-{style}-{len(phrase)}",
    )


def test_artwork_has_the_requested_size_and_is_fast(tmp_path):
    started = time.perf_counter()
    result = _art(tmp_path)
    elapsed = time.perf_counter() - started

    with Image.open(result.path) as image:
        assert image.size == (1080, 1920)
    assert (result.width, result.height, result.kind) == (1080, 1920, "image")
    assert result.mime == "image/jpeg"
    assert elapsed < 1.5  # ~0.1 s here; generous for a loaded CI machine


def test_scenes_differ_and_redraw_identically(tmp_path):
    first = np.asarray(Image.open(_art(tmp_path, index=0).path), dtype=np.int16)
    second = np.asarray(Image.open(_art(tmp_path, index=1).path), dtype=np.int16)
    again = np.asarray(Image.open(_art(tmp_path / "again", index=0).path), dtype=np.int16)

    assert np.abs(first - second).mean() > 10
    assert np.array_equal(first, again)


@pytest.mark.parametrize("style", sorted(PALETTES))
def test_key_phrase_is_not_baked_into_the_artwork(tmp_path, style):
    # The renderer draws it as a headline over the moving picture, so a pan never crops it.
    size = (540, 960)
    blank = np.asarray(Image.open(_art(tmp_path, phrase="", style=style, size=size).path), float)
    lettered = np.asarray(
        Image.open(_art(tmp_path, phrase="한국어 Korean", style=style, size=size).path), float
    )

    assert np.array_equal(blank, lettered)
