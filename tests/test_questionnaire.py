"""The questionnaire in real Chromium: it shows what the engine (Python in Pyodide) decides.

Every walk is checked against ``python -m decision_tree ask --json`` for the same answers, and every
test asserts that no request left the site's origin. Booting Pyodide costs seconds, so the tests that
only need a ready engine share one page (``ready``); the others boot their own on purpose.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import pytest
from markupsafe import escape

from build_scripts.serve import SITE_CSP
from conftest import RequestLog, cli_ask
from decision_tree.engine import enumerate_paths

BOOT_MS = 90_000  # generous: a loaded CI machine compiles the 9 MB wasm slowly
ENGINE_READY = "[data-questionnaire][data-engine=ready]"

# Collects the root's events (and their details) so tests can check the embed contract.
RECORD_EVENTS = """
window.__cdgEvents = [];
for (const name of ["cdg:ready", "cdg:step", "cdg:result", "cdg:error"]) {
  document.addEventListener(name, (e) => window.__cdgEvents.push({name, detail: e.detail ?? null}));
}
"""

def read_result(root: str) -> str:
    """JS reading the result under ``root`` (the questionnaire's, or a static tree outcome page's)."""
    return """
() => {
  const r = document.querySelector(%s);
  const all = (sel) => [...r.querySelectorAll(sel)];
  return {
    routes: all("[data-route]").map((e) => [e.dataset.route, Number(e.dataset.rank)]),
    routeLinks: all("[data-route] a").map((a) => a.href),
    evidence: all("[data-evidence]").map((e) => e.dataset.evidence),
    evidenceLinks: all("[data-evidence] a").map((a) => a.href),
    citations: all("[data-citation]").map((e) => e.dataset.citation),
    deadlines: all("[data-deadline]").map((e) => e.textContent),
    trace: all("[data-trace]").map((e) => e.dataset.trace),
    compensation: r.querySelector("[data-compensation]")?.dataset.compensation ?? null,
  };
}
""" % json.dumps(root)


READ_RESULT = read_result("[data-questionnaire] [data-result]")


def expected(answers) -> dict:
    """What the CLI says for ``answers``, in the shape READ_RESULT reads from the page."""
    out = cli_ask([list(a) for a in answers])
    assert out["status"] == "result", out
    r = out["result"]
    return {
        "routes": [[r["primary_route"]["id"], 1]]
        + [[a["id"], i] for i, a in enumerate(r["alternatives"], start=2)],
        "evidence": [e["id"] for e in r["evidence"]],
        "citations": [f"{c['law_id']}:{c['article']}" for c in r["citations"]],
        "deadlines": r["deadlines"],
        "trace": [t["question_id"] for t in r["trace"]],
        "compensation": r["compensation"]["id"] if r["compensation"] else None,
    }


def diverse_paths(tree, n: int = 6):
    """Up to ``n`` paths: the longest and the shortest, then one per outcome not yet reached."""
    paths = enumerate_paths(tree)
    chosen = [max(paths, key=lambda p: len(p[0])), min(paths, key=lambda p: len(p[0]))]
    seen = {p[1] for p in chosen}
    for p in paths:
        if len(chosen) >= n:
            break
        if p[1] not in seen:
            chosen.append(p)
            seen.add(p[1])
    for p in paths:  # a tree with few outcomes: fill up with other paths
        if len(chosen) >= n:
            break
        if p not in chosen:
            chosen.append(p)
    return [list(map(list, answers)) for answers, _ in dict.fromkeys(tuple(c) for c in chosen)]


def answer(page, qid: str, oid: str) -> None:
    page.locator(f'fieldset[data-question="{qid}"] button[data-option="{oid}"]').click()


def walk(page, answers) -> dict:
    for qid, oid in answers:
        answer(page, qid, oid)
    page.wait_for_selector("[data-questionnaire] [data-result]")
    return page.evaluate(READ_RESULT)


def check_result(got: dict, answers, site_url) -> None:
    want = expected(answers)
    for key in ("routes", "evidence", "citations", "deadlines", "trace", "compensation"):
        assert got[key] == want[key], f"{key} for answers {answers}"
    rids = [rid for rid, _ in got["routes"]]
    assert got["routeLinks"] == [site_url(f"routes/{rid}/") for rid in rids]
    assert got["evidenceLinks"] == [site_url(f"evidence/#{eid}") for eid in got["evidence"]]


def no_foreign_requests(context, site) -> None:
    assert context.requests.foreign(site.origin) == []


def open_questionnaire(page, site, suffix: str = "") -> None:
    page.goto(site.url("questionnaire/") + suffix)


# ---------------------------------------------------------------------------------------------
# One booted page shared by the tests that only need a ready engine.


@pytest.fixture(scope="module")
def ready(browser, site):
    ctx = browser.new_context(viewport={"width": 390, "height": 844})
    ctx.requests = RequestLog()
    ctx.requests.attach(ctx)
    page = ctx.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.add_init_script(RECORD_EVENTS)
    open_questionnaire(page, site)
    page.wait_for_selector(ENGINE_READY, timeout=BOOT_MS)
    yield page
    assert page.errors == []
    no_foreign_requests(ctx, site)
    ctx.close()


@pytest.fixture
def fresh(ready, tree):
    """The shared page, restarted at the first question with its event log emptied."""
    ready.click('[data-action="restart"]')
    ready.wait_for_selector(f'fieldset[data-question="{tree.start}"]')
    ready.evaluate("window.__cdgEvents.length = 0")
    return ready


def test_first_question_is_in_the_built_html(built_site, tree):
    html = (built_site / "questionnaire" / "index.html").read_text(encoding="utf-8")
    start = tree.questions[tree.start]
    assert f'<fieldset class="cdg-question" data-question="{start.id}">' in html
    assert f'<legend tabindex="-1">{escape(start.text)}</legend>' in html
    for option in start.options:
        assert f'data-option="{option.id}"' in html
    assert 'data-engine="loading"' in html
    assert f'href="../tree/{start.id}/"' in html, "the static tree's start is linked"
    assert "<noscript>" in html


def test_one_worker_one_download(ready):
    """engine-start.js starts the worker early and questionnaire.js adopts it: never two."""
    paths = [urlsplit(u).path for u in ready.context.requests.urls]
    # (The worker script and pyodide*.mjs are asked for again, from the HTTP cache, to keep them offline.)
    for name in ("/pyodide.asm.wasm", "/python_stdlib.zip", "/tree.json"):
        assert sum(p.endswith(name) for p in paths) == 1, name
    assert len(ready.evaluate("performance.getEntriesByName('cdg:worker-start')")) == 1


def test_walks_match_the_cli(fresh, site, tree):
    paths = diverse_paths(tree)
    assert len(paths) >= min(5, len(enumerate_paths(tree)))
    for answers in paths:
        fresh.click('[data-action="restart"]')
        fresh.wait_for_selector(f'fieldset[data-question="{tree.start}"]')
        check_result(walk(fresh, answers), answers, site.url)
        frag = ",".join(f"{q}:{o}" for q, o in answers)
        assert fresh.url.endswith("#a=" + frag), "the answers are in the fragment, for sharing"


def test_events_carry_ids_never_answer_text(fresh, tree):
    answers = diverse_paths(tree)[0]
    walk(fresh, answers)
    events = fresh.evaluate("window.__cdgEvents")
    steps = [e["detail"] for e in events if e["name"] == "cdg:step"]
    assert steps == [{"question": q} for q, _ in answers[1:]]
    results = [e["detail"] for e in events if e["name"] == "cdg:result"]
    want = expected(answers)["routes"]
    assert results == [{"primary": want[0][0], "routes": [rid for rid, _ in want]}]
    texts = [o.text for q in tree.questions.values() for o in q.options]
    blob = json.dumps(events, ensure_ascii=False)
    assert not [t for t in texts if f'"{t}"' in blob]


def test_progress_and_back(fresh, tree):
    answers = diverse_paths(tree)[0]
    assert fresh.is_disabled('[data-action="back"]')
    for qid, oid in answers[:-1]:
        answer(fresh, qid, oid)
    last_q = answers[-1][0]
    fresh.wait_for_selector(f'fieldset[data-question="{last_q}"]')
    assert fresh.inner_text("[data-progress-text]").startswith(f"第 {len(answers)} 题")
    fresh.click('[data-action="back"]')
    prev_q = answers[-2][0] if len(answers) > 1 else tree.start
    fresh.wait_for_selector(f'fieldset[data-question="{prev_q}"]')
    assert fresh.locator("fieldset[data-question] legend").is_visible()
    # Back from a result returns to its last question.
    if len(answers) > 1:
        answer(fresh, *answers[-2])
    answer(fresh, *answers[-1])
    fresh.wait_for_selector("[data-result]")
    fresh.click('[data-action="back"]')
    fresh.wait_for_selector(f'fieldset[data-question="{last_q}"]')
    assert fresh.locator("[data-result]").count() == 0


def test_restart_event_from_the_host_restarts(fresh, tree):
    answers = diverse_paths(tree)[0]
    walk(fresh, answers)
    fresh.evaluate("document.querySelector('[data-questionnaire]').dispatchEvent(new CustomEvent('cdg:restart'))")
    fresh.wait_for_selector(f'fieldset[data-question="{tree.start}"]')
    assert "#a=" not in fresh.url


def test_print_shows_the_result_alone(fresh, tree):
    walk(fresh, diverse_paths(tree)[0])
    fresh.emulate_media(media="print")
    try:
        assert fresh.locator("[data-result]").is_visible()
        assert not fresh.locator(".cdg-nav").is_visible()
        assert not fresh.locator(".md-header").is_visible()
    finally:
        fresh.emulate_media(media="screen")


# ---------------------------------------------------------------------------------------------
# Tests that need their own boot.


def test_first_question_answerable_before_the_engine_is_ready(page, context, site, tree):
    held = []
    page.route("**/pyodide.asm.wasm", lambda route: held.append(route))
    page.add_init_script(RECORD_EVENTS)
    open_questionnaire(page, site)
    answers = diverse_paths(tree)[0]
    first_q, first_o = answers[0]
    answer(page, first_q, first_o)
    assert page.get_attribute("[data-questionnaire]", "data-engine") == "loading"
    # The next step shows at once: the engine's precomputed question, or a note that the answer is kept.
    nxt = cli_ask([answers[0]])
    shown = f'fieldset[data-question="{nxt["question"]["id"]}"]' if nxt["status"] == "question" else "[data-pending]"
    page.wait_for_selector(shown, timeout=10_000)
    assert page.locator("[data-status]").inner_text().strip() != ""
    for _ in range(300):  # the worker asks for the wasm a moment after the page is up
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the worker's wasm download was not intercepted"
    assert page.get_attribute("[data-questionnaire]", "data-engine") == "loading"
    for route in held:
        route.continue_()
    page.wait_for_selector(ENGINE_READY, timeout=BOOT_MS)
    # The kept answer was applied: the page is now one step further, as the CLI says.
    nxt = cli_ask([answers[0]])
    if nxt["status"] == "question":
        page.wait_for_selector(f'fieldset[data-question="{nxt["question"]["id"]}"]')
    else:
        page.wait_for_selector("[data-result]")
    names = [e["name"] for e in page.evaluate("window.__cdgEvents")]
    assert names[0] == "cdg:step" and "cdg:ready" in names
    assert page.console_errors == []
    no_foreign_requests(context, site)


def test_reload_resumes_and_keeps_ticks_then_clear_forgets(page, context, site, tree):
    answers = diverse_paths(tree)[0]
    open_questionnaire(page, site)
    page.wait_for_selector(ENGINE_READY, timeout=BOOT_MS)
    got = walk(page, answers)
    eid = got["evidence"][0]
    page.check(f'[data-evidence="{eid}"] input[type=checkbox]')
    # Without the fragment: the answers come back from localStorage.
    page.goto(site.url("questionnaire/"))
    page.wait_for_selector("[data-result]", timeout=BOOT_MS)
    check_result(page.evaluate(READ_RESULT), answers, site.url)
    assert page.is_checked(f'[data-evidence="{eid}"] input[type=checkbox]')
    page.click('[data-action="forget"]')
    page.wait_for_selector(f'fieldset[data-question="{tree.start}"]')
    page.reload()
    # Nothing to resume: the first question at once, with no answers waiting for the engine.
    assert page.locator(f'fieldset[data-question="{tree.start}"]').is_visible()
    assert page.locator("[data-pending]").count() == 0
    assert page.locator("[data-result]").count() == 0
    assert page.evaluate("localStorage.getItem('cdg:ticks')") is None
    assert page.console_errors == []
    no_foreign_requests(context, site)


def test_share_link_opens_the_same_result_in_a_fresh_browser(browser, fresh, site, tree):
    answers = diverse_paths(tree)[1]
    walk(fresh, answers)
    link = fresh.url
    assert fresh.get_attribute("[data-share]", "href").endswith(link.split("/questionnaire/", 1)[1])
    other = browser.new_context()
    other.requests = RequestLog()
    other.requests.attach(other)
    try:
        p2 = other.new_page()
        p2.goto(link)
        p2.wait_for_selector("[data-result]", timeout=BOOT_MS)
        check_result(p2.evaluate(READ_RESULT), answers, site.url)
        no_foreign_requests(other, site)
    finally:
        other.close()


# Damaged or stale links, and the text from each that must never appear on the page (a link can be
# written by anyone: "#a=problem:Official_refund_hotline_400-820-0000_call_now").
TAMPERED = [
    ("#a={start}:Official_refund_hotline_400-820-0000_call_now", "Official_refund_hotline"),
    ("#a=no_such_question:x", "no_such_question"),
    ("#a={start}:{option},{start}:{option}", "{option}"),
    ("#a={start}", "#a="),
    ("#a=%E0%A4%A", "%E0"),
]
BAD_LINK = "这个链接里的回答无法打开"


@pytest.mark.parametrize("fragment, hidden", [TAMPERED[0], TAMPERED[3]], ids=["engine-says", "page-says"])
def test_tampered_fragment_on_load_shows_an_error_and_restarts(page, context, site, tree, fragment, hidden):
    page.add_init_script(RECORD_EVENTS)
    open_questionnaire(page, site, fragment.format(start=tree.start))
    error = page.locator("[data-questionnaire] [data-error][role=alert]")
    error.wait_for(state="visible", timeout=BOOT_MS)
    page.wait_for_selector(ENGINE_READY, timeout=BOOT_MS)
    assert error.is_visible(), "the message outlives the engine becoming ready"
    assert BAD_LINK in error.inner_text() and hidden not in error.inner_text()
    assert page.locator("[data-result]").count() == 0
    assert [e["name"] for e in page.evaluate("window.__cdgEvents")].count("cdg:error") == 1
    page.click('[data-action="restart"]')
    page.wait_for_selector(f'fieldset[data-question="{tree.start}"]')
    assert not error.is_visible()
    assert "#a=" not in page.url
    assert page.console_errors == []
    no_foreign_requests(context, site)


@pytest.mark.parametrize("fragment, hidden", TAMPERED, ids=["option", "question", "order", "half-pair", "escape"])
def test_tampered_fragment_pasted_later(fresh, tree, fragment, hidden):
    option = tree.questions[tree.start].options[0].id
    fresh.evaluate("f => { location.hash = f; }", fragment.format(start=tree.start, option=option))
    error = fresh.locator("[data-questionnaire] [data-error][role=alert]")
    error.wait_for(state="visible")
    assert BAD_LINK in error.inner_text()
    assert hidden.format(option=option) not in fresh.locator("[data-questionnaire]").inner_text()
    assert fresh.locator("fieldset[data-question]").count() == 0
    assert [e["name"] for e in fresh.evaluate("window.__cdgEvents")] == ["cdg:error"]
    fresh.click('[data-action="restart"]')
    fresh.wait_for_selector(f'fieldset[data-question="{tree.start}"]')
    assert not error.is_visible()


def test_sub_path_under_the_sites_own_csp(browser, built_site, serve, tree):
    """Served under a sub-path with the CSP documented for integrators: everything still works."""
    sub = serve(built_site, prefix="/consumer/guide/", csp=SITE_CSP)
    ctx = browser.new_context()
    ctx.requests = RequestLog()
    ctx.requests.attach(ctx)
    try:
        page = ctx.new_page()
        errors = []
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(sub.url("questionnaire/"))
        page.wait_for_selector(ENGINE_READY, timeout=BOOT_MS)
        answers = diverse_paths(tree)[0]
        check_result(walk(page, answers), answers, sub.url)
        assert errors == [], "no CSP violation or script error"
        assert all(u.startswith(sub.url("")) for u in ctx.requests.urls), "everything under the sub-path"
        no_foreign_requests(ctx, sub)
    finally:
        ctx.close()


# ---------------------------------------------------------------------------------------------
# When the engine cannot start: a plain message and the static tree, quickly.
# CSP, stalls, HTTP errors and missing WebAssembly (failures by cause): tests/test_boot.py.


def test_sandboxed_iframe_without_allow_same_origin(page, context, site):
    page.set_content(f'<iframe sandbox="allow-scripts" src="{site.url("questionnaire/")}" width="400" height="800"></iframe>')
    frame = page.frame_locator("iframe")
    error = frame.locator("[data-questionnaire] [data-error][role=alert]")
    error.wait_for(state="visible", timeout=30_000)
    assert "allow-same-origin" in error.inner_text()
    assert frame.locator("[data-questionnaire][data-engine=error]").count() == 1
    assert frame.locator("a[data-static-link]").is_visible()
    no_foreign_requests(context, site)
