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


def resolve_dictionary_paths(config) -> None:
    """Make the search plugin's jieba dictionary paths relative to mkdocs.yml, not to the cwd.

    Material's search plugin opens them as given, in its own on_config; the hook calling this runs
    first (a higher event priority), so `mkdocs build -f path/to/mkdocs.yml` works from anywhere.
    """
    import os

    plugin = config["plugins"].get("material/search") or config["plugins"].get("search")
    if plugin is None:
        return
    base = os.path.dirname(config["config_file_path"])
    for key in ("jieba_dict", "jieba_dict_user"):
        value = plugin.config.get(key)
        if value and not os.path.isabs(value):
            plugin.config[key] = os.path.join(base, value)
