"""Compile loaded, validated content into tree.json: deterministic, byte-identical for the same input."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path
from typing import Any

from decision_tree.authoring import schema as s
from decision_tree.authoring.loader import Content, ContentError, load_content
from decision_tree.authoring.validator import validate
from decision_tree.model import Tree


def holiday_calendar() -> dict[str, Any]:
    """Official holidays and make-up working days from the maintained ``chinesecalendar`` package
    (built from the State Council's yearly notices), as data the runtime reads."""
    import chinese_calendar
    from importlib.metadata import version

    first = date(2024, 1, 1)
    holidays = sorted(d.isoformat() for d in chinese_calendar.holidays if d >= first)
    workdays = sorted(d.isoformat() for d in chinese_calendar.workdays if d >= first)
    last_year = max(d.year for d in chinese_calendar.holidays)
    return {
        "holidays": holidays,
        "workdays": workdays,
        "last_year": last_year,
        "source": f"国务院办公厅部分节假日安排通知（经 chinesecalendar {version('chinesecalendar')} 整理）",
    }


def normalise(content: Content) -> dict[str, Any]:
    """The content in the runtime's shape, with every optional key filled in."""
    sec = content.sections
    return {
        "laws": {k: {"url": None, **v} for k, v in sec["laws"].items()},
        "routes": {k: {"citations": [], **v} for k, v in sec["routes"].items()},
        "evidence": {k: {"citations": [], **v} for k, v in sec["evidence"].items()},
        # A list, not a mapping: the order of the facts is the order of the interview.
        "facts": [
            {"id": k, "options": [], "bands": [], "static": False, "unknown": None, "ask_if": None, "help": None, **v}
            for k, v in sec["facts"].items()
        ],
        "rules": [
            {
                "id": k,
                "when": r.get("when"),
                "effects": {e: r[e] for e in s.EFFECTS if e in r},
                "citations": r.get("citations") or [],
            }
            for k, r in sec["rules"].items()
        ],
        "documents": [{"id": k, "when": None, "routes": [], **d} for k, d in sec["documents"].items()],
        "calendar": holiday_calendar(),
    }


def compile_tree(root: Path) -> dict[str, Any]:
    """Load, validate and normalise the content under ``root``; raise ContentError on any problem."""
    content = load_content(root)
    problems = validate(content)
    if problems:
        raise ContentError(problems)
    # Exactly what tree.json holds (mappings in key order), so the build, the CLI and the page
    # iterate laws, routes and evidence in the same order.
    data = json.loads(json.dumps(normalise(content), ensure_ascii=False, sort_keys=True))
    body = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    data["version"] = hashlib.sha256(body.encode("utf-8")).hexdigest()[:12]
    Tree.from_json(data)  # the runtime must accept what we write
    return data


def compile_to_json(root: Path) -> str:
    """tree.json's text for the content under ``root``."""
    return json.dumps(compile_tree(root), ensure_ascii=False, sort_keys=True, indent=1) + "\n"
