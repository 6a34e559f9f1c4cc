"""Drive the engine through its JSON contract only: random typed walks, their prefixes, bad requests.

Standard library only: the same code runs under the host's CPython and inside Pyodide, where the
build uses it to learn which standard-library modules the engine really imports (what the trimmed
``python_stdlib.zip`` must hold) and the tests use it to check that the trimmed stdlib still runs
everything. It knows ``respond(request_json) -> json`` and the question shape of DESIGN.md's
contract, nothing of the engine's insides, so it follows the engine as the engine changes. (The
static paths come from the engine itself, on the CPython side: the tests pass them in as requests.)
"""

from __future__ import annotations

import hashlib
import json
import random

TODAY = "2026-11-30"  # one fixed "today", so two interpreters on two days still agree
# Values a visitor might type, per question type; None ("不清楚") only where the question offers it.
AMOUNTS = (0, 1, 99.5, 500, 3000, 12000, 250000)
DATES = ("2020-02-29", "2023-06-01", "2025-12-31", "2026-11-20", "2026-11-30")
# A document's text for decision_tree.api.docx: Chinese, XML's special characters, an empty line.
DOCX_SAMPLE = "致：某某商店\n\n我于2026年11月22日购买的商品 <259 元> & 运费……\n此致"
# Requests that must be refused with a clear error, never a traceback.
BAD_REQUESTS = ("not json", "{}", '"text"', "[[1, 2, 3]]", '[["no_such_question", "x"]]',
                '{"answers": [], "today": "not a date"}')


def typed_value(question: dict, rng: random.Random):
    """A plausible answer of the question's type, sometimes "不清楚" where that is offered."""
    kind = question.get("type", "choice")
    if question.get("unknown") and rng.random() < 0.15:
        return None
    options = [o["id"] for o in question.get("options") or []]
    if kind == "multi":
        return rng.sample(options, rng.randint(1, min(3, len(options)))) if options else []
    if kind == "amount":
        return rng.choice(AMOUNTS)
    if kind == "date":
        return rng.choice(DATES)
    return rng.choice(options)


def random_requests(respond, walks: int, seed: int = 2026) -> list[str]:
    """``walks`` walks from the start to a result, answering at random: every prefix is a request."""
    rng = random.Random(seed)
    out: list[str] = []
    for _ in range(walks):
        answers: list = []
        for _step in range(500):
            request = json.dumps({"answers": answers, "today": TODAY}, ensure_ascii=False)
            out.append(request)
            reply = json.loads(respond(request))
            if reply.get("status") != "question":
                break
            answers = answers + [[reply["question"]["id"], typed_value(reply["question"], rng)]]
    return out + list(BAD_REQUESTS)


def exercise(respond, requests: list[str]) -> list[str]:
    """One line per request: the request, a tab, a digest of the engine's response (small enough to
    keep thousands of them in memory, exact enough that any difference shows)."""
    return [request + "\t" + hashlib.sha256(respond(request).encode("utf-8")).hexdigest()[:24]
            for request in requests]
