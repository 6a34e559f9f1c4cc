"""The browser-facing API: JSON text in, JSON text out, never an exception.

The page's worker and the CLI's ``ask --json`` both call :func:`respond`, so the browser and the
terminal give byte-for-byte the same answer.
"""

from __future__ import annotations

import json
from typing import Any

from decision_tree.engine import AnswerError, enumerate_paths, walk
from decision_tree.model import Tree

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


def step(tree: Tree, answers: Any) -> dict[str, Any]:
    """The contract's JSON object for ``answers``: a question, a result or an error."""
    if not isinstance(answers, list):
        return error("回答应是一个列表，每项为 [问题编号, 选项编号]。")
    try:
        return walk(tree, answers).to_json()
    except AnswerError as exc:
        return error(str(exc))


def error(message: str) -> dict[str, Any]:
    return {"status": "error", "error": message}


def respond(answers_json: str) -> str:
    """Answer one request from the page: ``answers_json`` is a JSON list of pairs."""
    try:
        answers = json.loads(answers_json)
    except ValueError:
        return dumps(error("回答不是有效的 JSON。"))
    return dumps(step(current_tree(), answers))


def paths_report(tree: Tree) -> list[dict[str, Any]]:
    """Every path with the outcome and routes it leads to (used to compare CPython and Pyodide)."""
    report = []
    for answers, _outcome_id in enumerate_paths(tree):
        result = walk(tree, answers).to_json()["result"]
        report.append({"answers": [list(a) for a in answers], "result": result})
    return report


def dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
