"""Tables readable on a phone: each body cell carries its column's heading as ``data-label``.

Below 600 px docs/assets/site.css lays each row out as a card and shows the label above each cell,
so a table is never wider than the screen and never squeezed to a few characters a line.
"""

from __future__ import annotations

import html
import re

TABLE = re.compile(r"<table>(?P<body>.*?)</table>", re.S)
HEAD = re.compile(r"<thead>(?P<head>.*?)</thead>", re.S)
HEADER_CELL = re.compile(r"<th\b[^>]*>(?P<text>.*?)</th>", re.S)
ROW = re.compile(r"<tr>(?P<cells>.*?)</tr>", re.S)
CELL = re.compile(r"<td\b")
TAG = re.compile(r"<[^>]+>")


def label_cells(page_html: str) -> str:
    """Add ``data-label="<column heading>"`` to every ``<td>`` of every table that has a heading row."""

    def table(m: re.Match) -> str:
        body = m.group("body")
        head = HEAD.search(body)
        if head is None:
            return m.group(0)
        labels = [" ".join(html.unescape(TAG.sub("", h.group("text"))).split())
                  for h in HEADER_CELL.finditer(head.group("head"))]

        def row(r: re.Match) -> str:
            n = iter(range(len(labels)))

            def cell(c: re.Match) -> str:
                i = next(n, None)
                if i is None or not labels[i]:
                    return c.group(0)
                return f'<td data-label="{html.escape(labels[i], quote=True)}"'

            return "<tr>" + CELL.sub(cell, r.group("cells")) + "</tr>"

        return "<table>" + body[: head.end()] + ROW.sub(row, body[head.end():]) + "</table>"

    return TABLE.sub(table, page_html)
