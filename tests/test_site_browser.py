"""The built site in Debian's Chromium: no foreign request, search, accessibility, phone layout, page weight."""

from __future__ import annotations

import gzip
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from build_scripts.serve import COMPRESSIBLE, make_server, serve_in_thread
from conftest import serious_violations

GUIDE_PAGE = "guide/prepare/"
# One page of each type; the route page is the first route in the tree.
PAGE_TYPES = {
    "home": "",
    "guide": GUIDE_PAGE,
    "route": "routes/{route}/",
    "evidence": "evidence/",
    "glossary": "glossary/",
}
WEIGHT_LIMIT = 150 * 1024


@pytest.fixture(scope="module")
def page_types(tree_data) -> dict[str, str]:
    route = next(iter(tree_data["routes"]))
    return {name: path.format(route=route) for name, path in PAGE_TYPES.items()}


def open_search(page, query: str | None = None) -> None:
    """Open Material's search dialog and, given a query, wait for its results."""
    page.click("label.md-header__button[for='__search']")
    page.wait_for_function(
        "document.querySelector('.md-search-result__meta').textContent.trim() !== '正在初始化搜索引擎'"
    )
    if query is None:
        return
    page.fill("input.md-search__input", query)
    page.press("input.md-search__input", "End")  # Material searches on keyup
    page.wait_for_function("document.querySelector('.md-search-result__meta').textContent.trim() !== '键入以开始搜索'")


def result_pages(page) -> list[str]:
    """The result pages' paths, best first, each once."""
    hrefs = page.eval_on_selector_all(
        ".md-search-result__item > .md-search-result__link", "els => els.map(e => e.href)"
    )
    out: list[str] = []
    for h in hrefs:
        path = unquote(urlsplit(h).path).lstrip("/")
        if path not in out:
            out.append(path)
    return out


def test_no_request_leaves_the_site(page, context, site, page_types):
    for path in page_types.values():
        page.goto(site.url(path), wait_until="networkidle")
    open_search(page, "仲裁")
    page.wait_for_load_state("networkidle")
    assert len(context.requests.urls) > 10
    assert context.requests.foreign(site.origin) == []
    assert page.console_errors == []


@pytest.mark.parametrize("query, expected", [
    ("退货", ("rights/seven-day-return/", "refuse-return/")),
    ("十倍", ("rights/compensation/",)),
    ("仲裁", ("routes/arbitration/",)),
    ("12315", ("routes/complaint_12315/", "routes/report_12315/", "routes/")),
])
def test_search_finds_the_right_page(page, site, query, expected):
    page.goto(site.url(GUIDE_PAGE))
    open_search(page, query)
    found = result_pages(page)
    assert found, f"{query}: no result"
    assert any(p in found[:10] for p in expected), f"{query}: expected one of {expected} in {found[:10]}"


@pytest.mark.parametrize("query", ["七日无理由退货", "惩罚性赔偿", "小额诉讼"])
def test_whole_legal_terms_are_found(page, site, query):
    page.goto(site.url(""))
    open_search(page, query)
    assert result_pages(page), f"{query}: no result (jieba dictionary not applied?)"


@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_no_serious_accessibility_violation(page, context, site, axe, page_types, kind):
    page.goto(site.url(page_types[kind]), wait_until="networkidle")
    problems = serious_violations(axe.run(page))
    assert problems == [], f"{kind} page:\n" + "\n".join(problems)
    assert context.requests.foreign(site.origin) == []


def test_search_dialog_has_no_serious_accessibility_violation(page, context, site, axe):
    page.goto(site.url(GUIDE_PAGE), wait_until="networkidle")
    open_search(page, "退货")
    assert page.get_attribute("[data-md-component=search]", "aria-label") == "搜索"
    problems = serious_violations(axe.run(page, context=".md-search"))
    assert problems == [], "search dialog:\n" + "\n".join(problems)
    assert context.requests.foreign(site.origin) == []


@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_phone_reading(page, site, page_types, kind):
    """At 390 px: no sideways scrolling, body text at least 16 px, not too many characters per line."""
    page.goto(site.url(page_types[kind]))
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{kind}: the page scrolls sideways ({width}px wide)"
    size = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.md-typeset p, .md-typeset li')).fontSize)"
    )
    assert size >= 16, f"{kind}: body text is {size}px"
    line = page.evaluate("document.querySelector('.md-content__inner').getBoundingClientRect().width")
    assert line / size <= 24, f"{kind}: {line / size:.0f} characters per line is too many on a phone"


@pytest.fixture(scope="module")
def gzip_site(built_site):
    server = make_server(built_site, gzip=True)
    serve_in_thread(server)
    host, port = server.server_address[:2]
    yield f"http://{host}:{port}/"
    server.shutdown()
    server.server_close()


def transferred(browser, url: str, site_dir: Path, then=None) -> list[tuple[str, int]]:
    """(url, bytes) for every response of a first visit with a cold cache: Chromium's encoded body size,
    or, where it reports none (a worker's script), the gzip size of the file the server sent."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    sizes: list[tuple[str, int]] = []

    def finished(request):
        n = request.sizes()["responseBodySize"]
        if n == 0:
            path = site_dir / unquote(urlsplit(request.url).path).lstrip("/")
            path = path / "index.html" if path.is_dir() else path
            data = path.read_bytes() if path.is_file() else b""
            n = len(gzip.compress(data, mtime=0)) if path.name.endswith(COMPRESSIBLE) else len(data)
        sizes.append((request.url, n))

    context.on("requestfinished", finished)
    page = context.new_page()
    page.goto(url, wait_until="networkidle")
    if then:
        then(page)
        page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    context.close()
    return sizes


def test_a_guide_page_is_light(browser, gzip_site, built_site):
    """First load of a guide page, cold cache, gzip on: under 150 KB; the search index waits for search."""
    sizes = transferred(browser, gzip_site + GUIDE_PAGE, built_site)
    total = sum(n for _, n in sizes)
    detail = "\n".join(f"{n:>8} {u}" for u, n in sorted(sizes, key=lambda x: -x[1]))
    assert total < WEIGHT_LIMIT, f"{total} bytes over {len(sizes)} requests:\n{detail}"
    assert not any(u.endswith("search_index.json") for u, _ in sizes), "the search index loaded before search"


def test_opening_search_loads_the_index(browser, gzip_site, built_site):
    sizes = transferred(browser, gzip_site + GUIDE_PAGE, built_site, then=lambda p: open_search(p, "退货"))
    assert any(u.endswith("search/search_index.json") for u, _ in sizes)
