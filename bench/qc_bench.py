"""Media QC benchmark: what judging a 30 s final costs beside making it.

    .venv/bin/python bench/qc_bench.py [--file REEL.mp4] [--runs 3]

Without --file, a 30 s 1080x1920 final is made first: moving test pattern (testsrc2) and a
tone, encoded with the final profile's x264 preset, CRF and GOP and its AAC settings; that
encode is timed as encode_s (the floor under any 30 s final render; see render_bench.py for
the whole render). With --file, that reel is judged (e.g. one from `makereel --profile final`)
and encode_s is not measured.

Then, each the median of --runs runs, wall seconds and CPU seconds of the child processes:
- qc_s           run_qc as the assembly job runs it (the video detectors skip B-frames);
- qc_every_frame_s  run_qc(every_frame=True): every frame decoded, as a reference checker;
- safe_rerender_s   the safe re-render of the reel (render.safe_render, one clip);
and qc_vs_encode = qc_s / encode_s. The last line holds every figure.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from render.profiles import profile_for  # noqa: E402
from render.qc import Expect, run_qc  # noqa: E402
from render.safe_render import safe_assemble  # noqa: E402

SECONDS = 30


def cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(work: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median wall seconds and median child CPU seconds of `runs` calls of `work`."""
    walls, cpus = [], []
    for _ in range(runs):
        cpu, start = cpu_s(), time.perf_counter()
        work()
        walls.append(time.perf_counter() - start)
        cpus.append(cpu_s() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def make_final(out: Path) -> None:
    profile = profile_for("final", "9:16")
    argv = [
        "ffmpeg", "-nostdin", "-hide_banner", "-v", "error", "-y",
        "-f", "lavfi", "-i", f"testsrc2=s={profile.size}:r={profile.fps}:d={SECONDS}",
        "-f", "lavfi", "-i", f"sine=f=440:r=48000:d={SECONDS},volume=7.8dB",
        "-c:v", "libx264", "-preset", profile.preset, "-crf", str(profile.crf),
        "-pix_fmt", "yuv420p", "-profile:v", "high", "-g", str(profile.fps * 2),
        "-c:a", "aac", "-b:a", profile.audio_bitrate, "-ar", "48000", "-ac", "2",
        "-movflags", "+faststart", str(out),
    ]  # fmt: skip
    subprocess.run(argv, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, help="judge this reel instead of a made one")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="qc-bench-") as tmp:
        reel = args.file
        if reel is None:
            reel = Path(tmp) / "final.mp4"
            cpu, start = cpu_s(), time.perf_counter()
            make_final(reel)
            figures["encode_s"] = time.perf_counter() - start
            print(f"encode_s={figures['encode_s']:.2f} (cpu {cpu_s() - cpu:.1f} s)", flush=True)
        expect = Expect(profile="final", aspect="9:16")
        report = run_qc(reel, expect=expect)
        print(f"report: {report.status}; not PASS: {report.failed + report.warned}", flush=True)
        for name, every_frame in (("qc_s", False), ("qc_every_frame_s", True)):
            wall, cpu = timed(lambda ef=every_frame: run_qc(reel, every_frame=ef), args.runs)
            figures[name] = wall
            print(f"{name}={wall:.2f} (cpu {cpu:.2f} s)", flush=True)
        wall, cpu = timed(
            lambda: safe_assemble(
                clips=[reel],
                scene_durations_ms=[SECONDS * 1000],
                audio_path=reel,
                out_path=Path(tmp) / "safe.mp4",
                profile=profile_for("final", "9:16"),
            ),
            1,
        )
        figures["safe_rerender_s"] = wall
        print(f"safe_rerender_s={wall:.2f} (cpu {cpu:.1f} s)", flush=True)
    if "encode_s" in figures:
        figures["qc_vs_encode"] = figures["qc_s"] / figures["encode_s"]
    print(" ".join(f"{name}={value:.2f}" for name, value in figures.items()))


if __name__ == "__main__":
    main()
