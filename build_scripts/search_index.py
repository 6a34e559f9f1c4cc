"""The search index Material writes, made smaller without changing what it says."""

from __future__ import annotations

import json
from pathlib import Path


def compact(site_dir: Path) -> None:
    """Rewrite search/search_index.json as UTF-8 instead of \\uXXXX escapes (Chinese: 3 bytes, not 6)."""
    path = site_dir / "search" / "search_index.json"
    if not path.exists():
        return
    data = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
