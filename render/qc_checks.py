"""Media QC's checks: one function each, (Measurements, Expect) -> Check, listed in CHECKS.
Thresholds are the constants below; the detectors' own (black, freeze, silence) are in
render.qc_measure, which runs them."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from fractions import Fraction

from render.profiles import DEFAULT_RESOLUTION, FPS, profile_for
from render.qc_measure import (
    BLACK_MIN_S,
    FREEZE_MIN_S,
    SILENCE_MIN_S,
    Measurements,
    Span,
    stream_duration_s,
)
from render.qc_report import FAIL, PASS, WARN, Check, CheckFn, Expect

TARGET_LUFS = -14.0
LUFS_PASS_RANGE = 1.5
LUFS_WARN_RANGE = 3.0
TRUE_PEAK_PASS_DBTP = -1.0
TRUE_PEAK_WARN_DBTP = 0.0
AV_LENGTH_PASS_S = 0.1
AV_LENGTH_WARN_S = 0.2
EDGE_S = 0.1  # a black span this close to either end is a fade, not a hole
SILENCE_IGNORED_TAIL_S = 1.0  # a fade-out or a short quiet tail is normal
GOP_MAX_S = 4.0
NTSC_30_FPS = Fraction(30000, 1001)
# Concat-demuxer joins can leave sub-millisecond gaps that nudge the average off 30/1.
AVG_FPS_SLACK = Fraction(1, 20)
SPANS_LISTED = 5
BOXES_LISTED = 8


def _verdict(name: str, status: str, value: str, limit: str, message: str) -> Check:
    return Check(name, status, value, limit, "" if status == PASS else message)


def check_container(media: Measurements, expect: Expect) -> Check:
    limit = "MP4, moov before mdat (faststart)"
    kinds = [box.kind for box in media.boxes]
    layout = " ".join(kinds[:BOXES_LISTED]) + (" ..." if len(kinds) > BOXES_LISTED else "")
    layout = layout or "none"

    def fail(value: str, message: str) -> Check:
        return _verdict("container", FAIL, f"{value}; boxes: {layout}", limit, message)

    if media.box_problem:
        return fail(media.box_problem, "The MP4 is truncated or damaged.")
    if not kinds or kinds[0] != "ftyp" or media.major_brand == "qt  ":
        return fail(f"not MP4 (brand {media.major_brand!r})", "The file is not an MP4.")
    if "moov" not in kinds or "mdat" not in kinds:
        return fail("moov or mdat missing", "The MP4 has no index or no media data.")
    if kinds.index("moov") > kinds.index("mdat"):
        return fail("moov after mdat, no faststart", "The index is at the end: no faststart.")
    value = f"MP4 ({media.major_brand.strip()}), faststart; boxes: {layout}"
    return _verdict("container", PASS, value, limit, "")


def check_video_codec(media: Measurements, expect: Expect) -> Check:
    codec = media.video.get("codec_name", "unknown")
    status = PASS if codec == "h264" else FAIL
    return _verdict("video_codec", status, codec, "h264", "The video is not H.264.")


def check_video_profile(media: Measurements, expect: Expect) -> Check:
    profile = media.video.get("profile", "unknown")
    tolerated = {"Main"}
    if expect.profile == "preview":
        tolerated |= {"Baseline", "Constrained Baseline"}
    limit = f"High; {' or '.join(sorted(tolerated))} is WARN"
    if media.video.get("codec_name") != "h264":
        return _verdict("video_profile", FAIL, f"{profile} (not h264)", limit, "Not H.264.")
    status = PASS if profile == "High" else WARN if profile in tolerated else FAIL
    return _verdict("video_profile", status, profile, limit, "The H.264 profile is not High.")


def check_pix_fmt(media: Measurements, expect: Expect) -> Check:
    pix_fmt = media.video.get("pix_fmt", "unknown")
    status = PASS if pix_fmt == "yuv420p" else FAIL
    return _verdict("pix_fmt", status, pix_fmt, "yuv420p", "Players expect yuv420p pixels.")


def _rate(text: str | None) -> Fraction | None:
    numerator, _, denominator = (text or "0/0").partition("/")
    if not denominator or int(denominator) == 0:
        return None
    return Fraction(int(numerator), int(denominator))


def check_frame_rate(media: Measurements, expect: Expect) -> Check:
    limit = f"{FPS}/1; 30000/1001 or an average within {float(AVG_FPS_SLACK):g} fps is WARN"
    real, average = media.video.get("r_frame_rate"), media.video.get("avg_frame_rate")
    rates = [_rate(real), _rate(average)]
    value = f"r_frame_rate {real}, avg_frame_rate {average}"
    if rates[1] is not None and rates[1] != rates[0]:
        value += f" ({float(rates[1]):.3f} fps)"
    joins_drift = rates[0] == FPS and rates[1] is not None and abs(rates[1] - FPS) <= AVG_FPS_SLACK
    if all(rate == FPS for rate in rates):
        status = PASS
    elif joins_drift or all(rate in (FPS, NTSC_30_FPS) for rate in rates):
        status = WARN
    else:
        status = FAIL
    return _verdict("frame_rate", status, value, limit, f"The frame rate is not {FPS} fps.")


def check_resolution(media: Measurements, expect: Expect) -> Check:
    wanted = profile_for(expect.profile, expect.aspect, expect.resolution)
    lowered = expect.profile == "final" and expect.resolution != DEFAULT_RESOLUTION
    at = f" {expect.resolution}" if lowered else ""
    limit = f"{wanted.size} for {expect.profile}{at} {expect.aspect}"
    actual = (media.video.get("width"), media.video.get("height"))
    status = PASS if actual == (wanted.width, wanted.height) else FAIL
    value = f"{actual[0]}x{actual[1]}"
    return _verdict("resolution", status, value, limit, "The frame size is wrong.")


def _no_audio(name: str, limit: str) -> Check:
    return _verdict(name, FAIL, "no audio stream", limit, "The reel has no sound.")


def check_audio_codec(media: Measurements, expect: Expect) -> Check:
    if media.audio is None:
        return _no_audio("audio_codec", "aac")
    codec = media.audio.get("codec_name", "unknown")
    status = PASS if codec == "aac" else FAIL
    return _verdict("audio_codec", status, codec, "aac", "The audio is not AAC.")


def check_sample_rate(media: Measurements, expect: Expect) -> Check:
    limit = "48000 Hz; 44100 Hz is WARN"
    if media.audio is None:
        return _no_audio("sample_rate", limit)
    rate = int(media.audio.get("sample_rate", 0))
    status = PASS if rate == 48000 else WARN if rate == 44100 else FAIL
    return _verdict("sample_rate", status, f"{rate} Hz", limit, "The audio is not 48 kHz.")


def check_channels(media: Measurements, expect: Expect) -> Check:
    limit = "2; mono is WARN"
    if media.audio is None:
        return _no_audio("channels", limit)
    channels = media.audio.get("channels", 0)
    value = f"{channels} ({media.audio.get('channel_layout', 'unknown layout')})"
    status = PASS if channels == 2 else WARN if channels == 1 else FAIL
    return _verdict("channels", status, value, limit, "The audio is not stereo.")


def check_duration(media: Measurements, expect: Expect) -> Check:
    actual = media.container_duration_s
    value = "unknown" if actual is None else f"{actual:.3f} s"
    if expect.duration_s is None:
        return _verdict("duration", PASS, value, "any; no length given", "")
    limit = f"{expect.duration_s:g} ± {expect.tolerance_s:g} s"
    off = actual is None or abs(actual - expect.duration_s) > expect.tolerance_s
    message = "The reel is not as long as its scenes."
    return _verdict("duration", FAIL if off else PASS, value, limit, message)


def check_target_duration(media: Measurements, expect: Expect) -> Check:
    actual = media.container_duration_s
    value = "unknown" if actual is None else f"{actual:.3f} s"
    if expect.target_s is None:
        return _verdict("target_duration", PASS, value, "any; no target given", "")
    limit = f"{expect.target_s:g} ± {expect.tolerance_s:g} s; otherwise WARN"
    off = actual is None or abs(actual - expect.target_s) > expect.tolerance_s
    message = "The narration made the reel longer or shorter than asked."
    return _verdict("target_duration", WARN if off else PASS, value, limit, message)


def check_av_length(media: Measurements, expect: Expect) -> Check:
    limit = f"video and audio within {AV_LENGTH_PASS_S:g} s; FAIL over {AV_LENGTH_WARN_S:g} s"
    if media.audio is None:
        return _no_audio("av_length", limit)
    video_s, audio_s = stream_duration_s(media.video), stream_duration_s(media.audio)
    if video_s is None or audio_s is None:
        return _verdict("av_length", WARN, "stream duration unknown", limit, "Length unknown.")
    gap_s = abs(video_s - audio_s)
    value = f"video {video_s:.3f} s, audio {audio_s:.3f} s, gap {gap_s:.3f} s"
    status = PASS if gap_s <= AV_LENGTH_PASS_S else WARN if gap_s <= AV_LENGTH_WARN_S else FAIL
    return _verdict("av_length", status, value, limit, "Picture and sound end apart.")


def check_loudness(media: Measurements, expect: Expect) -> Check:
    limit = f"{TARGET_LUFS:g} ± {LUFS_PASS_RANGE:g} LUFS; FAIL outside ± {LUFS_WARN_RANGE:g}"
    if media.audio is None:
        return _no_audio("loudness", limit)
    lufs = media.integrated_lufs
    if lufs is None:
        return _verdict("loudness", FAIL, "not measured", limit, "Loudness could not be read.")
    off_by = abs(lufs - TARGET_LUFS)
    status = PASS if off_by <= LUFS_PASS_RANGE else WARN if off_by <= LUFS_WARN_RANGE else FAIL
    message = "Too loud." if lufs > TARGET_LUFS else "Too quiet."
    return _verdict("loudness", status, f"{lufs:.1f} LUFS integrated", limit, message)


def check_true_peak(media: Measurements, expect: Expect) -> Check:
    limit = f"<= {TRUE_PEAK_PASS_DBTP:.1f} dBTP; FAIL above {TRUE_PEAK_WARN_DBTP:.1f}"
    if media.audio is None:
        return _no_audio("true_peak", limit)
    peak = media.true_peak_dbtp
    if peak is None:
        return _verdict("true_peak", FAIL, "not measured", limit, "Peak could not be read.")
    status = PASS if peak <= TRUE_PEAK_PASS_DBTP else WARN if peak <= TRUE_PEAK_WARN_DBTP else FAIL
    return _verdict("true_peak", status, f"{peak:.1f} dBTP", limit, "The audio clips.")


def _describe(spans: Sequence[Span]) -> str:
    if not spans:
        return "none"
    listed = ", ".join(str(span) for span in spans[:SPANS_LISTED])
    if len(spans) > SPANS_LISTED:
        listed += f", and {len(spans) - SPANS_LISTED} more"
    return listed


def check_black(media: Measurements, expect: Expect) -> Check:
    limit = f"no black of {BLACK_MIN_S:g} s or more; at the very start or end it is WARN"
    spans = media.black  # blackdetect reports only spans of BLACK_MIN_S or more
    end_s = media.container_duration_s or 0.0
    inside = [s for s in spans if s.start_s > EDGE_S and (not end_s or s.end_s < end_s - EDGE_S)]
    status = FAIL if inside else WARN if spans else PASS
    return _verdict("black", status, _describe(spans), limit, "The picture goes black.")


def check_freeze(media: Measurements, expect: Expect) -> Check:
    limit = f"no freeze of {FREEZE_MIN_S:g} s or more; a freeze is WARN"
    status = WARN if media.freezes else PASS
    return _verdict("freeze", status, _describe(media.freezes), limit, "The picture stands still.")


def check_silence(media: Measurements, expect: Expect) -> Check:
    limit = (
        f"no silence of {SILENCE_MIN_S:g} s or more before the last {SILENCE_IGNORED_TAIL_S:g} s"
    )
    if media.audio is None:
        return _no_audio("silence", limit)
    cutoff_s = (stream_duration_s(media.audio) or 0.0) - SILENCE_IGNORED_TAIL_S
    spans = [s for s in media.silences if min(s.end_s, cutoff_s) - s.start_s >= SILENCE_MIN_S]
    status = WARN if spans else PASS
    return _verdict("silence", status, _describe(spans), limit, "The sound drops out.")


def check_first_keyframe(media: Measurements, expect: Expect) -> Check:
    limit = "first frame is a keyframe"
    if not media.packets:
        return _verdict("first_keyframe", FAIL, "no video packets", limit, "No video frames.")
    first = min(media.packets, key=lambda packet: packet.pts_s)
    status = PASS if first.is_key else FAIL
    value = f"{'keyframe' if first.is_key else 'not a keyframe'} at {first.pts_s:.3f} s"
    return _verdict("first_keyframe", status, value, limit, "The reel cannot start cleanly.")


def check_gop(media: Measurements, expect: Expect) -> Check:
    limit = f"longest keyframe interval <= {GOP_MAX_S:g} s; longer is WARN"
    keyframes_s = sorted(packet.pts_s for packet in media.packets if packet.is_key)
    if not keyframes_s:
        return _verdict("gop", FAIL, "no keyframes", limit, "The video has no keyframes.")
    # The last GOP runs from the last keyframe to the last frame.
    bounds_s = [*keyframes_s, max(packet.pts_s for packet in media.packets)]
    longest_s = max(later - earlier for earlier, later in itertools.pairwise(bounds_s))
    value = f"{longest_s:.2f} s longest, keyframes: {len(keyframes_s)}"
    status = WARN if longest_s > GOP_MAX_S else PASS
    return _verdict("gop", status, value, limit, "Keyframes are far apart: slow seeking.")


CHECKS: tuple[CheckFn, ...] = (
    check_container,
    check_video_codec,
    check_video_profile,
    check_pix_fmt,
    check_frame_rate,
    check_resolution,
    check_audio_codec,
    check_sample_rate,
    check_channels,
    check_duration,
    check_target_duration,
    check_av_length,
    check_loudness,
    check_true_peak,
    check_black,
    check_freeze,
    check_silence,
    check_first_keyframe,
    check_gop,
)
