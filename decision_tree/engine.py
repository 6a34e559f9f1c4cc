"""The interview and the result: given the answers so far and today's date, the next question or
the case's result, composed from the rules that fire."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from datetime import date
from typing import Any

from decision_tree.logic import Answers, facts_read, holds, period_end, value_of
from decision_tree.model import Citation, Fact, Rule, Tree

MAX_AMOUNT = 1e10


class AnswerError(ValueError):
    """The answers do not fit the questionnaire: an unknown id, a bad value, or out of order."""


def display(fact: Fact, value: Any) -> str:
    """An answer as the visitor would read it."""
    if value is None:
        return fact.unknown or "不清楚"
    if fact.type == "choice":
        return fact.option(value).text  # type: ignore[union-attr]
    if fact.type == "multi":
        return "；".join(fact.option(v).text for v in value)  # type: ignore[union-attr]
    if fact.type == "amount":
        return f"{yuan(value)} 元"
    return chinese_date(value)


def yuan(v: float) -> str:
    return f"{v:,.2f}".rstrip("0").rstrip(".") if v != int(v) else f"{int(v):,}"


def chinese_date(iso: str) -> str:
    d = date.fromisoformat(iso)
    return f"{d.year}年{d.month}月{d.day}日"


def _check_value(fact: Fact, value: Any, today: date, number: int) -> Any:
    """The answer in canonical form, or AnswerError saying what is wrong with it."""
    where = f"第 {number} 个回答（{fact.id}）"
    if value is None:
        if fact.unknown is None:
            raise AnswerError(f"{where}不能回答“不清楚”：这个问题需要一个明确的回答。")
        return None
    if fact.type == "choice":
        if not isinstance(value, str) or fact.option(value) is None:
            raise AnswerError(f"{where}不是这个问题的选项。链接可能来自旧版问卷或被改动过，请重新开始。")
        return value
    if fact.type == "multi":
        if (not isinstance(value, list) or not value
                or not all(isinstance(v, str) and fact.option(v) for v in value)
                or len(set(value)) != len(value)):
            raise AnswerError(f"{where}应是这个问题的一个或几个不重复的选项。请重新选择。")
        return [o.id for o in fact.options if o.id in value]  # declared order: one answer, one form
    if fact.type == "amount":
        if (isinstance(value, bool) or not isinstance(value, (int, float))
                or not math.isfinite(value) or not 0 <= value <= MAX_AMOUNT):
            raise AnswerError(f"{where}应是一个不小于 0 的金额（元）。")
        return round(float(value), 2)
    try:
        day = date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        day = None
    if day is None:
        raise AnswerError(f"{where}应是一个日期，格式为 YYYY-MM-DD。")
    if day > today:
        raise AnswerError(f"{where}的日期 {value} 晚于今天（{today.isoformat()}），请检查。")
    return day.isoformat()


def next_fact(tree: Tree, answers: Answers, today: date) -> Fact | None:
    """The first fact, in declared order, that is not answered and whose ask_if holds."""
    for fact in tree.facts.values():
        if fact.id not in answers and holds(fact.ask_if, answers, today):
            return fact
    return None


def interview(tree: Tree, pairs: Sequence[Any], today: date) -> tuple[Answers, Fact | None]:
    """Apply ``pairs`` in order; return the answers and the next fact to ask (None when done)."""
    answers: Answers = {}
    for number, pair in enumerate(pairs, start=1):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2 or not isinstance(pair[0], str):
            raise AnswerError(f"第 {number} 个回答格式不对：应为 [问题编号, 回答]。")
        fact_id, value = pair
        expected = next_fact(tree, answers, today)
        if expected is None:
            raise AnswerError(f"第 {number} 个回答是多余的：问卷在此之前已经得出结果。请重新开始。")
        if fact_id not in tree.facts:
            raise AnswerError(
                f"第 {number} 个回答指向未知的问题。链接可能来自旧版问卷或被改动过，请重新开始。"
            )
        if fact_id != expected.id:
            raise AnswerError(
                f"第 {number} 个回答顺序不对：此时应回答“{expected.id}”，收到的是“{fact_id}”。请重新开始。"
            )
        answers[fact_id] = _check_value(expected, value, today, number)
    return answers, next_fact(tree, answers, today)


@dataclass(frozen=True)
class Question:
    fact: Fact
    answered: int

    def to_json(self) -> dict[str, Any]:
        f = self.fact
        return {
            "status": "question",
            "answered": self.answered,
            "question": {
                "id": f.id,
                "text": f.text,
                "help": f.help,
                "type": f.type,
                "options": [{"id": o.id, "text": o.text, "help": o.help} for o in f.options],
                "unknown": f.unknown,
            },
        }


_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)(?::([a-z][a-z0-9_]*))?\}")


class _Case:
    """One walk's answers and the rules they fire, composed into the contract's result."""

    def __init__(self, tree: Tree, answers: Answers, today: date):
        self.tree, self.answers, self.today = tree, answers, today
        fired = [r for r in tree.rules if holds(r.when, answers, today)]
        ruled_out = {r.effects["exclude"]["route"] for r in fired if "exclude" in r.effects}
        # A rule that recommends a route that is ruled out says nothing else either: its deadline,
        # evidence and steps belong to that route.
        self.fired: list[Rule] = [r for r in fired if r.effects.get("route", {}).get("id") not in ruled_out]
        self.deadlines = self._deadlines()

    def fill(self, text: str, blank: str = "（未回答）") -> str:
        """Put the answers (and computed dates) into a text's ``{fact}`` / ``{deadline:id}`` slots."""
        def one(m: re.Match) -> str:
            name, arg = m.groups()
            if name == "today":
                return chinese_date(self.today.isoformat())
            if name == "deadline":
                d = self.deadlines.get(arg)
                return chinese_date(d["date"]) if d and d["date"] else "【日期待定】"
            if name == "list":
                return self.listing(arg)
            fact = self.tree.facts[name]
            if name not in self.answers or (self.answers[name] is None and blank.startswith("【")):
                return blank
            return display(fact, self.answers[name])
        return _PLACEHOLDER.sub(one, text)

    def effects(self, kind: str) -> list[tuple[Rule, Any]]:
        return [(r, r.effects[kind]) for r in self.fired if kind in r.effects]

    def _deadlines(self) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for rule, d in self.effects("deadline"):
            if d["id"] in out:
                continue
            start = self.today.isoformat() if d["from"] == "today" else self.answers.get(d["from"])
            end = period_end(date.fromisoformat(start), d["period"], self.tree.calendar) if start else None
            out[d["id"]] = {
                "id": d["id"],
                "text": d["text"],
                "date": end.isoformat() if end else None,
                "citations": [c.to_json() for c in rule.citations],
            }
        return out

    def routes(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        excluded: dict[str, str] = {}
        for _rule, e in self.effects("exclude"):
            excluded.setdefault(e["route"], self.fill(e["reason"]))
        best: dict[str, tuple[float, str]] = {}
        for _rule, e in self.effects("route"):
            if e["id"] not in excluded and e["score"] > best.get(e["id"], (-1, ""))[0]:
                best[e["id"]] = (e["score"], self.fill(e["reason"]))
        order = list(self.tree.routes)
        ranked = sorted(best, key=lambda rid: (-best[rid][0], order.index(rid)))
        name = lambda rid: self.tree.routes[rid].name  # noqa: E731
        return (
            [{"id": r, "name": name(r), "reason": best[r][1]} for r in ranked],
            [{"id": r, "name": name(r), "reason": why} for r, why in excluded.items()],
        )

    @cached_property
    def evidence(self) -> list[dict[str, Any]]:
        required: dict[str, bool] = {}
        for _rule, e in self.effects("evidence"):
            for eid in e.get("required", []):
                required[eid] = True
            for eid in e.get("helpful", []):
                required.setdefault(eid, False)
        items = sorted(required.items(), key=lambda kv: not kv[1])  # required first, stable
        return [
            {"id": eid, "name": ev.name, "required": req, "what": ev.what, "why": ev.why, "how": ev.how}
            for eid, req in items
            for ev in [self.tree.evidence[eid]]
        ]

    @cached_property
    def entitlements(self) -> list[dict[str, Any]]:
        out, seen = [], set()
        for rule, e in self.effects("entitlement"):
            if e["id"] in seen:
                continue
            seen.add(e["id"])
            amount = value_of(e["amount"], self.answers, self.today) if "amount" in e else None
            out.append({
                "id": e["id"],
                "text": self.fill(e["text"]),
                "amount_yuan": None if amount is None else round(amount, 2),
                "formula": e.get("formula"),
                "citations": [c.to_json() for c in rule.citations],
            })
        return out

    def listing(self, what: str) -> str:
        """A numbered list for a document: entitlements, evidence or the law relied on."""
        if what == "entitlements":
            lines = [
                e["text"] + (f"：{yuan(e['amount_yuan'])} 元" if e["amount_yuan"] is not None
                             else (f"（{e['formula']}）" if e["formula"] else ""))
                for e in self.entitlements
            ]
        elif what == "evidence":
            lines = [e["name"] for e in self.evidence]
        elif what == "facts":
            lines = [f"{self.tree.facts[k].text.rstrip('？?')}：{display(self.tree.facts[k], v)}"
                     for k, v in self.answers.items()]
        else:  # law: what the claims rest on, not the procedure
            rules = [r for r in self.fired if "entitlement" in r.effects or "defence" in r.effects]
            cites = list(dict.fromkeys(c for r in rules for c in r.citations))
            lines = [f"《{c.law.short}》{c.article}" for c in cites]
        return "\n".join(f"{i}. {line}" for i, line in enumerate(lines, 1)) or "（无）"

    @cached_property
    def citations(self) -> list[Citation]:
        seen: dict[tuple[str, str], Citation] = {}
        for rule in self.fired:
            for c in rule.citations:
                seen.setdefault(c.key, c)
        return list(seen.values())  # in the order the rules that fired cite them

    def documents(self, routes: list[dict[str, Any]]) -> list[dict[str, Any]]:
        ranked = {r["id"] for r in routes}
        return [
            {"id": d.id, "title": d.title, "send_to": d.send_to,
             "text": self.fill(d.text, blank="【请填写】")}
            for d in self.tree.documents
            if holds(d.when, self.answers, self.today) and (not d.routes or ranked & set(d.routes))
        ]

    def to_json(self) -> dict[str, Any]:
        routes, excluded = self.routes()
        summaries = self.effects("summary")
        summary = summaries[0][1] if summaries else {"title": "你的情况", "text": ""}
        # The first thing to do belongs to the route ranked first.
        nows = [n for _r, n in self.effects("now") if n["route"] == routes[0]["id"]]
        now = None
        if nows:
            n = nows[0]
            deadline = self.deadlines.get(n.get("deadline", ""))
            now = {"step": self.fill(n["step"]), "date": deadline["date"] if deadline else None,
                   "document": n.get("document")}
        steps = list(dict.fromkeys(self.fill(s) for _r, e in self.effects("next_steps") for s in e))
        defences, seen = [], set()
        for rule, d in self.effects("defence"):
            if d["id"] not in seen:
                seen.add(d["id"])
                defences.append({"id": d["id"], "claim": self.fill(d["claim"]),
                                 "answer": self.fill(d["answer"]),
                                 "citations": [c.to_json() for c in rule.citations]})
        return {
            "summary": {"title": self.fill(summary["title"]), "text": self.fill(summary["text"])},
            "now": now,
            "primary_route": routes[0],
            "alternatives": routes[1:],
            "excluded": excluded,
            "evidence": self.evidence,
            "entitlements": self.entitlements,
            "deadlines": list(self.deadlines.values()),
            "defences": defences,
            "next_steps": steps,
            "documents": self.documents(routes),
            "citations": [c.to_json() for c in self.citations],
            "trace": [
                {"question": self.tree.facts[k].text, "answer": display(self.tree.facts[k], v),
                 "question_id": k, "value": v}
                for k, v in self.answers.items()
            ],
            "rules": [r.id for r in self.fired],
            "why": [{"rule": r.id, "facts": [f for f in facts_read(r.when) if f in self.answers]}
                    for r in self.fired],
            "calendar": {"last_year": self.tree.calendar.last_year, "source": self.tree.calendar.source},
        }


@dataclass(frozen=True)
class Result:
    case: _Case

    def to_json(self) -> dict[str, Any]:
        return {"status": "result", "result": self.case.to_json()}


def walk(tree: Tree, pairs: Sequence[Any], today: date) -> Question | Result:
    """The next question for ``pairs`` (``[fact_id, value]``), or the result once none is left.

    Raises AnswerError, in words a visitor can act on, for anything that does not fit.
    """
    answers, fact = interview(tree, pairs, today)
    if fact is not None:
        return Question(fact, len(answers))
    case = _Case(tree, answers, today)
    if not any(True for _ in case.effects("route")):
        raise AnswerError("这些回答没有对应的建议（内容缺少兜底规则），请联系我们。")
    return Result(case)


def static_choices(fact: Fact) -> list[Any]:
    """The answers the static tree offers for ``fact``: choices, one option of a multi, amount
    bands; "不清楚" where offered; a fact the static tree does not ask is answered "不清楚"."""
    if not fact.static:
        return [None]
    if fact.type == "choice":
        return [o.id for o in fact.options] + ([None] if fact.unknown else [])
    if fact.type == "multi":
        return [[o.id] for o in fact.options]
    if fact.type == "amount" and fact.bands:
        return [b.value for b in fact.bands] + ([None] if fact.unknown else [])
    return [None]


def static_paths(tree: Tree, today: date) -> list[tuple[tuple[str, Any], ...]]:
    """Every walk the static tree shows, in option order."""
    paths: list[tuple[tuple[str, Any], ...]] = []

    def visit(answers: Answers, prefix: tuple[tuple[str, Any], ...]) -> None:
        fact = next_fact(tree, answers, today)
        if fact is None:
            paths.append(prefix)
            return
        for value in static_choices(fact):
            visit({**answers, fact.id: value}, prefix + ((fact.id, value),))

    visit({}, ())
    return paths
