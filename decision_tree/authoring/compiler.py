"""Compile loaded, validated content into tree.json: deterministic, byte-identical for the same input."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from decision_tree.authoring.loader import ContentError, Content, load_content
from decision_tree.authoring.validator import validate
from decision_tree.model import Tree


def _normalise(content: Content) -> dict[str, Any]:
    sec = content.sections
    outcomes = {}
    for key, o in sec["outcomes"].items():
        outcomes[key] = {
            **o,
            "alternatives": o.get("alternatives") or [],
            "evidence": {"required": o["evidence"]["required"], "helpful": o["evidence"].get("helpful") or []},
            "deadlines": o.get("deadlines") or [],
            "compensation": o.get("compensation"),
            "citations": o.get("citations") or [],
        }
    return {
        "start": content.start,
        "laws": {k: {"url": None, **v} for k, v in sec["laws"].items()},
        "routes": {k: {"citations": [], **v} for k, v in sec["routes"].items()},
        "evidence": {k: {"citations": [], **v} for k, v in sec["evidence"].items()},
        "deadlines": {k: {"citations": [], **v} for k, v in sec["deadlines"].items()},
        "compensation": {k: {"citations": [], **v} for k, v in sec["compensation"].items()},
        "questions": sec["questions"],
        "outcomes": outcomes,
    }


def compile_tree(root: Path) -> dict[str, Any]:
    """Load, validate and normalise the content under ``root``; raise ContentError on any problem."""
    content = load_content(root)
    problems = validate(content)
    if problems:
        raise ContentError(problems)
    data = _normalise(content)
    body = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    data["version"] = hashlib.sha256(body.encode("utf-8")).hexdigest()[:12]
    Tree.from_json(data)  # the runtime must accept what we write
    return data


def compile_to_json(root: Path) -> str:
    """tree.json's text for the content under ``root``."""
    return json.dumps(compile_tree(root), ensure_ascii=False, sort_keys=True, indent=1) + "\n"
