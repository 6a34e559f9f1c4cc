"""The shape of the content YAML, declared once: the loader checks it, json_schema() exports it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Text:
    """A non-empty string."""

    def describe(self) -> str:
        return "文字（非空字符串）"

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "minLength": 1}


@dataclass(frozen=True)
class Ref:
    """An id of another thing (checked to exist by the validator)."""

    kind: str

    def describe(self) -> str:
        return f"一个{self.kind}编号（小写字母、数字、下划线）"

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": ID_PATTERN.pattern}


@dataclass(frozen=True)
class ListOf:
    item: Any
    min_items: int = 0

    def describe(self) -> str:
        return f"列表（每项为{self.item.describe()}）"

    def json_schema(self) -> dict[str, Any]:
        return {"type": "array", "items": self.item.json_schema(), "minItems": self.min_items}


@dataclass(frozen=True)
class Record:
    """A mapping with known keys; ``required`` keys must be present, no other key is allowed."""

    name: str
    fields: dict[str, Any]
    required: tuple[str, ...]
    hints: dict[str, str] = field(default_factory=dict)

    def describe(self) -> str:
        return f"{self.name}（键：{', '.join(self.fields)}）"

    def json_schema(self) -> dict[str, Any]:
        return {
            "type": "object",
            "properties": {k: v.json_schema() for k, v in self.fields.items()},
            "required": list(self.required),
            "additionalProperties": False,
        }


@dataclass(frozen=True)
class IdMap:
    """A mapping from ids (snake_case) to records of one kind."""

    kind: str
    item: Record

    def describe(self) -> str:
        return f"以编号为键的{self.kind}表"

    def json_schema(self) -> dict[str, Any]:
        return {
            "type": "object",
            "propertyNames": {"pattern": ID_PATTERN.pattern},
            "additionalProperties": self.item.json_schema(),
        }


CITATION = Record(
    "引用",
    {"law": Ref("法律"), "article": Text(), "caution": Text()},
    required=("law", "article"),
)
CITATIONS = ListOf(CITATION)
LAW = Record(
    "法律",
    {"name": Text(), "short": Text(), "version": Text(), "effective": Text(), "url": Text()},
    required=("name", "short", "version", "effective"),
)
ROUTE = Record(
    "维权途径",
    {
        "name": Text(),
        "summary": Text(),
        "when": ListOf(Text(), 1),
        "prepare": ListOf(Text(), 1),
        "steps": ListOf(Text(), 1),
        "duration": Text(),
        "cost": Text(),
        "can": ListOf(Text(), 1),
        "cannot": ListOf(Text(), 1),
        "citations": CITATIONS,
    },
    required=("name", "summary", "when", "prepare", "steps", "duration", "cost", "can", "cannot"),
)
EVIDENCE = Record(
    "证据",
    {"name": Text(), "what": Text(), "why": Text(), "how": Text(), "citations": CITATIONS},
    required=("name", "what", "why", "how"),
)
STATEMENT = Record("法律要点", {"text": Text(), "citations": CITATIONS}, required=("text",))
OPTION = Record(
    "选项",
    {"id": Ref("选项"), "text": Text(), "help": Text(), "next": Ref("节点")},
    required=("id", "text", "next"),
)
QUESTION = Record(
    "问题",
    {"text": Text(), "help": Text(), "options": ListOf(OPTION)},
    required=("text", "options"),
)
RANKED_ROUTE = Record(
    "推荐途径", {"route": Ref("途径"), "reason": Text()}, required=("route", "reason")
)
EVIDENCE_LIST = Record(
    "证据清单",
    {"required": ListOf(Ref("证据")), "helpful": ListOf(Ref("证据"))},
    required=("required",),
)
OUTCOME = Record(
    "结果",
    {
        "title": Text(),
        "summary": Text(),
        "primary": RANKED_ROUTE,
        "alternatives": ListOf(RANKED_ROUTE),
        "evidence": EVIDENCE_LIST,
        "next_steps": ListOf(Text(), 1),
        "deadlines": ListOf(Ref("期限")),
        "compensation": Ref("赔偿"),
        "citations": CITATIONS,
    },
    required=("title", "summary", "primary", "evidence", "next_steps"),
    hints={"primary": "每个结果都要有首选途径，请加上 primary: {route: <途径编号>, reason: <推荐理由>}"},
)
# One content file may hold any of these sections; the loader merges them across files.
FILE = Record(
    "内容文件",
    {
        "start": Ref("问题"),
        "laws": IdMap("法律", LAW),
        "routes": IdMap("途径", ROUTE),
        "evidence": IdMap("证据", EVIDENCE),
        "deadlines": IdMap("期限", STATEMENT),
        "compensation": IdMap("赔偿", STATEMENT),
        "questions": IdMap("问题", QUESTION),
        "outcomes": IdMap("结果", OUTCOME),
    },
    required=(),
)
SECTIONS = tuple(k for k in FILE.fields if k != "start")


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a content file, for editors (yaml-language-server)."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "消费维权指南 decision-tree content",
        **FILE.json_schema(),
    }
