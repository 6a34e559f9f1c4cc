"""The compiled decision tree as plain, immutable Python objects (standard library only)."""

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
class LegalStatement:
    """A deadline or a compensation rule stated once and cited."""

    id: str
    text: str
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class Option:
    id: str
    text: str
    help: str | None
    next: str


@dataclass(frozen=True)
class QuestionNode:
    id: str
    text: str
    help: str | None
    options: tuple[Option, ...]

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)


@dataclass(frozen=True)
class RankedRoute:
    route: Route
    reason: str


@dataclass(frozen=True)
class Outcome:
    id: str
    title: str
    summary: str
    primary: RankedRoute
    alternatives: tuple[RankedRoute, ...]
    required_evidence: tuple[EvidenceItem, ...]
    helpful_evidence: tuple[EvidenceItem, ...]
    next_steps: tuple[str, ...]
    deadlines: tuple[LegalStatement, ...]
    compensation: LegalStatement | None
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class Tree:
    """Everything the engine needs, resolved: ids point at objects, not at other ids."""

    version: str
    start: str
    questions: dict[str, QuestionNode]
    outcomes: dict[str, Outcome]
    routes: dict[str, Route]
    evidence: dict[str, EvidenceItem]
    laws: dict[str, Law]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Tree:
        """Build the tree from the dict that ``authoring.compile`` wrote as tree.json."""
        laws = {k: Law(id=k, **v) for k, v in data["laws"].items()}

        def cites(raw: list[dict[str, Any]]) -> tuple[Citation, ...]:
            return tuple(Citation(laws[c["law"]], c["article"], c.get("caution")) for c in raw)

        def statement(sid: str, raw: dict[str, Any]) -> LegalStatement:
            return LegalStatement(sid, raw["text"], cites(raw["citations"]))

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
        deadlines = {k: statement(k, v) for k, v in data["deadlines"].items()}
        compensation = {k: statement(k, v) for k, v in data["compensation"].items()}
        questions = {
            k: QuestionNode(
                k,
                v["text"],
                v.get("help"),
                tuple(Option(o["id"], o["text"], o.get("help"), o["next"]) for o in v["options"]),
            )
            for k, v in data["questions"].items()
        }

        def ranked(raw: dict[str, str]) -> RankedRoute:
            return RankedRoute(routes[raw["route"]], raw["reason"])

        outcomes = {
            k: Outcome(
                id=k,
                title=v["title"],
                summary=v["summary"],
                primary=ranked(v["primary"]),
                alternatives=tuple(ranked(a) for a in v["alternatives"]),
                required_evidence=tuple(evidence[e] for e in v["evidence"]["required"]),
                helpful_evidence=tuple(evidence[e] for e in v["evidence"]["helpful"]),
                next_steps=tuple(v["next_steps"]),
                deadlines=tuple(deadlines[d] for d in v["deadlines"]),
                compensation=compensation[v["compensation"]] if v.get("compensation") else None,
                citations=cites(v["citations"]),
            )
            for k, v in data["outcomes"].items()
        }
        return cls(data["version"], data["start"], questions, outcomes, routes, evidence, laws)
