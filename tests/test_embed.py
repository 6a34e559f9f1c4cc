"""The questionnaire embedded in a portal: a host page on a second origin, the site under a sub-path.

The host page is what integrators.md tells a portal to paste (an iframe and embed.js), served from
its own origin with a strict CSP; the site is served under /consumer/guide/ with SITE_CSP. The
engine boots once per test that waits for `cdg:ready`; the other tests need no engine.
"""

from __future__ import annotations

import json
import time

import pytest

from build_scripts.serve import SITE_CSP
from questionnaire_cases import CASES, give, plan, result

PREFIX = "/consumer/guide/"
BOOT = 60_000  # ms: Pyodide boots in a worker; slow machines take several seconds
EVENTS = ("cdg:ready", "cdg:step", "cdg:result", "cdg:error", "cdg:resize")
# The only keys a message to the host may carry: ids, a height, the kind of error (a fixed word).
ALLOWED_KEYS = {
    "cdg:ready": {"type", "version"},
    "cdg:resize": {"type", "version", "height"},
    "cdg:step": {"type", "version", "question"},
    "cdg:result": {"type", "version", "primary", "routes"},
    "cdg:error": {"type", "version", "reason"},
}

HOST_JS = """
window.rawMessages = [];
window.hostEvents = [];
addEventListener("message", function (e) {
  rawMessages.push({origin: e.origin, json: JSON.stringify(e.data)});
});
document.querySelectorAll("iframe[data-cdg-embed]").forEach(function (f) {
  %s.forEach(function (t) {
    f.addEventListener(t, function (e) { hostEvents.push({frame: f.id, type: t, detail: e.detail}); });
  });
});
""" % json.dumps(list(EVENTS))


def host_csp(*frame_origins: str) -> str:
    """A portal's strict policy: no inline script or style, frames and embed.js from the site only."""
    return (
        "default-src 'none'; script-src 'self' {0}; frame-src {1}; style-src 'self'; "
        "base-uri 'none'; form-action 'none'".format(frame_origins[0], " ".join(frame_origins))
    )


@pytest.fixture(scope="module")
def csp_site(built_site, serve):
    """The built site under a sub-path, with the CSP integrators.md documents."""
    return serve(built_site, prefix=PREFIX, csp=SITE_CSP)


@pytest.fixture(scope="module")
def third(tmp_path_factory, serve):
    """A third origin: another page in the portal's window that tries to talk to the iframe."""
    d = tmp_path_factory.mktemp("third")
    (d / "third.html").write_text("<!doctype html><title>third</title><p>third origin</p>", encoding="utf-8")
    return serve(d)


@pytest.fixture(scope="module")
def portal(tmp_path_factory, serve, csp_site, third):
    """The portal: a static directory on a second origin; ``portal.page(name, body)`` writes a page."""
    d = tmp_path_factory.mktemp("portal")
    (d / "host.js").write_text(HOST_JS, encoding="utf-8")
    served = serve(d, csp=host_csp(csp_site.origin, third.origin))

    def page(name: str, iframes: str) -> str:
        html = f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>portal</title></head>
