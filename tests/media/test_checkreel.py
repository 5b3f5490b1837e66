"""`manage.py checkreel`: the product's media QC on one file, with exit codes for scripts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.render.qc_fixtures import make

pytestmark = pytest.mark.slow  # real FFmpeg runs; no database
MANAGE = Path(__file__).resolve().parents[2] / "manage.py"


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> Path:
    return make(tmp_path_factory.mktemp("checkreel") / "good.mp4")


def test_a_good_reel_prints_every_check_and_returns_normally(good, capsys):
    call_command("checkreel", str(good), "--profile", "preview", "--duration", "3")

    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("PASS container:")
    assert any(line.startswith("PASS loudness:") for line in lines)
    assert lines[-1] == f"PASS {good}"


def test_a_failing_reel_is_exit_status_1_naming_the_checks(good, capsys):
    with pytest.raises(CommandError, match=r"FAIL \(resolution\)") as raised:
        call_command("checkreel", str(good), "--profile", "final")

    assert raised.value.returncode == 1
    assert "FAIL resolution: 540x960 (1080x1920 for final 9:16)" in capsys.readouterr().out


def test_json_output_is_the_stored_report(good, capsys):
    with pytest.raises(CommandError) as raised:
        call_command("checkreel", str(good), "--profile", "preview", "--duration", "9", "--json")

    report = json.loads(capsys.readouterr().out)
    assert raised.value.returncode == 1
    assert report["status"] == "FAIL"
    assert report["failed"] == ["duration"]
    assert report["profile"] == "preview"


def test_an_unreadable_file_is_exit_status_2(tmp_path):
    junk = tmp_path / "junk.mp4"
    junk.write_text("not a video")

    with pytest.raises(CommandError, match="cannot be checked") as raised:
        call_command("checkreel", str(junk))

    assert raised.value.returncode == 2


def test_the_shell_sees_the_exit_status(good):
    done = subprocess.run(
        [sys.executable, str(MANAGE), "checkreel", str(good), "--aspect", "1:1"],
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode == 1
    assert "FAIL resolution" in done.stdout
