"""The questionnaire page: puts the first question into the HTML at build time.

The page's template (and the embed page's) include ``partials/questionnaire.html``, which reads
``page.meta.questionnaire``: the first question, the static tree's start and, per question, how many
questions may still follow (for the progress bar). All of it comes from the compiled tree, so the
page shows the first question before Pyodide is ready and still decides nothing itself.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

# Pages whose template includes the questionnaire partial get its data in ``page.meta``.
TEMPLATES = ("questionnaire.html", "embed.html")
STATIC_TREE_DIR = "tree"


def expand(markdown: str, page, tree: dict[str, Any]) -> str:
    """Give a questionnaire page its build-time data; other pages pass through unchanged."""
    meta = page.meta
    if meta.get("template") in TEMPLATES or meta.get("questionnaire") is True:
        meta["questionnaire"] = page_data(tree)
        meta["questionnaire"]["runtime"] = runtime_urls()
    return markdown


def runtime_urls() -> dict[str, str]:
    """The engine's content-named URLs (relative to the site root) that this build's pages name."""
    from build_scripts import assets, tree_data

    runtime = assets.prepare(tree_data.tree_json())
    return {"worker": runtime.worker, "first_steps": runtime.first_steps}


def page_data(tree: dict[str, Any]) -> dict[str, Any]:
    """What the partial renders: the start question, the static tree's start, progress hints."""
    start = tree["start"]
    question = tree["questions"][start]
    return {
        "start": start,
        "version": tree["version"],
        "static_tree": f"{STATIC_TREE_DIR}/{start}/",
        "first": {
            "id": start,
            "text": question["text"],
            "help": question.get("help"),
            "options": [
                {"id": o["id"], "text": o["text"], "help": o.get("help")} for o in question["options"]
            ],
        },
        "remaining": remaining_questions(tree),
    }


def remaining_questions(tree: dict[str, Any]) -> dict[str, int]:
    """For each question, the most questions a visitor may still answer from it (itself included)."""
    return dict(_remaining(_freeze(tree)))


def _freeze(tree: dict[str, Any]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple(
        (qid, tuple(o["next"] for o in q["options"])) for qid, q in sorted(tree["questions"].items())
    )


@lru_cache(maxsize=4)
def _remaining(edges: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[tuple[str, int], ...]:
    graph = dict(edges)
    depth: dict[str, int] = {}

    def visit(qid: str) -> int:
        if qid not in graph:  # an outcome
            return 0
        if qid not in depth:
            depth[qid] = 1 + max(visit(n) for n in graph[qid])
        return depth[qid]

    for qid in graph:
        visit(qid)
    return tuple(sorted(depth.items()))
