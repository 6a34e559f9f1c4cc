"""`python -m decision_tree`: the questionnaire in a terminal, and validate/compile/paths/ask."""

from __future__ import annotations

import argparse
import json
import re
import signal
import sys
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from decision_tree.api import dumps, error, paths_report, step
from decision_tree.model import Tree


def _load_tree(args: argparse.Namespace) -> Tree:
    if args.tree:
        return Tree.from_json(json.loads(Path(args.tree).read_text(encoding="utf-8")))
    from decision_tree.authoring import compile_tree

    return Tree.from_json(compile_tree(Path(args.content)))


def _content_error(exc: Exception, out: TextIO) -> int:
    problems = getattr(exc, "problems", [])
    print(f"内容有 {len(problems)} 个问题：", file=out)
    for p in problems:
        print(f"  {p}", file=out)
    return 1


def cmd_validate(args: argparse.Namespace) -> int:
    from decision_tree.authoring import ContentError, compile_tree

    try:
        data = compile_tree(Path(args.content))
    except ContentError as exc:
        return _content_error(exc, sys.stderr)
    print(
        f"内容无误：{len(data['facts'])} 个问题，{len(data['rules'])} 条规则，"
        f"{len(data['routes'])} 条途径，{len(data['evidence'])} 项证据，{len(data['documents'])} 份文书，"
        f"{len(data['laws'])} 部法律。"
    )
    return 0


def cmd_compile(args: argparse.Namespace) -> int:
    from decision_tree.authoring import ContentError, compile_to_json

    try:
        text = compile_to_json(Path(args.content))
    except ContentError as exc:
        return _content_error(exc, sys.stderr)
    if args.output == "-":
        sys.stdout.write(text)
    else:
        Path(args.output).parent.mkdir(parents=True, exist_ok=True)
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"已写入 {args.output}", file=sys.stderr)
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from decision_tree.authoring.schema import json_schema

    print(json.dumps(json_schema(), ensure_ascii=False, indent=2, sort_keys=True))
    return 0


