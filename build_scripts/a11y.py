"""Accessibility fixes to generated HTML that no template block reaches."""

from __future__ import annotations

import html
import re

# pymdownx.tasklist wraps the checkbox alone in its <label>; the item's text follows the label.
TASK_CHECKBOX = re.compile(
    r'(?P<head><li class="task-list-item">\s*<label class="task-list-control">\s*<input type="checkbox")'
    r'(?P<attrs>[^>]*>)(?P<rest>.*?)(?=</li>|<ul|<ol|<li)',
    re.S,
)
TAG = re.compile(r"<[^>]+>")


def label_task_checkboxes(page_html: str) -> str:
    """Give every checklist checkbox its item's text as accessible name (axe rule ``label``)."""

    def repl(m: re.Match) -> str:
        if "aria-label" in m.group("attrs"):
            return m.group(0)
        text = " ".join(html.unescape(TAG.sub("", m.group("rest"))).split())
        if not text:
            return m.group(0)
        return f'{m.group("head")} aria-label="{html.escape(text[:120], quote=True)}"{m.group("attrs")}{m.group("rest")}'

    return TASK_CHECKBOX.sub(repl, page_html)
