"""The static tree: one page per question and per outcome, linked by answers (works without JS).

Each page is generated from the compiled tree through the same engine objects the questionnaire
uses (``Question.to_json`` / ``Result.to_json``), so a visitor without JavaScript or WebAssembly
reaches the same routes, evidence and citations as the in-page questionnaire.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

from mkdocs.structure.files import File

from build_scripts.questionnaire import STATIC_TREE_DIR, remaining_questions
from decision_tree.engine import Question, Result
from decision_tree.model import Tree

RESERVED = {"index"}
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def add_pages(files, config, tree: dict[str, Any]) -> None:
    """Add ``tree/index.md``, ``tree/<question_id>.md`` and ``tree/<outcome_id>.md``."""
    for path, content in pages(tree).items():
        files.append(File.generated(config, path, content=content))


def pages(tree_data: dict[str, Any]) -> dict[str, str]:
    """Every static tree page, as ``{path under docs/: markdown}``."""
    tree = Tree.from_json(tree_data)
    clash = (set(tree.questions) & set(tree.outcomes)) | ((set(tree.questions) | set(tree.outcomes)) & RESERVED)
    if clash:
        raise SystemExit(
            "static tree: these ids name both a question and an outcome (or a reserved page), "
            f"so they would share a page under {STATIC_TREE_DIR}/: {', '.join(sorted(clash))}"
        )
    remaining = remaining_questions(tree_data)
    out = {f"{STATIC_TREE_DIR}/index.md": index_markdown(tree)}
    for qid, node in tree.questions.items():
        out[f"{STATIC_TREE_DIR}/{qid}.md"] = question_markdown(tree, Question(node, ()).to_json(), remaining[qid])
    for oid, outcome in tree.outcomes.items():
        out[f"{STATIC_TREE_DIR}/{oid}.md"] = outcome_markdown(tree, Result(outcome, ()).to_json()["result"])
    return out


def _text(s: str) -> str:
    """Plain text for a Markdown span: nothing in it is read as markup."""
    return _MD_SPECIAL.sub(r"\\\1", s)


def _attr(s: str) -> str:
    return html.escape(s, quote=True)


def _front_matter(title: str, description: str) -> str:
    # JSON strings are valid YAML scalars, whatever punctuation the content uses.
    return (
        "---\n"
        f"title: {json.dumps(title, ensure_ascii=False)}\n"
        f"description: {json.dumps(description, ensure_ascii=False)}\n"
        "search:\n  exclude: true\n"
        "---\n\n"
    )


_FOOTER = (
    "\n---\n\n"
    "[从头开始](index.md) · [使用交互式问卷](../questionnaire/index.md) · "
    "想改答案，用浏览器的“后退”。\n"
)


def index_markdown(tree: Tree) -> str:
    return (
        _front_matter("维权问卷（无需脚本的版本）", "一页一个问题，点选答案，最后得到推荐的维权途径和证据清单。")
        + "# 维权问卷（无需脚本的版本）\n\n"
        "这是维权问卷的静态版本：每页一个问题，点选符合你情况的答案，最后一页给出推荐的维权途径、"
        "要准备的证据、期限和法律依据。结果与交互式问卷相同，不需要 JavaScript。\n\n"
        f'<p class="cdg-static-start" markdown="span">[开始回答第一个问题](./{tree.start}.md){{data-static-start=""}}</p>\n\n'
        "[使用交互式问卷](../questionnaire/index.md)\n"
    )


def question_markdown(tree: Tree, data: dict[str, Any], remaining: int) -> str:
    q = data["question"]
    lines = [
        _front_matter(f"问卷：{q['text']}", q["text"]),
        f"# {_text(q['text'])}\n",
    ]
    if q.get("help"):
        lines.append(f"{_text(q['help'])}\n")
    hint = "这是最后一个问题。" if remaining == 1 else f"包括这一题，最多还有 {remaining} 个问题。"
    lines.append(f'<p class="cdg-static-remaining">{hint}</p>\n')
    lines.append(f'<ul class="cdg-static-options" data-question="{_attr(q["id"])}" markdown="1">')
    node = tree.questions[q["id"]]
    for o in q["options"]:
        target = node.option(o["id"]).next
        help_text = f"<br><small>{_text(o['help'])}</small>" if o.get("help") else ""
        lines.append(
            f'<li markdown="span">[{_text(o["text"])}](./{target}.md){{data-option="{_attr(o["id"])}"}}{help_text}</li>'
        )
    lines.append("</ul>\n")
    return "\n".join(lines) + _FOOTER


def _citation(c: dict[str, Any]) -> str:
    text = f"《{_text(c['law_name'] or c['law'])}》{_text(c['article'])}"
    if c.get("url"):
        text = f"[{text}]({c['url']})"
    extra = "，".join(x for x in (c.get("version"), f"{c['effective']} 起施行" if c.get("effective") else None) if x)
    if extra:
        text += f"（{_text(extra)}）"
    if c.get("caution"):
        text += f" <small>注意：{_text(c['caution'])}</small>"
    return text


def outcome_markdown(tree: Tree, r: dict[str, Any]) -> str:
    o = r["outcome"]
    out = [
        _front_matter(f"问卷结果：{o['title']}", o["summary"]),
        f"# {_text(o['title'])}\n",
        f"{_text(o['summary'])}\n",
        '<div class="cdg-result cdg-static-result" data-result="" markdown="1">\n',
        "## 推荐的维权途径\n",
        '<ol class="cdg-routes" markdown="1">',
    ]
    routes = [r["primary_route"], *r["alternatives"]]
    for rank, route in enumerate(routes, start=1):
        label = "首选" if rank == 1 else "备选"
        out.append(
            f'<li data-route="{_attr(route["id"])}" data-rank="{rank}" markdown="span">'
            f'<strong>{label}：[{_text(route["name"])}](../routes/{route["id"]}.md)</strong>'
            f'<br>{_text(route["reason"])}</li>'
        )
    out.append("</ol>\n")
    if r["evidence"]:
        out += ["## 要准备的证据\n", '<ul class="cdg-evidence" markdown="1">']
        for e in r["evidence"]:
            tag = "必需" if e["required"] else "有帮助"
            out.append(
                f'<li data-evidence="{_attr(e["id"])}" data-required="{str(e["required"]).lower()}" markdown="span">'
                f'<strong>[{_text(e["name"])}](../evidence/index.md#{e["id"]})</strong>（{tag}）'
                f'<br>{_text(e["what"])}</li>'
            )
        out.append("</ul>\n")
    if r["next_steps"]:
        out += ["## 下一步\n", '<ol class="cdg-steps" markdown="1">']
        out += [f'<li data-step="" markdown="span">{_text(s)}</li>' for s in r["next_steps"]]
        out.append("</ol>\n")
    if r["deadlines"]:
        out += ["## 期限\n", '<ul class="cdg-deadlines" markdown="1">']
        out += [
            f'<li data-deadline="{_attr(i)}" markdown="span">{_text(d)}</li>'
            for i, d in zip(r["deadline_ids"], r["deadlines"])
        ]
        out.append("</ul>\n")
    if r["compensation"]:
        c = r["compensation"]
        out += [
            "## 赔偿\n",
            f'<p data-compensation="{_attr(c["id"])}" markdown="span">{_text(c["text"])}</p>\n',
        ]
    if r["citations"]:
        out += ["## 法律依据\n", '<ul class="cdg-citations" markdown="1">']
        out += [
            f'<li data-citation="{_attr(c["law_id"])}:{_attr(c["article"])}" data-law="{_attr(c["law_id"])}" '
            f'data-article="{_attr(c["article"])}" markdown="span">{_citation(c)}</li>'
            for c in r["citations"]
        ]
        out.append("</ul>\n")
    out.append("</div>\n")
    out.append("本页是一般性信息，不是法律意见。\n")
    return "\n".join(out) + _FOOTER
