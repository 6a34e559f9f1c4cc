"""The browser-facing API: JSON text in, JSON text out, never an exception.

The page's worker and the CLI's ``ask --json`` both call :func:`respond`, so the browser and the
terminal give byte-for-byte the same answer. Every response carries ``"version": 2``.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from decision_tree.engine import AnswerError, static_paths, walk
from decision_tree.model import Tree

VERSION = 2
_tree: Tree | None = None


def load(tree_json: str) -> str:
    """Load the compiled tree (tree.json's text); returns the tree's version."""
    global _tree
    _tree = Tree.from_json(json.loads(tree_json))
    return _tree.version


def current_tree() -> Tree:
    if _tree is None:
        raise RuntimeError("decision_tree.api.load() has not been called")
    return _tree


def parse_today(value: Any) -> date:
    """``today`` as given ("YYYY-MM-DD"), or the host's date when not given."""
    if value is None:
        return date.today()
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise AnswerError("“today” 应是 YYYY-MM-DD 格式的日期。")


def step(tree: Tree, answers: Any, today: date) -> dict[str, Any]:
    """The contract's JSON object for ``answers``: a question, a result or an error."""
    if not isinstance(answers, list):
        return error("回答应是一个列表，每项为 [问题编号, 回答]。")
    try:
        out = walk(tree, answers, today).to_json()
    except AnswerError as exc:
        return error(str(exc))
    return {**out, "version": VERSION}


def error(message: str) -> dict[str, Any]:
    return {"status": "error", "version": VERSION, "error": message}


def respond(request_json: str) -> str:
    """Answer one request: a JSON list of pairs, or ``{"answers": [...], "today": "YYYY-MM-DD"}``."""
    try:
        request = json.loads(request_json)
    except (ValueError, RecursionError):
        return dumps(error("回答不是有效的 JSON。"))
    today_raw = None
    if isinstance(request, dict):
        request, today_raw = request.get("answers"), request.get("today")
    try:
        today = parse_today(today_raw)
    except AnswerError as exc:
        return dumps(error(str(exc)))
    return dumps(step(current_tree(), request, today))


def paths_report(tree: Tree, today: date) -> list[dict[str, Any]]:
    """Every static path with its result (used to compare CPython and Pyodide)."""
    return [
        {"answers": [list(a) for a in answers], "result": walk(tree, answers, today).to_json()["result"]}
        for answers in static_paths(tree, today)
    ]


def docx(text: str) -> bytes:
    """A document's text, as the visitor edited it, as a Word file (decision_tree/docx.py)."""
    from decision_tree.docx import docx as make

    return make(text)


def dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
