"""A TypeScript client generated from the schema (openapi-typescript types, openapi-fetch calls)
type-checks a frontend's whole flow under `tsc --strict`; a file with a wrong body does not."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TS = Path(__file__).resolve().parent / "ts"
NODE_BIN = REPO / "node_modules" / ".bin"


def run(command: list[str], *, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=300, check=False
    )


@pytest.fixture(scope="module")
def generated_types(openapi_schema, tmp_path_factory) -> Path:
    """schema.d.ts, generated as a frontend team does (tests/api/ts/generate.mjs)."""
    if not (NODE_BIN / "tsc").exists():
        pytest.fail("node_modules is missing: run `scripts/setup.sh test` (npm ci)")
    out = tmp_path_factory.mktemp("ts") / "schema.d.ts"
    result = run(["node", str(TS / "generate.mjs"), str(openapi_schema), str(out)], cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def type_check(source: Path, types: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """`tsc --strict --noEmit` over one file, with tests/api/ts/tsconfig.json and the generated
    types as the module `reelmaker-api`."""
    config = tmp_path / "tsconfig.json"
    config.write_text(
        json.dumps(
            {
                "extends": str(TS / "tsconfig.json"),
                "compilerOptions": {"paths": {"reelmaker-api": [str(types)]}},
                "files": [str(source)],
            }
        ),
        encoding="utf-8",
    )
    return run([str(NODE_BIN / "tsc"), "--strict", "--noEmit", "-p", str(config)], cwd=REPO)


def test_the_frontend_flow_type_checks_against_the_generated_client(generated_types, tmp_path):
    result = type_check(TS / "flow.ts", generated_types, tmp_path)
    assert result.returncode == 0, f"tsc found errors in flow.ts:\n{result.stdout}{result.stderr}"


WRONG = (  # the one line of broken.ts that tsc must refuse, at duration_s
    '  await client.POST("/api/v1/stories/", '
    '{ body: { keyword: "x", language: "en", duration_s: "eight" } });'
)


def test_a_body_that_breaks_the_schema_does_not_type_check(generated_types, tmp_path):
    result = type_check(TS / "broken.ts", generated_types, tmp_path)
    assert result.returncode != 0
    errors = [line for line in result.stdout.splitlines() if "error TS" in line]
    line = (TS / "broken.ts").read_text(encoding="utf-8").splitlines().index(WRONG) + 1
    column = WRONG.index("duration_s") + 1
    assert errors == [
        f"tests/api/ts/broken.ts({line},{column}): error TS2322: "
        "Type 'string' is not assignable to type 'number'."
    ], result.stdout
