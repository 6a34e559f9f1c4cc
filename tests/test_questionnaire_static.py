"""The static tree: with JavaScript off, the same answers reach the same recommendation."""

from __future__ import annotations

import json
import re

import pytest

from build_scripts import static_tree
from build_scripts.questionnaire import page_data, remaining_questions
from conftest import cli_ask
from test_questionnaire import diverse_paths, expected, read_result

OPTION_LINK = re.compile(r'<a data-option="(?P<o>[^"]+)" href="(?P<h>[^"]+)">')

READ_STATIC_RESULT = read_result("[data-result]")


def test_one_page_per_question_and_outcome(tree_data, tree, built_site):
    pages = static_tree.pages(tree_data)
    ids = set(tree.questions) | set(tree.outcomes)
    assert set(pages) == {f"tree/{i}.md" for i in ids} | {"tree/index.md"}
    for i in ids:
        assert (built_site / "tree" / i / "index.html").is_file(), i
    for qid, q in tree.questions.items():
        html = (built_site / "tree" / qid / "index.html").read_text(encoding="utf-8")
        links = {(m["o"], m["h"]) for m in OPTION_LINK.finditer(html)}
        assert links == {(o.id, f"../{o.next}/") for o in q.options}, qid


def test_static_pages_are_left_out_of_search(built_site):
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert not [d["location"] for d in index["docs"] if d["location"].startswith("tree/")]


def test_an_id_shared_by_a_question_and_an_outcome_stops_the_build(tree_data):
    broken = json.loads(json.dumps(tree_data))
    some_outcome = next(iter(broken["outcomes"]))
    broken["questions"][some_outcome] = broken["questions"][broken["start"]]
    with pytest.raises(SystemExit, match=some_outcome):
        static_tree.pages(broken)


def test_progress_hint_counts_the_longest_way_down(tree, tree_data):
    remaining = remaining_questions(tree_data)
    assert set(remaining) == set(tree.questions)
    for qid, q in tree.questions.items():
        below = [remaining.get(o.next, 0) for o in q.options]
        assert remaining[qid] == 1 + max(below)
    data = page_data(tree_data)
    assert data["first"]["id"] == tree.start
    assert data["static_tree"] == f"tree/{tree.start}/"


def test_static_tree_without_javascript_reaches_the_engine_routes(browser, site, tree):
    ctx = browser.new_context(java_script_enabled=False)
    requests: list[str] = []
    ctx.on("request", lambda r: requests.append(r.url))
    try:
        page = ctx.new_page()
        page.goto(site.url("questionnaire/"))
        # Without JavaScript the buttons would do nothing: they are hidden, the static tree is offered.
        assert not page.locator("fieldset[data-question]").is_visible()
        link = page.locator(".cdg-noscript a")
        assert link.is_visible()
        start_url = link.evaluate("a => a.href")
        assert start_url == site.url(f"tree/{tree.start}/")
        for answers in diverse_paths(tree, n=5):
            page.goto(start_url)
            for qid, oid in answers:
                assert page.locator(f'[data-question="{qid}"]').count() == 1, (answers, qid)
                # Wait for the next page: reading it mid-navigation flaked on a busy machine.
                with page.expect_navigation():
                    page.click(f'[data-question="{qid}"] a[data-option="{oid}"]')
            got = page.evaluate(READ_STATIC_RESULT)
            want = expected(answers)
            for key in ("routes", "evidence", "citations", "deadlines", "compensation"):
                assert got[key] == want[key], f"{key} for answers {answers}"
            assert got["routeLinks"] == [site.url(f"routes/{rid}/") for rid, _ in got["routes"]]
            assert got["evidenceLinks"] == [site.url(f"evidence/#{e}") for e in got["evidence"]]
            # The outcome page is the one the CLI names.
            assert page.url == site.url(f"tree/{cli_ask(answers)['result']['outcome']['id']}/")
    finally:
        ctx.close()
    assert not [u for u in requests if not u.startswith(site.origin)]
