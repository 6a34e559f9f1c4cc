"""axe-core on the questionnaire's page types: the first question, a result, the static tree, the embed."""

from __future__ import annotations

import pytest

from conftest import serious_violations
from decision_tree.engine import enumerate_paths

READY = "[data-questionnaire][data-engine=ready]"


def check(page, context, site, axe, what: str) -> None:
    problems = serious_violations(axe.run(page))
    assert problems == [], f"{what}:\n" + "\n".join(problems)
    assert context.requests.foreign(site.origin) == []


def test_questionnaire_first_question_and_result(page, context, site, axe, tree):
    page.goto(site.url("questionnaire/"))
    page.wait_for_selector(f'fieldset[data-question="{tree.start}"]')
    check(page, context, site, axe, "questionnaire, first question (engine loading)")
    page.wait_for_selector(READY, timeout=90_000)
    answers, _ = max(enumerate_paths(tree), key=lambda p: len(p[0]))
    for qid, oid in answers:
        page.locator(f'fieldset[data-question="{qid}"] button[data-option="{oid}"]').click()
    page.wait_for_selector("[data-questionnaire] [data-result]")
    check(page, context, site, axe, "questionnaire, result")


@pytest.mark.parametrize("node", ["question", "outcome"])
def test_static_tree_pages(page, context, site, axe, tree, node):
    node_id = tree.start if node == "question" else next(iter(tree.outcomes))
    page.goto(site.url(f"tree/{node_id}/"), wait_until="networkidle")
    check(page, context, site, axe, f"static tree {node} page")


@pytest.mark.parametrize("query", ["", "?theme=dark"])
def test_embed_page(page, context, site, axe, query):
    page.goto(site.url("embed/" + query))
    page.wait_for_selector(READY, timeout=90_000)
    check(page, context, site, axe, f"embed page {query}")
