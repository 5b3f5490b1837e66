"""The moving picture of a scene clip: a sub-pixel Ken Burns zoom and pan, and the dissolve
into it.

Both are filtergraph fragments (plain strings) that render.clip_commands puts in front of the
text layer, so captions and watermark never zoom, pan or dissolve with the picture.

Zoom and pan at a fraction of a pixel
-------------------------------------
Every still slowly zooms in (ZOOM_PER_S: 1.00 to 1.08 over five seconds) while its centre
drifts along one axis at half a final-frame pixel a frame (15 px/s), the direction varied by
scene. Each frame's view is cut from an oversampled canvas by whole-pixel crop and scale
sizes that land the view within a few hundredths of a pixel of where it belongs
(render.ken_burns), so nothing steps by whole pixels and every frame goes through the same
bilinear downscale (no frame sharper than the next). Luma and the two chroma planes are cut
each at its own size, so 1.5 frames of samples are scaled and nothing is converted back from
4:4:4: ~10 CPU ms per 1080x1920 frame (the filters alone, against ~15 in 4:4:4) beside
x264's ~17-19. A preview moves half as many of its own
pixels, so it frames the picture like the final. The motion is counted back from the end
(MOTION_FRAMES at most), so how a scene ends does not depend on how long it is.

Dissolves without re-encoding the reel
--------------------------------------
Assembly joins clips by stream copy, so a dissolve there would mean encoding the whole reel
again. Instead each scene's clip opens with the dissolve from the scene before: the previous
scene's picture carries on past its cut (its zoom and pan go on, a video keeps playing) for
TRANSITION_S while this scene's picture fades in over it. The previous clip is untouched and
ends on its own last frame, which the next clip's first frame continues, so every scene keeps
its frame count, the reel keeps its length and the audio stays in sync. The cost is the
previous still's canvases (~0.2 CPU s at the final size) and a dozen frames through xfade,
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

from render.ken_burns import MARGIN, Cut, View, canvas_size, chroma_cuts, view_cuts
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
    """The Ken Burns view (render.ken_burns.View, base pixels of the scene's canvas) of motion
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


def pan_graph(
    *,
    source: str,
    out: str,
    index: int,
    profile: RenderProfile,
    frames: int,
    first: int = 0,
    count: int | None = None,
) -> str:
    """A filtergraph from a still (`source`, e.g. "[0:v]") to `out`: `count` frames (all of the
    scene by default) of the scene's zoom and pan, starting at motion frame `first`.

    The still is cover-scaled once to the oversampled 4:2:0 canvas (render.ken_burns) and
    split into its three planes, each repeated; each frame's plane is then cut from them by
    crop -> bilinear scale -> crop at whole pixels that render.ken_burns picked for that
    frame's view (luma and chroma each at their own resolution), sent to the filters by
    `sendcmd` whenever they change, and the planes are merged again. Cutting plane by plane
    scales 1.5 frames of samples instead of 4:4:4's three and needs no conversion back to
    4:2:0, while every plane still lands at a fraction of its own pixel."""
    count = frames if count is None else count
    w, h = profile.width, profile.height
    final_w = FINAL_FOR[(w, h)][0]
    pan = motion_for(index)
    travel = math.ceil(float(SPEED) * w / final_w * MOTION_FRAMES)
    canvas = (canvas_size(w, travel * abs(pan.dx)), canvas_size(h, travel * abs(pan.dy)))
    moves = views(index=index, profile=profile, frames=frames, first=first, count=count)
    luma = [view_cuts(size=(w, h), canvas=canvas, view=v) for v in moves]
    chroma = [chroma_cuts(size=(w, h), canvas=canvas, view=v) for v in moves]
    wider = f"gt(iw/ih,{canvas[0]}/{canvas[1]})"
    planes = [f"{out}{p}" for p in "yuv"]
    steps = [
        f"{source}scale=w='if({wider},{canvas[1]}*iw/ih,{canvas[0]})'"
        f":h='if({wider},{canvas[1]},{canvas[0]}*ih/iw)':flags=lanczos,"
        f"crop={canvas[0]}:{canvas[1]},setsar=1,format=yuv420p,"
        f"extractplanes=y+u+v{''.join(f'[{p}c]' for p in planes)}",
        *(
            f"[{name}c]{_cut_chain(name, plan, size=size, count=count, fps=profile.fps)}[{name}]"
            for name, plan, size in zip(
                planes,
                (luma, chroma, chroma),
                ((w, h), (w // 2, h // 2), (w // 2, h // 2)),
                strict=True,
            )
        ),
        f"{''.join(f'[{p}]' for p in planes)}mergeplanes=0x001020:yuv420p[{out}]",
    ]
    return ";".join(steps)


def _cut_chain(
    name: str, plan: list[tuple[Cut, Cut]], *, size: tuple[int, int], count: int, fps: int
) -> str:
    """Filters (no labels) that repeat one plane of the canvas `count` times and cut frame n
    of it (`size` pixels) as plan[n] says: crop -> bilinear scale -> crop, moved by sendcmd."""
    names = {"crop": f"crop@{name}in", "scale": f"scale@{name}", "keep": f"crop@{name}out"}

    def settings(x: Cut, y: Cut) -> dict[tuple[str, str], int]:
        return {
            (names["crop"], "w"): x.length,
            (names["crop"], "h"): y.length,
            (names["crop"], "x"): x.start,
            (names["crop"], "y"): y.start,
            (names["scale"], "w"): x.scaled,
            (names["scale"], "h"): y.scaled,
            (names["keep"], "x"): x.offset,
            (names["keep"], "y"): y.offset,
        }

    now = settings(*plan[0])
    commands = []
    for n, cuts in enumerate(plan[1:], start=1):
        then, now = now, settings(*cuts)
        # swscale is set up again only by a command to scale itself (a crop that changes its
        # input size goes unnoticed), so a new crop size always resends the scaled size.
        resized = any(then[k] != now[k] for k in now if k[0] != names["keep"])
        changed = [
            f"{filter_name} {arg} {value}"
            for (filter_name, arg), value in now.items()
            if then[(filter_name, arg)] != value or (resized and filter_name == names["scale"])
        ]
        if changed:
            # Half a frame early: the commands reach the filters with frame n, not n - 1.
            commands.append(f"{(n - 0.5) / fps:.6f} " + ",".join(changed) + ";")
    first_x, first_y = plan[0]
    # A timebase of one frame gives frame n the time n / fps that sendcmd keys on.
    repeat = f"loop=loop={count - 1}:size=1:start=0,settb=1/{fps},setpts=N/({fps}*TB)"
    return ",".join(
        [
            repeat,
            *([f"sendcmd=c='{' '.join(commands)}'"] if commands else []),
            f"{names['crop']}=w={first_x.length}:h={first_y.length}"
            f":x={first_x.start}:y={first_y.start}",
            # Planes travel as gray pictures, which swscale takes for full range: without
            # the ranges set it would stretch limited-range video levels on the way.
            f"{names['scale']}=w={first_x.scaled}:h={first_y.scaled}:flags=bilinear"
            ":in_range=tv:out_range=tv",
            f"{names['keep']}=w={size[0]}:h={size[1]}:x={first_x.offset}:y={first_y.offset}",
            # scale keeps the picture's shape by changing the sample aspect; mergeplanes
            # wants its three planes alike.
            "setsar=1",
        ]
    )


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


def lead_in_inputs(lead_in: LeadIn | None) -> list[str]:
    """FFmpeg input arguments for the previous scene's visual (none without a lead-in)."""
    if lead_in is None:
        return []
    if lead_in.visual_kind == "video":
        return ["-stream_loop", "-1", "-i", str(lead_in.visual_path)]
    return ["-i", str(lead_in.visual_path)]


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
        carry_on = pan_graph(
            source="[1:v]",
            out="lead",
            index=lead_in.index,
            profile=profile,
            frames=previous_frames,
            first=previous_frames,
            count=count + 1,
        )
    # Offset 0: the dissolve starts on this clip's first frame and ends `count` frames in.
    # xfade wants a frame rate (fps gives it; eof_action=pass keeps the last frame) and, in
    # FFmpeg 5.1, 4:4:4: only the frames of the dissolve go through it, so the rest of the
    # clip is not converted to 4:4:4 and back frame by frame.
    frame_times = f"settb=1/{profile.fps},setpts=N/({profile.fps}*TB)"
    same = f"{frame_times},fps={profile.fps}:eof_action=pass"
    dissolve = (
        f"{carry_on};[lead]{same}[leadr];[ownhead]{same}[ownr];"
        f"[leadr][ownr]xfade=transition=fade:duration={count / profile.fps:.6f}:offset=0,"
        "format=yuv420p"
    )
    if count + 1 >= frames:
        return f"{source}{frame_times}[ownhead];{dissolve},{frame_times}[{out}]"
    # xfade also stamps the frames after the dissolve one frame late; joined by concat and
    # numbered again, no frame is held twice.
    return (
        f"{source}{frame_times},split=2[head][tail];"
        f"[head]trim=end_frame={count + 1}[ownhead];"
        f"[tail]trim=start_frame={count + 1},setpts=PTS-STARTPTS[rest];"
        f"{dissolve}[mixed];[mixed][rest]concat=n=2:v=1:a=0,{frame_times}[{out}]"
    )
