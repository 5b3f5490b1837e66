"""libass, the renderer FFmpeg's `ass` filter uses, called directly (ctypes) for still scenes.

    with renderer(1080, 1920) as draw, draw.track(ass_text) as track:
        for image in draw.images(track, now_ms=1200):   # AssImage: alpha mask, colour, place
            ...

The library ships with FFmpeg (its `ass` filter links it), so this adds no dependency. Fonts
come from fontconfig, as they do for the filter. A libass renderer draws for one thread at a
time, and setting one up (fontconfig's font list) costs ~50 CPU ms, so finished renderers
wait in a pool for the next clip instead of being made for each. Errors are RenderError.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from render.runner import RenderError

_FONT_PROVIDER_AUTODETECT = 1


class _Image(ctypes.Structure):
    pass


# libass's ASS_Image (ass.h, stable since 0.9): one alpha bitmap of one colour at a place.
_Image._fields_ = [
    ("w", ctypes.c_int),
    ("h", ctypes.c_int),
    ("stride", ctypes.c_int),
    ("bitmap", ctypes.POINTER(ctypes.c_ubyte)),
    ("color", ctypes.c_uint32),
    ("dst_x", ctypes.c_int),
    ("dst_y", ctypes.c_int),
    ("next", ctypes.POINTER(_Image)),
    ("type", ctypes.c_int),
]
_Quiet = ctypes.CFUNCTYPE(None, ctypes.c_int, ctypes.c_char_p, ctypes.c_void_p, ctypes.c_void_p)


@dataclass(frozen=True)
class AssImage:
    """One bitmap of a rendered frame: `mask` (h x w alpha, 0..255) at (x, y) in the frame,
    drawn in `rgb` at `opacity` (0..1; ASS colours carry transparency)."""

    x: int
    y: int
    mask: np.ndarray
    rgb: tuple[int, int, int]
    opacity: float


@functools.cache
def _lib() -> ctypes.CDLL:
    name = ctypes.util.find_library("ass")
    if name is None:
        raise RenderError("captions", "libass is not installed (it comes with FFmpeg).")
    lib = ctypes.CDLL(name)
    void = ctypes.c_void_p
    lib.ass_library_init.restype = void
    lib.ass_set_message_cb.argtypes = [void, _Quiet, void]
    lib.ass_renderer_init.restype = void
    lib.ass_renderer_init.argtypes = [void]
    lib.ass_set_frame_size.argtypes = [void, ctypes.c_int, ctypes.c_int]
    lib.ass_set_fonts.argtypes = [
        void, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int
    ]  # fmt: skip
    lib.ass_read_memory.restype = void
    lib.ass_read_memory.argtypes = [void, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p]
    lib.ass_render_frame.restype = ctypes.POINTER(_Image)
    lib.ass_render_frame.argtypes = [void, void, ctypes.c_longlong, ctypes.POINTER(ctypes.c_int)]
    lib.ass_free_track.argtypes = [void]
    lib.ass_renderer_done.argtypes = [void]
    lib.ass_library_done.argtypes = [void]
    return lib


# Kept alive for as long as any library may call it.
_quiet = _Quiet(lambda level, fmt, args, data: None)


class Renderer:
    """One libass library and renderer, used by one thread at a time (see `renderer`)."""

    def __init__(self) -> None:
        lib = _lib()
        self._library = lib.ass_library_init()
        lib.ass_set_message_cb(self._library, _quiet, None)
        self._renderer = lib.ass_renderer_init(self._library)
        if not self._library or not self._renderer:
            raise RenderError("captions", "libass could not start.")
        lib.ass_set_fonts(self._renderer, None, None, _FONT_PROVIDER_AUTODETECT, None, 1)
        self._size = (0, 0)

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            _lib().ass_renderer_done(self._renderer)
            _lib().ass_library_done(self._library)

    def frame_size(self, width: int, height: int) -> None:
        if self._size != (width, height):
            _lib().ass_set_frame_size(self._renderer, width, height)
            self._size = (width, height)

    @contextlib.contextmanager
    def track(self, ass_text: str) -> Iterator[int]:
        """The script parsed into a libass track, freed afterwards."""
        data = ass_text.encode("utf-8")
        track = _lib().ass_read_memory(self._library, data, len(data), None)
        if not track:
            raise RenderError("captions", "libass could not read the captions.")
        try:
            yield track
        finally:
            _lib().ass_free_track(track)

    def images(self, track: int, *, now_ms: int) -> list[AssImage]:
        """What libass draws at `now_ms`, bottom layer first (the order FFmpeg blends them)."""
        changed = ctypes.c_int()
        node = _lib().ass_render_frame(self._renderer, track, now_ms, ctypes.byref(changed))
        out = []
        while node:
            image = node.contents
            if image.w > 0 and image.h > 0:
                mask = np.ctypeslib.as_array(image.bitmap, shape=(image.h, image.stride))
                colour = image.color
                out.append(
                    AssImage(
                        x=image.dst_x,
                        y=image.dst_y,
                        mask=mask[:, : image.w].copy(),  # libass reuses its buffers
                        rgb=(colour >> 24, (colour >> 16) & 0xFF, (colour >> 8) & 0xFF),
                        opacity=(255 - (colour & 0xFF)) / 255,
                    )
                )
            node = image.next
        return out


_pool_lock = threading.Lock()
_pool: list[Renderer] = []


@contextlib.contextmanager
def renderer(width: int, height: int) -> Iterator[Renderer]:
    """A renderer of `width` x `height` frames for this thread, back in the pool afterwards."""
    with _pool_lock:
        own = _pool.pop() if _pool else None
    if own is None:
        own = Renderer()
    try:
        own.frame_size(width, height)
        yield own
    finally:
        with _pool_lock:
            _pool.append(own)
