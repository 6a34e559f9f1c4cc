"""Guide pages generated from the decision tree's content, and the markers that link to them.

Plain functions over the compiled tree (a dict, as in tree.json) and Markdown/HTML strings; the MkDocs
hook only passes them what they need, so another generator could call them the same way.
"""

from __future__ import annotations

import datetime as _dt
import html
import json
import posixpath
import re
from collections.abc import Callable

from build_scripts import glossary

ROUTES_DIR = "routes"
EVIDENCE_PAGE = "evidence/index.md"


class ContentError(Exception):
    """Something in the content or a page that must stop the build, with what to fix."""


# ---------------------------------------------------------------------------------------------------
# Citations


def format_date(value: str) -> str:
    """``2014-03-15`` → ``2014年3月15日``; anything else (``1995年``) is shown as written."""
    try:
        d = _dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{d.year}年{d.month}月{d.day}日"


def law_label(law: dict) -> str:
    """The law's full name, version and effective date, as one line of text."""
    return f"《{law['name']}》（{law['version']}，{format_date(law['effective'])}施行）"


def citation_item(citation: dict, laws: dict) -> str:
    """One Markdown list item: full name, article, version, effective date, link, and any caution."""
    law = laws[citation["law"]]
    # data-law/data-article: docs/assets/articles.js turns the citation into a button showing the text.
    line = (
        f'- <span data-citation="" data-law="{html.escape(citation["law"], quote=True)}" '
        f'data-article="{html.escape(citation["article"], quote=True)}">《{law["name"]}》{citation["article"]}</span>'
        f"（{law['version']}，{format_date(law['effective'])}施行）"
    )
    if law.get("url"):
        line += f" [官方文本]({law['url']})"
    if citation.get("caution"):
        # An indented admonition belongs to the list item it qualifies.
        line += f'\n\n    !!! caution "待核实"\n\n        {citation["caution"]}\n'
    return line


def citations_markdown(citations: list[dict], laws: dict) -> str:
    return "\n".join(citation_item(c, laws) for c in citations)


# ---------------------------------------------------------------------------------------------------
# Generated pages


def _front_matter(**meta: str) -> str:
    # JSON strings are valid YAML scalars, so any text (colons, quotes, #) is safe.
    lines = [f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in meta.items()]
    return "---\n" + "\n".join(lines) + "\n---\n"


_PLACEHOLDER = re.compile(r"（?\{[a-z_:]+\}）?")


def recommended_in(route_id: str, rules: list[dict]) -> str:
    """When the questionnaire recommends this route: the reasons its rules give, strongest first."""
    fits = sorted(
        (r["effects"]["route"] for r in rules if r["effects"].get("route", {}).get("id") == route_id),
        key=lambda e: -e["score"],
    )
    if not fits:
        return ""
    lines = ["## 问卷在哪些情况下推荐它\n"]
    lines += [f"- {_PLACEHOLDER.sub('', e['reason'])}" for e in fits]
    lines.append("\n你的情况适不适合，做一遍[维权问卷](../questionnaire/index.md)就知道。\n")
    return "\n".join(lines)


def route_markdown(route_id: str, route: dict, laws: dict, rules: list[dict] | None = None) -> str:
    """The page ``routes/<id>.md`` for one dispute route."""

    def items(xs: list[str]) -> str:
        return "\n".join(f"- {x}" for x in xs)

    steps = "\n".join(f"{i}. {s}" for i, s in enumerate(route["steps"], start=1))
    return f"""{_front_matter(description=route['summary'])}
# {route['name']}

{route['summary']}

## 什么时候用

{items(route['when'])}

## 要准备什么

{items(route['prepare'])}

证据怎样取得和保存，见[证据清单](../evidence/index.md)。

## 怎么做

{steps}

## 要多久

{route['duration']}

## 花费

{route['cost']}

## 能做到什么

{items(route['can'])}

## 做不到什么

{items(route['cannot'])}

{recommended_in(route_id, rules or [])}
## 法律依据

{citations_markdown(route['citations'], laws)}

其他途径见[维权途径总览](index.md)；各部法律的版本见[法律来源](../sources.md)。
"""


def evidence_markdown(tree: dict) -> str:
    """The page ``evidence/index.md``: one section per evidence item, its anchor the item's id."""
    laws = tree["laws"]
    parts = [
        _front_matter(description="维权时常用的证据：每一项是什么、为什么重要、怎样取得和保存。"),
        "# 证据清单\n",
        "每一项证据：是什么，为什么重要，怎样取得和保存。不知道自己需要哪几项时，"
        "先做[维权问卷](../questionnaire/index.md)。\n",
    ]
    for eid, e in tree["evidence"].items():
        parts.append(
            f"## {e['name']} {{#{eid}}}\n\n{e['what']}\n\n**为什么重要：**{e['why']}\n\n"
            f"**怎样取得和保存：**{e['how']}\n\n**依据：**\n\n{citations_markdown(e['citations'], laws)}\n"
        )
    return "\n".join(parts)


def generated_pages(tree: dict) -> dict[str, str]:
    """Every generated page: its path under docs/ and its Markdown."""
    pages = {
        f"{ROUTES_DIR}/{rid}.md": route_markdown(rid, route, tree["laws"], tree["rules"])
        for rid, route in tree["routes"].items()
    }
    pages[EVIDENCE_PAGE] = evidence_markdown(tree)
    return pages


