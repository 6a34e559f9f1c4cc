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
@dataclass(frozen=True)
class Scalar:
    """A plain YAML value: a number (int or float) or a flag (true or false)."""

    name: str  # as messages call it
    json_type: str  # "number" or "boolean"
    yaml_tags: tuple[str, ...]  # the YAML tags that are this kind of value

    def describe(self) -> str:
        return self.name

    def json_schema(self) -> dict[str, Any]:
        return {"type": self.json_type}


NUMBER = Scalar("数字", "number", ("int", "float"))
FLAG = Scalar("真假值（true 或 false）", "boolean", ("bool",))


@dataclass(frozen=True)
class Logic:
    """A condition or a formula: nested mappings and lists, checked by the validator."""

    kind: str

    def describe(self) -> str:
        return self.kind

    def json_schema(self) -> dict[str, Any]:
        return {"type": ["object", "number"]}


CONDITION = Logic("条件（all/any/not，或 fact 加 is/in/includes/known/lt/lte/gt/gte）")
FORMULA = Logic("公式（数字、{fact: …}、{days_since: …}、{years_since: …}，或 add/sub/mul/max/min/round）")
FACT_TYPES = ("choice", "multi", "amount", "date")
OPTION = Record("选项", {"id": Ref("选项"), "text": Text(), "help": Text()}, required=("id", "text"))
BAND = Record("金额档", {"id": Ref("金额档"), "text": Text(), "value": NUMBER}, required=("id", "text", "value"))
FACT = Record(
    "问题",
    {
        "text": Text(),
        "help": Text(),
        "type": Text(),
        "options": ListOf(OPTION),
        "unknown": Text(),
        "ask_if": CONDITION,
        "bands": ListOf(BAND),
        "static": FLAG,
    },
    required=("text", "type"),
    hints={"type": "写 type: choice、multi、amount 或 date"},
)
RANKED = Record("推荐途径", {"id": Ref("途径"), "score": NUMBER, "reason": Text()},
                required=("id", "score", "reason"))
EXCLUDE = Record("排除途径", {"route": Ref("途径"), "reason": Text()}, required=("route", "reason"))
ENTITLEMENT = Record(
    "权利",
    {"id": Ref("权利"), "text": Text(), "amount": FORMULA, "formula": Text()},
    required=("id", "text"),
)
PERIOD = Record(
    "期间",
    {"days": NUMBER, "working_days": NUMBER, "months": NUMBER, "years": NUMBER},
    required=(),
)
DEADLINE = Record(
    "期限",
    {"id": Ref("期限"), "text": Text(), "from": Ref("日期问题"), "period": PERIOD},
    required=("id", "text", "from", "period"),
    hints={"from": "写 from: <日期问题的编号> 或 from: today"},
)
EVIDENCE_LIST = Record(
    "证据清单", {"required": ListOf(Ref("证据")), "helpful": ListOf(Ref("证据"))}, required=()
)
DEFENCE = Record("商家抗辩", {"id": Ref("抗辩"), "claim": Text(), "answer": Text()},
                 required=("id", "claim", "answer"))
SUMMARY = Record("概述", {"title": Text(), "text": Text()}, required=("title", "text"))
NOW = Record(
    "现在就做",
    {"route": Ref("途径"), "step": Text(), "deadline": Ref("期限"), "document": Ref("文书")},
    required=("route", "step"),
)
RULE = Record(
    "规则",
    {
        "when": CONDITION,
        "summary": SUMMARY,
        "now": NOW,
        "route": RANKED,
        "exclude": EXCLUDE,
        "entitlement": ENTITLEMENT,
        "deadline": DEADLINE,
        "evidence": EVIDENCE_LIST,
        "defence": DEFENCE,
        "next_steps": ListOf(Text(), 1),
        "citations": CITATIONS,
    },
    required=(),
)
EFFECTS = ("summary", "now", "route", "exclude", "entitlement", "deadline", "evidence", "defence",
           "next_steps")
DOCUMENT = Record(
    "文书",
    {"title": Text(), "send_to": Text(), "when": CONDITION, "routes": ListOf(Ref("途径")), "text": Text()},
    required=("title", "send_to", "text"),
)
# One content file may hold any of these sections; the loader merges them across files.
FILE = Record(
    "内容文件",
    {
        "laws": IdMap("法律", LAW),
        "routes": IdMap("途径", ROUTE),
        "evidence": IdMap("证据", EVIDENCE),
        "facts": IdMap("问题", FACT),
        "rules": IdMap("规则", RULE),
        "documents": IdMap("文书", DOCUMENT),
    },
    required=(),
)
SECTIONS = tuple(FILE.fields)


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a content file, for editors (yaml-language-server)."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "消费维权指南 decision-tree content",
        **FILE.json_schema(),
    }
