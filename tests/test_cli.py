"""`python -m decision_tree` as a person and a script use it: the terminal questionnaire, paths, ask."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

from conftest import ROOT
from decision_tree.api import paths_report
from decision_tree.engine import static_paths

TODAY = "2026-11-30"


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "decision_tree", "--today", TODAY, *args],
        cwd=ROOT, input=stdin, capture_output=True, text=True, timeout=60,
    )


# The expired milk powder, typed as a person would: numbers for options, several at once for a
# multi-choice question, an amount, dates, "?" for 不清楚.
KEYS = [
    "5",            # problems: 食品过期……
    "2",            # item: 食品
    "1",            # channel: 实体店
    "320",          # price
    "2026-11-20",   # purchase_date
    "?",            # discovered_date: 记不清
    "1",            # food_issue: 已过保质期
    "1",            # knew_before: 不知道
    "1",            # needs_test: 不需要
    "1",            # merchant_status: 还在经营
    "1 3",          # wants: 退款 + 赔偿
    "3",            # merchant_response: 拒绝
    "1",            # tried: 都还没有
]


def test_terminal_walk_with_typed_answers_wrong_keys_back_and_restart(tree):
    first = next(iter(tree.facts.values()))
    # Wrong keys of every kind, the whole walk, back one step, the last answer again, restart, quit.
    keys = ["99", "x", "\u0661", "1 1", *KEYS[:3], "-5", "三百", *KEYS[3:5], "2099-01-01", *KEYS[5:], "b", KEYS[-1], "r", "q"]
    proc = run(stdin="\n".join(keys) + "\n")
    out = proc.stdout
    assert proc.returncode == 0 and "Traceback" not in proc.stderr
    assert out.count(f"第 1 题\u3000{first.text}") == 2  # at the start and after restart
    assert "没看懂这个回答" in out and "不要重复" in out and "晚于今天" in out
    assert out.count("结果：食品不符合安全标准") == 2  # reached, then again after back
    for heading in ("【现在就做】", "【首选途径】", "【你可以主张】", "【期限】", "【证据清单】",
                    "【商家可能会说】", "【文书：给商家的书面要求】", "【法律依据】", "【你的回答】"):
        assert heading in out
    assert "十倍赔偿金" in out and "3200 元" in out
    assert "2029-11-20" in out  # three years from the purchase, since the discovery date is 不清楚


def test_terminal_ends_cleanly_at_end_of_input():
    proc = run(stdin="1\n")
    assert proc.returncode == 0
    assert "Traceback" not in proc.stderr


def test_paths_lists_every_static_path_with_its_route(tree):
    proc = run("paths")
    assert proc.returncode == 0
    paths = static_paths(tree, date.fromisoformat(TODAY))
    assert f"共 {len(paths)} 条路径。" in proc.stdout
    assert proc.stdout.count("⇒ ") == len(paths)
    as_json = json.loads(run("paths", "--json").stdout)
    assert as_json == json.loads(json.dumps(paths_report(tree, date.fromisoformat(TODAY)), ensure_ascii=False))


def test_paths_piped_into_head_ends_quietly():
    proc = subprocess.run(f"{sys.executable} -m decision_tree paths | head -3", shell=True, cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.stdout.count("\n") == 3 and proc.stderr == ""


def test_ask_reports_an_unreadable_answers_file_as_a_json_error(tmp_path):
    bad = tmp_path / "answers.json"
    for content, why in (("[[", "不是有效的 JSON"), ("[" * 100000, "嵌套层数太多")):
        bad.write_text(content, encoding="utf-8")
        proc = run("ask", "--answers", str(bad), "--json")
        assert proc.returncode == 2 and "Traceback" not in proc.stderr
        reply = json.loads(proc.stdout)
        assert reply["status"] == "error" and "answers.json" in reply["error"] and why in reply["error"]
    bad.write_bytes("[]".encode("utf-16"))
    assert "UTF-8" in json.loads(run("ask", "--answers", str(bad), "--json").stdout)["error"]
    missing = run("ask", "--answers", str(tmp_path / "nope.json"), "--json")
    assert "文件不存在" in json.loads(missing.stdout)["error"]


def test_ask_gives_the_result_for_typed_answers(tmp_path):
    answers = tmp_path / "answers.json"
    pairs = [["problems", ["food_unsafe"]], ["item", "food"], ["channel", "store"], ["price", 320],
             ["purchase_date", "2026-11-20"], ["discovered_date", None], ["food_issue", ["expired"]],
             ["knew_before", "did_not_know"], ["needs_test", "not_needed"], ["merchant_status", "operating"],
             ["wants", ["refund", "compensation"]], ["merchant_response", "refused"], ["tried", ["none"]]]
    answers.write_text(json.dumps(pairs), encoding="utf-8")
    reply = json.loads(run("ask", "--answers", str(answers), "--json").stdout)
    assert reply["version"] == 2 and reply["status"] == "result"
    assert {e["id"]: e["amount_yuan"] for e in reply["result"]["entitlements"]}["food_tenfold"] == 3200


def test_ask_refuses_an_unknown_option_without_echoing_it(tmp_path, tree):
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps([["problems", ["no_such_option"]]]), encoding="utf-8")
    proc = run("ask", "--answers", str(answers), "--json")
    reply = json.loads(proc.stdout)
    assert proc.returncode == 2 and reply["status"] == "error" and "no_such_option" not in reply["error"]


def test_a_bad_today_is_one_clear_line():
    proc = subprocess.run([sys.executable, "-m", "decision_tree", "--today", "30/11/2026", "paths"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "YYYY-MM-DD" in proc.stderr and "Traceback" not in proc.stderr


def test_validate_counts_the_content(tree):
    proc = run("validate")
    assert proc.returncode == 0
    assert f"{len(tree.facts)} 个问题，{len(tree.rules)} 条规则" in proc.stdout
