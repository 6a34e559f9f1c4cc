"""`python -m decision_tree` as a person and a script use it: the terminal questionnaire, paths, ask."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT
from decision_tree.api import paths_report
from decision_tree.engine import enumerate_paths


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "decision_tree", *args],
        cwd=ROOT, input=stdin, capture_output=True, text=True, timeout=60,
    )


def test_terminal_walk_with_a_wrong_key_back_and_restart(tree):
    answers, outcome_id = enumerate_paths(tree)[0]
    first = tree.questions[tree.start]
    numbers = [
        str([o.id for o in tree.questions[q].options].index(o) + 1) for q, o in answers
    ]
    # A wrong key, the whole path, back one step, the last answer again, restart, quit.
    keys = ["99", *numbers, "b", numbers[-1], "r", "q"]
    out = run(stdin="\n".join(keys) + "\n").stdout

    # Asked at the start, again after the wrong key, and after restart.
    assert out.count(f"第 1 题\u3000{first.text}") == 3
    assert f"  1. {first.options[0].text}" in out
    assert "没有这个选项" in out
    outcome = tree.outcomes[outcome_id]
    assert out.count(f"结果：{outcome.title}") == 2  # reached, then reached again after back
    for heading in ("【首选途径】", "【证据清单】", "【下一步】", "【法律依据】", "【你的回答】"):
        assert heading in out
    assert outcome.primary.route.name in out


def test_terminal_ends_cleanly_at_end_of_input(tree):
    proc = run(stdin="1\n")
    assert proc.returncode == 0
    assert "Traceback" not in proc.stderr


def test_paths_lists_every_path_with_its_route(tree):
    proc = run("paths")
    assert proc.returncode == 0
    paths = enumerate_paths(tree)
    assert f"共 {len(paths)} 条路径。" in proc.stdout
    assert proc.stdout.count("⇒ ") == len(paths)
    as_json = json.loads(run("paths", "--json").stdout)
    assert as_json == json.loads(json.dumps(paths_report(tree), ensure_ascii=False))


def test_ask_reports_an_unreadable_answers_file_as_a_json_error(tmp_path):
    bad = tmp_path / "answers.json"
    bad.write_text("[[", encoding="utf-8")
    proc = run("ask", "--answers", str(bad), "--json")
    assert proc.returncode == 2
    reply = json.loads(proc.stdout)
    assert reply["status"] == "error" and "answers.json" in reply["error"]


def test_ask_refuses_an_unknown_option(tmp_path, tree):
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps([[tree.start, "no_such_option"]]), encoding="utf-8")
    reply = json.loads(run("ask", "--answers", str(answers), "--json").stdout)
    assert reply["status"] == "error"
    assert "no_such_option" in reply["error"]


def test_validate_counts_the_content(tree):
    proc = run("validate")
    assert proc.returncode == 0
    assert f"{len(tree.questions)} 个问题，{len(tree.outcomes)} 个结果" in proc.stdout
