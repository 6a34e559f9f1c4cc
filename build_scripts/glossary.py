"""Glossary tooltips: each term's first occurrence in a page's body text becomes <abbr title="…">.

Python-Markdown's ``abbr`` matches at ``\\b`` word boundaries, which never occur inside Chinese text,
so the terms are wrapped here, in the page's HTML, instead. Material's ``content.tooltips`` feature
renders every ``abbr[title]`` as a tooltip.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY_FILE = ROOT / "docs" / "includes" / "glossary.md"

LINE = re.compile(r"^\*\[(?P<term>[^\]]+)\]:\s*(?P<definition>\S.*)$")

# Text inside these elements never gets a tooltip: headings, links, code, existing abbreviations,
# form controls (the questionnaire's buttons and legends), and anything that is not body text.
SKIP = frozenset({
    "h1", "h2", "h3", "h4", "h5", "h6", "a", "abbr", "code", "pre", "kbd", "samp", "script", "style",
    "button", "label", "legend", "option", "select", "textarea", "svg", "math", "title", "dfn",
    "template", "noscript",
})
VOID = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
})
# An element with one of these attributes is a widget (the questionnaire, the embed): left alone.
SKIP_ATTRS = ("data-questionnaire", "data-no-glossary")

TOKEN = re.compile(
    r"<!--.*?-->"
    r"|<(?P<raw>script|style|pre|textarea)\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>.*?</(?P=raw)\s*>"
    r"|</?[A-Za-z][^\s/>]*(?:[^>\"']|\"[^\"]*\"|'[^']*')*>"
    r"|<![^>]*>",
    re.S | re.I,
)
TAG_NAME = re.compile(r"</?([A-Za-z][^\s/>]*)")


class GlossaryError(Exception):
    """A malformed glossary file."""


GLOSSARY_PAGE = "glossary.md"


def wanted(page_src: str, meta: dict) -> bool:
    """Tooltips everywhere but the glossary page itself and pages that set ``glossary: false``."""
    return page_src != GLOSSARY_PAGE and meta.get("glossary") is not False


def parse(text: str, source: str = "docs/includes/glossary.md") -> dict[str, str]:
    """``*[术语]: 定义`` lines → {term: definition}; any other non-blank line is an error."""
    terms: dict[str, str] = {}
    problems = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("<!--"):
            continue
        m = LINE.match(line.strip())
        if not m:
            problems.append(f"{source}:{lineno}: expected '*[术语]: 定义', got {line.strip()!r}")
            continue
        term, definition = m.group("term").strip(), m.group("definition").strip()
        if term in terms:
            problems.append(f"{source}:{lineno}: {term!r} is defined twice")
        terms[term] = definition
    if problems:
        raise GlossaryError("\n".join(problems))
    return terms


def load(path: Path = GLOSSARY_FILE) -> dict[str, str]:
    if not path.exists():
        return {}
    return parse(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path))


def definition_list(terms: dict[str, str]) -> str:
    """The glossary as a Markdown definition list (``def_list``), terms in the file's order."""
    return "\n\n".join(f"{term}\n:   {definition}" for term, definition in terms.items())


def apply(page_html: str, terms: dict[str, str]) -> str:
    """Wrap the first body-text occurrence of each term in ``<abbr title="definition">``."""
    if not terms:
        return page_html
    remaining = dict(terms)
    out: list[str] = []
    stack: list[tuple[str, bool]] = []  # (tag, skipped) for each open element
    pos = 0
    book = [0]  # depth inside 《书名》: a law's title is a name, not a use of the term

    def text(chunk: str) -> str:
        if (stack and stack[-1][1]) or not remaining:
            book[0] = _book_depth(chunk, book[0])
            return chunk
        wrapped, book[0] = _wrap(chunk, remaining, book[0])
        return wrapped

    for m in TOKEN.finditer(page_html):
        if m.start() > pos:
            out.append(text(page_html[pos:m.start()]))
        token = m.group(0)
        out.append(token)
        pos = m.end()
        if m.group("raw") or token.startswith(("<!", "<?")):
            continue
        name = TAG_NAME.match(token).group(1).lower()
        if token.startswith("</"):
            for i in range(len(stack) - 1, -1, -1):
                if stack[i][0] == name:
                    del stack[i:]
                    break
        elif name not in VOID and not token.endswith("/>"):
            skip = (bool(stack) and stack[-1][1]) or name in SKIP or any(a in token for a in SKIP_ATTRS)
            stack.append((name, skip))
            if name in ("p", "li", "td", "th", "dd", "dt", "div", "blockquote"):
                book[0] = 0  # an unclosed 《 never leaks into the next block
    if pos < len(page_html):
        out.append(text(page_html[pos:]))
    return "".join(out)


def _book_depth(chunk: str, depth: int) -> int:
    for ch in chunk:
        if ch == "《":
            depth += 1
        elif ch == "》" and depth:
            depth -= 1
    return depth


def _term_pattern(term: str) -> str:
    # Latin letters and digits (12315, APP) must not match inside a longer word or number.
    p = re.escape(html.escape(term, quote=False))
    if re.match(r"[0-9A-Za-z]", term):
        p = r"(?<![0-9A-Za-z])" + p
    if re.search(r"[0-9A-Za-z]$", term):
        p += r"(?![0-9A-Za-z])"
    return p


def _wrap(text: str, remaining: dict[str, str], depth: int) -> tuple[str, int]:
    """Wrap each still-unused term's first occurrence in ``text``, outside 《》; longer terms win."""
    pattern = re.compile(
        "|".join(_term_pattern(t) for t in sorted(remaining, key=len, reverse=True)) + "|[《》]"
    )
    out, pos = [], 0
    for m in pattern.finditer(text):
        token = m.group(0)
        if token in "《》":
            depth = _book_depth(token, depth)
            continue
        term = html.unescape(token)
        if depth or term not in remaining:
            continue
        definition = remaining.pop(term)
        out.append(text[pos:m.start()])
        out.append(f'<abbr title="{html.escape(definition, quote=True)}">{token}</abbr>')
        pos = m.end()
    out.append(text[pos:])
    return "".join(out), depth
