"""The static tree: one page per question and per outcome, linked by answers (works without JS)."""

from __future__ import annotations


def add_pages(files, config, tree) -> None:
    """Add the static tree's pages (to be written)."""
