"""Brief matrix: do reels land on the length asked for, in every language, length and aspect?

    .venv/bin/python bench/brief_matrix.py [--profile preview|final] [--keep DIR] [--only N]

Renders 18 reels offline through `manage.py makereel` (the product's own inline job runner):
Korean and English, 8, 15 and 30 s, in 9:16, 16:9 and 1:1, at the preview profile unless
--profile final. The briefs are not the tests' briefs; every 15 s brief names a business, so
its reel closes on the business end card. Django runs on the default SQLite settings (DEBUG=1)
with a throwaway database and media under var/bench/matrix (or --keep DIR).

One line per reel, as it is made:
    lang=ko target=8 aspect=9:16 duration=8.000 delta=0.000 qc=PASS render_s=12.3
then the summary:
    reels=18 within_0_5s=N qc_pass=M
(qc is the product's media QC, render.qc, where this checkout has it, else "n/a"; qc_pass
counts the reels without a FAIL check; "n/a" without render.qc.)
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOREIGN_ENV = ("DATABASE_URL", "MEDIA_ROOT", "DJANGO_SETTINGS_MODULE", "REELMAKER_WORK_DIR")
KEYWORDS = {
    ("ko", 8): "한강 야경 자전거",
    ("ko", 15): "망원시장 떡볶이",
    ("ko", 30): "제주 감귤 따기 체험",
    ("en", 8): "sunrise beach yoga",
    ("en", 15): "vintage vinyl record shop",
    ("en", 30): "homemade ramen night",
}
BUSINESSES = {
    "ko": {
        "name": "망원 할매 떡볶이",
        "place": "서울 망원시장",
        "offer": "떡볶이 2인분에 튀김 무료",
        "contact": "02-333-1234",
    },
    "en": {
        "name": "Spin Cycle Records",
        "place": "Austin, Texas",
        "offer": "20% off all jazz LPs",
        "contact": "@spincycle",
    },
}
ASPECTS = ("9:16", "16:9", "1:1")
TOLERANCE_S = 0.5


def setup_django(var: Path) -> None:
    """Django on the default SQLite settings, its database and media in `var`, migrated."""
    var.mkdir(parents=True, exist_ok=True)
    for name in FOREIGN_ENV:
        os.environ.pop(name, None)
    os.environ.update(
        DEBUG="1", REELMAKER_VAR_DIR=str(var), DJANGO_SETTINGS_MODULE="reelmaker.settings"
    )
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def _has_qc() -> bool:
    try:
        from render import qc  # type: ignore[attr-defined,unused-ignore]  # noqa: F401
    except ImportError:
        return False
    return True


def qc_status(path: Path, *, profile: str, aspect: str, target_s: float) -> str:
    """The media QC's verdict (PASS, WARN, FAIL) where render.qc exists, else "n/a"."""
    try:
        from render.qc import Expect, run_qc  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return "n/a"
    report = run_qc(path, expect=Expect(profile=profile, aspect=aspect, target_s=target_s))
    return str(report.status)


def make_reel(
    language: str, duration_s: int, aspect: str, *, profile: str, out: Path
) -> tuple[float, float]:
    """(reel seconds, wall seconds) for one brief rendered by makereel."""
    from io import StringIO

    from django.core.management import call_command

    from render.probe import probe

    args = [KEYWORDS[(language, duration_s)], "--lang", language]
    args += ["--duration", str(duration_s), "--aspect", aspect, "--profile", profile]
    if duration_s == 15:
        for key, value in BUSINESSES[language].items():
            args += ["--business", f"{key}={value}"]
    started = time.monotonic()
    call_command("makereel", *args, "--out", str(out), stdout=StringIO())
    return probe(out).duration_s, time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--profile", default="preview", choices=("preview", "final"))
    parser.add_argument("--keep", type=Path, help="keep the database, media and reels here")
    parser.add_argument("--only", type=int, help="render only the first N reels")
    args = parser.parse_args()
    var = args.keep or Path(tempfile.mkdtemp(prefix="matrix-", dir=ROOT / "var"))
    try:
        setup_django(var)
        matrix = [
            (language, duration_s, aspect)
            for language in ("ko", "en")
            for duration_s in (8, 15, 30)
            for aspect in ASPECTS
        ][: args.only]
        within = qc_pass = 0
        for language, duration_s, aspect in matrix:
            out = var / "reels" / f"{language}-{duration_s}-{aspect.replace(':', 'x')}.mp4"
            out.parent.mkdir(parents=True, exist_ok=True)
            duration, wall = make_reel(language, duration_s, aspect, profile=args.profile, out=out)
            delta = abs(duration - duration_s)
            qc = qc_status(out, profile=args.profile, aspect=aspect, target_s=duration_s)
            within += delta <= TOLERANCE_S
            qc_pass += qc in ("PASS", "WARN")
            print(
                f"lang={language} target={duration_s} aspect={aspect} duration={duration:.3f} "
                f"delta={delta:.3f} qc={qc} render_s={wall:.1f}",
                flush=True,
            )
        passed = qc_pass if _has_qc() else "n/a"
        print(f"reels={len(matrix)} within_0_5s={within} qc_pass={passed}", flush=True)
    finally:
        if args.keep is None:
            shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    main()
