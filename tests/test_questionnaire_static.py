"""The static tree: with JavaScript off, the same answers reach the same recommendation."""

from __future__ import annotations

import json
import re
from datetime import date

from build_scripts.questionnaire import page_data
from decision_tree.api import step
from decision_tree.engine import static_paths

OPTION_LINK = re.compile(r'<a href="(?P<h>[^"]+)" data-option="(?P<o>[^"]+)">')
ROUTE = re.compile(r'<li data-route="(?P<r>[^"]+)" data-rank="(?P<n>\d+)">')
EVIDENCE = re.compile(r'<li data-evidence="(?P<e>[^"]+)" data-required="(?P<req>true|false)">')
TREE_TODAY = date.today()  # the build writes the static tree for the day it runs


def option_id(value) -> str:
    return "unknown" if value is None else (value[0] if isinstance(value, list) else str(value))


def follow(built_site, path, cache: dict) -> str:
    """Click through the static pages for ``path`` (only its static answers) and return the last page."""
    name = "index.html"
    for qid, value in path:
        html = cache.setdefault(name, (built_site / "tree" / name).read_text(encoding="utf-8"))
        if f'data-question="{qid}"' not in html:
            continue  # a fact the static tree does not ask
        links = {m["o"]: m["h"] for m in OPTION_LINK.finditer(html)}
        href = links[option_id(value)]
        name = "index.html" if href == "./" else href
    return cache.setdefault(name, (built_site / "tree" / name).read_text(encoding="utf-8"))


def test_every_static_path_reaches_the_engines_routes_and_evidence(built_site, tree):
    cache: dict[str, str] = {}
    paths = static_paths(tree, TREE_TODAY)
    wrong = []
    for path in paths:
        html = follow(built_site, path, cache)
        r = step(tree, [list(p) for p in path], TREE_TODAY)["result"]
        want_routes = [(x["id"], str(i)) for i, x in enumerate([r["primary_route"], *r["alternatives"]], 1)]
        got_routes = [(m["r"], m["n"]) for m in ROUTE.finditer(html)]
        want_evidence = [(e["id"], str(e["required"]).lower()) for e in r["evidence"]]
        got_evidence = [(m["e"], m["req"]) for m in EVIDENCE.finditer(html)]
        if got_routes != want_routes or got_evidence != want_evidence:
            wrong.append(path)
    assert len(paths) > 100
    assert not wrong, f"{len(wrong)} static paths differ from the engine, e.g. {wrong[:2]}"
    assert len(cache) == len(list((built_site / "tree").glob("*.html"))), "some static pages are unreachable"


def test_static_pages_are_left_out_of_search(built_site):
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert not [d["location"] for d in index["docs"] if d["location"].startswith("tree/")]


def test_the_page_starts_with_the_engines_first_question(tree, tree_data):
    data = page_data(tree_data)
    first = next(iter(tree.facts.values()))
    assert data["first"]["id"] == first.id and data["first"]["type"] == first.type
    assert [o["id"] for o in data["first"]["options"]] == [o.id for o in first.options]
    assert data["static_tree"] == "tree/"
    assert data["remaining"][first.id] == len(tree.facts)


def test_static_tree_without_javascript_reaches_the_engine_routes(browser, site, tree):
    ctx = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    requests: list[str] = []
    ctx.on("request", lambda r: requests.append(r.url))
    paths = static_paths(tree, TREE_TODAY)
    try:
        page = ctx.new_page()
        page.goto(site.url("questionnaire/"))
        # Without JavaScript the buttons would do nothing: they are hidden, the static tree is offered.
        assert not page.locator("fieldset[data-question]").is_visible()
        link = page.locator(".cdg-noscript a")
        assert link.is_visible()
        start_url = link.evaluate("a => a.href")
        assert start_url == site.url("tree/")
        for path in paths[:: max(1, len(paths) // 5)][:5]:
            page.goto(start_url)
            for qid, value in path:
                if page.locator(f'[data-question="{qid}"]').count():
                    # Wait for the next page: reading it mid-navigation flaked on a busy machine.
                    with page.expect_navigation():
                        page.click(f'[data-question="{qid}"] a[data-option="{option_id(value)}"]')
            r = step(tree, [list(p) for p in path], TREE_TODAY)["result"]
            got = page.eval_on_selector_all("[data-result] [data-route]", "els => els.map(e => e.dataset.route)")
            assert got == [x["id"] for x in [r["primary_route"], *r["alternatives"]]], path
            assert page.evaluate("document.documentElement.scrollWidth") <= 360, "the page scrolls sideways"
    finally:
        ctx.close()
    assert not [u for u in requests if not u.startswith(site.origin)]
