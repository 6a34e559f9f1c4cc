"""Scenario files: one consumer's account each, the typed answers, "today", and what an expert expects.

A file is named by the sentence it proves, e.g. ``超市卖过期奶粉拒绝赔偿时小额诉讼主张十倍赔偿.yaml``:

    account: 我在家门口的超市买了……          # the story, as the consumer tells it
    today: "2026-11-30"                       # the day the consumer answers
    answers:                                  # [fact id, value] pairs, in the order asked
      - [problems, [food_unsafe]]             #   multi: a list of option ids
      - [item, food]                          #   choice: an option id
      - [price, 320]                          #   amount: yuan
      - [purchase_date, "2026-11-20"]         #   date: "YYYY-MM-DD"; null: 不清楚
    expect:
      primary_route: small_claims             # required
      acceptable: [complaint_12315]           # each must be among the alternatives
      excluded: [arbitration]                 # each must be ruled out, with a reason
      evidence: [the_product_itself]          # each must be marked required
      entitlements: {food_tenfold: 3200}      # id: computed yuan (null: shown as a formula)
      deadlines: {limitation_3y: "2029-11-22"}  # id: computed date (null: unknown)
      defences: [seller_did_not_know]         # each must be answered
      documents: [demand_letter]              # each must be offered
      no_entitlements: [fraud_triple]         # each must NOT be promised
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from decision_tree.api import step

SCENARIOS = sorted((Path(__file__).parent / "scenarios").glob("*.yaml"))
KEYS = {"account", "today", "answers", "expect"}
EXPECT_KEYS = {"primary_route", "acceptable", "excluded", "evidence", "entitlements", "deadlines",
               "defences", "documents", "no_entitlements"}


def load(path: Path) -> dict:
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert set(case) == KEYS, f"{path.name}: keys must be exactly {sorted(KEYS)}"
    assert set(case["expect"]) <= EXPECT_KEYS, f"{path.name}: unknown expect keys {set(case['expect']) - EXPECT_KEYS}"
    assert "primary_route" in case["expect"], f"{path.name}: expect.primary_route is required"
    return case


def result_of(tree, case: dict) -> dict:
    reply = step(tree, case["answers"], date.fromisoformat(str(case["today"])))
    assert reply["status"] == "result", reply.get("error") or f"not finished: next is {reply['question']['id']}"
    return reply["result"]


def test_there_are_at_least_80_scenarios():
    assert len(SCENARIOS) >= 80, f"only {len(SCENARIOS)} scenario files"


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_scenario(path: Path, tree):
    case = load(path)
    assert len(case["account"]) >= 30, "the account should tell the story"
    result, expect = result_of(tree, case), case["expect"]
    problems = []

    def check(ok: bool, message: str) -> None:
        if not ok:
            problems.append(message)

    check(expect["primary_route"] == result["primary_route"]["id"],
          f"primary route: expected {expect['primary_route']}, got {result['primary_route']['id']} "
          f"(then {[a['id'] for a in result['alternatives']]})")
    alternatives = [a["id"] for a in result["alternatives"]]
    for rid in expect.get("acceptable", []):
        check(rid in alternatives, f"{rid} not among the alternatives {alternatives}")
    excluded = {x["id"]: x["reason"] for x in result["excluded"]}
    for rid in expect.get("excluded", []):
        check(rid in excluded, f"{rid} not ruled out; ruled out: {sorted(excluded)}")
    required = {e["id"] for e in result["evidence"] if e["required"]}
    for eid in expect.get("evidence", []):
        check(eid in required, f"{eid} not required evidence; required: {sorted(required)}")
    amounts = {e["id"]: e["amount_yuan"] for e in result["entitlements"]}
    for eid, amount in (expect.get("entitlements") or {}).items():
        check(eid in amounts and amounts[eid] == amount,
              f"entitlement {eid}: expected {amount}, got {amounts.get(eid, 'absent')}")
    for eid in expect.get("no_entitlements", []):
        check(eid not in amounts, f"entitlement {eid} should not be promised")
    dates = {d["id"]: d["date"] for d in result["deadlines"]}
    for did, day in (expect.get("deadlines") or {}).items():
        want = None if day is None else str(day)
        check(did in dates and dates[did] == want, f"deadline {did}: expected {want}, got {dates.get(did, 'absent')}")
    defences = {d["id"] for d in result["defences"]}
    for did in expect.get("defences", []):
        check(did in defences, f"defence {did} not answered; answered: {sorted(defences)}")
    documents = {d["id"] for d in result["documents"]}
    for did in expect.get("documents", []):
        check(did in documents, f"document {did} not offered; offered: {sorted(documents)}")
    assert not problems, f"{path.stem}:\n  " + "\n  ".join(problems)


def test_scenarios_exercise_every_rule(tree):
    """Together the scenarios fire every rule, so each rule is checked against a real case."""
    fired: set[str] = set()
    for path in SCENARIOS:
        case = load(path)
        reply = step(tree, case["answers"], date.fromisoformat(str(case["today"])))
        if reply["status"] == "result":
            fired.update(reply["result"]["rules"])
    never = sorted({r.id for r in tree.rules} - fired)
    assert not never, f"{len(never)} rules fired by no scenario: {', '.join(never)}"
