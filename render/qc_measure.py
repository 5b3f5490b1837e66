"""What media QC measures in a reel: the MP4 box layout from the file's bytes, the streams and
video packets from one ffprobe run, and loudness, true peak, black, frozen and silent spans
from one FFmpeg decode. render.qc judges the numbers; this module only reads them.

Two processes per file: ffprobe demuxes (streams, format and packet flags in one JSON), and
FFmpeg decodes once, running blackdetect + freezedetect on the video and ebur128 (true peak)
+ silencedetect on the audio in one filter graph.

Decoding the video is most of the cost, so by default the decoder skips B-frames
(`-skip_frame:v bidir`): the detectors see the I- and P-frames, several a second, which is
plenty for spans of 0.5 s (black) and 2 s (freeze); span edges move by up to the gap between
two decoded frames (~0.1 s). On a 30 s 1080x1920 final that cuts the decode from ~4.3 to
~1.6 CPU seconds. `every_frame=True` decodes every frame, as a reference checker does.
"""

from __future__ import annotations

import json
import os
import re
import struct
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from render.runner import RenderError, ffmpeg_binary, run_measured

BLACK_MIN_S = 0.5
BLACK_PIXEL_THRESHOLD = 0.10
FREEZE_MIN_S = 2.0
FREEZE_NOISE = "-60dB"
SILENCE_MIN_S = 1.5
SILENCE_NOISE = "-45dB"
# All four detectors run in one FFmpeg process, so the file is demuxed and decoded once.
VIDEO_FILTERS = (
    f"blackdetect=d={BLACK_MIN_S:g}:pix_th={BLACK_PIXEL_THRESHOLD:g},"
    f"freezedetect=n={FREEZE_NOISE}:d={FREEZE_MIN_S:g}"
)
# framelog=verbose keeps ebur128's ten lines a second out of the log; its Summary stays.
AUDIO_FILTERS = (
    f"ebur128=peak=true:framelog=verbose,silencedetect=noise={SILENCE_NOISE}:d={SILENCE_MIN_S:g}"
)
PROBE_TIMEOUT_S = 60.0
# The decode runs at several times real time; this only stops a hung process.
DECODE_TIMEOUT_MIN_S = 120.0
DECODE_TIMEOUT_PER_MEDIA_S = 5.0
_NUMBER = r"(-?(?:inf|\d+(?:\.\d+)?(?:e[-+]?\d+)?))"


class Unreadable(RenderError):
    """The file cannot be checked at all (missing, not a video, not decodable)."""

    def __init__(self, message: str):
        super().__init__("qc", message)


@dataclass(frozen=True)
class Box:
    kind: str
    offset: int
    size: int


@dataclass(frozen=True)
class Packet:
    pts_s: float
    is_key: bool


@dataclass(frozen=True)
class Span:
    start_s: float
    end_s: float

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s

    def __str__(self) -> str:
        return f"{self.start_s:.2f}-{self.end_s:.2f} s ({self.duration_s:.2f} s)"


@dataclass(frozen=True)
class Measurements:
    """Everything the checks read about one file (ffprobe's stream dicts as they came)."""

    boxes: list[Box]
    box_problem: str  # why the walk over the top-level boxes stopped early; "" if it did not
    major_brand: str
    container_duration_s: float | None
    video: dict
    audio: dict | None
    packets: list[Packet]
    integrated_lufs: float | None = None
    true_peak_dbtp: float | None = None
    black: list[Span] = field(default_factory=list)
    freezes: list[Span] = field(default_factory=list)
    silences: list[Span] = field(default_factory=list)