def add_generated_pages(files, config, tree) -> None:
    """Add a page per route (routes/<id>.md) and the evidence page (evidence/index.md)."""
    from mkdocs.structure.files import File

    for path, content in generated_pages(tree).items():
        existing = files.get_file_from_path(path)
        if existing is not None:
            raise ContentError(
                f"docs/{path} exists, but that page is generated from decision_tree/content: delete it "
                "and edit the YAML instead"
            )
        files.append(File.generated(config, path, content=content))


# ---------------------------------------------------------------------------------------------------
# Markers: <!-- md:KIND [ID] --> in a page's Markdown

MARKER = re.compile(r"<!--\s*md:(?P<kind>[\w-]+)(?:\s+(?P<arg>[^\s>]+))?\s*-->")
FENCE = re.compile(r"^\s*(`{3,}|~{3,})")


def _link(page_src: str, target: str) -> str:
    """A relative Markdown link target from one docs/ path to another (MkDocs validates it)."""
    return posixpath.relpath(target, posixpath.dirname(page_src) or ".")


def _known(ids) -> str:
    return ", ".join(sorted(ids))


def _route(arg, page_src, tree):
    routes = tree["routes"]
    if arg not in routes:
        raise KeyError(f"unknown route id {arg!r}; known route ids: {_known(routes)}")
    return f"[{routes[arg]['name']}]({_link(page_src, f'{ROUTES_DIR}/{arg}.md')})"


def _evidence(arg, page_src, tree):
    evidence = tree["evidence"]
    if arg not in evidence:
        raise KeyError(f"unknown evidence id {arg!r}; known evidence ids: {_known(evidence)}")
    return f"[{evidence[arg]['name']}]({_link(page_src, EVIDENCE_PAGE)}#{arg})"


def laws_table(tree: dict) -> str:
    """A table of every law in laws.yaml: name, version, effective date, official link."""
    rows = ["| 法律法规 | 版本 | 施行日期 | 官方来源 |", "|---|---|---|---|"]
    for lid, law in sorted(tree["laws"].items(), key=lambda kv: kv[1]["name"]):
        link = f"[{law['url'].split('//', 1)[-1].rstrip('/')}]({law['url']})" if law.get("url") else "—"
        rows.append(f"| 《{law['name']}》 | {law['version']} | {format_date(law['effective'])} | {link} |")
    return "\n".join(rows)


def _laws(arg, page_src, tree):
    if arg is not None:
        raise KeyError(f"md:laws takes no id, got {arg!r}")
    return "\n\n" + laws_table(tree) + "\n\n"


def _glossary(arg, page_src, tree):
    if arg is not None:
        raise KeyError(f"md:glossary takes no id, got {arg!r}")
    return "\n\n" + glossary.definition_list(glossary.load()) + "\n\n"


MARKERS: dict[str, Callable] = {
    "route": _route,
    "evidence": _evidence,
    "laws": _laws,
    "glossary": _glossary,
}


def expand_markers(markdown: str, page_src: str, tree: dict) -> str:
    """Replace every marker in ``markdown`` (outside fenced code); an unknown kind or id is an error."""
    out, fence = [], None
    for lineno, line in enumerate(markdown.splitlines(keepends=True), start=1):
        m = FENCE.match(line)
        if m:
            mark = m.group(1)
            if fence is None:
                fence = mark
            elif mark[0] == fence[0] and len(mark) >= len(fence):
                fence = None
            out.append(line)
            continue
        if fence is None:
            line = MARKER.sub(lambda mm: _expand(mm, page_src, lineno, tree), line)
        out.append(line)
    return "".join(out)


def _expand(match: re.Match, page_src: str, lineno: int, tree: dict) -> str:
    kind, arg = match.group("kind"), match.group("arg")
    handler = MARKERS.get(kind)
    where = f"docs/{page_src}:{lineno}: marker {match.group(0)!r}"
    if handler is None:
        raise ContentError(f"{where}: unknown marker kind {kind!r}; known kinds: {_known(MARKERS)}")
    if kind in ("route", "evidence") and arg is None:
        raise ContentError(f"{where}: md:{kind} needs an id, e.g. <!-- md:{kind} ID -->")
    try:
        return handler(arg, page_src, tree)
    except KeyError as e:
        raise ContentError(f"{where}: {e.args[0]}") from None


# ---------------------------------------------------------------------------------------------------
# Page checks


def require_description(page_src: str, meta: dict) -> None:
    """Every page needs ``description:`` in its front matter (it becomes <meta name="description">)."""
    desc = meta.get("description")
    if not isinstance(desc, str) or not desc.strip():
        raise ContentError(
            f"docs/{page_src}: no 'description:' in its front matter; add one sentence, e.g.\n"
            "---\ndescription: 这一页讲什么，写给谁。\n---"
        )


def check_reviewed(page_src: str, meta: dict) -> None:
    """``reviewed:`` front matter, where given, must be a date (YYYY-MM-DD)."""
    value = meta.get("reviewed")
    if value is None or isinstance(value, _dt.date):
        return
    try:
        _dt.date.fromisoformat(str(value))
    except ValueError:
        raise ContentError(f"docs/{page_src}: 'reviewed: {value}' is not a date like 2026-11-21") from None
