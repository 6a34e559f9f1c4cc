"""Graph health of the questionnaire: every path ends in a complete, lawful recommendation.

Each test collects every failure and reports them all in one assertion message.
"""

from __future__ import annotations

from decision_tree.engine import enumerate_paths, walk

# An answer with this option id means the consumer said an arbitration agreement exists.
ARBITRATION_YES = "has_agreement"
# An answer with this option id means more than three years have passed since the harm was known.
OVER_THREE_YEARS = "over_3y"

# Ids defined in routes.yaml / evidence.yaml / deadlines.yaml that no outcome needs, with the reason.
UNUSED_ALLOWED: dict[str, str] = {}


def _paths(tree):
    return [(answers, walk(tree, answers)) for answers, _ in enumerate_paths(tree)]


def _show(answers) -> str:
    return " → ".join(f"{q}={o}" for q, o in answers)


def test_every_path_ends_in_a_complete_result(tree):
    failures = []
    for answers, result in _paths(tree):
        o = getattr(result, "outcome", None)
        if o is None:
            failures.append(f"{_show(answers)}: does not end in an outcome")
            continue
        if not o.primary.route.id:
            failures.append(f"{_show(answers)} ⇒ {o.id}: no primary route")
        if not o.required_evidence:
            failures.append(f"{_show(answers)} ⇒ {o.id}: no required evidence")
        if not o.citations:
            failures.append(f"{_show(answers)} ⇒ {o.id}: the outcome cites no law of its own")
        if not o.next_steps:
            failures.append(f"{_show(answers)} ⇒ {o.id}: no next steps")
    assert not failures, f"{len(failures)} incomplete paths:\n" + "\n".join(failures)


def test_arbitration_is_offered_only_where_an_agreement_exists(tree):
    failures = []
    for answers, result in _paths(tree):
        said_yes = any(option == ARBITRATION_YES for _, option in answers)
        o = result.outcome
        routes = [o.primary.route.id] + [a.route.id for a in o.alternatives]
        if "arbitration" in routes and not said_yes:
            failures.append(f"{_show(answers)} ⇒ {o.id}: offers arbitration without an agreement")
        if said_yes and "arbitration" not in routes:
            failures.append(f"{_show(answers)} ⇒ {o.id}: the consumer has an agreement, arbitration is missing")
    assert not failures, f"{len(failures)} paths get arbitration wrong:\n" + "\n".join(failures)


def test_no_12315_complaint_first_after_three_years(tree):
    failures = []
    for answers, result in _paths(tree):
        if any(option == OVER_THREE_YEARS for _, option in answers):
            o = result.outcome
            if o.primary.route.id == "complaint_12315":
                failures.append(f"{_show(answers)} ⇒ {o.id}: 12315 does not accept complaints after three years")
            if "complaint_bar_3y" not in {d.id for d in o.deadlines}:
                failures.append(f"{_show(answers)} ⇒ {o.id}: should state the three-year complaint bar")
    assert not failures, f"{len(failures)} paths:\n" + "\n".join(failures)


def test_every_time_question_offers_the_three_year_answer_consistently(tree):
    """The two tests above rely on option ids; a time question with other ids would slip past them."""
    failures = []
    for q in tree.questions.values():
        ids = {o.id for o in q.options}
        if "三年" in q.text and OVER_THREE_YEARS not in ids:
            failures.append(f"{q.id}: asks about three years but has no option '{OVER_THREE_YEARS}'")
        if "仲裁" in q.text and ARBITRATION_YES not in ids:
            failures.append(f"{q.id}: asks about arbitration but has no option '{ARBITRATION_YES}'")
    assert not failures, "\n".join(failures)


def test_every_route_evidence_deadline_and_compensation_is_used(tree, tree_data):
    used: dict[str, set[str]] = {"routes": set(), "evidence": set(), "deadlines": set(), "compensation": set()}
    for o in tree.outcomes.values():
        used["routes"].update([o.primary.route.id] + [a.route.id for a in o.alternatives])
        used["evidence"].update(e.id for e in o.required_evidence + o.helpful_evidence)
        used["deadlines"].update(d.id for d in o.deadlines)
        if o.compensation:
            used["compensation"].add(o.compensation.id)
    failures = []
    for section, ids in used.items():
        for key in sorted(set(tree_data[section]) - ids):
            if key not in UNUSED_ALLOWED:
                failures.append(f"{section}.{key}: no outcome uses it (use it, or add it to UNUSED_ALLOWED with a reason)")
        for key in sorted(set(UNUSED_ALLOWED) & ids):
            failures.append(f"{key}: is used, remove it from UNUSED_ALLOWED")
    assert not failures, f"{len(failures)} unused ids:\n" + "\n".join(failures)


def test_option_ids_are_not_yaml_booleans(tree):
    booleans = {"yes", "no", "on", "off", "true", "false", "y", "n"}
    bad = [f"{q.id}.{o.id}" for q in tree.questions.values() for o in q.options if o.id in booleans]
    assert not bad, f"option ids that YAML reads as booleans: {bad}"


def test_every_outcome_is_reached_and_every_path_is_short(tree):
    paths = enumerate_paths(tree)
    reached = {outcome for _, outcome in paths}
    failures = [f"{oid}: no path reaches it" for oid in sorted(set(tree.outcomes) - reached)]
    failures += [f"{_show(a)}: {len(a)} questions is too many" for a, _ in paths if len(a) > 9]
    assert not failures, "\n".join(failures)
