"""`python -m decision_tree` as a person and a script use it: the terminal questionnaire, paths, ask."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

import pytest

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
    assert out.count(f"第 1 题\u3000{first.text}") == 6  # at the start, after each of 4 wrong keys, after restart
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


def run_bytes(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess:
    """As a script sees it: raw bytes, so a test can send what a terminal cannot decode."""
    return subprocess.run([sys.executable, "-m", "decision_tree", "--today", TODAY, *args],
                          cwd=ROOT, input=stdin, capture_output=True, timeout=60)


def text(stream: bytes) -> str:
    return stream.decode("utf-8")


def test_typed_digits_of_any_script_and_undecodable_bytes_get_an_answer_not_a_traceback():
    # Full-width ５ (a Chinese input method) is 5; a huge number and undecodable bytes are not options.
    proc = run_bytes(stdin="９９９９９９９９９９９\n\xff\n".encode() + b"\xff\xfe\n" + "５\nq\n".encode())
    out = text(proc.stdout)
    assert proc.returncode == 0 and proc.stderr == b""
    assert out.count("没看懂这个回答") + out.count("序号要在") == 3
    assert out.count("第 2 题") == 1


# Each bad answers file and what the person sees: one line on stderr, exit code 2.
BAD_ANSWERS = {
    "missing": (None, "出错了：找不到回答文件 {path}：请检查路径"),
    "directory": ("dir", "出错了：读不了回答文件 {path}（Is a directory）：请检查路径和权限"),
    "not_json": (b"[[", "出错了：回答文件 {path} 不是有效的 JSON（第 1 行第 3 列：Expecting value）"),
    "wrong_shape": (b'[[["problem"],"quality"]]', "出错了：回答文件 {path} 的格式不对：应为 [[问题编号, 回答], …]"),
    "an_object": (b'{"problem": "quality"}', "出错了：回答文件 {path} 的格式不对：应为 [[问题编号, 回答], …]"),
    "too_deep": (b"[" * 100_000 + b"]" * 100_000, "出错了：回答文件 {path} 的 JSON 嵌套太深：请检查是不是选错了文件"),
    "utf16": ('[["problem", "quality"]]'.encode("utf-16"), "出错了：回答文件 {path} 不是 UTF-8 编码的文本：请用 UTF-8 另存"),
}


@pytest.mark.parametrize("fault", BAD_ANSWERS)
def test_a_bad_answers_file_is_one_line_on_stderr(tmp_path, fault):
    data, expected = BAD_ANSWERS[fault]
    path = tmp_path / "answers.json"
    if data == "dir":
        path.mkdir()
    elif data is not None:
        path.write_bytes(data)
    proc = run_bytes("ask", "--answers", str(path))
    assert proc.returncode == 2
    assert text(proc.stderr).splitlines() == [expected.format(path=path)]
    assert proc.stdout == b""


def test_a_bad_tree_file_is_blamed_not_the_answers_file(tmp_path):
    answers = tmp_path / "answers.json"
    answers.write_text("[]", encoding="utf-8")
    missing = tmp_path / "tree.json"
    proc = run_bytes("--tree", str(missing), "ask", "--answers", str(answers), "--json")
    assert (proc.returncode, text(proc.stderr)) == (2, f"出错了：找不到问卷文件（--tree） {missing}：请检查路径\n")
    assert proc.stdout == b""
    missing.write_text('{"questions": []}', encoding="utf-8")
    proc = run_bytes("--tree", str(missing), "paths")
    assert (proc.returncode, text(proc.stderr)) == (
        2, f"出错了：问卷文件（--tree）{missing} 不是本工具编译出的 tree.json：请用 compile 命令重新生成\n")


def test_a_bad_content_directory_is_reported_like_validate(tmp_path):
    proc = run_bytes("--content", str(tmp_path / "nowhere"), "paths")
    assert proc.returncode == 1
    assert text(proc.stderr).splitlines() == [
        "内容有 1 个问题：", f"  {tmp_path / 'nowhere'}: 内容目录不存在或不是目录：请检查路径"]
