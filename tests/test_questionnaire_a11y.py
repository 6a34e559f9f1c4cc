"""axe-core on the questionnaire's page types: the first question, a result, the static tree, the embed."""

from __future__ import annotations

import pytest

from conftest import RequestLog, serious_violations
from questionnaire_cases import CASES, give, plan

READY = "[data-questionnaire][data-engine=ready]"


def check(page, context, site, axe, what: str) -> None:
    # Colours mid-transition (Material's back-to-top button fading in) are not what anyone reads.
    page.wait_for_function("document.getAnimations().every((a) => a.playState !== 'running')")
    problems = serious_violations(axe.run(page))
    assert problems == [], f"{what}:\n" + "\n".join(problems)
    assert context.requests.foreign(site.origin) == []


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}, {"width": 1280, "height": 800}], ids=["phone", "desktop"])
def test_questionnaire_every_question_type_and_the_result(browser, site, axe, tree, viewport):
    """Each kind of question (several choices, one choice, an amount, a date, a wrong entry), the
    result with a document open and the law unfolded, and the review list."""
    context = browser.new_context(viewport=viewport)
    context.requests = RequestLog()
    context.requests.attach(context)
    try:
        page = context.new_page()
        page.goto(site.url("questionnaire/"))
        page.wait_for_selector(f'fieldset[data-question="{next(iter(tree.facts))}"]')
        check(page, context, site, axe, "questionnaire, first question (engine loading)")
        page.wait_for_selector(READY, timeout=90_000)
        answers = plan(tree, CASES["ebike_false_range_and_fire"])
        seen = set()
        for qid, value in answers:
            kind = tree.facts[qid].type
            page.wait_for_selector(f'fieldset[data-question="{qid}"]')
            if kind not in seen:
                seen.add(kind)
                if kind in ("amount", "date"):  # with its inline message showing
                    page.click(f'fieldset[data-question="{qid}"] [data-action="next"]')
                    page.wait_for_selector(f'fieldset[data-question="{qid}"] [data-invalid]:not([hidden])')
                check(page, context, site, axe, f"questionnaire, a {kind} question")
            give(page, qid, value)
        assert seen == {"choice", "multi", "amount", "date"}
        page.wait_for_selector("[data-questionnaire] [data-result]")
        page.click("[data-result] details[data-citations] summary")
        for folded in page.locator("[data-result] details.cdg-document summary").all():
            folded.click()
        check(page, context, site, axe, "questionnaire, result")
        page.click('[data-result] [data-change="price"]')
        page.wait_for_selector('fieldset[data-question="price"]')
        page.click("details.cdg-review-box summary")
        check(page, context, site, axe, "questionnaire, question with the review list")
    finally:
        context.close()


@pytest.mark.parametrize("node", ["question", "outcome"])
def test_static_tree_pages(page, context, site, axe, built_site, node):
    name = "" if node == "question" else max((built_site / "tree").glob("r-*.html"), key=lambda p: p.stat().st_size).name
    page.goto(site.url(f"tree/{name}"), wait_until="networkidle")
    check(page, context, site, axe, f"static tree {node} page")


@pytest.mark.parametrize("query", ["", "?theme=dark"])
def test_embed_page(page, context, site, axe, query):
    page.goto(site.url("embed/" + query))
    page.wait_for_selector(READY, timeout=90_000)
    check(page, context, site, axe, f"embed page {query}")
