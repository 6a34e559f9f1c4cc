"""The static tree: the questionnaire as plain pages linked by answers (works without JavaScript).

It asks the facts marked ``static`` (choices; one option of a multi; amounts as bands) and answers
every other fact "不清楚", walking the real engine (``decision_tree.engine``), so each result page is
exactly what the engine says for those answers, with formulas where it would compute figures.

``tree/index.md`` is an ordinary MkDocs page (the first question); after the build, its HTML is the
frame for every other page: only the title and the part between the static-body markers change.
Pages are named by a hash of their content, so a question or result reached by different answers is
one page; ``StaticTree.names`` maps each question's static prefix to its page. ``links.json`` beside
them is the same graph as data — each question page's fact and where each option leads — so the
interactive page, when its engine fails, can send the visitor to the question they had reached.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

from decision_tree.engine import next_fact, static_choices, walk
from decision_tree.model import Fact, Tree

STATIC_TREE_DIR = "tree"
BODY_START, BODY_END = "<!-- static-body -->", "<!-- /static-body -->"
Prefix = tuple[tuple[str, Any], ...]
INTRO = (
    '<p class="cdg-static-intro">这是维权问卷的静态版本，不需要 JavaScript：每页一个问题，点选最符合你情况的答案，'
    '最后一页给出推荐的维权途径、证据、期限和法律依据。它不问金额和日期，所以只说明金额和期限怎么算；'
    '<a href="../questionnaire/">交互式问卷</a>会替你算出来。</p>\n'
)


def prefix_key(prefix: Prefix) -> str:
    """A prefix of answers as one string (answers may be lists, which cannot be dict keys)."""
    return json.dumps([list(p) for p in prefix], ensure_ascii=False, separators=(",", ":"))


def _result_name(result: dict[str, Any]) -> str:
    body = {k: v for k, v in result.items() if k not in ("trace", "why")}
    key = json.dumps(body, ensure_ascii=False, sort_keys=True)
    return "r-" + hashlib.sha256(key.encode()).hexdigest()[:12] + ".html"


def _e(s: Any) -> str:
    return html.escape(str(s), quote=True)


def _answer_label(fact: Fact, value: Any) -> str:
    if value is None:
        return fact.unknown or "不清楚"
    if fact.type == "multi":
        return fact.option(value[0]).text  # type: ignore[union-attr]
    if fact.type == "amount":
        return next(b.text for b in fact.bands if b.value == value)
    return fact.option(value).text  # type: ignore[union-attr]


class StaticTree:
    """Every page of the static tree for one compiled tree and one "today"."""

    def __init__(self, tree: Tree, today: date):
        self.tree, self.today = tree, today
        self.pages: dict[str, tuple[str, str]] = {}  # name → (title, body html)
        self.names: dict[str, str] = {}  # prefix_key(a question's static prefix) → its page
        self.links: dict[str, list[Any]] = {}  # question page → [fact id, {option key: page}]

    def build(self) -> dict[str, tuple[str, str]]:
        self._visit({}, ())
        return self.pages

    def _visit(self, answers: dict[str, Any], prefix: Prefix) -> str:
        """The page for ``prefix``: skips facts the static tree does not ask; returns its name."""
        while (fact := next_fact(self.tree, answers, self.today)) is not None and not fact.static:
            answers = {**answers, fact.id: None}
            prefix += ((fact.id, None),)
        if fact is None:
            result = walk(self.tree, prefix, self.today).to_json()["result"]
            name = _result_name(result)
            if name not in self.pages:
                self.pages[name] = (f"问卷结果：{result['summary']['title']}", result_html(result))
            return name
        links = []
        for value in static_choices(fact):
            target = self._visit({**answers, fact.id: value}, prefix + ((fact.id, value),))
            links.append((_answer_label(fact, value), value, target))
        asked = sum(1 for _k, v in prefix if v is not None)
        body = question_html(fact, links, asked)
        if not prefix:
            body = INTRO + body
        # Named by content: the same question with the same onward links is one page, however reached.
        name = "index.html" if not prefix else "q-" + hashlib.sha256(body.encode()).hexdigest()[:12] + ".html"
        self.pages[name] = (f"问卷：{fact.text}", body)
        self.names[prefix_key(prefix)] = name
        self.links[name] = [fact.id, {option_key(value): target for _label, value, target in links}]
        return name


def option_key(value: Any) -> str:
    """How a static answer is named in links and data-option: "unknown", the option, a multi's one."""
    return "unknown" if value is None else (value[0] if isinstance(value, list) else str(value))


def question_html(fact: Fact, links: list[tuple[str, Any, str]], asked: int) -> str:
    out = [f'<h1>{_e(fact.text)}</h1>']
    if fact.help:
        out.append(f"<p>{_e(fact.help)}</p>")
    if fact.type == "multi":
        out.append("<p>这里一次选一项（交互式问卷可以多选）；选最主要的那一项。</p>")
    out.append(f'<p class="cdg-static-remaining">这是第 {asked + 1} 题。</p>')
    out.append(f'<ul class="cdg-static-options" data-question="{_e(fact.id)}">')
    for label, value, target in links:
        href = "./" if target == "index.html" else target
        out.append(f'<li><a href="{_e(href)}" data-option="{_e(option_key(value))}">{_e(label)}</a></li>')
    out.append("</ul>")
    return "\n".join(out)