def cmd_paths(args: argparse.Namespace) -> int:
    report = paths_report(_load_tree(args), args.today)
    if args.json:
        print(dumps(report))
        return 0
    for i, path in enumerate(report, start=1):
        answers = " → ".join(f"{q}={v}" for q, v in path["answers"])
        r = path["result"]
        alts = "、".join(a["id"] for a in r["alternatives"]) or "无"
        print(f"{i:4d}. {answers}\n      ⇒ 首选 {r['primary_route']['id']}；备选 {alts}")
    print(f"共 {len(report)} 条路径。")
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    try:
        answers: Any = json.loads(Path(args.answers).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as exc:
        reply = error(f"读不了回答文件 {args.answers}：{_why(exc)}")
    else:
        reply = step(_load_tree(args), answers, args.today)
    if args.json:
        print(dumps(reply))
    else:
        _print_step(reply, sys.stdout)
    return 0 if reply["status"] != "error" else 2


def _why(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "嵌套层数太多，不是回答列表"
    if isinstance(exc, UnicodeDecodeError):
        return "不是 UTF-8 编码的文本"
    if isinstance(exc, FileNotFoundError):
        return "文件不存在"
    if isinstance(exc, IsADirectoryError):
        return "这是一个目录，不是文件"
    if isinstance(exc, json.JSONDecodeError):
        return f"不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列）"
    return exc.__class__.__name__


def _print_step(reply: dict[str, Any], out: TextIO) -> None:
    if reply["status"] == "error":
        print(f"出错了：{reply['error']}", file=out)
    elif reply["status"] == "question":
        _print_question(reply["question"], reply["answered"], out)
    else:
        _print_result(reply["result"], out)


HOW_TO_ANSWER = {
    "choice": "输入一个序号",
    "multi": "输入一个或几个序号，用空格隔开，例如 1 3",
    "amount": "输入金额（元），例如 320 或 99.5",
    "date": "输入日期，格式 YYYY-MM-DD，例如 2026-11-02",
}


def _print_question(q: dict[str, Any], answered: int, out: TextIO) -> None:
    print(f"\n第 {answered + 1} 题　{q['text']}", file=out)
    if q.get("help"):
        print(f"　　{q['help']}", file=out)
    for i, o in enumerate(q["options"], start=1):
        print(f"  {i}. {o['text']}", file=out)
    unknown = f"；“{q['unknown']}”请输入 ?" if q.get("unknown") else ""
    print(f"　　（{HOW_TO_ANSWER[q['type']]}{unknown}）", file=out)


def _print_result(r: dict[str, Any], out: TextIO) -> None:
    line = "─" * 30
    print(f"\n{line}\n结果：{r['summary']['title']}\n{line}", file=out)
    print(r["summary"]["text"], file=out)
    if r.get("now"):
        when = f"（{r['now']['date']} 前）" if r["now"]["date"] else ""
        print(f"\n【现在就做】{r['now']['step']}{when}", file=out)
    p = r["primary_route"]
    print(f"\n【首选途径】{p['name']}\n　　{p['reason']}", file=out)
    for title, key in (("其他途径", "alternatives"), ("不适合的途径", "excluded")):
        if r[key]:
            print(f"\n【{title}】", file=out)
            for a in r[key]:
                print(f"  · {a['name']}：{a['reason']}", file=out)
    if r["entitlements"]:
        print("\n【你可以主张】", file=out)
        for e in r["entitlements"]:
            amount = f" —— {e['amount_yuan']:g} 元" if e["amount_yuan"] is not None else (
                f" —— {e['formula']}" if e["formula"] else "")
            print(f"  · {e['text']}{amount}", file=out)
    if r["deadlines"]:
        print("\n【期限】", file=out)
        for d in r["deadlines"]:
            print(f"  · {d['date'] or '日期未知'}：{d['text']}", file=out)
    print("\n【证据清单】（★ 必备）", file=out)
    for e in r["evidence"]:
        print(f"  {'★' if e['required'] else '☆'} {e['name']}：{e['how']}", file=out)
    if r["defences"]:
        print("\n【商家可能会说】", file=out)
        for d in r["defences"]:
            print(f"  · {d['claim']}\n    答：{d['answer']}", file=out)
    if r["next_steps"]:
        print("\n【下一步】", file=out)
        for i, s in enumerate(r["next_steps"], start=1):
            print(f"  {i}. {s}", file=out)
    for d in r["documents"]:
        print(f"\n【文书：{d['title']}】（发给：{d['send_to']}）\n{d['text']}", file=out)
    print("\n【法律依据】", file=out)
    for c in r["citations"]:
        note = f"（{c['caution']}）" if c.get("caution") else ""
        print(f"  · 《{c['law']}》{c['article']}（{c['version']}）{note}", file=out)
    print("\n【你的回答】", file=out)
    for t in r["trace"]:
        print(f"  · {t['question']} —— {t['answer']}", file=out)
    print("\n本结果是一般性的指引，不是法律意见。", file=out)


def parse_typed(q: dict[str, Any], text: str) -> tuple[bool, Any]:
    """A typed answer to ``q``: (True, value) or (False, what to type instead)."""
    text = unicodedata.normalize("NFKC", text).strip()
    if text in ("?", "？") and q.get("unknown"):
        return True, None
    if q["type"] in ("choice", "multi"):
        parts = re.split(r"[\s,，、]+", text)
        if not parts or not all(re.fullmatch(r"[0-9]{1,3}", p) for p in parts):
            return False, HOW_TO_ANSWER[q["type"]]
        numbers = [int(p) for p in parts]
        if not all(1 <= n <= len(q["options"]) for n in numbers) or len(set(numbers)) != len(numbers):
            return False, f"序号要在 1 到 {len(q['options'])} 之间，不要重复"
        ids = [q["options"][n - 1]["id"] for n in numbers]
        if q["type"] == "choice":
            return (True, ids[0]) if len(ids) == 1 else (False, "这一题只能选一项")
        return True, ids
    if q["type"] == "amount":
        if not re.fullmatch(r"[0-9]{1,10}(\.[0-9]{1,2})?", text):
            return False, HOW_TO_ANSWER["amount"]
        return True, float(text) if "." in text else int(text)
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        return False, HOW_TO_ANSWER["date"]
    return True, text


def cmd_interactive(args: argparse.Namespace, stdin: TextIO = sys.stdin, out: TextIO = sys.stdout) -> int:
    tree = _load_tree(args)
    answers: list[list[Any]] = []
    print("消费维权指南 · 问卷（按提示作答；b 返回上一题，r 重新开始，q 退出）", file=out)
    reply = step(tree, answers, args.today)
    while True:
        _print_step(reply, out)
        if reply["status"] == "result":
            print("\n输入 b 返回上一题，r 重新开始，q 退出。", file=out)
        out.write("> ")
        out.flush()
        line = stdin.readline()
        if not line:
            print(file=out)
            return 0
        choice = line.strip().lower()
        if choice == "q":
            return 0
        if choice == "r":
            answers = []
        elif choice == "b":
            answers = answers[:-1]
        elif reply["status"] == "question":
            ok, value = parse_typed(reply["question"], line)
            if not ok:
                print(f"没看懂这个回答：{value}；或输入 b / r / q。", file=out)
                continue
            candidate = step(tree, answers + [[reply["question"]["id"], value]], args.today)
            if candidate["status"] == "error":
                print(f"这个回答不行：{candidate['error']}", file=out)
                continue
            answers.append([reply["question"]["id"], value])
            reply = candidate
            continue
        else:
            print("问卷已经结束：输入 b、r 或 q。", file=out)
            continue
        reply = step(tree, answers, args.today)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError("日期格式应为 YYYY-MM-DD") from None


def main(argv: list[str] | None = None) -> int:
    if hasattr(signal, "SIGPIPE"):  # `paths | head` ends quietly, as other command-line tools do
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    default_content = str(Path(__file__).resolve().parent / "content")
    parser = argparse.ArgumentParser(prog="python -m decision_tree", description="消费维权指南问卷")
    parser.add_argument("--content", default=default_content, help="内容目录（默认：包内 content/）")
    parser.add_argument("--tree", help="直接使用编译好的 tree.json，而不是内容目录")
    parser.add_argument("--today", type=_date, default=date.today(), help="把哪天当作“今天”（YYYY-MM-DD）")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("validate", help="检查内容，列出所有问题")
    p = sub.add_parser("compile", help="把内容编译成 tree.json")
    p.add_argument("-o", "--output", default="-", help="输出文件（默认：标准输出）")
    sub.add_parser("schema", help="输出内容文件的 JSON Schema")
    p = sub.add_parser("paths", help="列出静态问卷的每一条路径及其结果")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("ask", help="按回答文件给出下一题或结果")
    p.add_argument("--answers", required=True, help="JSON 文件：[[问题编号, 回答], …]")
    p.add_argument("--today", type=_date, default=argparse.SUPPRESS, help="把哪天当作“今天”（YYYY-MM-DD）")
    p.add_argument("--json", action="store_true", help="输出 JSON（稳定契约，version 2）")
    args = parser.parse_args(argv)
    commands = {"validate": cmd_validate, "compile": cmd_compile, "schema": cmd_schema,
                "paths": cmd_paths, "ask": cmd_ask}
    return commands.get(args.command, cmd_interactive)(args)