<body><h1>某市消费者协会</h1>
{iframes}
<script src="{csp_site.url('embed.js')}"></script>
<script src="host.js"></script>
</body></html>"""
        (d / name).write_text(html, encoding="utf-8")
        return served.url(name)

    served.page = page
    return served


def embed_iframe(site, host_origin: str | None, *, id="cdg", sandbox=None, query="") -> str:
    src = site.url("embed/") + "?" + "&".join(
        ([f"host={host_origin}"] if host_origin else []) + ([query] if query else [])
    )
    sandbox_attr = f' sandbox="{sandbox}"' if sandbox is not None else ""
    return (f'<iframe data-cdg-embed id="{id}" title="消费维权问卷" src="{src}" '
            f'width="100%" height="150"{sandbox_attr}></iframe>')


def embed_frame(page, frame_id="cdg"):
    return page.frame_locator(f"#{frame_id}"), page.locator(f"#{frame_id}").element_handle().content_frame()


def host_events(page, type_=None):
    events = page.evaluate("hostEvents")
    return [e for e in events if type_ is None or e["type"] == type_]


def wait_event(page, type_, timeout=BOOT, where=None):
    page.wait_for_function(
        "([t, w]) => hostEvents.some(e => e.type === t && (!w || JSON.stringify(e.detail).includes(w)))",
        arg=[type_, where], timeout=timeout,
    )


def assert_sized(page, frame, frame_id="cdg", timeout=5.0):
    """The iframe is as tall as the document inside it, so it never scrolls."""
    deadline = time.monotonic() + timeout
    while True:
        outer = page.evaluate(f"document.getElementById('{frame_id}').getBoundingClientRect().height")
        inner = frame.evaluate("[document.documentElement.scrollHeight, innerHeight]")
        if abs(outer - inner[0]) <= 1 and inner[0] <= inner[1]:
            return outer
        if time.monotonic() > deadline:
            raise AssertionError(f"iframe {outer}px, document inside {inner[0]}px (viewport {inner[1]}px)")
        time.sleep(0.1)


def csp_violations(messages):
    return [m for m in messages if "Content Security Policy" in m]


def a_long_path(tree):
    """A long walk (several problems, amounts and dates), its primary route and alternatives."""
    answers = plan(tree, CASES["ebike_false_range_and_fire"])
    r = result(tree, answers)
    return answers, r["primary_route"]["id"], [a["id"] for a in r["alternatives"]]


def texts_on_the_path(tree, answers) -> list[str]:
    """Every question and option text the user saw on the path, and the amounts and dates they
    typed: none may reach the host."""
    texts = []
    for qid, value in answers:
        q = tree.facts[qid]
        texts.append(q.text)
        texts += [o.text for o in q.options]
        if isinstance(value, (int, float)) or (isinstance(value, str) and value[:2] == "20"):
            texts.append(str(value))
    return [t for t in texts if len(t) >= 2]


def test_portal_embeds_the_questionnaire_and_gets_ids_only(
    context, csp_site, portal, third, tree
):
    """Second origin, sub-path, SITE_CSP, sandbox="allow-scripts allow-same-origin": the full flow."""
    page = context.new_page()
    console = []
    page.on("console", lambda m: console.append(m.text))
    url = portal.page("portal.html", embed_iframe(csp_site, portal.origin, sandbox="allow-scripts allow-same-origin")
                      + f'\n<iframe id="third" src="{third.url("third.html")}" width="10" height="10"></iframe>')
    page.goto(url)
    ui, frame = embed_frame(page)

    wait_event(page, "cdg:ready")
    answers, primary, alternatives = a_long_path(tree)
    ui.locator(f'[data-question="{answers[0][0]}"]').wait_for()
    before = assert_sized(page, frame)
    assert before > 150, "the iframe was never resized from its initial height"

    for qid, value in answers:
        give(ui, qid, value)
    ui.locator(f'[data-result] [data-route="{primary}"][data-rank="1"]').wait_for()
    wait_event(page, "cdg:result")
    after = assert_sized(page, frame)
    assert after != before, "the iframe kept its height although the content changed"

    result = host_events(page, "cdg:result")[-1]["detail"]
    assert result["primary"] == primary
    assert [r for r in result["routes"] if r != primary] == alternatives
    steps = [e["detail"]["question"] for e in host_events(page, "cdg:step")]
    assert {q for q, _ in answers[1:]} <= set(steps) <= set(tree.facts), steps

    # Every message the host got: the right origin, only the allowed keys, no answer text.
    raw = page.evaluate("rawMessages")
    assert raw and {m["origin"] for m in raw} == {csp_site.origin}
    for m in raw:
        data = json.loads(m["json"])
        assert data["version"] == 1 and set(data) <= ALLOWED_KEYS[data["type"]], data
    serialised = json.dumps([m["json"] for m in raw], ensure_ascii=False) + json.dumps(
        host_events(page), ensure_ascii=False)
    leaked = [t for t in texts_on_the_path(tree, answers) if t in serialised]
    assert not leaked, f"answer text reached the host: {leaked}"
    # Ids, and only ids of questions and routes: never the option chosen.
    for m in raw:
        data = json.loads(m["json"])
        assert data.get("question") in (None, *tree.facts), data
        assert {data.get("primary"), *data.get("routes", [])} <= {None, *tree.routes}, data

    # A third origin in the same window: its restart is ignored, its forged event not re-dispatched.
    third_frame = page.locator("#third").element_handle().content_frame()
    third_frame.evaluate("parent.frames[0].postMessage({type: 'cdg:restart', version: 1}, '*')")
    third_frame.evaluate(
        "parent.postMessage({type: 'cdg:result', version: 1, primary: 'forged', routes: ['forged']}, '*')")
    page.wait_for_timeout(1000)
    assert ui.locator("[data-result]").first.is_visible(), "a restart from a third origin was obeyed"
    assert all(e["detail"].get("primary") != "forged" for e in host_events(page, "cdg:result"))

    # The host's restart is obeyed.
    page.evaluate("CdgEmbed.restart(document.getElementById('cdg'))")
    ui.locator(f'[data-question="{answers[0][0]}"]').wait_for(timeout=10_000)
    assert not ui.locator("[data-result]:visible").count()
    assert_sized(page, frame)

    assert not csp_violations(console), csp_violations(console)
    assert context.requests.foreign(csp_site.origin, portal.origin, third.origin) == []


def test_without_allow_same_origin_the_frame_names_the_missing_flag(context, csp_site, portal):
    """sandbox="allow-scripts" alone: no module worker, and a message that says what to add."""
    page = context.new_page()
    page.goto(portal.page("sandboxed.html", embed_iframe(csp_site, portal.origin, sandbox="allow-scripts")))
    ui, frame = embed_frame(page)
    alert = ui.locator("[data-error][role=alert]")
    alert.filter(has_text="allow-same-origin").wait_for(timeout=BOOT)
    wait_event(page, "cdg:error", timeout=10_000)
    assert [e["detail"] for e in host_events(page, "cdg:error")] == [{"reason": "engine"}]
    assert_sized(page, frame)
    assert context.requests.foreign(csp_site.origin, portal.origin) == []


def test_messages_go_only_to_the_named_host(context, csp_site, portal, third):
    """?host= names another origin: the portal gets nothing, not even a height."""
    page = context.new_page()
    context.route("**/pyodide/**", lambda route: route.abort())  # no engine needed here
    page.goto(portal.page("wrong-host.html", embed_iframe(csp_site, third.origin)
                          + "\n" + embed_iframe(csp_site, portal.origin, id="right")))
    wait_event(page, "cdg:resize", timeout=10_000, where=None)
    page.wait_for_timeout(1000)
    frames = {e["frame"] for e in host_events(page)}
    assert frames == {"right"}, frames


@pytest.mark.parametrize("query, warnings", [
    ("host=javascript:alert(1)//&theme=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E"
     "&accent=red;background:url(http://evil.invalid/x)", 3),
    ("host=https://portal.example/path&theme=Dark&accent=%23ff00", 3),
    ("host=ftp://portal.example&accent=%2312345g", 2),
    ("host=https://portal.example?x=1&theme=light%20dark", 2),
])
def test_invalid_parameters_are_ignored_and_not_reflected(context, csp_site, query, warnings):
    context.route("**/pyodide/**", lambda route: route.abort())
    page = context.new_page()
    warned = []
    page.on("console", lambda m: m.type == "warning" and "ignoring" in m.text and warned.append(m.text))
    page.goto(csp_site.url("embed/") + "?" + query)
    page.locator("[data-questionnaire]").wait_for(state="attached")
    assert len(warned) == warnings, warned
    assert page.evaluate("document.body.dataset.mdColorScheme") == "default"
    assert page.evaluate("document.documentElement.getAttribute('style')") in (None, "")
    html = page.content()
    for fragment in ("onerror", "evil.invalid", "javascript:", "portal.example", "#ff00", "12345g"):
        assert fragment not in html, f"{fragment!r} was reflected into the DOM"
    assert context.requests.foreign(csp_site.origin) == []


def test_theme_and_accent_are_applied(context, csp_site):
    context.route("**/pyodide/**", lambda route: route.abort())
    page = context.new_page()
    page.goto(csp_site.url("embed/") + "?theme=dark&accent=%23C00")
    page.locator("[data-questionnaire]").wait_for(state="attached")
    assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
    accent = page.evaluate(
        "getComputedStyle(document.documentElement).getPropertyValue('--md-accent-fg-color').trim()")
    assert accent == "#c00"
    page.goto(csp_site.url("embed/") + "?theme=light")
    assert page.evaluate("document.body.dataset.mdColorScheme") == "default"


def test_embed_page_has_no_site_chrome(context, csp_site):
    context.route("**/pyodide/**", lambda route: route.abort())
    page = context.new_page()
    page.goto(csp_site.url("embed/"))
    page.locator("[data-questionnaire]").wait_for(state="attached")
    for chrome in (".md-header", ".md-tabs", ".md-sidebar--primary", ".md-footer", ".md-search"):
        assert page.locator(chrome).count() == 0, f"{chrome} is on the embed page"


def test_guide_pages_are_readable_in_a_portal_iframe(context, csp_site, portal):
    """No X-Frame-Options, no frame-ancestors, no frame-busting; Material works under SITE_CSP."""
    page = context.new_page()
    console = []
    page.on("console", lambda m: console.append(m.text))
    page.on("pageerror", lambda e: console.append(str(e)))
    response = page.request.get(csp_site.url("guide/prepare/"))
    assert "x-frame-options" not in response.headers
    assert "frame-ancestors" not in response.headers.get("content-security-policy", "")
    url = portal.page("guide.html", f'<iframe id="guide" title="指南" src="{csp_site.url("guide/prepare/")}" '
                      'width="100%" height="600" sandbox="allow-scripts allow-same-origin"></iframe>')
    page.goto(url)
    guide = page.frame_locator("#guide")
    guide.locator("h1").wait_for()
    assert page.url == url, "the guide page took over the portal's window"
    frame = page.locator("#guide").element_handle().content_frame()
    assert frame.evaluate("typeof __md_get") == "function"  # Material's config script ran
    assert not csp_violations(console), csp_violations(console)
    assert not [m for m in console if "is not defined" in m], console


def test_the_live_demo_logs_the_events(context, csp_site, tree):
    """integrators/demo.html, served with the site: boots and logs the events it receives."""
    site = csp_site
    page = context.new_page()
    page.goto(site.url("integrators/demo.html"))
    log = page.locator("#log")
    log.locator('[data-event="cdg:ready"]').wait_for(timeout=BOOT)
    answers, _, _ = a_long_path(tree)
    qid, value = answers[0]
    give(page.frame_locator("#cdg"), qid, value)
    log.locator('[data-event="cdg:step"], [data-event="cdg:result"]').first.wait_for(timeout=10_000)
    assert not [oid for oid in value if f'"{oid}"' in log.inner_text()]
    assert context.requests.foreign(site.origin) == []


def test_the_integrators_snippet_pasted_as_is_works(context, csp_site, portal, tree):
    """Done-when of the embed work: the page's own snippet, in a plain HTML file on another port."""
    import re
    from pathlib import Path

    text = (Path(__file__).resolve().parent.parent / "docs/integrators.md").read_text(encoding="utf-8")
    snippet = re.search(r"```html\n(.*?)```", text, re.S).group(1)
    assert "data-cdg-embed" in snippet and "embed.js" in snippet
    snippet = snippet.replace("https://guide.example.org/", csp_site.url("")).replace(
        "https://portal.example.org", portal.origin)
    html = f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>portal</title></head>
<body><h1>某市消费者协会</h1>
{snippet}
<script src="host.js"></script>
</body></html>"""
    (Path(portal.server.RequestHandlerClass.keywords["directory"]) / "pasted.html").write_text(html, encoding="utf-8")

    page = context.new_page()
    page.goto(portal.url("pasted.html"))
    frame_el = page.locator("iframe[data-cdg-embed]")
    frame_el.evaluate("f => f.id = 'pasted'")
    ui = page.frame_locator("#pasted")
    frame = frame_el.element_handle().content_frame()
    wait_event(page, "cdg:ready")
    answers, primary, _ = a_long_path(tree)
    for qid, value in answers:
        give(ui, qid, value)
    wait_event(page, "cdg:result")
    assert host_events(page, "cdg:result")[-1]["detail"]["primary"] == primary
    assert_sized(page, frame, frame_id="pasted")
    assert context.requests.foreign(csp_site.origin, portal.origin) == []
