"""The compiled case model as plain, immutable Python objects (standard library only).

Facts are the questions; rules say what follows from the answers, each with its citations.
Conditions and formulas stay plain JSON data: ``decision_tree.logic`` evaluates them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Law:
    """A statute or rule, in the version the content cites."""

    id: str
    name: str
    short: str
    version: str
    effective: str
    url: str | None


@dataclass(frozen=True)
class Citation:
    """One article of one law; ``caution`` says what is not yet verified."""

    law: Law
    article: str
    caution: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.law.id, self.article)

    def to_json(self) -> dict[str, Any]:
        return {
            "law": self.law.short,
            "article": self.article,
            "law_id": self.law.id,
            "law_name": self.law.name,
            "version": self.law.version,
            "effective": self.law.effective,
            "url": self.law.url,
            "caution": self.caution,
        }


@dataclass(frozen=True)
class Route:
    """A dispute route (协商, 12315 投诉, 诉讼…) with the guidance its page shows."""

    id: str
    name: str
    summary: str
    when: tuple[str, ...]
    prepare: tuple[str, ...]
    steps: tuple[str, ...]
    duration: str
    cost: str
    can: tuple[str, ...]
    cannot: tuple[str, ...]
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class EvidenceItem:
    """A piece of evidence: what it is, why it matters, how to get and keep it."""

    id: str
    name: str
    what: str
    why: str
    how: str
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class Option:
    id: str
    text: str
    help: str | None


@dataclass(frozen=True)
class Band:
    """A range of an amount, offered instead of a number where no number can be typed (static tree)."""

    id: str
    text: str
    value: float


@dataclass(frozen=True)
class Fact:
    """One question: ``type`` is choice, multi, amount or date; ``unknown`` labels the "不清楚" answer."""

    id: str
    text: str
    help: str | None
    type: str
    options: tuple[Option, ...]
    unknown: str | None
    ask_if: Any
    bands: tuple[Band, ...]
    static: bool

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)


@dataclass(frozen=True)
class Rule:
    """One legal consequence under one condition, with the articles it rests on."""

    id: str
    when: Any
    effects: dict[str, Any]
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class DocumentTemplate:
    """A text the consumer can send (a letter, a complaint, a claim), filled from the case."""

    id: str
    title: str
    when: Any
    text: str
    send_to: str
    routes: tuple[str, ...]  # shown only when one of these routes is recommended; () = always


@dataclass(frozen=True)
class Calendar:
    """Mainland China's official holidays and make-up working days, known up to ``last_year``."""

    holidays: frozenset[str]
    workdays: frozenset[str]
    last_year: int
    source: str


@dataclass(frozen=True)
class Tree:
    """Everything the engine needs, resolved: ids point at objects, not at other ids."""

    version: str
    facts: dict[str, Fact]
    rules: tuple[Rule, ...]
    routes: dict[str, Route]
    evidence: dict[str, EvidenceItem]
    laws: dict[str, Law]
    documents: tuple[DocumentTemplate, ...]
    calendar: Calendar

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Tree:
        """Build the model from the dict that ``authoring.compile`` wrote as tree.json."""
        laws = {k: Law(id=k, **v) for k, v in data["laws"].items()}

        def cites(raw: list[dict[str, Any]]) -> tuple[Citation, ...]:
            return tuple(Citation(laws[c["law"]], c["article"], c.get("caution")) for c in raw)

        routes = {
            k: Route(
                id=k,
                **{f: tuple(v[f]) for f in ("when", "prepare", "steps", "can", "cannot")},
                **{f: v[f] for f in ("name", "summary", "duration", "cost")},
                citations=cites(v["citations"]),
            )
            for k, v in data["routes"].items()
        }
        evidence = {
            k: EvidenceItem(k, v["name"], v["what"], v["why"], v["how"], cites(v["citations"]))
            for k, v in data["evidence"].items()
        }
        facts = {
            v["id"]: Fact(
                id=v["id"],
                text=v["text"],
                help=v.get("help"),
                type=v["type"],
                options=tuple(Option(o["id"], o["text"], o.get("help")) for o in v["options"]),
                unknown=v.get("unknown"),
                ask_if=v.get("ask_if"),
                bands=tuple(Band(b["id"], b["text"], b["value"]) for b in v["bands"]),
                static=v["static"],
            )
            for v in data["facts"]
        }
        rules = tuple(
            Rule(r["id"], r.get("when"), r["effects"], cites(r["citations"])) for r in data["rules"]
        )
        documents = tuple(
            DocumentTemplate(d["id"], d["title"], d.get("when"), d["text"], d["send_to"], tuple(d["routes"]))
            for d in data["documents"]
        )
        cal = data["calendar"]
        calendar = Calendar(
            frozenset(cal["holidays"]), frozenset(cal["workdays"]), cal["last_year"], cal["source"]
        )
        return cls(data["version"], facts, rules, routes, evidence, laws, documents, calendar)
