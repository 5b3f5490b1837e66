"""The studio's page weight: JS + CSS (gzip) on the first load of every studio page, in
Debian's chromium against the production web server (tests/studio/test_page_weight.py,
which also holds the budget of 150 KB and no request to another host).

    .venv/bin/python bench/page_weight.py

Prints one line per page and `page_weight_max_kb=… budget_kb=150`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

if __name__ == "__main__":
    command = [
        sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider", "-o", "addopts=",
        "tests/studio/test_page_weight.py",
    ]  # fmt: skip
    env = {**os.environ, "REELMAKER_ENV_FILE": ""}
    result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True)
    lines = [line for line in result.stdout.splitlines() if line.startswith("page_weight")]
    print("\n".join(lines) or result.stdout[-3000:] + result.stderr[-3000:])
    sys.exit(result.returncode)
