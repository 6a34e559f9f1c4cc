"""The questionnaire in real Chromium: it shows what the engine (Python in Pyodide) decides.

Every walk is checked against the same engine run by the host's CPython for the same answers and
today's date, and every test asserts that no request left the site's origin. Booting Pyodide costs
seconds, so the tests that only need a ready engine share one page per viewport (``ready`` at
390×844, ``wide`` at 1280×800); the others boot their own on purpose.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from markupsafe import escape
from playwright.sync_api import expect

from build_scripts.serve import SITE_CSP
from conftest import RequestLog
from questionnaire_cases import (
    CASES, READ_RESULT, TODAY, check_result, chinese_date, expected, fragment, give, plan, respond,
    walk, yuan,
)

BOOT_MS = 90_000  # generous: a loaded CI machine compiles the 9 MB wasm slowly
ENGINE_READY = "[data-questionnaire][data-engine=ready]"
ARTIFACTS = Path(__file__).parent / "artifacts"  # screenshots for people to look at (gitignored)
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}

# Collects the root's events (and their details) so tests can check the embed contract.
RECORD_EVENTS = """
window.__cdgEvents = [];
for (const name of ["cdg:ready", "cdg:step", "cdg:result", "cdg:error"]) {
  document.addEventListener(name, (e) => window.__cdgEvents.push({name, detail: e.detail ?? null}));
}
"""


def first_fact(tree):
    return next(iter(tree.facts.values()))


def no_foreign_requests(context, site) -> None:
    assert context.requests.foreign(site.origin) == []


def open_questionnaire(page, site, suffix: str = "") -> None:
    page.goto(site.url("questionnaire/") + suffix)


def pdf_pages(pdf: bytes) -> int:
    """The page count Chromium wrote into the PDF's page tree."""
    return int(re.search(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", pdf, re.S).group(1))


def screenshot(locator_or_page, name: str, **kw) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    locator_or_page.screenshot(path=str(ARTIFACTS / name), **kw)


@pytest.fixture(scope="module")
def tree():
    """The tree as the site ships it (tree.json, what the page's engine loads), so the expected
    results come from exactly what the browser runs."""
    from build_scripts import tree_data

    return tree_data.tree()


# ---------------------------------------------------------------------------------------------
# One booted page per viewport, shared by the tests that only need a ready engine.


def booted(browser, site, viewport):
    ctx = browser.new_context(viewport=viewport)
    ctx.requests = RequestLog()
    ctx.requests.attach(ctx)
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.origin)
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


@pytest.fixture(scope="module")
def ready(browser, site):
    yield from booted(browser, site, PHONE)


@pytest.fixture(scope="module")
def wide(browser, site):
    yield from booted(browser, site, DESKTOP)


def restart(page, tree):
    page.click('[data-action="restart"]')
    page.wait_for_selector(f'fieldset[data-question="{first_fact(tree).id}"]')
    page.evaluate("window.__cdgEvents.length = 0")
    return page


@pytest.fixture
def fresh(ready, tree):
    """The shared phone page, restarted at the first question with its event log emptied."""
    return restart(ready, tree)


def test_first_question_is_in_the_built_html(built_site, tree):
    html = (built_site / "questionnaire" / "index.html").read_text(encoding="utf-8")
    start = first_fact(tree)
    assert f'<fieldset class="cdg-question" data-question="{start.id}" data-type="{start.type}">' in html
    assert f'<legend id="cdg-1-{start.id}-legend" tabindex="-1">{escape(start.text)}</legend>' in html
    for option in start.options:
        assert f'data-option="{option.id}"' in html
    if start.type == "multi":
        assert 'data-action="next"' in html
    assert 'data-engine="loading"' in html
    assert "<noscript>" in html


def test_one_worker_one_download(ready):
    """engine-start.js starts the worker early and questionnaire.js adopts it: never two."""
    paths = [urlsplit(u).path for u in ready.context.requests.urls]
    # (The worker script and pyodide*.mjs are asked for again, from the HTTP cache, to keep them offline.)
    for name in ("/pyodide.asm.wasm", "/python_stdlib.zip", "/tree.json"):
        assert sum(p.endswith(name) for p in paths) == 1, name
    assert len(ready.evaluate("performance.getEntriesByName('cdg:worker-start')")) == 1


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_each_case_shows_the_engines_result(request, site, tree, viewport):
    """Every part of the result — what to do now, routes, entitlements with amounts, deadlines
    with dates, evidence, defences, documents, citations, the answers — is the engine's."""
    page = request.getfixturevalue("ready" if viewport == "phone" else "wide")
    shown_documents = set()
    for name, case in CASES.items():
        restart(page, tree)
        answers = plan(tree, case)
        walk(page, answers)
        got = check_result(page, tree, answers, site.url)
        assert page.url.endswith(fragment(answers)), "the answers are in the fragment, for sharing"
        assert page.title().startswith("结果："), page.title()
        # The next action leads: 现在就做 is the result's first section.
        assert got["sections"][0] == "现在就做", name
        order = [s for s in ("推荐的维权途径", "你可以主张的", "期限", "要准备的证据", "商家可能会这样说") if s in got["sections"]]
        assert order == [s for s in got["sections"] if s in order], "routes, entitlements, deadlines, evidence, defences"
        # Each document carries the consumer's own amount and dates.
        for did, text in got["documents"]:
            shown_documents.add(did)
            assert yuan(case["price"]) in text, (name, did)
            assert chinese_date(case["purchase_date"]) in text, (name, did)
    assert shown_documents == {d.id for d in tree.documents}, "every document appears for some case"


def test_result_leads_with_what_to_do_now(fresh, site, tree):
    """Issue #9: on a 390-px phone, the first screen of the result shows what to do now, by which
    date, and the demand letter with the order's date and amount, ready to copy."""
    case = CASES["refused_online_return"]
    answers = plan(tree, case)
    walk(fresh, answers)
    want = expected(tree, answers)
    now = fresh.locator("[data-result] [data-now]")
    assert want["now"]["date"], "the engine dates the first step"
    assert want["now"]["document"] == "demand_letter", "the letter to send is the demand letter"
    assert chinese_date(want["now"]["date"]) in now.inner_text()
    letter = now.locator(f'[data-document="{want["now"]["document"]}"]')
    text = letter.locator("textarea").input_value()
    assert yuan(case["price"]) in text and chinese_date(case["purchase_date"]) in text
    # Scroll the result's title to the top, under the site's header: the block and the letter are
    # on that first screen.
    fresh.evaluate(
        """() => { const h = document.querySelector('[data-result] h2');
                   const header = document.querySelector('.md-header')?.offsetHeight ?? 0;
                   window.scrollTo(0, h.getBoundingClientRect().top + scrollY - header); }"""
    )
    viewport = fresh.viewport_size["height"]
    assert now.bounding_box()["y"] < viewport / 3
    assert letter.locator("textarea").bounding_box()["y"] < viewport - 100
    screenshot(fresh, "result-390.png")
    screenshot(fresh.locator("[data-result]"), "result-390-full.png")
    screenshot(letter, "document-390.png")
    # The 12315 text is there for the next step, folded until opened.
    assert fresh.locator('[data-result] [data-document="complaint_12315"]').count() == 1


def test_documents_edit_copy_download_and_print_alone(fresh, tree):
    walk(fresh, plan(tree, CASES["refused_online_return"]))
    doc = fresh.locator("[data-result] [data-now] [data-document]")
    box = doc.locator("textarea")
    edited = box.input_value().replace("【请填写：姓名】", "张三")
    box.fill(edited)
    doc.locator('[data-action="copy"]').click()
    expect(doc.locator("[data-doc-status]")).to_contain_text("已复制")
    assert fresh.evaluate("navigator.clipboard.readText()") == edited
    with fresh.expect_download() as download:
        doc.locator('[data-action="download"]').click()
    assert download.value.suggested_filename.endswith(".txt")
    assert Path(download.value.path()).read_text(encoding="utf-8-sig") == edited
    # The same edited text as a Word file, made by the engine's Python in the page.
    from test_docx import paragraphs

    with fresh.expect_download() as download:
        doc.locator('[data-action="download-docx"]').click()
    assert download.value.suggested_filename.endswith(".docx")
    assert paragraphs(Path(download.value.path()).read_bytes()) == edited.split("\n")
    # 单独打印: the browser's print shows that document's text alone.
    fresh.evaluate("() => { window.print = () => { window.__printed = (window.__printed ?? 0) + 1; }; }")
    doc.locator('[data-action="print-document"]').click()
    assert fresh.evaluate("window.__printed") == 1
    fresh.emulate_media(media="print")
    try:
        printed = doc.locator(".cdg-doc-print")
        assert printed.is_visible() and printed.inner_text().strip() == edited.strip()
        assert not fresh.locator("[data-result] [data-route]").first.is_visible()
        assert not fresh.locator("[data-result] h2").is_visible()
        assert not box.is_visible()
        assert pdf_pages(fresh.pdf(format="A4", margin={k: "1cm" for k in ("top", "bottom", "left", "right")})) >= 1
    finally:
        fresh.emulate_media(media="screen")
        fresh.evaluate("window.dispatchEvent(new Event('afterprint'))")
    fresh.emulate_media(media="print")
    try:  # after printing, the result prints whole again, and without the documents
        assert fresh.locator("[data-result] [data-route]").first.is_visible()
        assert not printed.is_visible() and not box.is_visible()
    finally:
        fresh.emulate_media(media="screen")


@pytest.mark.parametrize("name", list(CASES))
def test_printed_result_fits_two_a4_pages(fresh, tree, site, name):
    walk(fresh, plan(tree, CASES[name]))
    fresh.emulate_media(media="print")
    try:
        meta = fresh.locator("[data-result] .cdg-print-meta")
        assert meta.is_visible()
        text = meta.inner_text()
        assert chinese_date(TODAY.isoformat()) in text and site.url("questionnaire/") in text
        assert "从未发送" in text
        assert fresh.locator("[data-result]").is_visible()
        for hidden in (".cdg-nav", ".md-header", "[data-result] [data-document]", '[data-action="print"]'):
            assert not fresh.locator(hidden).first.is_visible(), hidden
        pdf = fresh.pdf(format="A4", margin={k: "1cm" for k in ("top", "bottom", "left", "right")})
    finally:
        fresh.emulate_media(media="screen")
    assert pdf_pages(pdf) <= 2


def test_citations_grouped_by_law_each_article_once_folded(fresh, tree):
    answers = plan(tree, CASES["ebike_false_range_and_fire"])
    walk(fresh, answers)
    box = fresh.locator("[data-result] details[data-citations]")
    assert box.get_attribute("open") is None, "folded by default"
    cited = fresh.eval_on_selector_all(
        "[data-result] [data-citation]", "ns => ns.map(n => [n.dataset.law, n.dataset.article, n.closest('[data-law-group]').dataset.lawGroup])"
    )
    pairs = [(law, art) for law, art, _ in cited]
    assert len(pairs) == len(set(pairs)), "each article once"
    assert all(law == group for law, _, group in cited), "each article under its own law"
    laws = fresh.eval_on_selector_all("[data-result] [data-law-group]", "ns => ns.map(n => n.dataset.lawGroup)")
    assert len(laws) == len(set(laws)) == len({law for law, _ in pairs})
    raw = respond(tree, answers)["result"]["citations"]
    assert len(pairs) < len(raw) or len(pairs) == len({(c["law_id"], c["article"]) for c in raw})
    assert not fresh.locator("[data-result] [data-citation]").first.is_visible()
    box.locator("summary").click()
    assert fresh.locator("[data-result] [data-citation]").first.is_visible()
    # Each article opens its own text in place (articles.js), served from the site.
    for cited in fresh.locator("[data-result] [data-citation]").all():
        cited.locator(".cdg-article-toggle").click()
        panel = cited.locator(".cdg-article")
        expect(panel).to_be_visible()
        expect(panel.locator(".cdg-article__source")).to_be_visible()  # the text, then its source
        assert "暂无" not in panel.inner_text() and "没有这一引用" not in panel.inner_text()


def test_back_and_forward_move_one_question(fresh, tree):
    answers = plan(tree, CASES["expired_milk_powder"])
    for qid, value in answers[:4]:
        give(fresh, qid, value)
    q = [a[0] for a in answers]
    fresh.wait_for_selector(f'fieldset[data-question="{q[4]}"]')
    assert fresh.title().startswith("第 5 题："), fresh.title()
    fresh.go_back()
    fresh.wait_for_selector(f'fieldset[data-question="{q[3]}"]')
    assert fresh.url.endswith(fragment(answers[:3]))
    assert fresh.title().startswith("第 4 题：")
    fresh.go_back()
    fresh.wait_for_selector(f'fieldset[data-question="{q[2]}"]')
    fresh.go_forward()
    fresh.wait_for_selector(f'fieldset[data-question="{q[3]}"]')
    fresh.go_forward()
    fresh.wait_for_selector(f'fieldset[data-question="{q[4]}"]')
    assert fresh.url.endswith(fragment(answers[:4]))
    # The page's own 上一步 is the browser's Back: Forward undoes it.
    fresh.click('[data-action="back"]')
    fresh.wait_for_selector(f'fieldset[data-question="{q[3]}"]')
    fresh.go_forward()
    fresh.wait_for_selector(f'fieldset[data-question="{q[4]}"]')
    # Back from the result returns to its last question, the answer given still selected.
    for qid, value in answers[4:]:
        give(fresh, qid, value)
    fresh.wait_for_selector("[data-result]")
    fresh.go_back()
    last = fresh.locator(f'fieldset[data-question="{q[-1]}"]')
    last.wait_for()
    assert fresh.locator("[data-result]").count() == 0


def replay(tree, answers, tail):
    """What 修改 promises: after the changed answer, every later answer whose question the engine
    still asks is given again; the others are dropped."""
    answers = [list(a) for a in answers]
    while True:
        r = respond(tree, answers)
        if r["status"] != "question":
            return answers
        match = [a for a in tail if a[0] == r["question"]["id"]]
        if not match:
            return answers
        tail = [a for a in tail if a is not match[0]]
        answers.append(match[0])


def test_changing_an_earlier_answer_keeps_the_later_answers_that_still_apply(fresh, site, tree):
    answers = plan(tree, CASES["expired_milk_powder"])
    walk(fresh, answers)
    review = fresh.locator("[data-result] [data-review]")
    assert review.locator("[data-trace]").count() == len(answers)
    i = [a[0] for a in answers].index("problems")
    review.locator('[data-change="problems"]').click()
    fs = fresh.locator('fieldset[data-question="problems"]')
    fs.wait_for()
    assert fresh.eval_on_selector_all(
        'fieldset[data-question="problems"] [aria-pressed="true"]', "ns => ns.map(n => n.dataset.option)"
    ) == ["food_unsafe"], "the answer being changed is shown"
    # Not food after all, but a faulty product: the food questions go, the rest stays.
    give(fresh, "problems", ["defective"])
    want = replay(tree, answers[:i] + [["problems", ["defective"]]], answers[i + 1 :])
    kept = [a[0] for a in want[i + 1 :]]
    dropped = [a[0] for a in answers[i + 1 :] if a[0] not in kept]
    assert "price" in kept and "purchase_date" in kept and "food_issue" in dropped
    fresh.wait_for_function("f => location.hash === f", arg=fragment(want))
    assert "仍然适用" in fresh.locator("[data-status]").inner_text()
    # Whatever the engine still needs is asked; the kept answers are not asked again.
    rest = plan(tree, {**dict((q, v) for q, v in want), "problems": ["defective"]})
    assert rest[: len(want)] == want
    for qid, value in rest[len(want) :]:
        give(fresh, qid, value)
    fresh.wait_for_selector("[data-result]")
    check_result(fresh, tree, rest, site.url)


def test_share_uses_web_share_or_copies_the_link(fresh, tree):
    walk(fresh, plan(tree, CASES["prepaid_card_company_deregistered"]))
    fresh.evaluate("() => { navigator.share = async (data) => { window.__shared = data; }; }")
    fresh.click('[data-result] [data-action="share"]')
    fresh.wait_for_function("window.__shared !== undefined")
    assert fresh.evaluate("window.__shared.url") == fresh.url
    # Without the Web Share API: the link is copied, and the page says so.
    fresh.evaluate("() => { navigator.share = undefined; return navigator.clipboard.writeText(''); }")
    fresh.click('[data-result] [data-action="share"]')
    status = fresh.locator("[data-result] [data-share-status]")
    status.wait_for()
    fresh.wait_for_function("document.querySelector('[data-share-status]').textContent !== ''")
    assert "链接已复制" in status.inner_text() and status.is_visible()
    assert fresh.evaluate("navigator.clipboard.readText()") == fresh.url
    assert "#a=" in fresh.url


def test_typed_answers_are_checked_before_they_are_sent(fresh, tree):
    answers = plan(tree, CASES["refused_online_return"])
    kinds = {a[0]: respond(tree, answers[:n])["question"]["type"] for n, a in enumerate(answers)}
    amount = next(q for q in kinds if kinds[q] == "amount")
    day = next(q for q in kinds if kinds[q] == "date")
    for qid, value in answers[: [a[0] for a in answers].index(amount)]:
        give(fresh, qid, value)
    fs = fresh.locator(f'fieldset[data-question="{amount}"]')
    box = fs.locator('input[name="value"]')
    assert box.get_attribute("type") == "number" and box.get_attribute("inputmode") == "decimal"
    before = fresh.url
    for bad in ("", "-5"):
        box.fill(bad)
        fs.locator('[data-action="next"]').click()
        assert fs.locator("[data-invalid]").is_visible()
        assert fresh.url == before, "nothing was sent"
    assert "负数" in fs.locator("[data-invalid]").inner_text()
    give(fresh, amount, 259)
    for qid, value in answers[len(fresh.url.split(",")) :]:
        if qid == day:
            break
        give(fresh, qid, value)
    fs = fresh.locator(f'fieldset[data-question="{day}"]')
    box = fs.locator('input[name="value"]')
    assert box.get_attribute("type") == "date" and box.get_attribute("max") == TODAY.isoformat()
    before = fresh.url
    box.fill("2999-01-01")
    fs.locator('[data-action="next"]').click()
    assert "晚于今天" in fs.locator("[data-invalid]").inner_text()
    assert fresh.url == before
    # 不清楚 is an answer of its own.
    fs.locator('[data-action="unknown"]').click()
    fresh.wait_for_function("q => !document.querySelector(`fieldset[data-question=\"${q}\"]`)", arg=day)
    assert fresh.url.endswith(f",{day}:~")


def test_events_carry_ids_never_answer_text(fresh, tree):
    answers = plan(tree, CASES["expired_milk_powder"])
    walk(fresh, answers)
    events = fresh.evaluate("window.__cdgEvents")
    steps = [e["detail"] for e in events if e["name"] == "cdg:step"]
    assert steps == [{"question": q} for q, _ in answers[1:]]
    results = [e["detail"] for e in events if e["name"] == "cdg:result"]
    want = expected(tree, answers)["routes"]
    assert results == [{"primary": want[0][0], "routes": [rid for rid, _ in want]}]
    texts = [o.text for q in tree.facts.values() for o in q.options]
    blob = json.dumps(events, ensure_ascii=False)
    assert not [t for t in texts if f'"{t}"' in blob]
    assert "320" not in blob, "not even an amount"


def test_restart_event_from_the_host_restarts(fresh, tree):
    walk(fresh, plan(tree, CASES["expired_milk_powder"]))
    fresh.evaluate("document.querySelector('[data-questionnaire]').dispatchEvent(new CustomEvent('cdg:restart'))")
    fresh.wait_for_selector(f'fieldset[data-question="{first_fact(tree).id}"]')
    assert "#a=" not in fresh.url


# ---------------------------------------------------------------------------------------------
# Tests that need their own boot.


def test_first_question_answerable_before_the_engine_is_ready(page, context, site, tree):
    held = []
    page.route("**/pyodide.asm.wasm", lambda route: held.append(route))
    page.add_init_script(RECORD_EVENTS)
    open_questionnaire(page, site)
    answers = plan(tree, CASES["expired_milk_powder"], stop_after=1)
    give(page, *answers[0])
    assert page.get_attribute("[data-questionnaire]", "data-engine") == "loading"
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
    # The kept answer was applied: the page is now one step further, as the engine says.
    nxt = respond(tree, answers)
    page.wait_for_selector(f'fieldset[data-question="{nxt["question"]["id"]}"]')
    names = [e["name"] for e in page.evaluate("window.__cdgEvents")]
    assert "cdg:ready" in names
    assert page.console_errors == []
    no_foreign_requests(context, site)


def test_reload_resumes_with_the_list_and_keeps_ticks_then_clear_forgets(page, context, site, tree):
    case = CASES["refused_online_return"]
    answers = plan(tree, case)
    open_questionnaire(page, site)
    page.wait_for_selector(ENGINE_READY, timeout=BOOT_MS)
    walk(page, answers)
    eid = page.evaluate(READ_RESULT)["evidence"][0][0]
    page.check(f'[data-evidence="{eid}"] input[type=checkbox]')
    # Back without the link: the answers come back from localStorage, and the page says so.
    page.goto(site.url("questionnaire/"))
    page.wait_for_selector("[data-result]", timeout=BOOT_MS)
    assert "已恢复你上次的回答" in page.locator("[data-result] [data-resumed]").inner_text()
    check_result(page, tree, answers, site.url)
    assert page.is_checked(f'[data-evidence="{eid}"] input[type=checkbox]')
    # Stopped half-way: the question, and above it the list of answers so far, each with 修改.
    page.click('[data-result] [data-change="price"]')
    page.wait_for_selector('fieldset[data-question="price"]')
    assert page.input_value('fieldset[data-question="price"] input[name="value"]') == "259"
    page.goto(site.url("questionnaire/"))
    page.wait_for_selector('fieldset[data-question="price"]', timeout=BOOT_MS)
    assert "已恢复你上次的回答" in page.locator("[data-resumed]").inner_text()
    review = page.locator("[data-questionnaire] [data-review]")
    assert review.is_visible()
    done = answers[: [a[0] for a in answers].index("price")]
    assert review.locator("[data-trace]").count() == review.locator("[data-change]").count() == len(done)
    text = review.inner_text()
    for qid, _ in done:
        assert tree.facts[qid].text in text
    screenshot(page.locator("[data-questionnaire] [data-stage]"), "review-390.png")
    # 修改 from the list reopens that question.
    review.locator(f'[data-change="{done[-1][0]}"]').click()
    page.wait_for_selector(f'fieldset[data-question="{done[-1][0]}"]')
    for qid, value in answers[len(done) - 1 :]:
        give(page, qid, value)
    page.wait_for_selector("[data-result]")
    page.click('[data-action="forget"]')
    page.wait_for_selector(f'fieldset[data-question="{first_fact(tree).id}"]')
    page.reload()
    # Nothing to resume: the first question at once, with no answers waiting for the engine.
    assert page.locator(f'fieldset[data-question="{first_fact(tree).id}"]').is_visible()
    assert page.locator("[data-pending]").count() == 0
    assert page.locator("[data-result]").count() == 0
    assert page.locator("[data-resumed]").count() == 0
    assert page.evaluate("localStorage.getItem('cdg:ticks')") is None
    assert page.console_errors == []
    no_foreign_requests(context, site)


def test_share_link_opens_the_same_result_in_a_fresh_browser(browser, fresh, site, tree):
    answers = plan(tree, CASES["ebike_false_range_and_fire"])
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
        check_result(p2, tree, answers, site.url)
        assert p2.locator("[data-resumed]").count() == 0, "a shared link is not a resumed visit"
        no_foreign_requests(other, site)
    finally:
        other.close()


# Damaged or stale links, and the text from each that must never appear on the page (a link can be
# written by anyone: "#a=problem:Official_refund_hotline_400-820-0000_call_now").
TAMPERED = [
    ("#a={start}:+Official_refund_hotline_400-820-0000_call_now", "Official_refund_hotline"),
    ("#a=no_such_question:x", "no_such_question"),
    ("#a={second}:{option},{start}:+{option}", "{option}"),
    ("#a={start}", "#a="),
    ("#a=%E0%A4%A", "%E0"),
]
BAD_LINK = "这个链接里的回答无法打开"


def tampered(tree, fragment_template: str) -> str:
    facts = list(tree.facts)
    return fragment_template.format(start=facts[0], second=facts[1], option=tree.facts[facts[0]].options[0].id)


@pytest.mark.parametrize("fragment_template, hidden", [TAMPERED[0], TAMPERED[3]], ids=["engine-says", "page-says"])
def test_tampered_fragment_on_load_shows_an_error_and_restarts(page, context, site, tree, fragment_template, hidden):
    page.add_init_script(RECORD_EVENTS)
    open_questionnaire(page, site, tampered(tree, fragment_template))
    error = page.locator("[data-questionnaire] [data-error][role=alert]")
    error.wait_for(state="visible", timeout=BOOT_MS)
    page.wait_for_selector(ENGINE_READY, timeout=BOOT_MS)
    assert error.is_visible(), "the message outlives the engine becoming ready"
    assert BAD_LINK in error.inner_text() and hidden not in error.inner_text()
    assert page.locator("[data-result]").count() == 0
    assert [e["name"] for e in page.evaluate("window.__cdgEvents")].count("cdg:error") == 1
    page.click('[data-action="restart"]')
    page.wait_for_selector(f'fieldset[data-question="{first_fact(tree).id}"]')
    assert not error.is_visible()
    assert "#a=" not in page.url
    assert page.console_errors == []
    no_foreign_requests(context, site)


@pytest.mark.parametrize("fragment_template, hidden", TAMPERED, ids=["option", "question", "order", "half-pair", "escape"])
def test_tampered_fragment_pasted_later(fresh, tree, fragment_template, hidden):
    option = first_fact(tree).options[0].id
    fresh.evaluate("f => { location.hash = f; }", tampered(tree, fragment_template))
    error = fresh.locator("[data-questionnaire] [data-error][role=alert]")
    error.wait_for(state="visible")
    assert BAD_LINK in error.inner_text()
    assert hidden.format(option=option) not in fresh.locator("[data-questionnaire]").inner_text()
    assert fresh.locator("fieldset[data-question]").count() == 0
    assert [e["name"] for e in fresh.evaluate("window.__cdgEvents")] == ["cdg:error"]
    fresh.click('[data-action="restart"]')
    fresh.wait_for_selector(f'fieldset[data-question="{first_fact(tree).id}"]')
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
        answers = plan(tree, CASES["expired_milk_powder"])
        walk(page, answers)
        check_result(page, tree, answers, sub.url)
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
