"""Walk the tree: given the answers so far, the next question or the result."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from decision_tree.model import Citation, Outcome, QuestionNode, Tree


class AnswerError(ValueError):
    """The answers do not fit the tree: an unknown id, or an answer out of order."""


@dataclass(frozen=True)
class TraceStep:
    question: QuestionNode
    option_id: str

    def to_json(self) -> dict[str, str]:
        option = self.question.option(self.option_id)
        assert option is not None
        return {
            "question": self.question.text,
            "answer": option.text,
            "question_id": self.question.id,
            "answer_id": option.id,
        }


@dataclass(frozen=True)
class Question:
    """The walk stops at a question that still needs an answer."""

    node: QuestionNode
    trace: tuple[TraceStep, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "status": "question",
            "question": {
                "id": self.node.id,
                "text": self.node.text,
                "help": self.node.help,
                "options": [
                    {"id": o.id, "text": o.text, "help": o.help} for o in self.node.options
                ],
            },
            "answered": len(self.trace),
            "trace": [t.to_json() for t in self.trace],
        }


@dataclass(frozen=True)
class Result:
    """The walk reached an outcome: the routes, evidence and law for this case."""

    outcome: Outcome
    trace: tuple[TraceStep, ...]

    def citations(self) -> list[Citation]:
        """The outcome's own citations, then its primary route's, compensation's and deadlines'.

        Alternatives are left out: each links to its route page, which cites its own law, and
        merging them all made the list too long to read.
        """
        o = self.outcome
        groups = [o.citations, o.primary.route.citations]
        groups += [o.compensation.citations] if o.compensation else []
        groups += [d.citations for d in o.deadlines]
        seen: dict[tuple[str, str], Citation] = {}
        for group in groups:
            for c in group:
                seen.setdefault(c.key, c)
        return list(seen.values())

    def to_json(self) -> dict[str, Any]:
        o = self.outcome
        evidence = [(e, True) for e in o.required_evidence] + [
            (e, False) for e in o.helpful_evidence
        ]
        return {
            "status": "result",
            "result": {
                "outcome": {"id": o.id, "title": o.title, "summary": o.summary},
                "primary_route": {
                    "id": o.primary.route.id,
                    "name": o.primary.route.name,
                    "reason": o.primary.reason,
                },
                "alternatives": [
                    {"id": a.route.id, "name": a.route.name, "reason": a.reason}
                    for a in o.alternatives
                ],
                "evidence": [
                    {
                        "id": e.id,
                        "name": e.name,
                        "required": required,
                        "what": e.what,
                        "why": e.why,
                        "how": e.how,
                    }
                    for e, required in evidence
                ],
                "next_steps": list(o.next_steps),
                "deadlines": [d.text for d in o.deadlines],
                "deadline_ids": [d.id for d in o.deadlines],
                "compensation": (
                    {
                        "id": o.compensation.id,
                        "text": o.compensation.text,
                        "citations": [c.to_json() for c in o.compensation.citations],
                    }
                    if o.compensation
                    else None
                ),
                "citations": [c.to_json() for c in self.citations()],
                "trace": [t.to_json() for t in self.trace],
            },
        }


def walk(tree: Tree, answers: Sequence[Sequence[str]]) -> Question | Result:
    """Follow ``answers`` (``[question_id, option_id]`` pairs) from the start of the tree.

    Raises AnswerError, in words a visitor can act on, for anything that does not fit.
    """
    node_id = tree.start
    trace: list[TraceStep] = []
    for number, pair in enumerate(answers, start=1):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise AnswerError(
                f"第 {number} 个回答格式不对：应为 [问题编号, 选项编号]，收到的是 {pair!r}。"
            )
        question_id, option_id = pair
        if node_id in tree.outcomes:
            raise AnswerError(
                f"第 {number} 个回答（{question_id}）是多余的：问卷在此之前已经得出结果。"
                "请重新开始。"
            )
        if question_id not in tree.questions:
            raise AnswerError(
                f"第 {number} 个回答指向未知的问题“{question_id}”。"
                "链接可能来自旧版问卷或被改动过，请重新开始。"
            )
        if question_id != node_id:
            raise AnswerError(
                f"第 {number} 个回答顺序不对：此时应回答“{node_id}”，收到的是“{question_id}”。"
                "请重新开始。"
            )
        question = tree.questions[question_id]
        option = question.option(option_id)
        if option is None:
            valid = "、".join(o.id for o in question.options)
            raise AnswerError(
                f"问题“{question_id}”没有选项“{option_id}”（可选：{valid}）。"
                "链接可能来自旧版问卷或被改动过，请重新开始。"
            )
        trace.append(TraceStep(question, option_id))
        node_id = option.next
    if node_id in tree.outcomes:
        return Result(tree.outcomes[node_id], tuple(trace))
    return Question(tree.questions[node_id], tuple(trace))


def enumerate_paths(tree: Tree) -> list[tuple[tuple[tuple[str, str], ...], str]]:
    """Every path from the start to an outcome, as (answers, outcome id), in option order."""
    paths: list[tuple[tuple[tuple[str, str], ...], str]] = []

    def visit(node_id: str, prefix: tuple[tuple[str, str], ...]) -> None:
        if node_id in tree.outcomes:
            paths.append((prefix, node_id))
            return
        question = tree.questions[node_id]
        for option in question.options:
            visit(option.next, prefix + ((question.id, option.id),))

    visit(tree.start, ())
    return paths
