"""The questionnaire page: puts the first question into the HTML at build time."""

from __future__ import annotations


def expand(markdown: str, page, tree) -> str:
    return markdown
