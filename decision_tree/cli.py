"""`python -m decision_tree`: the questionnaire in a terminal, and validate/compile/paths/ask."""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from decision_tree.api import dumps, error, paths_report, step
from decision_tree.model import Tree


class UserError(Exception):
    """Something the person running the command can fix; ``main`` prints it, no traceback.

    Exit code 2 for a bad file or path (printed as one line after “出错了：”), 1 for content
    problems (printed as the same list ``validate`` prints).
    """

    def __init__(self, message: str, code: int = 2):
        super().__init__(message)
        self.code = code


def _read_json(path: str, what: str) -> Any:
    """The JSON in ``path``; a UserError naming ``what`` (回答文件, --tree 文件) for any fault."""
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
        return json.loads(text)
    except FileNotFoundError:
        raise UserError(f"找不到{what} {path}：请检查路径") from None
    except OSError as exc:
        raise UserError(f"读不了{what} {path}（{exc.strerror}）：请检查路径和权限") from None
    except UnicodeDecodeError:
        raise UserError(f"{what} {path} 不是 UTF-8 编码的文本：请用 UTF-8 另存") from None
    except json.JSONDecodeError as exc:
        raise UserError(f"{what} {path} 不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列："
                        f"{exc.msg}）") from None
    except RecursionError:
        raise UserError(f"{what} {path} 的 JSON 嵌套太深：请检查是不是选错了文件") from None


def _load_tree(args: argparse.Namespace) -> Tree:
    if args.tree:
        data = _read_json(args.tree, "问卷文件（--tree）")
        try:
            return Tree.from_json(data)
        except (KeyError, TypeError, ValueError, AttributeError):
            raise UserError(f"问卷文件（--tree）{args.tree} 不是本工具编译出的 tree.json："
                            "请用 compile 命令重新生成") from None
    from decision_tree.authoring import compile_tree

    return Tree.from_json(_compiled(compile_tree, args.content))


def _read_answers(path: str) -> list[Any]:
    """The answers file's list of answers, each a list starting with a question id."""
    answers = _read_json(path, "回答文件")
    if not isinstance(answers, list) or not all(
        isinstance(a, list) and a and isinstance(a[0], str) for a in answers
    ):
        raise UserError(f"回答文件 {path} 的格式不对：应为 [[问题编号, 回答], …]")
    return answers


def _compiled(build: Any, content: str) -> Any:
    """``build(content folder)``; the content's problems, listed as ``validate`` lists them, as a
    UserError with exit code 1."""
    from decision_tree.authoring import ContentError

    try:
        return build(Path(content))
    except ContentError as exc:
        problems = getattr(exc, "problems", [])
        raise UserError("\n".join([f"内容有 {len(problems)} 个问题：", *(f"  {p}" for p in problems)]), code=1) from None


def cmd_validate(args: argparse.Namespace) -> int:
    from decision_tree.authoring import compile_tree

    data = _compiled(compile_tree, args.content)
    print(
        f"内容无误：{len(data['facts'])} 个问题，{len(data['rules'])} 条规则，"
        f"{len(data['routes'])} 条途径，{len(data['evidence'])} 项证据，{len(data['documents'])} 份文书，"
        f"{len(data['laws'])} 部法律。"
    )
    return 0


def cmd_compile(args: argparse.Namespace) -> int:
    from decision_tree.authoring import compile_to_json

    text = _compiled(compile_to_json, args.content)
    if args.output == "-":
        sys.stdout.write(text)
    else:
        try:
            Path(args.output).parent.mkdir(parents=True, exist_ok=True)
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise UserError(f"写不了 {args.output}（{exc.strerror}）：请检查路径和权限") from None
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
    tree = _load_tree(args)  # a bad --tree or --content is not the answers file's fault
    try:
        reply = step(tree, _read_answers(args.answers), args.today)
    except UserError as exc:
        reply = error(str(exc))
    if reply["status"] == "error":
        print(f"出错了：{reply['error']}", file=sys.stderr)
        if args.json:
            print(dumps(reply))  # the JSON contract: scripts read the error from stdout too
        return 2
    if args.json:
        print(dumps(reply))
    else:
        _print_step(reply, sys.stdout)
    return 0


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
        try:
            line = stdin.readline()
        except UnicodeDecodeError:  # bytes the terminal's encoding cannot read
            line = "?\n"
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
    try:
        return commands.get(args.command, cmd_interactive)(args)
    except UserError as exc:
        print(f"出错了：{exc}" if exc.code == 2 else exc, file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:  # Ctrl-C at the prompt: leave quietly
        print(file=sys.stderr)
        return 130
