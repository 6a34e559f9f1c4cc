"""`python -m decision_tree` as a person and a script use it: the terminal questionnaire, paths, ask."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import ROOT
from decision_tree.api import paths_report
from decision_tree.engine import enumerate_paths


def run(*args: str, stdin: str | bytes = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "decision_tree", *args],
        cwd=ROOT, input=stdin.encode() if isinstance(stdin, str) else stdin,
        capture_output=True, timeout=60,
    )


def text(stream: bytes) -> str:
    return stream.decode("utf-8")


def test_terminal_walk_with_a_wrong_key_back_and_restart(tree):
    answers, outcome_id = enumerate_paths(tree)[0]
    first = tree.questions[tree.start]
    numbers = [
        str([o.id for o in tree.questions[q].options].index(o) + 1) for q, o in answers
    ]
    # A wrong key, the whole path, back one step, the last answer again, restart, quit.
    keys = ["99", *numbers, "b", numbers[-1], "r", "q"]
    out = text(run(stdin="\n".join(keys) + "\n").stdout)

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
    assert "Traceback" not in text(proc.stderr)


def test_paths_lists_every_path_with_its_route(tree):
    proc = run("paths")
    assert proc.returncode == 0
    paths = enumerate_paths(tree)
    assert f"共 {len(paths)} 条路径。" in text(proc.stdout)
    assert text(proc.stdout).count("⇒ ") == len(paths)
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
    assert f"{len(tree.questions)} 个问题，{len(tree.outcomes)} 个结果" in text(proc.stdout)


# Each bad answers file and what the person sees: one line on stderr, exit code 2.
BAD_ANSWERS = {
    "missing": (None, "出错了：找不到回答文件 {path}：请检查路径"),
    "directory": ("dir", "出错了：读不了回答文件 {path}（Is a directory）：请检查路径和权限"),
    "not_json": (b"[[", "出错了：回答文件 {path} 不是有效的 JSON（第 1 行第 3 列：Expecting value）"),
    "wrong_shape": (b'[[["problem"],"quality"]]', "出错了：回答文件 {path} 的格式不对：应为 [[问题编号, 选项编号], …]"),
    "an_object": (b'{"problem": "quality"}', "出错了：回答文件 {path} 的格式不对：应为 [[问题编号, 选项编号], …]"),
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
    proc = run("ask", "--answers", str(path))
    assert proc.returncode == 2
    assert text(proc.stderr).splitlines() == [expected.format(path=path)]
    assert proc.stdout == b""


def test_a_bad_tree_file_is_blamed_not_the_answers_file(tmp_path):
    answers = tmp_path / "answers.json"
    answers.write_text("[]", encoding="utf-8")
    missing = tmp_path / "tree.json"
    proc = run("--tree", str(missing), "ask", "--answers", str(answers), "--json")
    assert (proc.returncode, text(proc.stderr)) == (2, f"出错了：找不到问卷文件（--tree） {missing}：请检查路径\n")
    assert proc.stdout == b""
    missing.write_text('{"questions": []}', encoding="utf-8")
    proc = run("--tree", str(missing), "paths")
    assert (proc.returncode, text(proc.stderr)) == (
        2, f"出错了：问卷文件（--tree）{missing} 不是本工具编译出的 tree.json：请用 compile 命令重新生成\n")


def test_a_bad_content_directory_is_reported_like_validate(tmp_path):
    proc = run("--content", str(tmp_path / "nowhere"), "paths")
    assert proc.returncode == 1
    assert text(proc.stderr).splitlines() == [
        "内容有 1 个问题：", f"  {tmp_path / 'nowhere'}: 内容目录不存在或不是目录：请检查路径"]


def test_paths_into_a_closed_pipe_ends_quietly():
    proc = subprocess.run(f"{sys.executable} -m decision_tree paths | head -1", shell=True,
                          cwd=ROOT, capture_output=True, timeout=60)
    assert text(proc.stdout).strip().startswith("1. ")
    assert proc.stderr == b""


def test_typed_digits_of_any_script_and_undecodable_bytes_get_an_answer_not_a_traceback(tree):
    first = tree.questions[tree.start]
    # Full-width ２ (a Chinese input method) is 2; a superscript, a huge number and bytes the
    # terminal cannot decode are simply not an option.
    proc = run(stdin="９９９９９９９９９９９\n\xff\n".encode() + b"\xff\xfe\n" + "２\nq\n".encode())
    out = text(proc.stdout)
    assert proc.returncode == 0 and proc.stderr == b""
    assert out.count("没有这个选项") == 3
    assert out.count("第 2 题") == 1 and first.options[1].next != first.id
