"""The guide on a phone and on paper: tables, the 404 page, kept checklist ticks, the static tree at
360 px, search ranking, print. Real Chromium against the built site."""

from __future__ import annotations

import json
import re

import pytest

from conftest import ROOT, RequestLog, serious_violations
from test_site_browser import open_search, result_pages

ARTIFACTS = ROOT / "tests" / "artifacts"
CHECKLIST_PAGE = "guide/prepare/"


def guide_pages(built_site) -> list[str]:
    """Every page of the guide (not the static tree, the embed or the questionnaire's page)."""
    out = []
    for html in sorted(built_site.rglob("index.html")):
        path = html.parent.relative_to(built_site).as_posix()
        path = "" if path == "." else path + "/"
        if not path.startswith(("tree/", "embed/", "search/", "assets/", "questionnaire/")):
            out.append(path)
    return out


def _new_page(browser, width: int, height: int):
    context = browser.new_context(viewport={"width": width, "height": height})
    context.requests = RequestLog()
    context.requests.attach(context)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(f"{page.url}: {e} {e.stack}"))
    return context, page


WIDTHS = """() => ({
  page: document.documentElement.scrollWidth,
  tables: [...document.querySelectorAll('.md-content table')].map(t => Math.ceil(t.getBoundingClientRect().right)),
})"""


@pytest.mark.parametrize("width, height", [(390, 844), (1280, 800)])
def test_no_table_is_wider_than_the_screen_on_any_guide_page(browser, site, built_site, width, height):
    context, page = _new_page(browser, width, height)
    too_wide, tables = [], 0
    for path in guide_pages(built_site):
        page.goto(site.url(path))
        w = page.evaluate(WIDTHS)
        tables += len(w["tables"])
        if w["page"] > width or any(right > width for right in w["tables"]):
            too_wide.append(f"{path or '/'}: page {w['page']} px, tables end at {w['tables']}")
    assert tables >= 20, "the guide has hardly any tables: is the page list right?"
    assert too_wide == [], f"at {width} px:\n" + "\n".join(too_wide)
    assert context.requests.foreign(site.origin) == [] and page.errors == []
    context.close()


def test_a_table_on_a_phone_reads_as_labelled_cards(page, site):
    page.goto(site.url(CHECKLIST_PAGE))
    table = page.locator(".md-content table").first
    heading = table.locator("th").first.inner_text().strip()
    cell = table.locator("tbody tr").first.locator("td").first
    assert cell.get_attribute("data-label") == heading
    # Each cell takes the card's full width (not a few characters a line) and shows its column's name.
    box, card = cell.bounding_box(), table.locator("tbody tr").first.bounding_box()
    assert box["width"] > 0.8 * card["width"]
    label = page.evaluate("c => getComputedStyle(c, '::before').content", cell.element_handle())
    assert heading in label
    # The heading above the table too, clear of the sticky header; then let its title transition end.
    page.evaluate("t => window.scrollTo(0, t.getBoundingClientRect().top + window.scrollY - 140)",
                  table.element_handle())
    page.wait_for_timeout(500)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "guide-table-390.png"))


def test_the_404_page_is_chinese(page, context, site, axe):
    page.goto(site.url("404.html"))
    assert page.get_attribute("html", "lang") == "zh"
    assert page.locator("h1").inner_text() == "找不到这个页面"
    assert "找不到" in page.title()
    assert page.locator(".md-content a[href]").count() >= 3
    assert "Not found" not in page.content()
    assert serious_violations(axe.run(page)) == []
    assert context.requests.foreign(site.origin) == []


