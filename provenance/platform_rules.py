"""The platforms' upload rules (settings.PLATFORM_RULES) checked against a rendered reel with
the product's own probe, before anything is sent."""

from __future__ import annotations

import tempfile
from fractions import Fraction
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext

from media.models import Asset
from media.services import local_copy
from provenance.models import REEL_FORMATS, Platform
from provenance.problems import Problem
from render.probe import MediaInfo, probe
from render.runner import RenderError

ASPECT_TOLERANCE = 0.02  # 1080x1920 and 1088x1920 are both 9:16


def rules_for(platform: str) -> dict:
    """The settings row for `platform`. Raises ValueError for a platform we do not know."""
    if platform not in Platform.values:
        raise ValueError(f"unknown platform {platform!r} (known: {', '.join(Platform.values)})")
    return settings.PLATFORM_RULES[platform]


def check_platform_rules(asset: Asset, platform: str) -> list[Problem]:
    """Every rule of `platform` the reel in `asset` breaks (empty: it may be uploaded). Reads
    the file itself (ffprobe), not what the row says; an unreadable file is one problem."""
    rules = rules_for(platform)
    name = REEL_FORMATS[Platform(platform)]
    with tempfile.TemporaryDirectory(prefix="rules-") as tmp:
        try:
            path = local_copy(asset, Path(tmp))
            info = probe(path)
            size = path.stat().st_size
        except (RenderError, OSError) as exc:
            return [
                Problem(
                    "unreadable",
                    gettext("The reel cannot be read as a video: %(reason)s")
                    % {"reason": str(exc)},
                )
            ]
    return media_problems(info, size_bytes=size, rules=rules, platform_name=str(name))


def media_problems(
    info: MediaInfo, *, size_bytes: int, rules: dict, platform_name: str
) -> list[Problem]:
    """The rules a probed file breaks (plain values in: the checker's core, tested alone)."""
    problems: list[Problem] = []
    seconds = info.duration_s
    if seconds > rules["max_duration_s"]:
        problems.append(
            Problem(
                "too_long",
                gettext("%(platform)s takes videos up to %(max)d s; this reel lasts %(s).1f s.")
                % {"platform": platform_name, "max": rules["max_duration_s"], "s": seconds},
                {"max_duration_s": rules["max_duration_s"], "duration_s": round(seconds, 2)},
            )
        )
    if seconds < rules["min_duration_s"]:
        problems.append(
            Problem(
                "too_short",
                gettext("%(platform)s needs at least %(min)d s; this reel lasts %(s).1f s.")
                % {"platform": platform_name, "min": rules["min_duration_s"], "s": seconds},
                {"min_duration_s": rules["min_duration_s"], "duration_s": round(seconds, 2)},
            )
        )
    if size_bytes > rules["max_bytes"]:
        problems.append(
            Problem(
                "too_large",
                gettext("%(platform)s takes files up to %(max)d MB; this reel is %(mb).1f MB.")
                % {
                    "platform": platform_name,
                    "max": rules["max_bytes"] // 1024**2,
                    "mb": size_bytes / 1024**2,
                },
                {"max_bytes": rules["max_bytes"], "bytes": size_bytes},
            )
        )
    aspect = aspect_of(info.width, info.height)
    if aspect not in rules["aspects"]:
        problems.append(
            Problem(
                "aspect",
                gettext("%(platform)s takes %(allowed)s videos; this reel is %(w)dx%(h)d.")
                % {
                    "platform": platform_name,
                    "allowed": ", ".join(rules["aspects"]),
                    "w": info.width,
                    "h": info.height,
                },
                {"allowed": rules["aspects"], "width": info.width, "height": info.height},
            )
        )
    if info.video_codec not in rules["video_codecs"]:
        problems.append(
            Problem(
                "video_codec",
                gettext("%(platform)s does not take %(codec)s video (it takes %(allowed)s).")
                % {
                    "platform": platform_name,
                    "codec": info.video_codec,
                    "allowed": ", ".join(rules["video_codecs"]),
                },
                {"codec": info.video_codec, "allowed": rules["video_codecs"]},
            )
        )
    if info.audio_codec is not None and info.audio_codec not in rules["audio_codecs"]:
        problems.append(
            Problem(
                "audio_codec",
                gettext("%(platform)s does not take %(codec)s audio (it takes %(allowed)s).")
                % {
                    "platform": platform_name,
                    "codec": info.audio_codec,
                    "allowed": ", ".join(rules["audio_codecs"]),
                },
                {"codec": info.audio_codec, "allowed": rules["audio_codecs"]},
            )
        )
    fps = float(info.fps)
    if not rules["min_fps"] <= fps <= rules["max_fps"]:
        problems.append(
            Problem(
                "frame_rate",
                gettext("%(platform)s takes %(min)d-%(max)d fps; this reel has %(fps).2f fps.")
                % {
                    "platform": platform_name,
                    "min": rules["min_fps"],
                    "max": rules["max_fps"],
                    "fps": fps,
                },
                {"min_fps": rules["min_fps"], "max_fps": rules["max_fps"], "fps": round(fps, 3)},
            )
        )
    return problems


def aspect_of(width: int, height: int) -> str:
    """The named aspect ("9:16", "4:5", ...) a frame size is, or "W:H" reduced when none is."""
    if not width or not height:
        return "0:0"
    for name in ("9:16", "16:9", "1:1", "4:5", "4:3", "3:4"):
        w, h = (int(part) for part in name.split(":"))
        if abs(width / height - w / h) <= ASPECT_TOLERANCE * (w / h):
            return name
    ratio = Fraction(width, height)
    return f"{ratio.numerator}:{ratio.denominator}"