def _citations(citations: list[dict[str, Any]]) -> str:
    by_law: dict[str, list[dict[str, Any]]] = {}
    for c in citations:
        by_law.setdefault(c["law_id"], []).append(c)
    out = ['<details class="cdg-citations"><summary>法律依据（按法律分组）</summary>']
    for group in by_law.values():
        first = group[0]
        out.append(f"<p><strong>《{_e(first['law_name'])}》</strong>（{_e(first['version'])}）</p><ul>")
        for c in group:
            caution = f" <small>注意：{_e(c['caution'])}</small>" if c.get("caution") else ""
            out.append(
                f'<li data-citation="{_e(c["law_id"])}:{_e(c["article"])}" data-law="{_e(c["law_id"])}" '
                f'data-article="{_e(c["article"])}">{_e(c["article"])}{caution}</li>'
            )
        out.append("</ul>")
    out.append("</details>")
    return "\n".join(out)


def _section(title: str, tag: str, cls: str, items: list[str], intro: str = "") -> list[str]:
    """A heading and its list, or nothing when there is nothing to list."""
    return [f'<h2>{title}</h2>{intro}<{tag} class="{cls}">', *items, f"</{tag}>"] if items else []


def _entitlement(e: dict[str, Any]) -> str:
    amount = "" if e["amount_yuan"] is None else f"{e['amount_yuan']:g}"
    figure = f"：{amount} 元" if amount else (f"（算法：{_e(e['formula'])}）" if e["formula"] else "")
    return f'<li data-entitlement="{_e(e["id"])}" data-amount="{amount}">{_e(e["text"])}{figure}</li>'


def _evidence(e: dict[str, Any]) -> str:
    tag = "必需" if e["required"] else "有帮助"
    return (f'<li data-evidence="{_e(e["id"])}" data-required="{str(e["required"]).lower()}">'
            f'<strong><a href="../evidence/#{_e(e["id"])}">{_e(e["name"])}</a></strong>（{tag}）<br>{_e(e["what"])}</li>')


def result_html(r: dict[str, Any]) -> str:
    """A result as HTML, with the DOM contract's data attributes (so tests read both the same way)."""
    out = [f"<h1>{_e(r['summary']['title'])}</h1>", f"<p>{_e(r['summary']['text'])}</p>",
           '<div class="cdg-result cdg-static-result" data-result="">']
    if r.get("now"):
        out.append(f'<div class="cdg-now" data-now=""><h2>现在就做</h2><p>{_e(r["now"]["step"])}</p></div>')
    out += _section("推荐的维权途径", "ol", "cdg-routes", [
        f'<li data-route="{_e(route["id"])}" data-rank="{rank}"><strong>{"首选" if rank == 1 else "备选"}：'
        f'<a href="../routes/{_e(route["id"])}/">{_e(route["name"])}</a></strong><br>{_e(route["reason"])}</li>'
        for rank, route in enumerate([r["primary_route"], *r["alternatives"]], start=1)])
    out += _section("不适合的途径", "ul", "cdg-excluded", [
        f'<li data-excluded="{_e(x["id"])}"><strong>{_e(x["name"])}</strong>：{_e(x["reason"])}</li>'
        for x in r["excluded"]])
    out += _section("你可以主张", "ul", "cdg-entitlements", [_entitlement(e) for e in r["entitlements"]])
    out += _section("期限", "ul", "cdg-deadlines", [
        f'<li data-deadline="{_e(d["id"])}" data-date="">{_e(d["text"])}</li>' for d in r["deadlines"]],
        intro="<p>静态问卷不问日期，所以这里只说明期限怎么算；交互式问卷会算出具体日期。</p>")
    out += _section("要准备的证据", "ul", "cdg-evidence", [_evidence(e) for e in r["evidence"]])
    out += _section("商家可能会说", "dl", "cdg-defences", [
        f'<div data-defence="{_e(d["id"])}"><dt>{_e(d["claim"])}</dt><dd>{_e(d["answer"])}</dd></div>'
        for d in r["defences"]])
    out += _section("下一步", "ol", "cdg-steps", [f"<li data-step>{_e(s)}</li>" for s in r["next_steps"]])
    for d in r["documents"]:
        out.append(f'<details class="cdg-document" data-document="{_e(d["id"])}"><summary>{_e(d["title"])}</summary>'
                   f'<p>发给：{_e(d["send_to"])}</p><pre>{_e(d["text"])}</pre></details>')
    if r["citations"]:
        out.append(_citations(r["citations"]))
    out.append("</div><p>本页是一般性信息，不是法律意见。</p>")
    return "\n".join(out)


_TITLE = re.compile(r"<title>.*?</title>", re.S)


def write_pages(site_dir: Path, tree: Tree, today: date) -> int:
    """Fill ``site_dir/tree/`` from the frame MkDocs built for tree/index.md; returns the page count."""
    frame_path = site_dir / STATIC_TREE_DIR / "index.html"
    frame = frame_path.read_text(encoding="utf-8")
    head, rest = frame.split(BODY_START, 1)
    _old, tail = rest.split(BODY_END, 1)
    static = StaticTree(tree, today)
    pages = static.build()
    links = json.dumps(static.links, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    (site_dir / STATIC_TREE_DIR / "links.json").write_text(links, encoding="utf-8")
    for name, (title, body) in pages.items():
        page = _TITLE.sub(f"<title>{_e(title)} - 消费维权指南</title>", head, count=1)
        text = f"{page}{BODY_START}\n{body}\n{BODY_END}{tail}"
        (site_dir / STATIC_TREE_DIR / name).write_text(text, encoding="utf-8")
    return len(pages)
