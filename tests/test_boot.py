"""The engine's boot: the trimmed stdlib runs everything, files are content-named, failures say why.

The trimmed, precompiled ``python_stdlib.zip`` (build_scripts/pyodide_stdlib.mjs) holds only what
the engine imported at build time: if a change makes the engine import something new on some path,
the Node test below fails here, not in a visitor's browser. The browser tests hold or break real
downloads and check the message the visitor reads, by cause: a stall, an HTTP error, a CSP.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import time
import zipfile
from urllib.parse import urlsplit

import pytest

from build_scripts import assets, engine_exercise
from conftest import ROOT
from decision_tree import api

NODE = shutil.which("node")
READY = "[data-questionnaire][data-engine=ready]"
FAILED = "[data-questionnaire][data-engine=error]"


def runtime(built_site) -> dict:
    return json.loads((built_site / "engine" / "runtime.json").read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------------------------
# The trimmed stdlib, booted the way the worker boots it (Pyodide under Node).


def exercise_requests(tree_json: str) -> list[str]:
    """Every static path (the engine's own list, run by CPython here) and 300 random typed walks
    with every prefix of them, plus the bad requests: what Pyodide must answer as CPython does."""
    from datetime import date

    from decision_tree.engine import static_paths
    from decision_tree.model import Tree

    api.load(tree_json)
    today = date.fromisoformat(engine_exercise.TODAY)
    tree = Tree.from_json(json.loads(tree_json))
    static = [json.dumps({"answers": [list(a) for a in answers], "today": engine_exercise.TODAY},
                         ensure_ascii=False) for answers in static_paths(tree, today)]
    return static + engine_exercise.random_requests(api.respond, 300)


@pytest.fixture(scope="module")
def booted(built_site, tmp_path_factory):
    if NODE is None:
        pytest.fail("node is missing: run ./dev test (it needs Node 20+)")
    tree_json = (built_site / runtime(built_site)["engine"] / "tree.json").read_text(encoding="utf-8")
    requests = exercise_requests(tree_json)
    path = tmp_path_factory.mktemp("boot") / "requests.json"
    path.write_text(json.dumps(requests), encoding="utf-8")
    proc = subprocess.run(
        [NODE, str(ROOT / "tests" / "pyodide_boot.mjs"), str(built_site), str(path)],
        capture_output=True, text=True, encoding="utf-8", timeout=600,
    )
    assert proc.returncode == 0, f"Pyodide did not run the engine on the trimmed stdlib:\n{proc.stderr[-3000:]}"
    lines = proc.stdout.rstrip("\n").split("\n")
    return requests, lines[:-1], json.loads(lines[-1])


def test_trimmed_stdlib_runs_every_path_and_random_answers_as_cpython_does(booted, built_site):
    requests, lines, _ = booted
    api.load((built_site / runtime(built_site)["engine"] / "tree.json").read_text(encoding="utf-8"))
    want = engine_exercise.exercise(api.respond, requests)
    assert len(lines) == len(want) > 2000
    for got, expected in zip(lines, want, strict=True):
        assert got == expected, f"Pyodide on the trimmed stdlib answered differently to {expected.split(chr(9))[0]}"


def test_the_engine_came_from_the_trimmed_zip_in_pyodide(booted):
    *_, about = booted
    assert about["platform"] == "emscripten"
    assert about["python"].startswith("3.14")
    assert about["engine_file"] == "/lib/python314.zip/decision_tree/__init__.pyc"
    # The Word file too: the same bytes from the trimmed stdlib as from CPython.
    assert about["docx"] == hashlib.sha256(api.docx(engine_exercise.DOCX_SAMPLE)).hexdigest()


def test_trimmed_zip_is_bytecode_only_and_smaller(built_site):
    info = runtime(built_site)
    with zipfile.ZipFile(built_site / info["engine"] / "python_stdlib.zip") as z:
        names = z.namelist()
    assert names and all(n.endswith(".pyc") for n in names), "sourceless bytecode only"
    assert "decision_tree/engine.pyc" in names and "decision_tree/api.pyc" in names
    assert not any(n.startswith("decision_tree/authoring") for n in names), "authoring stays at build time"
    with zipfile.ZipFile(ROOT / "node_modules" / "pyodide" / "python_stdlib.zip") as z:
        stock = [n for n in z.namelist() if n.endswith(".py")]
    assert info["stdlib_modules"] < len(stock) / 2
    stock_size = (ROOT / "node_modules" / "pyodide" / "python_stdlib.zip").stat().st_size
    assert (built_site / info["engine"] / "python_stdlib.zip").stat().st_size < stock_size / 2


def test_the_stdlib_is_built_once_per_input(monkeypatch):
    """A repeat build reuses build/runtime/: it does not even need Node."""
    from build_scripts import tree_data

    wheel = assets.build_wheel()
    first = assets.runtime_zip(wheel, tree_data.tree_json())
    monkeypatch.setattr(shutil, "which", lambda name: None)
    started = time.perf_counter()
    assert assets.runtime_zip(wheel, tree_data.tree_json()) == first
    assert time.perf_counter() - started < 5


# ---------------------------------------------------------------------------------------------
# Content-named files: a deploy can never pair an old worker with a new tree.


def test_engine_files_live_in_content_named_folders(built_site):
    info = runtime(built_site)
    assert re.fullmatch(r"pyodide/[0-9a-f]{16}/", info["pyodide"])
    assert re.fullmatch(r"engine/[0-9a-f]{16}/", info["engine"])
    for folder in ("pyodide", "engine"):
        # Beside runtime.json (for tools) only files with a content hash in their own name.
        loose = [p.name for p in (built_site / folder).iterdir()
                 if p.is_file() and p.name != "runtime.json" and not re.search(r"-[0-9a-f]{12,}\.", p.name)]
        assert loose == [], f"files outside a content-named folder in {folder}/: {loose}"
    for path in info["files"]:
        assert (built_site / path).is_file(), path
    assert not any(built_site.glob("engine/**/*.whl")), "the engine ships as bytecode in the stdlib zip"


def test_pages_name_this_builds_worker_and_first_steps(built_site):
    info = runtime(built_site)
    p, e = info["pyodide"].split("/")[1], info["engine"].split("/")[1]
    for page in ("questionnaire/index.html", "embed/index.html"):
        html = (built_site / page).read_text(encoding="utf-8")
        assert f"engine-worker.js?p={p}&amp;e={e}" in html, page
        assert info["first_steps"] in html, page


def test_first_steps_are_the_engines_own_questions(built_site):
    """Precomputed by the real engine; questions only (a result is never shipped precomputed)."""
    info = runtime(built_site)
    steps = assets.unpack_first_steps((built_site / info["first_steps"]).read_bytes())
    assert "[]" in steps and len(steps) > 3
    depths = {len(json.loads(k)) for k in steps}
    assert depths >= {0, 1, 2, 3}
    api.load((built_site / info["engine"] / "tree.json").read_text(encoding="utf-8"))
    for key, reply in steps.items():
        assert reply["status"] == "question", key
        assert reply == json.loads(api.respond(key)), key
    # The first question asks for several problems at once: each one alone is a first click.
    first = steps["[]"]["question"]
    for option in first["options"]:
        one = [option["id"]] if first["type"] == "multi" else option["id"]
        key = json.dumps([[first["id"], one]], separators=(",", ":"))
        assert key in steps or json.loads(api.respond(key))["status"] == "result", key


# ---------------------------------------------------------------------------------------------
# In Chromium: answers keep flowing while the engine boots; failures say what went wrong.


def open_questionnaire(page, site):
    page.goto(site.url("questionnaire/"))


def hold_first(page, pattern: str) -> list:
    """Hold the first request matching ``pattern`` (never answered until released); let others through."""
    held: list = []

    def handle(route):
        if not held:
            held.append(route)
        else:
            route.continue_()

    page.route(pattern, handle)
    return held


def error_box(page):
    return page.locator("[data-questionnaire] [data-error][role=alert]")


def test_answers_while_booting_come_from_the_engines_first_steps(page, context, site, tree):
    """With the wasm held, the first three answers each show the engine's next question at once."""
    from questionnaire_cases import CASES, give, plan, respond

    held = hold_first(page, "**/pyodide.asm.wasm")
    open_questionnaire(page, site)
    # (A tap before the page's script has mounted the questionnaire: tests/test_questionnaire.py.)
    page.wait_for_function("document.querySelector('[data-questionnaire]').cdgQuestionnaire !== undefined")
    answers = plan(tree, CASES["refused_online_return"], stop_after=3)
    for n, (qid, value) in enumerate(answers, 1):
        give(page, qid, value)
        reply = respond(tree, answers[:n])
        assert reply["status"] == "question"
        page.wait_for_selector(f'fieldset[data-question="{reply["question"]["id"]}"]', timeout=10_000)
        assert page.get_attribute("[data-questionnaire]", "data-engine") == "loading"
    assert held, "the wasm download was not held"
    held[0].continue_()
    page.wait_for_selector(READY, timeout=90_000)
    # The engine took over where the visitor was: the same question is still there.
    page.wait_for_selector(f'fieldset[data-question="{reply["question"]["id"]}"]')
    assert page.console_errors == []
    assert context.requests.foreign(site.origin) == []


def test_held_wasm_is_a_stall_not_a_csp_and_retry_keeps_the_answers(page, context, site, tree):
    from questionnaire_cases import give, respond

    held = hold_first(page, "**/pyodide.asm.wasm")
    started = time.monotonic()
    open_questionnaire(page, site)
    first = respond(tree, [])["question"]
    answer = [first["id"], [first["options"][0]["id"]] if first["type"] == "multi" else first["options"][0]["id"]]
    give(page, *answer)
    reached = respond(tree, [answer])["question"]["id"]
    page.wait_for_selector(FAILED, timeout=25_000)
    assert time.monotonic() - started < 20 + 2, "the stall is reported within 20 s"
    text = error_box(page).inner_text()
    assert "15 秒没有收到任何数据" in text and "已下载" in text, text
    assert "CSP" not in text and "wasm-unsafe-eval" not in text
    link = error_box(page).locator("a[data-static-link][data-pointed]")
    # Where the static tree's first page leads for the same answer (it asks only its static facts).
    static = context.new_page()
    static.goto(site.url("tree/"))
    static.locator(f'ul[data-question="{answer[0]}"] a[data-option="{answer[1][0]}"]').click()
    static.wait_for_load_state()
    assert link.get_attribute("href") == static.url, f"lands on the question reached ({reached}, or the next the static tree asks)"
    static.close()
    retry = error_box(page).locator('[data-action="retry"]')
    assert retry.is_visible()
    try:
        held[0].continue_()  # released (its worker is gone; the retry downloads afresh)
    except Exception:  # noqa: BLE001 - the browser may already have cancelled it
        pass
    retry.click()
    page.wait_for_selector(READY, timeout=90_000)
    page.wait_for_selector(f'fieldset[data-question="{reached}"]')
    assert not error_box(page).is_visible()
    assert context.requests.foreign(site.origin) == []


def test_a_missing_file_is_named_with_its_http_status(page, context, site):
    page.route("**/python_stdlib.zip", lambda route: route.fulfill(status=404, body="gone"))
    open_questionnaire(page, site)
    page.wait_for_selector(FAILED, timeout=30_000)
    text = error_box(page).inner_text()
    assert "python_stdlib.zip（HTTP 404）" in text, text
    assert error_box(page).locator('[data-action="retry"]').is_visible()


def test_csp_without_wasm_unsafe_eval_is_found_at_once(browser, built_site, serve):
    csp = (
        "default-src 'self'; script-src 'self'; worker-src 'self'; connect-src 'self'; "
        "img-src 'self' data:; style-src 'self' 'unsafe-inline'"
    )
    strict = serve(built_site, csp=csp)
    ctx = browser.new_context()
    try:
        page = ctx.new_page()
        page.goto(strict.url("questionnaire/"))
        # "At once" is shown below by nothing having been downloaded; the timeout only bounds a busy machine.
        page.wait_for_selector(FAILED, timeout=60_000)
        text = error_box(page).inner_text()
        assert "wasm-unsafe-eval" in text and "CSP" in text, text
        assert not error_box(page).locator('[data-action="retry"]').is_visible(), "a retry cannot help"
        assert error_box(page).locator("a[data-static-link]").is_visible()
        wasm = [u for u in ctx.pages[0].evaluate("performance.getEntriesByType('resource').map(e => e.name)")
                if urlsplit(u).path.endswith(".wasm")]
        assert wasm == [], "nothing downloaded in vain"
    finally:
        ctx.close()


def test_no_webassembly_says_so(page, site):
    page.add_init_script("delete globalThis.WebAssembly")
    open_questionnaire(page, site)
    page.wait_for_selector(FAILED, timeout=60_000)
    assert "不支持 WebAssembly" in error_box(page).inner_text()


# ---------------------------------------------------------------------------------------------
# Offline after one visit, under a sub-path and the site's own CSP (worker-src 'self').


def test_after_one_visit_the_questionnaire_and_a_visited_page_work_with_the_server_stopped(
    browser, built_site, serve, tree
):
    from build_scripts.serve import SITE_CSP
    from questionnaire_cases import CASES, check_result, plan, walk

    served = serve(built_site, prefix="/consumer/guide/", csp=SITE_CSP)
    ctx = browser.new_context()
    try:
        page = ctx.new_page()
        page.goto(served.url("guide/prepare/"))
        title = page.locator("article h1").inner_text()
        # A first page is kept once the service worker is up; a reader stays that long, a test waits.
        page.wait_for_selector("html[data-offline-kept]", state="attached", timeout=60_000)
        page.goto(served.url("questionnaire/"))
        page.wait_for_selector(READY, timeout=90_000)
        note = page.locator("[data-offline]")
        note.wait_for(state="visible", timeout=60_000)
        assert "已可离线使用" in note.inner_text()
        scope = page.evaluate("navigator.serviceWorker.ready.then((r) => r.scope)")
        assert scope == served.url(""), "the service worker covers the site's folder, not the host"

        served.server.shutdown()
        served.server.server_close()

        page.goto(served.url("questionnaire/"))
        page.wait_for_selector(READY, timeout=90_000)
        answers = plan(tree, CASES["expired_milk_powder"])
        walk(page, answers)
        check_result(page, tree, answers, served.url)
        page.goto(served.url("guide/prepare/"))
        assert page.locator("article h1").inner_text() == title
    finally:
        ctx.close()


SNAPSHOT_USED = "performance.getEntriesByName('cdg:engine-ready')[0]?.detail?.snapshot ?? null"


def test_a_return_visit_boots_from_the_memory_snapshot_and_answers_the_same(browser, site, tree):
    """The first visit keeps a Pyodide memory snapshot (taken before any answer); the next visit boots
    from it and gives the engine's own result. A damaged snapshot is replaced, never fatal."""
    from questionnaire_cases import CASES, check_result, plan, walk

    ctx = browser.new_context()
    try:
        page = ctx.new_page()
        page.goto(site.url("questionnaire/"))
        page.wait_for_selector(READY, timeout=90_000)
        assert page.evaluate(SNAPSHOT_USED) is False
        page.wait_for_selector("[data-offline]:not([hidden])", timeout=60_000)
        size = page.evaluate("""async () => { const c = await caches.open((await caches.keys()).find((n) => n.startsWith("cdg-engine-")));
            const keys = await c.keys(); const hit = keys.find((r) => r.url.endsWith("/pyodide-memory.bin"));
            return hit ? (await (await c.match(hit)).arrayBuffer()).byteLength : 0; }""")
        assert size > 10_000_000, "the snapshot is kept with the engine's files"
        page.goto(site.url("questionnaire/"))
        page.wait_for_selector(READY, timeout=90_000)
        assert page.evaluate(SNAPSHOT_USED) is True
        answers = plan(tree, CASES["ebike_false_range_and_fire"])
        walk(page, answers)
        check_result(page, tree, answers, site.url)
        assert page.evaluate("document.querySelector('[data-questionnaire]').dataset.engine") == "ready"
        # Damage it: the next visit boots as a first visit would, and keeps a good snapshot again.
        page.evaluate("""async () => { const c = await caches.open((await caches.keys()).find((n) => n.startsWith("cdg-engine-")));
            const key = (await c.keys()).find((r) => r.url.endsWith("/pyodide-memory.bin"));
            await c.put(key, new Response(new Uint8Array(1000).fill(7))); }""")
        page.goto(site.url("questionnaire/"))
        page.wait_for_selector(READY, timeout=90_000)
        assert page.evaluate(SNAPSHOT_USED) is False
        page.wait_for_selector("[data-offline]:not([hidden])", timeout=60_000)  # said once it is kept
        page.goto(site.url("questionnaire/"))
        page.wait_for_selector(READY, timeout=90_000)
        assert page.evaluate(SNAPSHOT_USED) is True, "a good snapshot was kept again"
    finally:
        ctx.close()


def test_a_new_deploy_replaces_the_caches(browser, built_site, serve, tmp_path):
    """A new build names new caches; the new service worker deletes the old ones when it takes over."""
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    served = serve(site)
    ctx = browser.new_context()
    try:
        page = ctx.new_page()
        page.goto(served.url("questionnaire/"))
        page.wait_for_selector("[data-offline]:not([hidden])", timeout=90_000)
        before = page.evaluate("caches.keys()")
        assert len(before) == 2 and all(n.startswith(("cdg-engine-", "cdg-pages-")) for n in before), before
        # "Deploy" a build whose pages changed: the build gives it a new page-cache name.
        sw = (site / "sw.js").read_text(encoding="utf-8")
        (site / "sw.js").write_text(re.sub(r'cdg-pages-[0-9a-f]+', "cdg-pages-0123456789abcdef", sw), encoding="utf-8")
        page.evaluate("navigator.serviceWorker.ready.then((r) => r.update())")
        # The new worker takes over (and drops the old page cache) without anyone reloading.
        old = [n for n in before if n.startswith("cdg-pages-")]
        page.wait_for_function("(old) => caches.keys().then((k) => !k.includes(old))", arg=old[0], timeout=30_000)
        # Then the visitor comes back. (Navigating while the new worker was still between installed
        # and activated sometimes never committed in this shared test browser: see the closing note.)
        page.goto(served.url("questionnaire/"))
        page.wait_for_selector(READY, timeout=90_000)
        after = page.evaluate("caches.keys()")
        assert old[0] not in after, f"old page cache left behind: {after}"
        engine = [n for n in before if n.startswith("cdg-engine-")]
        assert engine[0] in after, "the engine did not change: its cache stays, nothing is downloaded again"
        assert page.evaluate(SNAPSHOT_USED) is True, "and its snapshot with it"
    finally:
        ctx.close()


def test_the_embed_runs_without_a_console_error(page, site):
    """Material's bundle used to stop on the embed ("Missing element … header"), before the engine."""
    page.goto(site.url("embed/"))
    page.wait_for_selector(READY, timeout=90_000)
    page.wait_for_function("navigator.serviceWorker.ready.then(() => true)", timeout=30_000)
    assert page.console_errors == []