def measure(
    path: Path,
    *,
    every_frame: bool = False,
    video_spans: tuple[list[Span], list[Span]] | None = None,
) -> Measurements:
    """Read everything the checks need (B-frames skipped by the video detectors unless
    `every_frame`). `video_spans` (black, freezes), when the clips' own runs found them
    (render.qc_scan), stand in for the video detectors, so only the audio is decoded.
    Raises Unreadable when the file cannot be checked."""
    path = Path(path)
    if not path.is_file():
        raise Unreadable(f"{path.name}: no such file")
    # An absolute path never reads as an FFmpeg option or protocol ("-x.mp4", "12:30.mp4").
    media_path = str(path.resolve())
    probe = _probe(media_path)
    video = _first_stream(probe, "video")
    if video is None or _is_still_image(probe):
        raise Unreadable(f"{path.name}: not a video file (no video stream)")
    audio = _first_stream(probe, "audio")
    boxes, box_problem = read_top_level_boxes(media_path)
    container_s = stream_duration_s(probe.get("format"))
    packets = [
        Packet(float(p["pts_time"]), "K" in p.get("flags", ""))
        for p in probe.get("packets", [])
        if p.get("stream_index") == video["index"]
        and p.get("pts_time") not in (None, "N/A")
        and "D" not in p.get("flags", "")  # D: a packet the player discards
    ]
    analysis = _analyse(
        media_path,
        video,
        audio,
        media_s=container_s or 0.0,
        every_frame=every_frame,
        video_spans=video_spans,
    )
    return Measurements(
        boxes=boxes,
        box_problem=box_problem,
        major_brand=_major_brand(media_path, boxes),
        container_duration_s=container_s,
        video=video,
        audio=audio,
        packets=packets,
        **analysis,
    )


def read_top_level_boxes(path: str) -> tuple[list[Box], str]:
    """Walk the top-level MP4 boxes from the bytes: the boxes, and why the walk stopped early."""
    boxes: list[Box] = []
    file_size = os.path.getsize(path)
    with open(path, "rb") as file:
        offset = 0
        while offset < file_size:
            file.seek(offset)
            header = file.read(8)
            if len(header) < 8:
                return boxes, f"truncated box header at byte {offset}"
            size, raw_kind = struct.unpack(">I4s", header)
            header_size = 8
            if size == 1:  # a 64-bit largesize follows the type
                large = file.read(8)
                if len(large) < 8:
                    return boxes, f"truncated box header at byte {offset}"
                size = struct.unpack(">Q", large)[0]
                header_size = 16
            elif size == 0:  # the box runs to the end of the file
                size = file_size - offset
            if not all(0x20 <= byte <= 0x7E for byte in raw_kind) or size < header_size:
                return boxes, f"no MP4 box at byte {offset}"
            boxes.append(Box(raw_kind.decode("ascii"), offset, size))
            if offset + size > file_size:
                return boxes, f"{boxes[-1].kind} box runs past the end of the file (truncated)"
            offset += size
    return boxes, ""


def stream_duration_s(entry: dict | None) -> float | None:
    if entry is None or entry.get("duration") in (None, "N/A"):
        return None
    return float(entry["duration"])


def _major_brand(path: str, boxes: list[Box]) -> str:
    if not boxes or boxes[0].kind != "ftyp" or boxes[0].size < 12:
        return ""
    with open(path, "rb") as file:
        file.seek(boxes[0].offset + 8)
        return file.read(4).decode("latin-1")


def _run(argv: list[str], *, step: str, timeout_s: float) -> subprocess.CompletedProcess[str]:
    done = run_measured(argv, step=step, timeout_s=timeout_s)
    if done is None:
        raise Unreadable(f"{argv[0]} ran past {timeout_s:.0f} s and was stopped")
    returncode, stdout, stderr = done
    return subprocess.CompletedProcess(argv, returncode, stdout, stderr)


def _last_line(stderr: str, path: str) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    return (lines[-1] if lines else "no message").removeprefix(f"{path}: ")


