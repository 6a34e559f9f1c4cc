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
import time
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
    # caught by the loader before any schema check, each with file:line and what to do
    "alias_bomb", "alias_loop", "too_deep", "not_utf8", "utf16", "nul_character",
    "invisible_characters", "not_a_content_file",
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


def test_the_alias_bomb_is_refused_within_a_second_with_its_line():
    # 6.4 KB whose aliases expand to about 750,000 values; the old loader took minutes.
    bomb = FIXTURES / "bad" / "alias_bomb"
    assert 6000 < (bomb / "deadlines.yaml").stat().st_size < 6600
    started = time.process_time()
    with pytest.raises(ContentError) as caught:
        load_content(bomb)
    assert time.process_time() - started < 1
    assert [p.where for p in caught.value.problems] == ["deadlines.yaml:5"]


def test_loading_is_linear_in_the_file_size(tmp_path):
    # 4000 plain entries in one file (the old merge step made this 22 s). CPU time, so another
    # process keeping the cores busy does not count against it.
    entry = "  e{}:\n    name: 凭证\n    what: 发票或小票\n    why: 证明买卖关系\n    how: 保存原件\n"
    (tmp_path / "evidence.yaml").write_text(
        "evidence:\n" + "".join(entry.format(i) for i in range(4000)), encoding="utf-8")
    started = time.process_time()
    content = load_content(tmp_path)
    assert time.process_time() - started < 1
    assert len(content.sections["evidence"]) == 4000
    assert content.at("evidence", "e3999", "how") == "evidence.yaml:20001"


def test_a_missing_content_directory_is_one_line(tmp_path):
    proc = run_validate(tmp_path / "nowhere")
    assert proc.returncode == 1
    assert proc.stderr.splitlines()[1].endswith("内容目录不存在或不是目录：请检查路径")
    assert "Traceback" not in proc.stderr
