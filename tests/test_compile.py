"""Compilation is deterministic, and its output is kept as a golden copy reviewed in ``git diff``.

The golden copies live in ``tests/golden/``: ``tree.json`` is the real content compiled, and
``good_fixture.json`` is ``tests/fixtures/good`` compiled (it changes only when the compiler does).
After an intended change to the content or the compiler, regenerate them with

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_compile.py

and read the diff before committing. Without ``UPDATE_GOLDEN=1`` the tests only compare.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from decision_tree.authoring import CONTENT_DIR, ContentError, compile_to_json

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
GOOD = Path(__file__).resolve().parent / "fixtures" / "good"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"

SOURCES = {"tree.json": CONTENT_DIR, "good_fixture.json": GOOD}


def compiled(content: Path) -> str:
    try:
        return compile_to_json(content)
    except ContentError as exc:
        pytest.fail(f"{content} does not compile:\n{exc}")


@pytest.mark.parametrize("content", SOURCES.values(), ids=SOURCES.keys())
def test_compiling_twice_gives_identical_bytes(content: Path):
    assert compiled(content).encode("utf-8") == compiled(content).encode("utf-8")


@pytest.mark.parametrize("content", SOURCES.values(), ids=SOURCES.keys())
def test_output_does_not_depend_on_hash_seed(content: Path):
    """Two interpreters with different string hashing must write the same tree.json."""
    outputs = []
    for seed in ("1", "2"):
        proc = subprocess.run(
            [sys.executable, "-m", "decision_tree", "--content", str(content), "compile"],
            cwd=ROOT, capture_output=True, env={**os.environ, "PYTHONHASHSEED": seed},
        )
        assert proc.returncode == 0, proc.stderr.decode("utf-8")
        outputs.append(proc.stdout)
    assert outputs[0] == outputs[1]


@pytest.mark.parametrize("name", SOURCES.keys())
def test_compiled_output_matches_golden_copy(name: str):
    text = compiled(SOURCES[name])
    golden = GOLDEN / name
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        golden.write_bytes(text.encode("utf-8"))
        return
    assert golden.exists(), f"{golden} is missing: run UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_compile.py"
    assert text.encode("utf-8") == golden.read_bytes(), (
        f"{name} differs from its golden copy; if the change is intended, run "
        "UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_compile.py and review git diff"
    )


def test_the_committed_json_schema_matches_the_loader():
    """decision_tree/content/schema.json (what editors use) is generated from the loader's schema."""
    import json

    from decision_tree.authoring import CONTENT_DIR
    from decision_tree.authoring.schema import json_schema

    committed = json.loads((CONTENT_DIR / "schema.json").read_text(encoding="utf-8"))
    assert committed == json_schema(), (
        "schema.json is out of date: run ./dev ask schema > decision_tree/content/schema.json"
    )
