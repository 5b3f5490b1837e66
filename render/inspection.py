"""What a media file really is, by its content (Pillow for images, ffprobe for video and audio).

Plain code: callers turn UnusableMedia into their own error (a refused upload, a provider that
sent garbage).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from PIL import Image, UnidentifiedImageError

MAX_IMAGE_PIXELS = 64_000_000  # ~8000x8000: larger is a decompression bomb, not a photo
FFPROBE_TIMEOUT_S = 20
_MEDIA_FORMATS = {
    "mov",
    "mp4",
    "m4a",
    "3gp",
    "3g2",
    "mj2",
    "matroska",
    "webm",
    "avi",
    "mpegts",
    "mp3",
    "wav",
    "ogg",
    "flac",
    "aac",
}
_IMAGE_MIMES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}
# Pillow tries only these decoders: its many other plugins (EPS through Ghostscript, PSD, TGA,
# ICNS, ...) never see a user's bytes.
PILLOW_FORMATS = sorted(_IMAGE_MIMES)
# FFmpeg demuxers a user's video or audio may be read with (names as -format_whitelist wants
# them); playlists (hls, concat), image sequences and devices are not among them.
FFMPEG_DEMUXERS = ("mov", "matroska", "avi", "mpegts", "mp3", "wav", "ogg", "flac", "aac")
# Reading an untrusted file: local file protocol only (no http, tcp, data, subfile, ...).
UNTRUSTED_INPUT = ["-protocol_whitelist", "file", "-format_whitelist", ",".join(FFMPEG_DEMUXERS)]


class UnusableMedia(Exception):
    """The file is not media we can use; the message says what to send instead."""


class MediaToolMissing(RuntimeError):
    """ffprobe is not installed, so video and audio cannot be checked."""


@dataclass(frozen=True)
class MediaInfo:
    """What a file really is: kind, MIME type, size (visual) and duration (video/audio)."""

    kind: Literal["image", "video", "audio"]
    mime: str
    width: int = 0
    height: int = 0
    duration_ms: int = 0


def _inspect_image(path: Path) -> MediaInfo | None:
    """MediaInfo when Pillow recognises the file, None when it is not an image at all."""
    try:
        with Image.open(path, formats=PILLOW_FORMATS) as probe:
            image_format = probe.format or ""
            width, height = probe.size
            if width * height > MAX_IMAGE_PIXELS:
                raise UnusableMedia(
                    f"the image is {width}x{height}; upload one under "
                    f"{MAX_IMAGE_PIXELS // 1_000_000} megapixels"
                )
            probe.verify()
        # verify() skips pixel data; decoding catches files cut short mid-upload.
        with Image.open(path, formats=PILLOW_FORMATS) as image:
            image.load()
    except UnidentifiedImageError:
        return None
    except Image.DecompressionBombError as exc:
        raise UnusableMedia("the image is too large to open safely; upload a smaller one") from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise UnusableMedia(
            f"the image is damaged or incomplete ({exc}); export it again and re-upload"
        ) from exc
    if image_format not in _IMAGE_MIMES:
        raise UnusableMedia(
            f"{image_format or 'this'} images are not supported; upload JPEG, PNG or WebP"
        )
    return MediaInfo(kind="image", mime=_IMAGE_MIMES[image_format], width=width, height=height)


def _ffprobe(path: Path) -> dict:
    binary = shutil.which("ffprobe")
    if binary is None:
        raise MediaToolMissing("ffprobe is not installed")
    command = [
        binary,
        "-v",
        "error",
        "-print_format",
        "json",
        "-show_format",
        "-show_streams",
        *UNTRUSTED_INPUT,
        "-i",
        str(path),
    ]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=FFPROBE_TIMEOUT_S, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise UnusableMedia("the file took too long to read; upload a smaller one") from exc
    if done.returncode != 0:
        return {}
    try:
        return json.loads(done.stdout or "{}")
    except json.JSONDecodeError:
        return {}


def _decodes(path: Path, stream: str) -> bool:
    """Whether ffmpeg can decode the first second of the first `stream` ("v:0" or "a:0")."""
    binary = shutil.which("ffmpeg")
    if binary is None:
        return True  # ffprobe already read the headers; without ffmpeg, trust them
    command = [
        binary,
        "-v",
        "error",
        "-xerror",
        "-t",
        "1",
        *UNTRUSTED_INPUT,
        "-i",
        str(path),
        "-map",
        f"0:{stream}",
        "-f",
        "null",
        "-",
    ]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=FFPROBE_TIMEOUT_S, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise UnusableMedia("the file took too long to read; upload a smaller one") from exc
    return done.returncode == 0 and not done.stderr.strip()


def _mime_for(format_name: str, kind: str) -> str:
    names = set(format_name.split(","))
    table = [
        ("mp4", "mp4"),
        ("mov", "quicktime"),
        ("webm", "webm"),
        ("matroska", "x-matroska"),
        ("mp3", "mpeg"),
        ("wav", "wav"),
        ("ogg", "ogg"),
        ("flac", "flac"),
        ("aac", "aac"),
        ("m4a", "mp4"),
    ]
    for name, subtype in table:
        if name in names:
            return f"{kind}/{subtype}"
    return f"{kind}/octet-stream"


def inspect_media(path: Path) -> MediaInfo:
    """What the file at `path` really is. Raises UnusableMedia saying what to send instead,
    MediaToolMissing when ffprobe is not installed."""
    if not path.is_file() or path.stat().st_size == 0:
        raise UnusableMedia("the file is empty; upload it again")
    image = _inspect_image(path)
    if image is not None:
        return image
    probe = _ffprobe(path)
    format_info = probe.get("format") or {}
    # ffprobe "reads" plain text as a tty video; only real media containers count.
    if not set(str(format_info.get("format_name", "")).split(",")) & _MEDIA_FORMATS:
        probe = {}
    streams = probe.get("streams") or []
    video = [
        s
        for s in streams
        if s.get("codec_type") == "video" and not (s.get("disposition") or {}).get("attached_pic")
    ]
    audio = [s for s in streams if s.get("codec_type") == "audio"]
    if not video and not audio:
        raise UnusableMedia(
            "this is not an image, video or audio file we can read; upload JPEG/PNG, MP4 or MP3"
        )
    try:
        duration_ms = round(float(format_info.get("duration") or 0) * 1000)
    except ValueError:
        duration_ms = 0
    if duration_ms <= 0:
        raise UnusableMedia("the file has no playable length; export it again")
    kind: Literal["video", "audio"] = "video" if video else "audio"
    if not _decodes(path, "v:0" if video else "a:0"):
        raise UnusableMedia(
            f"the {kind} is damaged and cannot be played; export it again and re-upload"
        )
    mime = _mime_for(str(format_info.get("format_name", "")), kind)
    width = int(video[0].get("width") or 0) if video else 0
    height = int(video[0].get("height") or 0) if video else 0
    return MediaInfo(kind=kind, mime=mime, width=width, height=height, duration_ms=duration_ms)
