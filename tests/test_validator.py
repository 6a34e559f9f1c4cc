"""The validator, fault class by fault class: each bad fixture must print exactly its expected lines.

A fixture is a tiny but complete content directory under ``tests/fixtures/bad/<fault_class>/`` with an
``expected.txt`` holding the ``file:line: message`` lines that ``python -m decision_tree --content
<dir> validate`` must print to stderr (after its one-line count), in order. ``tests/fixtures/good/``
must pass. To change a message, change it in ``decision_tree/authoring`` and in the expected files
together, and read the new wording as a content editor would.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from decision_tree.authoring import CONTENT_DIR, load_content, validate
from decision_tree.authoring.loader import ContentError, Problem

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BAD = sorted(p for p in (FIXTURES / "bad").iterdir() if p.is_dir())

# Every fault class the loader and validator promise to catch has a fixture.
FAULT_CLASSES = {
    # the loader: shape and syntax
    "unknown_key", "duplicate_key", "wrong_type", "bad_id", "yaml_syntax", "missing_required_key",
    "duplicate_id_across_files",
    # the validator: names, conditions, formulas, citations, reachability
    "dangling_reference", "too_few_options", "missing_citation", "unknown_fact_in_condition",
    "formula_on_non_numeric_fact", "rule_never_fires", "unread_fact", "unknown_operator",
    "unknown_option_in_condition", "ask_if_reads_a_later_fact", "threshold_not_a_band_edge",
    "unknown_placeholder", "date_fact_without_unknown", "no_route_for_some_answers",
}


def run_validate(content: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "decision_tree", "--content", str(content), "validate"],
        cwd=ROOT, capture_output=True, text=True, encoding="utf-8",
    )


def test_every_fault_class_has_a_fixture():
    assert FAULT_CLASSES - {p.name for p in BAD} == set()


@pytest.mark.parametrize("fixture", BAD, ids=[p.name for p in BAD])
def test_bad_fixture_prints_exactly_the_expected_problems(fixture: Path):
    expected = (fixture / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert expected, f"{fixture.name}/expected.txt is empty"
    proc = run_validate(fixture)
    lines = proc.stderr.splitlines()
    assert proc.returncode == 1, f"exit code {proc.returncode}; stderr:\n{proc.stderr}"
    assert proc.stdout == ""
    assert lines[0] == f"内容有 {len(expected)} 个问题：", proc.stderr
    assert [line.removeprefix("  ") for line in lines[1:]] == expected


def test_good_fixture_passes():
    proc = run_validate(FIXTURES / "good")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert proc.stdout.startswith("内容无误")


def test_the_real_content_validates():
    try:
        problems = validate(load_content(CONTENT_DIR))
    except ContentError as exc:
        problems = exc.problems
    assert not problems, "the content has problems:\n" + "\n".join(map(str, problems))


def test_problems_are_listed_by_file_then_line_number():
    problems = [Problem("b.yaml:2", "x"), Problem("a.yaml:10", "x"), Problem("a.yaml:9", "x"),
                Problem("content", "x")]
    assert [str(p) for p in ContentError(problems).problems] == [
        "a.yaml:9: x", "a.yaml:10: x", "b.yaml:2: x", "content: x",
    ]
