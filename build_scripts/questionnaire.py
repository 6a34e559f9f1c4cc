"""The questionnaire page: puts the first question into the HTML at build time.

The page's template (and the embed page's) include ``partials/questionnaire.html``, which reads
``page.meta.questionnaire``: the first question, the static tree's start and, per question, how many
questions may still follow (for the progress bar). All of it comes from the compiled tree, so the
page shows the first question before Pyodide is ready and still decides nothing itself.
"""

from __future__ import annotations

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
    """What the partial renders: the first question (as the engine would send it) and the static
    tree's start. The first fact has no ask_if, so it is the same for every visitor."""
    fact = tree["facts"][0]
    first_id = fact["id"]
    return {
        "start": first_id,
        "version": tree["version"],
        "static_tree": f"{STATIC_TREE_DIR}/",
        "first": {
            "id": first_id,
            "text": fact["text"],
            "help": fact.get("help"),
            "type": fact["type"],
            "unknown": fact.get("unknown"),
            "options": [{"id": o["id"], "text": o["text"], "help": o.get("help")} for o in fact["options"]],
        },
        "remaining": remaining_questions(tree),
    }


def remaining_questions(tree: dict[str, Any]) -> dict[str, int]:
    """For each question, the most questions a visitor may still answer from it (itself included):
    facts are asked in declared order, so at most every fact from this one to the last."""
    ids = [f["id"] for f in tree["facts"]]
    return {fid: len(ids) - i for i, fid in enumerate(ids)}
