"""The moving picture of a scene clip: a sub-pixel Ken Burns zoom and pan, and the dissolve
into it.

Both are filtergraph fragments (plain strings) that render.clip_commands puts in front of the
text layer, so captions and watermark never zoom, pan or dissolve with the picture.

Zoom and pan at a fraction of a pixel
-------------------------------------
Every still slowly zooms in (ZOOM_PER_S: 1.00 to 1.08 over five seconds) while its centre
drifts along one axis at half a final-frame pixel a frame (15 px/s), the direction varied by
scene. `views` says where each frame's view is; render.still_frames makes the frames (each
plane warped to its exact sub-pixel view, ~2 CPU ms a 1080x1920 frame beside x264's ~17-19)
and sends them to the clip's FFmpeg as raw video (`still_input`), so nothing steps by whole
pixels. A preview moves half as many of its own pixels, so it frames the picture like the
final. The motion is counted back from the end (MOTION_FRAMES at most), so how a scene ends
does not depend on how long it is.

Dissolves without re-encoding the reel
--------------------------------------
Assembly joins clips by stream copy, so a dissolve there would mean encoding the whole reel
again. Instead each scene's clip opens with the dissolve from the scene before: the previous
scene's picture carries on past its cut (its zoom and pan go on, a video keeps playing) for
TRANSITION_S while this scene's picture fades in over it. The previous clip is untouched and
ends on its own last frame, which the next clip's first frame continues, so every scene keeps
its frame count, the reel keeps its length and the audio stays in sync. The cost is the
previous still's canvas (~0.1 CPU s at the final size) and a dozen frames through xfade,
not an encode. A clip then depends on its neighbour's picture, so its cache key includes the
previous scene's visual and motion (and its length when it is a video, which keeps playing):
editing a scene's words, voice or length re-renders that scene only; a new picture also
re-renders the next scene's clip.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from render.profiles import FINAL_RESOLUTIONS, FINAL_SIZES, RenderProfile, scaled_size

# Each frame size a render can have (a final at any resolution, a half-size preview) -> the
# 1080p final it stands for: motion is measured in that final's pixels.
FINAL_FOR = {
    size: final
    for final in FINAL_SIZES.values()
    for size in (
        final,
        (final[0] // 2, final[1] // 2),
        *(scaled_size(final, resolution) for resolution in FINAL_RESOLUTIONS),
    )
}
# Canvas pixels per frame pixel: every frame is a slight downscale of its still's canvas.
OVERSAMPLE = 1.25
# Frame pixels of canvas beyond the widest view on each side: room for the bilinear taps.
MARGIN = 2
# Final-frame pixels per frame the view's centre moves: 15 px/s at 30 fps.
SPEED = Fraction(1, 2)
# How much the picture grows a second: 1.00 to 1.08 over a five-second scene.
ZOOM_PER_S = 0.016
# A crossfade this long reads as a dissolve, not as a slow blur over the next line's start.
TRANSITION_S = 0.4
# Frames of motion a scene ends with: eight seconds (120 final-frame pixels of pan, a zoom to
# 1.128). Every canvas is sized for this whatever the scene's length, and every motion ends
# at the same view, so a scene's last frames and their continuation into the next scene's
# dissolve depend on its picture and motion only: a scene whose length changes leaves its
# neighbour's clip alone. A longer scene holds its first view until its last eight seconds.
MOTION_FRAMES = 240


@dataclass(frozen=True)
class View:
    """A zoom (1 = the frame's own pixels) centred at (cx, cy) frame pixels of the canvas
    (render.still_frames scales them by OVERSAMPLE)."""

    zoom: float
    cx: float
    cy: float


@dataclass(frozen=True)
class Pan:
    """A Ken Burns pan along one axis (dx or dy is +1 or -1: the view's direction) under the
    zoom."""

    dx: int
    dy: int


# Varied by scene index so consecutive scenes never repeat the same move.
MOTIONS = (Pan(1, 0), Pan(0, -1), Pan(-1, 0), Pan(0, 1))


@dataclass(frozen=True)
class LeadIn:
    """The scene before this one, whose picture this clip dissolves from."""

    index: int  # its scene index: picks its motion
    visual_path: Path
    visual_kind: str  # "image" | "video"
    duration_ms: int


def canvas_size(size: int, travel: int) -> int:
    """Canvas pixels along an axis of `size` frame pixels with `travel` frame pixels of pan;
    even, so its 4:2:0 chroma planes are exactly half of it."""
    return 2 * math.ceil(OVERSAMPLE * (size + travel + 2 * MARGIN) / 2)


@dataclass(frozen=True)
class StillRun:
    """Motion frames first .. first + count - 1 of scene `index`'s still, a scene `frames`
    frames long (its motion is counted back from its end: see views); render.still_frames
    makes them."""

    image_path: Path
    index: int
    frames: int
    first: int
    count: int


def frames_for(duration_ms: int, fps: int) -> int:
    """Whole frames in a scene; audio is cut to the same length so A/V stay equal."""
    return max(2, round(duration_ms * fps / 1000))


def transition_frames(fps: int) -> int:
    """Frames of every crossfade (and of the motion planned past each scene's end for it)."""
    return round(TRANSITION_S * fps)


def lead_in_frames(own_frames: int, fps: int) -> int:
    """Frames of this clip's opening dissolve: TRANSITION_S, at most half of the scene."""
    return min(transition_frames(fps), own_frames // 2)


def motion_for(index: int) -> Pan:
    return MOTIONS[index % len(MOTIONS)]


def views(*, index: int, profile: RenderProfile, frames: int, first: int, count: int) -> list[View]:
    """The Ken Burns view (frame pixels of the scene's canvas) of motion
    frames first .. first + count - 1 of a scene of `frames` frames.

    Counted back from a point one transition and a frame past the scene's end, so a scene's
    last frames and their continuation into the next scene's dissolve do not depend on its
    length; a scene longer than MOTION_FRAMES holds its first view until then."""
    w, h = profile.width, profile.height
    final_w = FINAL_FOR[(w, h)][0]
    pan = motion_for(index)
    # Speeds and distances are in final-frame pixels, so a half-size preview frames the
    # picture exactly like the final.
    speed = float(SPEED) * w / final_w
    travel = speed * MOTION_FRAMES
    end = transition_frames(profile.fps) + frames
    result = []
    for m in range(first, first + count):
        done = MOTION_FRAMES - min(MOTION_FRAMES, max(0, end - m))
        moved = speed * done
        along = [moved if d > 0 else travel - moved if d < 0 else 0.0 for d in (pan.dx, pan.dy)]
        result.append(
            View(
                zoom=1 + ZOOM_PER_S / profile.fps * done,
                cx=MARGIN + w / 2 + along[0],
                cy=MARGIN + h / 2 + along[1],
            )
        )
    return result


def still_input(url: str, profile: RenderProfile) -> list[str]:
    """FFmpeg input arguments for a still's moving picture arriving as raw frames on `url`
    (a render.feeds.Feed's, written by render.still_frames)."""
    return [
        *("-f", "rawvideo", "-pix_fmt", "yuv420p"),
        *("-video_size", f"{profile.width}x{profile.height}"),
        *("-framerate", str(profile.fps), "-i", url),
    ]


def frame_times(profile: RenderProfile) -> str:
    """Filters (no labels) that number frames 0, 1, 2... on a timebase of one frame."""
    return f"settb=1/{profile.fps},setpts=N/({profile.fps}*TB)"


def video_chain(profile: RenderProfile, *, first: int, count: int) -> str:
    """Filters (no labels) that cover-crop a looping video to the frame: `count` frames from
    frame `first`. Trimmed before scaling so frames outside are never scaled."""
    w, h = profile.width, profile.height
    return ",".join(
        [
            f"fps={profile.fps}",
            f"trim=start_frame={first}:end_frame={first + count}",
            f"scale={w}:{h}:force_original_aspect_ratio=increase",
            f"crop={w}:{h}",
            "setsar=1",
            "format=yuv420p",
            f"settb=1/{profile.fps}",
            f"setpts=N/({profile.fps}*TB)",
        ]
    )


def lead_in_run(lead_in: LeadIn | None, *, profile: RenderProfile, frames: int) -> StillRun | None:
    """The frames of the previous scene's still carrying on through the dissolve into a clip
    of `frames` frames (count + 1 of them: xfade blends both ends included); None when the
    lead-in is no still or there is no dissolve."""
    if lead_in is None or lead_in.visual_kind == "video":
        return None
    count = lead_in_frames(frames, profile.fps)
    if count < 1:
        return None
    previous = frames_for(lead_in.duration_ms, profile.fps)
    return StillRun(lead_in.visual_path, lead_in.index, previous, first=previous, count=count + 1)


def lead_in_inputs(
    lead_in: LeadIn | None, *, profile: RenderProfile, frames: int, still_url: str = ""
) -> list[str]:
    """FFmpeg input arguments for the previous scene's picture (none without a lead-in): its
    video, or its still's frames arriving on `still_url` (see lead_in_run)."""
    if lead_in is None:
        return []
    if lead_in.visual_kind == "video":
        return ["-stream_loop", "-1", "-i", str(lead_in.visual_path)]
    if lead_in_run(lead_in, profile=profile, frames=frames) is None:
        return []
    return still_input(still_url, profile)


def dissolve_graph(
    *, lead_in: LeadIn | None, source: str, out: str, profile: RenderProfile, frames: int
) -> str:
    """From this scene's moving picture (`source` label) to `out`: the picture alone, or with
    the dissolve from the previous scene (input 1, see lead_in_inputs) over its first frames.
    The frame count stays `frames`."""
    if lead_in is None:
        return f"{source}null[{out}]"
    previous_frames = frames_for(lead_in.duration_ms, profile.fps)
    count = lead_in_frames(frames, profile.fps)
    if count < 1:
        return f"{source}null[{out}]"
    # xfade blends while a frame's time is within the duration, ends included: count + 1
    # frames of the previous scene, the last one fully faded out.
    if lead_in.visual_kind == "video":
        carry_on = f"[1:v]{video_chain(profile, first=previous_frames, count=count + 1)}[lead]"
    else:
        carry_on = f"[1:v]{frame_times(profile)},setsar=1[lead]"
    # Offset 0: the dissolve starts on this clip's first frame and ends `count` frames in.
    # xfade wants a frame rate (fps gives it; eof_action=pass keeps the last frame) and, in
    # FFmpeg 5.1, 4:4:4: only the frames of the dissolve go through it, so the rest of the
    # clip is not converted to 4:4:4 and back frame by frame.
    times = frame_times(profile)
    same = f"{times},fps={profile.fps}:eof_action=pass"
    dissolve = (
        f"{carry_on};[lead]{same}[leadr];[ownhead]{same}[ownr];"
        f"[leadr][ownr]xfade=transition=fade:duration={count / profile.fps:.6f}:offset=0,"
        "format=yuv420p"
    )
    if count + 1 >= frames:
        return f"{source}{times}[ownhead];{dissolve},{times}[{out}]"
    # xfade also stamps the frames after the dissolve one frame late; joined by concat and
    # numbered again, no frame is held twice.
    return (
        f"{source}{times},split=2[head][tail];"
        f"[head]trim=end_frame={count + 1}[ownhead];"
        f"[tail]trim=start_frame={count + 1},setpts=PTS-STARTPTS[rest];"
        f"{dissolve}[mixed];[mixed][rest]concat=n=2:v=1:a=0,{times}[{out}]"
    )
