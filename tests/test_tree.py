"""Health of the whole content, over every static walk and a large random sample of typed answers:
every walk ends in a complete result, and the law's hard limits hold in all of them."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from decision_tree.engine import next_fact, static_paths, walk

TODAY = date(2026, 11, 30)


def random_walk(tree, rng: random.Random) -> list[list]:
    """Answers a visitor could type: any option(s), amounts, dates up to five years back, 不清楚."""
    answers: dict = {}
    pairs = []
    while (fact := next_fact(tree, answers, TODAY)) is not None:
        if fact.unknown and rng.random() < 0.15:
            value = None
        elif fact.type == "choice":
            value = rng.choice(fact.options).id
        elif fact.type == "multi":
            picked = rng.sample([o.id for o in fact.options], rng.randint(1, min(3, len(fact.options))))
            value = [o.id for o in fact.options if o.id in picked]
        elif fact.type == "amount":
            value = rng.choice([0, 1, 99, 320, 2999.5, 29999, 30000, 120000])
        else:
            value = (TODAY - timedelta(days=rng.randint(0, 1900))).isoformat()
        answers[fact.id] = value
        pairs.append([fact.id, value])
    return pairs


@pytest.fixture(scope="module")
def walks(tree):
    rng = random.Random(8)
    typed = [random_walk(tree, rng) for _ in range(3000)]
    static = [[list(p) for p in path] for path in static_paths(tree, TODAY)]
    return [(w, walk(tree, w, TODAY).to_json()["result"]) for w in static + typed]


def answer(walk_, fact_id):
    return next((v for k, v in walk_ if k == fact_id), "absent")


def test_every_walk_ends_in_a_complete_result(walks):
    problems = []
    for w, r in walks:
        missing = [k for k in ("primary_route", "evidence", "citations", "next_steps") if not r[k]]
        if missing and set(missing) != {"next_steps"}:
            problems.append(f"{w}: missing {missing}")
        ranked = [r["primary_route"]["id"]] + [a["id"] for a in r["alternatives"]]
        if len(ranked) != len(set(ranked)):
            problems.append(f"{w}: a route is listed twice")
        if set(ranked) & {x["id"] for x in r["excluded"]}:
            problems.append(f"{w}: a route is both recommended and ruled out")
    assert not problems, f"{len(problems)} bad results, e.g.:\n" + "\n".join(problems[:5])


def test_arbitration_is_recommended_only_with_an_agreement(walks):
    bad = [w for w, r in walks
           if "arbitration" in [r["primary_route"]["id"]] + [a["id"] for a in r["alternatives"]]
           and answer(w, "arbitration_clause") not in ("negotiated", "standard_noticed", "standard_unnoticed")]
    assert not bad, f"arbitration without an agreement: {bad[:3]}"


def test_no_12315_complaint_after_three_years(walks):
    bad = []
    for w, r in walks:
        found = answer(w, "discovered_date")
        if isinstance(found, str) and found != "absent" and (TODAY - date.fromisoformat(found)).days >= 1096:
            if "complaint_12315" in [r["primary_route"]["id"]] + [a["id"] for a in r["alternatives"]]:
                bad.append(w)
    assert not bad, f"12315 complaint offered after three years: {bad[:3]}"


def test_punitive_damages_follow_the_facts_not_the_menu(walks):
    """Three-fold damages need a deliberate business seller and a consumer who wants compensation;
    ten-fold food damages need food that fails the safety standard (not a label typo alone)."""
    bad = []
    for w, r in walks:
        ids = {e["id"] for e in r["entitlements"]}
        if "fraud_triple" in ids and (answer(w, "deliberate") != "knowingly"
                                      or answer(w, "seller_business") == "individual"):
            bad.append(("fraud_triple", w))
        if "food_tenfold" in ids and answer(w, "food_issue") in (["label_typo"], None, "absent"):
            bad.append(("food_tenfold", w))
    assert not bad, f"{len(bad)} promises the facts do not support, e.g. {bad[:2]}"


def test_small_claims_never_for_a_non_money_claim_or_an_appraisal(walks):
    bad = []
    for w, r in walks:
        ranked = [r["primary_route"]["id"]] + [a["id"] for a in r["alternatives"]]
        wants = answer(w, "wants")
        if "small_claims" in ranked and (answer(w, "needs_test") == "needed"
                                         or (isinstance(wants, list) and not {"refund", "compensation"} & set(wants))):
            bad.append(w)
    assert not bad, f"small claims offered where it does not apply: {bad[:2]}"


def test_every_route_and_evidence_item_is_used(tree, walks):
    routes = {r["primary_route"]["id"] for _w, r in walks} | {a["id"] for _w, r in walks for a in r["alternatives"]}
    evidence = {e["id"] for _w, r in walks for e in r["evidence"]}
    assert set(tree.routes) - routes == set(), "routes never recommended"
    assert set(tree.evidence) - evidence == set(), "evidence never asked for"


def test_option_ids_are_not_yaml_booleans(tree):
    words = {"yes", "no", "on", "off", "true", "false", "y", "n"}
    bad = [(f.id, o.id) for f in tree.facts.values() for o in f.options if o.id in words]
    assert not bad


def test_the_static_tree_stays_a_reasonable_size(tree):
    paths = static_paths(tree, TODAY)
    assert 100 < len(paths) < 5000, len(paths)
