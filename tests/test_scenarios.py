"""Scenario files: one consumer's account each, its answers, and what an expert would recommend.

A file is named by the sentence it proves, e.g.
``超市卖过期食品又拒绝赔偿时首选向12315投诉并主张十倍赔偿.yaml``, and holds:

    account: 我在家门口的超市买了……          # the story, as the consumer tells it
    answers:                                  # [question id, option id] pairs, in order
      - [problem, expired_food]
    expect:
      primary_route: complaint_12315          # required
      alternatives_include: [small_claims]    # optional: each must be among the alternatives
      evidence_include: [purchase_receipt]    # optional: each must be listed (required or helpful)
      required_evidence_include: [...]        # optional: each must be marked required
      compensation: food_tenfold              # optional: the compensation rule's id, or null
      citations_include: ["食品安全法 第一百四十八条第二款"]  # optional: "short-name article"
      deadlines_include: [limitation_3y]      # optional: deadline ids
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from decision_tree.api import step

SCENARIOS = sorted((Path(__file__).parent / "scenarios").glob("*.yaml"))
KEYS = {"account", "answers", "expect"}
EXPECT_KEYS = {
    "primary_route", "alternatives_include", "evidence_include", "required_evidence_include",
    "compensation", "citations_include", "deadlines_include",
}


def test_there_are_at_least_25_scenarios():
    assert len(SCENARIOS) >= 25, f"only {len(SCENARIOS)} scenario files"


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_scenario(path: Path, tree):
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert set(case) == KEYS, f"{path.name}: keys must be exactly {sorted(KEYS)}"
    assert set(case["expect"]) <= EXPECT_KEYS, f"{path.name}: unknown expect keys {set(case['expect']) - EXPECT_KEYS}"
    assert len(case["account"]) >= 30, f"{path.name}: the account should tell the story"
    reply = step(tree, case["answers"])
    assert reply["status"] == "result", f"{path.stem}: {reply.get('error') or reply}"
    result, expect = reply["result"], case["expect"]

    assert expect["primary_route"] == result["primary_route"]["id"]
    alternatives = [a["id"] for a in result["alternatives"]]
    for rid in expect.get("alternatives_include", []):
        assert rid in alternatives, f"{rid} not among alternatives {alternatives}"
    evidence = {e["id"]: e["required"] for e in result["evidence"]}
    for eid in expect.get("evidence_include", []):
        assert eid in evidence, f"{eid} not in evidence {sorted(evidence)}"
    for eid in expect.get("required_evidence_include", []):
        assert evidence.get(eid) is True, f"{eid} should be required evidence"
    if "compensation" in expect:
        got = result["compensation"]["id"] if result["compensation"] else None
        assert expect["compensation"] == got
    cited = {f"{c['law']} {c['article']}" for c in result["citations"]}
    for c in expect.get("citations_include", []):
        assert c in cited, f"{c} not cited; cited: {sorted(cited)}"
    for d in expect.get("deadlines_include", []):
        assert d in result["deadline_ids"], f"{d} not among deadlines {result['deadline_ids']}"
