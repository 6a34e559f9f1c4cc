"""The compiled decision tree for the build: compiled once per build from decision_tree/content."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from decision_tree.authoring import CONTENT_DIR, compile_to_json
from decision_tree.model import Tree


@lru_cache(maxsize=4)
def _compiled(root: Path, stamp: tuple[tuple[str, int], ...]) -> str:
    return compile_to_json(root)


def _stamp(root: Path) -> tuple[tuple[str, int], ...]:
    return tuple(sorted((str(p), p.stat().st_mtime_ns) for p in root.rglob("*.yaml")))


def tree_json(root: Path = CONTENT_DIR) -> str:
    """tree.json's text; recompiled only when a content file changed (mkdocs serve rebuilds)."""
    return _compiled(root, _stamp(root))


def tree(root: Path = CONTENT_DIR) -> Tree:
    import json

    return Tree.from_json(json.loads(tree_json(root)))


def tree_dict(root: Path = CONTENT_DIR) -> dict[str, Any]:
    import json

    return json.loads(tree_json(root))
