"""Guide pages generated from the decision tree's content, and the markers that link to them."""

from __future__ import annotations

from mkdocs.structure.files import File


def configure(config):
    return config


def _cites(citations: list[dict], laws: dict) -> str:
    return "；".join(f"《{laws[c['law']]['short']}》{c['article']}" for c in citations)


def route_markdown(route_id: str, route: dict, laws: dict) -> str:
    def items(xs: list[str]) -> str:
        return "\n".join(f"- {x}" for x in xs)

    steps = "\n".join(f"{i}. {s}" for i, s in enumerate(route["steps"], start=1))
    return f"""---
description: {route['summary']}
---

# {route['name']}

{route['summary']}

## 什么时候用

{items(route['when'])}

## 要准备什么

{items(route['prepare'])}

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

## 法律依据

{_cites(route['citations'], laws)}
"""


def evidence_markdown(tree: dict) -> str:
    laws = tree["laws"]
    parts = ["---\ndescription: 维权时常用的证据：是什么、为什么重要、怎样取得和保存。\n---\n\n# 证据清单\n"]
    for eid, e in tree["evidence"].items():
        parts.append(
            f"## {e['name']} {{#{eid}}}\n\n{e['what']}\n\n**为什么重要：**{e['why']}\n\n"
            f"**怎样取得和保存：**{e['how']}\n\n依据：{_cites(e['citations'], laws)}\n"
        )
    return "\n".join(parts)


def add_generated_pages(files, config, tree) -> None:
    """Add a page per route (routes/<id>.md) and the evidence page (evidence/index.md)."""
    for rid, route in tree["routes"].items():
        files.append(File.generated(config, f"routes/{rid}.md", content=route_markdown(rid, route, tree["laws"])))
    files.append(File.generated(config, "evidence/index.md", content=evidence_markdown(tree)))


def expand_markers(markdown: str, page, tree) -> str:
    return markdown


def page_content(html: str, page, config) -> str:
    return html


def post_build(config) -> None:
    pass