def test_checklist_ticks_survive_a_reload(page, site):
    page.goto(site.url(CHECKLIST_PAGE))
    # A reader taps the drawn box: Material draws it over the (hidden) checkbox, inside its label,
    # so the tap lands on the drawing (force: the checkbox itself is not what is visible).
    boxes = page.locator(".md-content .task-list-item input[type=checkbox]")
    assert boxes.count() >= 3
    boxes.nth(0).check(force=True)
    boxes.nth(2).check(force=True)
    page.reload()
    checked = page.eval_on_selector_all(
        ".md-content .task-list-item input[type=checkbox]", "bs => bs.map(b => b.checked)"
    )
    assert checked[:3] == [True, False, True] and sum(checked) == 2
    boxes.nth(0).uncheck(force=True)
    page.reload()
    assert page.eval_on_selector_all(
        ".md-content .task-list-item input[type=checkbox]", "bs => bs.filter(b => b.checked).length"
    ) == 1


@pytest.mark.parametrize("stored", ['["a", "b"]', '{"x": 1}', "not json", "null", '"text"'])
def test_stored_ticks_of_the_wrong_shape_are_dropped_with_a_note(page, site, stored):
    notes = []
    page.on("console", lambda m: notes.append(m.text))
    page.goto(site.url(CHECKLIST_PAGE))
    key = page.evaluate("'cdg:guide-ticks:' + location.pathname")
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [key, stored])
    page.reload()
    assert page.eval_on_selector_all(
        ".md-content .task-list-item input[type=checkbox]", "bs => bs.filter(b => b.checked).length"
    ) == 0
    assert any("勾选记录格式不对" in n for n in notes), notes
    assert page.evaluate("k => localStorage.getItem(k)", key) is None
    assert page.console_errors == []
    # Still usable: a new tick is kept.
    page.locator(".md-content .task-list-item input[type=checkbox]").first.check(force=True)
    assert json.loads(page.evaluate("k => localStorage.getItem(k)", key))


def test_static_tree_pages_fit_360px(browser, site, built_site):
    context, page = _new_page(browser, 360, 740)
    # The start page, and the longest question and result pages (the widest content), plus a sample.
    files = sorted((built_site / "tree").glob("*.html"), key=lambda p: p.stat().st_size)
    pages = ["", *[p.name for p in files[-15:] + files[:: max(1, len(files) // 15)]]]
    wide = []
    for node in pages:
        page.goto(site.url(f"tree/{node}"))
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            wide.append(f"tree/{node}: {width} px")
    assert wide == [], "\n".join(wide)
    assert context.requests.foreign(site.origin) == [] and page.errors == []
    context.close()


def test_searching_tuihuo_puts_the_return_pages_first(page, site):
    page.goto(site.url("guide/prepare/"))
    open_search(page, "退货")
    found = result_pages(page)
    assert set(found[:2]) == {"rights/seven-day-return/", "refuse-return/"}, found[:5]


@pytest.mark.parametrize("query, first", [
    ("七日无理由退货", "rights/seven-day-return/"),
    ("三包", "rights/three-guarantees/"),
    ("小额诉讼", "routes/small_claims/"),
])
def test_a_page_whose_title_matches_comes_first(page, site, query, first):
    page.goto(site.url(""))
    open_search(page, query)
    assert result_pages(page)[0] == first


def test_a_printed_guide_page_is_clean_with_date_and_address(page, site):
    page.goto(site.url(CHECKLIST_PAGE))
    page.emulate_media(media="print")
    hidden = page.evaluate("""() => ['.md-header', '.md-sidebar--primary', '.md-footer', '.cdg-reviewed',
        '.md-content button, .md-content .cdg-article-toggle']
      .map(s => [s, [...document.querySelectorAll(s)].every(e => getComputedStyle(e).display === 'none')])""")
    assert all(ok for _, ok in hidden), hidden
    meta = page.locator(".cdg-print-meta")
    assert meta.is_visible()
    text = meta.inner_text()
    assert site.url(CHECKLIST_PAGE) in text
    assert re.search(r"打印于 \d{4}年\d{1,2}月\d{1,2}日", text), text
    pdf = page.pdf(format="A4")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 1 <= pages <= 12, f"{pages} A4 pages"
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "guide-prepare.pdf").write_bytes(pdf)
