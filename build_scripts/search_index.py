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


# Material's search worker (9.x) has two gaps for Chinese, patched here in the built copy; the pinned
# version is in requirements.txt. Each replacement must match exactly once, else the build stops.
WORKER_FIXES = (
    # 1. Its query segmenter never tries the whole run of Han characters (`o<t.length`), so a
    #    two-character query such as 退货 is searched as 退 (and finds 退一赔三, 退钱 …).
    ("for(let o=s+1;o<t.length;o++)", "for(let o=s+1;o<=t.length;o++)"),
    # 2. Terms only match at a word's start; jieba keeps legal terms whole (七日无理由退货), so 退货
    #    missed the page titled with it. Han terms match anywhere inside a word instead.
    (".map(r=>/(^[+-]|[~^]\\d+$)/.test(r)?r:`${r}*`)",
     ".map(r=>/(^[+-]|[~^]\\d+$)/.test(r)?r:/\\p{sc=Han}/u.test(r)?`*${r}*`:`${r}*`)"),
)


class SearchWorkerChanged(Exception):
    """Material's search worker no longer contains the code WORKER_FIXES patches."""


def fix_chinese_queries(site_dir: Path) -> None:
    """Patch Material's built search worker so Chinese queries match as a reader expects."""
    workers = sorted((site_dir / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    if len(workers) != 1:
        raise SearchWorkerChanged(f"expected one Material search worker, found {[w.name for w in workers]}")
    text = workers[0].read_text(encoding="utf-8")
    for old, new in WORKER_FIXES:
        if old not in text and text.count(new) == 1:
            continue  # already patched (mkdocs serve may keep the copied theme file)
        if text.count(old) != 1:
            raise SearchWorkerChanged(
                f"{workers[0].name}: {old!r} found {text.count(old)} times (Material updated?); "
                "check build_scripts/search_index.py WORKER_FIXES against the new worker"
            )
        text = text.replace(old, new)
    workers[0].write_text(text, encoding="utf-8")
