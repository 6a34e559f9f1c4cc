"""Consumers' cases for the browser tests, and how to answer the questionnaire in a page.

A case names only the answers that make it that case; every other question the engine asks gets a
plain default (the first option, or "不清楚" where offered). ``plan`` asks the engine itself (the
host's CPython, the same package the page runs in Pyodide) which questions come, so the cases keep
working when questions are added or reordered.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from decision_tree.api import step

# The page sends the visitor's local date; the browser runs on this machine, in its time zone.
TODAY = date.today()


def ago(days: int) -> str:
    return (TODAY - timedelta(days=days)).isoformat()


# Issue #9: an online order whose 7-day return the shop refused (the platform not yet asked);
# issue #8: the other three.
CASES: dict[str, dict[str, Any]] = {
    "refused_online_return": {
        "problems": ["change_of_mind"], "item": "goods", "channel": "platform", "price": 259,
        "purchase_date": ago(8), "received_date": ago(6), "discovered_date": ago(6),
        "merchant_status": "operating", "wants": ["refund"], "merchant_response": "refused",
        "platform_step": "not_yet", "tried": ["none"],
    },
    "expired_milk_powder": {
        "problems": ["food_unsafe"], "item": "food", "channel": "store", "price": 320,
        "purchase_date": ago(20), "discovered_date": ago(12), "food_issue": ["expired"],
        "knew_before": "did_not_know", "merchant_status": "operating", "wants": ["refund", "compensation"],
        "merchant_response": "refused", "tried": ["none"],
    },
    "ebike_false_range_and_fire": {
        "problems": ["not_as_described", "harm"], "item": "ebike", "channel": "platform",
        "price": 2899, "purchase_date": ago(90), "received_date": ago(85), "discovered_date": ago(10),
        "deliberate": "knowingly", "harm_kinds": ["property"], "harm_amount": 1800,
        "merchant_status": "operating", "wants": ["compensation"], "merchant_response": "refused",
        "platform_step": "failed", "tried": ["none"],
    },
    "prepaid_card_company_deregistered": {
        "problems": ["prepaid"], "item": "service", "channel": "store", "price": 3000,
        "purchase_date": ago(200), "discovered_date": ago(30), "prepaid_situation": "closed",
        "balance": 2400, "merchant_status": "deregistered", "wants": ["refund"], "tried": ["none"],
    },
}


def default(question: dict[str, Any]) -> Any:
    if question["type"] in ("choice", "multi"):
        first = question["options"][0]["id"]
        return [first] if question["type"] == "multi" else first
    if question["unknown"] is not None:
        return None
    return 100 if question["type"] == "amount" else ago(1)


def plan(tree, case: dict[str, Any], stop_after: int | None = None) -> list[list[Any]]:
    """The answers the page will give for ``case``, in the order the engine asks (all of them, or
    the first ``stop_after``)."""
    answers: list[list[Any]] = []
    while stop_after is None or len(answers) < stop_after:
        r = step(tree, answers, TODAY)
        assert r["status"] != "error", (answers, r)
        if r["status"] == "result":
            break
        q = r["question"]
        answers.append([q["id"], case[q["id"]] if q["id"] in case else default(q)])
    return answers


def respond(tree, answers) -> dict[str, Any]:
    return step(tree, [list(a) for a in answers], TODAY)


def result(tree, answers) -> dict[str, Any]:
    r = respond(tree, answers)
    assert r["status"] == "result", r
    return r["result"]


def fragment(answers) -> str:
    """The share fragment the page writes for ``answers`` (see questionnaire.js, encodeValue)."""

    def value(v):
        if v is None:
            return "~"
        if isinstance(v, list):
            return "".join("+" + x for x in v)
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return str(v)

    return "#a=" + ",".join(f"{q}:{value(v)}" for q, v in answers)


def js_number(v: float | None) -> str:
    """How the page writes a number into an attribute (JavaScript's String(n))."""
    if v is None:
        return ""
    return str(int(v)) if float(v).is_integer() else repr(float(v))


def chinese_date(iso: str) -> str:
    d = date.fromisoformat(iso)
    return f"{d.year}年{d.month}月{d.day}日"


def yuan(v: float) -> str:
    """An amount as the engine and page write it: 2,899 元, 99.5 元."""
    return (f"{int(v):,}" if float(v).is_integer() else f"{v:,.2f}".rstrip("0")) + " 元"


# ---------------------------------------------------------------------------------------------
# The page.


def give(page, qid: str, value: Any) -> None:
    """Answer question ``qid`` on the page as a visitor would: tap, tick, type or pick a date."""
    fs = page.locator(f'[data-questionnaire] fieldset[data-question="{qid}"]')
    fs.wait_for()
    kind = fs.get_attribute("data-type")
    if value is None:
        fs.locator('[data-action="unknown"]').click()
    elif kind == "multi":
        for b in fs.locator('[data-option][aria-pressed="true"]').all():
            b.click()  # a multi shown again after Back keeps its ticks: start from none
        for oid in value:
            fs.locator(f'[data-option="{oid}"]').click()
        fs.locator('[data-action="next"]').click()
    elif kind in ("amount", "date"):
        fs.locator('input[name="value"]').fill(str(value))
        fs.locator('[data-action="next"]').click()
    else:
        fs.locator(f'[data-option="{value}"]').click()


def walk(page, answers) -> None:
    for qid, value in answers:
        give(page, qid, value)
    page.wait_for_selector("[data-questionnaire] [data-result]")


READ_RESULT = """
() => {
  const r = document.querySelector("[data-questionnaire] [data-result]");
  const all = (sel) => [...r.querySelectorAll(sel)];
  const now = r.querySelector("[data-now]");
  return {
    sections: all(":scope > section").map((s) => s.querySelector("h3").textContent),
    now: now && {
      step: now.querySelector(".cdg-now-step")?.textContent ?? null,
      date: now.querySelector("[data-date]")?.dataset.date ?? null,
      document: now.querySelector("[data-document]")?.dataset.document ?? null,
    },
    routes: all("[data-route]").map((e) => [e.dataset.route, Number(e.dataset.rank)]),
    routeLinks: all("[data-route] a").map((a) => a.href),
    excluded: all("[data-excluded]").map((e) => e.dataset.excluded),
    evidence: all("[data-evidence]").map((e) => [e.dataset.evidence, e.dataset.required === "true"]),
    evidenceLinks: all("[data-evidence] a").map((a) => a.href),
    entitlements: all("[data-entitlement]").map((e) => [e.dataset.entitlement, e.dataset.amount]),
    deadlines: all("[data-deadline]").map((e) => [e.dataset.deadline, e.dataset.date]),
    defences: all("[data-defence]").map((e) => e.dataset.defence),
    documents: all("[data-document]").map((e) => [e.dataset.document, e.querySelector("textarea").value]),
    citations: all("[data-citation]").map((e) => [e.dataset.law, e.dataset.article]),
    trace: all("[data-review] [data-trace]").map((e) => e.dataset.trace),
  };
}
"""


def expected(tree, answers) -> dict[str, Any]:
    """What the engine says for ``answers``, in the shape READ_RESULT reads from the page."""
    r = result(tree, answers)
    now = r.get("now") or {
        "step": r["next_steps"][0] if r["next_steps"] else None,
        "date": None,
        "document": r["documents"][0]["id"] if r["documents"] else None,
    }
    citations: dict[str, list[str]] = {}
    for c in r["citations"]:
        articles = citations.setdefault(c["law_id"], [])
        if c["article"] not in articles:
            articles.append(c["article"])
    return {
        "now": {"step": now["step"], "date": now["date"], "document": now["document"]},
        "routes": [[r["primary_route"]["id"], 1]]
        + [[a["id"], i] for i, a in enumerate(r["alternatives"], start=2)],
        "excluded": [x["id"] for x in r["excluded"]],
        "evidence": [[e["id"], e["required"]] for e in r["evidence"]],
        "entitlements": [[e["id"], js_number(e["amount_yuan"])] for e in r["entitlements"]],
        "deadlines": [[d["id"], d["date"] or ""] for d in r["deadlines"]],
        "defences": [d["id"] for d in r["defences"]],
        # The document to send now comes first (in 现在就做), then the others in the engine's order.
        "documents": sorted(
            ([d["id"], d["text"]] for d in r["documents"]), key=lambda d: d[0] != now["document"]
        ),
        "citations": [[law, a] for law, articles in citations.items() for a in articles],
        "trace": [t["question_id"] for t in r["trace"]],
    }


def check_result(page, tree, answers, site_url) -> dict[str, Any]:
    """The page's result for ``answers`` is the engine's, field by field; returns what it read."""
    got = page.evaluate(READ_RESULT)
    want = expected(tree, answers)
    for key, value in want.items():
        assert got[key] == value, f"{key} for answers {json.dumps(answers, ensure_ascii=False)}"
    assert got["routeLinks"] == [site_url(f"routes/{rid}/") for rid, _ in got["routes"]]
    assert got["evidenceLinks"] == [site_url(f"evidence/#{eid}") for eid, _ in got["evidence"]]
    return got
