"""python manage.py checkreel FILE [--profile] [--aspect] [--resolution] [--duration] [--json]:
media QC.

Prints one line per check (or the report as JSON) and exits 1 when a check FAILs, 2 when the
file cannot be read as a video at all; 0 otherwise (PASS or WARN).
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from render.profiles import DEFAULT_RESOLUTION, FINAL_RESOLUTIONS, FINAL_SIZES
from render.qc import FAIL, Expect, run_qc
from render.qc_report import DURATION_TOLERANCE_S

EXIT_FAIL = 1
EXIT_UNREADABLE = 2


class Command(BaseCommand):
    help = "Check a rendered reel the way the product judges every preview and final."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the MP4 to check")
        parser.add_argument("--profile", default="final", choices=["final", "preview"])
        parser.add_argument("--aspect", default="9:16", choices=list(FINAL_SIZES))
        parser.add_argument(
            "--resolution",
            default=DEFAULT_RESOLUTION,
            choices=list(FINAL_RESOLUTIONS),
            help="a final's resolution, as its plan gives it (default 1080p)",
        )
        parser.add_argument("--duration", type=float, help="its planned length in seconds")
        parser.add_argument("--target", type=float, help="the length asked for (WARN when off)")
        parser.add_argument(
            "--tolerance",
            type=float,
            default=DURATION_TOLERANCE_S,
            help=f"allowed length error in seconds (default {DURATION_TOLERANCE_S:g})",
        )
        parser.add_argument(
            "--every-frame",
            action="store_true",
            help="run the black and freeze detectors on every frame (slower; the job skips "
            "B-frames)",
        )
        parser.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args, **opts):
        expect = Expect(
            profile=opts["profile"],
            aspect=opts["aspect"],
            resolution=opts["resolution"],
            duration_s=opts["duration"],
            target_s=opts["target"],
            tolerance_s=opts["tolerance"],
        )
        report = run_qc(opts["file"], expect=expect, every_frame=opts["every_frame"])
        if opts["json"]:
            self.stdout.write(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
        else:
            for line in report.lines():
                self.stdout.write(line)
            self.stdout.write(f"{report.status} {opts['file']}")
        if not report.is_readable:
            raise CommandError(f"{opts['file']}: cannot be checked", returncode=EXIT_UNREADABLE)
        if report.status == FAIL:
            failed = ", ".join(report.failed)
            raise CommandError(f"{opts['file']}: FAIL ({failed})", returncode=EXIT_FAIL)
