"""The moving picture of a scene clip: a sub-pixel Ken Burns drift and the dissolve into it.

Both are filtergraph fragments (plain strings) that render.clip_commands puts in front of the
text layer, so captions and watermark never drift or dissolve with the picture.

Sub-pixel drift at no cost per frame
------------------------------------
Moving a still by a fraction of a pixel needs a resample of every frame. In FFmpeg 5.1 the
filters that can (perspective, rotate) cost 18-25 CPU ms per 1080x1920 frame, more than x264
veryfast itself (~15 ms), and zoompan, crop and scale with eval=frame land on whole (for
zoompan, chroma-even) pixels, which is the stepping this replaces. A drift at a constant
speed of a/q pixels per frame only ever shows q sub-pixel phases, so each phase is resampled
once per scene instead: the still is stretched q times along the moving axis (bicubic), cut
at offset k (k/q of an output pixel) and box-averaged back. Each output frame is then a
pointer crop of its phase's canvas at a whole-pixel offset, as the old whole-pixel pan was.
Every phase goes through the same up/down filter, so no frame is sharper than the next (no
shimmer). 4:2:0 chroma sits on even pixels, so each phase also has a canvas shifted by one
more pixel for odd offsets: 2q canvases, picked in turn by `select` and put back in order by
`interleave`.

The speed, half a final-frame pixel per frame (15 px/s, ~7% of a 1080 px side over five
seconds), is a slow editor's drift; a preview moves half as many of its own pixels, so it
frames the picture like the final. On a striped test still every frame moves by the same
step to within ~0.02 px. A 5 s final clip of the offline artwork costs ~9% more CPU than
with the whole-pixel pan (3.37 s against 3.09 s, one x264 thread; 0.93 MB against 1.02 MB):
the canvases, and x264 finding no exact block copies between frames. A zoom cannot be
split into a few phases (every pixel moves at its own speed) and a per-frame resample would
not fit the 1.3x encode-floor budget, so the motion is a drift along one axis. Every drift
ends at the same place of a canvas of the same size (TRAVEL), so how a scene ends does not
depend on how long it is.

Dissolves without re-encoding the reel
--------------------------------------
Assembly joins clips by stream copy, so a dissolve there would mean encoding the whole reel
again. Instead each scene's clip opens with the dissolve from the scene before: the previous
scene's picture carries on past its cut (its drift continues, a video keeps playing) for
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

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from render.profiles import FINAL_SIZES, RenderProfile

FINAL_FOR = {
    size: final
    for final in FINAL_SIZES.values()
    for size in (final, (final[0] // 2, final[1] // 2))
}
# Final-frame pixels per frame: 15 px/s at 30 fps, ~7% of a 1080 px side over five seconds.
# Half a pixel needs two phases at the final size (four at the preview's half speed).
SPEED = Fraction(1, 2)
# A crossfade this long reads as a dissolve, not as a slow blur over the next line's start.
TRANSITION_S = 0.4
# How far (final-frame pixels) the view can travel. Every canvas is this much longer along
# its axis whatever the scene's length, and a drift ends at the same place: a scene's last
# frames and their continuation into the next scene's dissolve depend on its picture and
# motion only, so a scene whose length changes leaves its neighbour's clip alone. 120 px is
# eight seconds of drift; a longer scene holds still until its last eight seconds.
TRAVEL = 120


@dataclass(frozen=True)
class Pan:
    """A Ken Burns drift along one axis: dx or dy is +1 or -1 (the view's direction)."""

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
    """Frames of every crossfade (and of the drift planned past each scene's end for it)."""
    return round(TRANSITION_S * fps)


def lead_in_frames(own_frames: int, fps: int) -> int:
    """Frames of this clip's opening dissolve: TRANSITION_S, at most half of the scene."""
    return min(transition_frames(fps), own_frames // 2)


def motion_for(index: int) -> Pan:
    return MOTIONS[index % len(MOTIONS)]


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
    scene by default) of the scene's drift, starting at motion frame `first`.

    The drift ends one transition short of the canvas's end, so the next scene's opening
    dissolve can show this one carrying on (first=frames)."""
    count = frames if count is None else count
    w, h = profile.width, profile.height
    final_w = FINAL_FOR[(w, h)][0]
    pan = motion_for(index)
    # Speeds and distances are in final-frame pixels, so a half-size preview frames the
    # picture exactly like the final.
    speed = SPEED * Fraction(w, final_w)
    step, phases = speed.numerator, speed.denominator
    travel = TRAVEL * w // final_w
    mx, my = abs(pan.dx), abs(pan.dy)
    canvas_w, canvas_h = w + travel * mx, h + travel * my
    # Positions in 1/phases of a pixel: whole numbers, so every expression below is exact.
    # Counted back from the end: the scene's last frame is one transition before `travel`.
    start = travel * phases - step * (transition_frames(profile.fps) + frames - 1 - first)
    moved = f"max(0,{start}+{step}*n)"
    at = moved if pan.dx + pan.dy > 0 else f"({travel * phases}-{moved})"
    whole, phase = f"floor({at}/{phases})", f"mod({at},{phases})"
    # The still covers the canvas plus two pixels of room for the shifts, stretched `phases`
    # times along the moving axis, in one scaling pass.
    room_w, room_h = canvas_w + 2 * mx, canvas_h + 2 * my
    sx, sy = (phases if mx else 1), (phases if my else 1)
    wider = f"gt(iw/ih,{room_w}/{room_h})"
    parts = [
        f"{source}scale=w='if({wider},{room_h}*iw/ih,{room_w})*{sx}'"
        f":h='if({wider},{room_h},{room_w}*ih/iw)*{sy}':flags=lanczos,"
        f"crop={room_w * sx}:{room_h * sy},format=yuv444p,"
        f"split={2 * phases}" + "".join(f"[u{k}]" for k in range(2 * phases))
    ]
    # A timebase of one frame gives every frame its own whole-number timestamp, which the
    # interleave orders frames by.
    repeat = (
        f"loop=loop={count - 1}:size=1:start=0,settb=1/{profile.fps},setpts=N/({profile.fps}*TB)"
    )
    labels = []
    for odd in (0, 1):
        for k in range(phases):
            # Canvas pixel j shows the still at j + k/phases + odd: cut at an even offset, it
            # shows any position with that phase and parity.
            shift = k + odd * phases
            cut_x, cut_y = (shift, 0) if mx else (0, shift)
            view_x = f"{whole}-{odd}" if mx else "0"
            view_y = f"{whole}-{odd}" if my else "0"
            label = f"m{odd}{k}"
            parts.append(
                f"[u{odd * phases + k}]crop={canvas_w * (phases if mx else 1)}"
                f":{canvas_h * (phases if my else 1)}:{cut_x}:{cut_y},"
                f"scale={canvas_w}:{canvas_h}:flags=area,setsar=1,format=yuv420p,{repeat},"
                f"crop=w={w}:h={h}:x='{view_x}':y='{view_y}':exact=1,"
                f"select='eq({phase},{k})*eq(mod({whole},2),{odd})'[{label}]"
            )
            labels.append(f"[{label}]")
    parts.append(f"{''.join(labels)}interleave=nb_inputs={len(labels)}[{out}]")
    return ";".join(parts)


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
