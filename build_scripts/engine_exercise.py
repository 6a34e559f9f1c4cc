"""Drive the engine through its JSON contract only: every choice path, then random typed answers.

Standard library only: the same code runs under the host's CPython and inside Pyodide, where the
build uses it to learn which standard-library modules the engine really imports (what the trimmed
``python_stdlib.zip`` must hold) and the tests use it to check that the trimmed stdlib still runs
everything. It knows ``respond(answers_json) -> json`` and the question shape of DESIGN.md's
contract, nothing of the engine's insides, so it follows the engine as the engine changes.
"""

from __future__ import annotations

import json
import random

# Values a visitor might type, per question type; None ("不清楚") only where the question offers it.
AMOUNTS = (0, 1, 99.5, 500, 3000, 12000, 250000)
DATES = ("2020-02-29", "2023-06-01", "2025-12-31", "2026-11-20", "2026-11-30")
# Requests that must be refused with a clear error, never a traceback.
BAD_REQUESTS = ("not json", "{}", '"text"', "[[1, 2, 3]]", '[["no_such_question", "x"]]')


def choice_paths(respond, limit: int = 20000) -> list[tuple[list, str]]:
    """Every path through the choice questions (typed questions get one fixed answer), with the
    response to each prefix: ``[(answers, response_text), ...]`` in depth-first order."""
    out: list[tuple[list, str]] = []
    stack: list[list] = [[]]
    while stack and len(out) < limit:
        answers = stack.pop()
        text = respond(json.dumps(answers))
        out.append((answers, text))
        reply = json.loads(text)
        if reply.get("status") != "question":
            continue
        question = reply["question"]
        kind = question.get("type", "choice")
        if kind == "choice":
            for option in reversed(question["options"]):
                stack.append(answers + [[question["id"], option["id"]]])
        else:
            stack.append(answers + [[question["id"], typed_value(question, random.Random(len(answers)))]])
    return out


def typed_value(question: dict, rng: random.Random):
    """A plausible answer of the question's type, sometimes "不清楚" where that is offered."""
    kind = question.get("type", "choice")
    if question.get("unknown") and rng.random() < 0.15:
        return None
    options = [o["id"] for o in question.get("options") or []]
    if kind == "multi":
        return rng.sample(options, rng.randint(1, len(options))) if options else []
    if kind == "amount":
        return rng.choice(AMOUNTS)
    if kind == "date":
        return rng.choice(DATES)
    return rng.choice(options)


def random_walks(respond, count: int, seed: int = 2026) -> list[tuple[list, str]]:
    """``count`` walks from the start to a result (or error), answering at random."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        answers: list = []
        for _step in range(500):
            text = respond(json.dumps(answers))
            reply = json.loads(text)
            if reply.get("status") != "question":
                break
            answers.append([reply["question"]["id"], typed_value(reply["question"], rng)])
        out.append((answers, text))
    return out


def exercise(respond, walks: int = 40, seed: int = 2026) -> list[str]:
    """One line per request (its answers, then the engine's response), for comparing interpreters."""
    lines = []
    for answers, text in choice_paths(respond) + random_walks(respond, walks, seed):
        lines.append(json.dumps(answers, ensure_ascii=False) + "\t" + text)
    for bad in BAD_REQUESTS:
        lines.append(bad + "\t" + respond(bad))
    return lines