def _probe(path: str) -> dict:
    argv = [
        ffmpeg_binary("ffprobe"), "-v", "error", "-protocol_whitelist", "file",
        "-show_format", "-show_streams",
        "-show_entries", "packet=stream_index,pts_time,flags", "-of", "json", path,
    ]  # fmt: skip
    done = _run(argv, step="qc probe", timeout_s=PROBE_TIMEOUT_S)
    if done.returncode != 0:
        raise Unreadable(f"not a readable media file ({_last_line(done.stderr, path)})")
    return json.loads(done.stdout)


def _first_stream(probe: dict, codec_type: str) -> dict | None:
    for stream in probe.get("streams", []):
        is_cover_art = stream.get("disposition", {}).get("attached_pic") == 1
        if stream.get("codec_type") == codec_type and not is_cover_art:
            return stream
    return None


def _is_still_image(probe: dict) -> bool:
    format_name = probe.get("format", {}).get("format_name", "")
    return format_name == "image2" or format_name.endswith("_pipe")


def _analyse(
    path: str,
    video: dict,
    audio: dict | None,
    *,
    media_s: float,
    every_frame: bool,
    video_spans: tuple[list[Span], list[Span]] | None = None,
) -> dict:
    """Decode once: blackdetect and freezedetect on video (unless `video_spans` gives their
    spans), ebur128 and silencedetect on audio."""
    graphs, maps = [], []
    if video_spans is None:
        graphs.append(f"[0:{video['index']}]{VIDEO_FILTERS}[v]")
        maps += ["-map", "[v]"]
    if audio is not None:
        graphs.append(f"[0:{audio['index']}]{AUDIO_FILTERS}[a]")
        maps += ["-map", "[a]"]
    if not graphs:  # no audio, and the video's spans are known: nothing to decode
        black, freezes = video_spans or ([], [])
        return {"black": black, "freezes": freezes, "silences": []}
    graph = ";".join(graphs)
    argv = [
        ffmpeg_binary("ffmpeg"), "-hide_banner", "-nostdin", "-nostats",
        *([] if every_frame or video_spans is not None else ["-skip_frame:v", "bidir"]),
        "-protocol_whitelist", "file", "-i", path,
        "-filter_complex", graph, *maps, "-f", "null", "-",
    ]  # fmt: skip
    limit_s = max(DECODE_TIMEOUT_MIN_S, media_s * DECODE_TIMEOUT_PER_MEDIA_S)
    done = _run(argv, step="qc decode", timeout_s=limit_s)
    if done.returncode != 0:
        raise Unreadable(f"FFmpeg cannot decode it ({_last_line(done.stderr, path)})")
    log = done.stderr
    video_end_s = stream_duration_s(video) or 0.0
    audio_end_s = stream_duration_s(audio) or 0.0
    # FFmpeg may build the graph twice; each ebur128 prints a Summary when freed, and only the
    # last one has measured the stream.
    summary_at = log.rfind("Summary:")
    summary = log[summary_at:] if summary_at >= 0 else ""
    black, freezes = video_spans or (
        _spans("black_start", "black_end", log, video_end_s),
        _spans("freeze_start", "freeze_end", log, video_end_s),
    )
    return {
        "integrated_lufs": _number(rf"I:\s+{_NUMBER} LUFS", summary),
        "true_peak_dbtp": _number(rf"Peak:\s+{_NUMBER} dBFS", summary),
        "black": black,
        "freezes": freezes,
        "silences": _spans("silence_start", "silence_end", log, audio_end_s),
    }


def _number(pattern: str, text: str) -> float | None:
    match = re.search(pattern, text)
    return float(match.group(1)) if match else None


def _spans(start_key: str, end_key: str, log: str, stream_end_s: float) -> list[Span]:
    """Pair a detector's start and end marks; a span still open at the end closes there."""
    starts = [float(value) for value in re.findall(rf"{start_key}:\s*{_NUMBER}", log)]
    ends = [float(value) for value in re.findall(rf"{end_key}:\s*{_NUMBER}", log)]
    ends += [stream_end_s] * (len(starts) - len(ends))
    return [Span(start, end) for start, end in zip(starts, ends, strict=False)]
