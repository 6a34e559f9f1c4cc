"""Article popovers: the corpus built from reference/statutes/, its build-time check, and the popovers in Chromium."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from build_scripts import articles
from conftest import ROOT, serious_violations

ARTIFACTS = ROOT / "tests" / "artifacts"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
NO_TEXT = "本站暂无该条文本，请查阅官方文本"


# --- The corpus ------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, number", [
    ("十", 10), ("十五", 15), ("二十", 20), ("一百一十", 110), ("四百九十六", 496), ("一千二百零三", 1203),
])
def test_chinese_numerals(text, number):
    assert articles.cn_number(text) == number


def _statute(law: str):
    statute = articles.STATUTES[law]
    return statute, articles.parse_statute((articles.STATUTES_DIR / statute.file).read_text(encoding="utf-8"))[1]


@pytest.mark.parametrize("law, citation, expected", [
    ("cpl", "第五十五条第一款", [("第五十五条", 0, None)]),
    ("cpl", "第二十三条第三款", [("第二十三条", 2, None)]),
    ("cpl", "第三十九条第（三）项", [("第三十九条", 0, 3)]),
    ("cpl", "第二十五条（四）", [("第二十五条", 0, 4)]),
    ("cpl", "第三十七条第一款第五项", [("第三十七条", 0, 5)]),
    ("food_safety", "第一百四十八条第二款", [("第一百四十八条", 1, None)]),
    ("civil_code", "第四百九十六至四百九十八条", [("第四百九十六条", None, None), ("第四百九十七条", None, None),
                                                   ("第四百九十八条", None, None)]),
])
def test_a_citation_resolves_to_whole_articles_with_the_cited_paragraph(law, citation, expected):
    statute, texts = _statute(law)
    refs = articles.resolve(citation, statute, texts)
    assert [(texts[r.article].label, r.paragraph, r.item) for r in refs] == expected
    first = texts[refs[0].article]
    if refs[0].item is not None:
        assert first.paragraphs[refs[0].paragraph][refs[0].item].startswith("（")


@pytest.mark.parametrize("law, citation, message", [
    ("cpl", "第九十九条", "没有这一条"),
    ("cpl", "第五十五条第五款", "只有 2 款"),
    ("cpl", "第三十九条第（九）项", "里没有这一项"),
    ("cpl", "投诉处理时限的规定", "不是条文编号"),
])
def test_a_citation_the_text_cannot_back_is_named(law, citation, message):
    statute, texts = _statute(law)
    with pytest.raises(ValueError, match=message):
        articles.resolve(citation, statute, texts)


def test_every_citation_in_the_content_has_its_text_or_a_listed_gap(tree_data):
    corpus = articles.build_corpus(tree_data)["laws"]
    for law, article in set(articles.citations(tree_data)):
        entry = corpus[law]
        if law in articles.NO_LOCAL_TEXT:
            assert entry["articles"] is None, law  # the popover links entry["url"] where laws.yaml gives one
            continue
        refs = entry["citations"][article]
        assert refs, (law, article)
        for ref in refs:
            paragraphs = entry["articles"][ref["article"]]
            assert paragraphs and all(line.strip() for p in paragraphs for line in p), (law, article)
        assert entry["source"] and entry["official_url"].startswith("https://"), law


def _tree_citing(law: str, effective: str, article: str = "第一条") -> dict:
    return {"laws": {law: {"name": "某法", "version": "v", "effective": effective, "url": "https://example.org/"}},
            "outcomes": {"x": {"citations": [{"law": law, "article": article}]}}}


def test_a_gap_entry_for_a_law_whose_text_is_here_stops_the_build(monkeypatch):
    """The content moved to the version the local text is: the gap entry must go."""
    monkeypatch.setitem(articles.NO_LOCAL_TEXT, "cpl", "stale")
    with pytest.raises(articles.ArticleError, match="NO_LOCAL_TEXT 删去"):
        articles.build_corpus(_tree_citing("cpl", "2014-03-15"))


@pytest.mark.parametrize("law, effective, message", [
    # the content names another version than the local text
    ("cpl", "2030-01-01", "请核对版本"),
    # a law with neither a text nor a listed gap
    ("new_law", "2026-01-01", "没有本地文本"),
])
def test_a_law_whose_text_does_not_match_stops_the_build(law, effective, message):
    with pytest.raises(articles.ArticleError, match=message):
        articles.build_corpus(_tree_citing(law, effective))


def test_the_gap_list_names_only_laws_the_content_defines(tree_data):
    assert set(articles.NO_LOCAL_TEXT) <= set(tree_data["laws"])
    assert not set(articles.STATUTES) - set(tree_data["laws"])


def test_the_corpus_holds_only_cited_articles(built_site, tree_data):
    [path] = (built_site / "engine").glob("articles-*.json")
    size = path.stat().st_size
    assert size < 150_000, f"{path.name} is {size} bytes"
    import json

    laws = json.loads(path.read_text(encoding="utf-8"))["laws"]
    cited = {law for law, _ in articles.citations(tree_data)}
    assert set(laws) == cited
    assert len(laws["civil_code"]["articles"]) < 40  # the Civil Code has 1260 articles


def _copy_project(tmp_path: Path) -> Path:
    """The parts of the repository a build reads, copied so the content can be changed."""
    dest = tmp_path / "repo"
    for name in ("build_scripts", "decision_tree", "docs", "reference"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("mkdocs.yml", "pyproject.toml"):
        shutil.copy2(ROOT / name, dest / name)
    return dest


def test_a_build_citing_a_missing_article_fails_and_names_law_article_and_file(tmp_path):
    repo = _copy_project(tmp_path)
    prepaid = repo / "decision_tree" / "content" / "rules" / "50_prepaid.yaml"
    text = prepaid.read_text(encoding="utf-8")
    assert "law: spc_prepaid, article: 第十四条}" in text
    prepaid.write_text(text.replace("law: spc_prepaid, article: 第十四条}", "law: spc_prepaid, article: 第九十九条}", 1),
                       encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")],
        cwd=repo, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert proc.returncode != 0
    assert "spc_prepaid" in proc.stderr and "第九十九条" in proc.stderr, proc.stderr[-2000:]
    assert "没有这一条" in proc.stderr
    assert "decision_tree/content/" in proc.stderr
    assert "Traceback" not in proc.stderr


# --- The popovers in Chromium ----------------------------------------------------------------------


def _open_every_popover(page) -> list[tuple[str, str]]:
    """Open each citation's popover in turn; (citation, its text) for each."""
    page.wait_for_selector(".cdg-article-toggle")
    buttons = page.locator(".cdg-article-toggle")
    count = buttons.count()
    assert count == page.locator("[data-citation][data-law][data-article]").count()
    shown = []
    for i in range(count):
        button = buttons.nth(i)
        button.click()
        assert button.get_attribute("aria-expanded") == "true"
        panel = page.locator("#" + button.get_attribute("aria-controls"))
        panel.locator(".cdg-article__para, p").first.wait_for()
        page.wait_for_function("p => !p.textContent.includes('正在载入')", arg=panel.element_handle())
        shown.append((button.get_attribute("aria-label"), panel.inner_text().strip()))
    return shown


def _static_result_with_most_local_citations(built_site) -> str:
    """A static-tree result page (tree/r-*.html) citing the most articles that have local text."""
    import re

    def local(path):
        laws = re.findall(r'data-law="([a-z_]+)"', path.read_text(encoding="utf-8"))
        return sum(1 for law in laws if law not in articles.NO_LOCAL_TEXT)
    pages = sorted((built_site / "tree").glob("r-*.html"))[:300]
    return "tree/" + max(pages, key=local).name


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("kind", ["route", "outcome"])
def test_every_popover_shows_the_article_text(browser, site, built_site, kind, viewport):
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    from conftest import RequestLog

    requests = RequestLog()
    requests.attach(context)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    path = "routes/complaint_12315/" if kind == "route" else _static_result_with_most_local_citations(built_site)
    page.goto(site.url(path))
    # The static result folds its citations away (<details>): unfold them as a reader would.
    page.eval_on_selector_all("details.cdg-citations", "ds => ds.forEach((d) => { d.open = true; })")
    shown = _open_every_popover(page)
    assert shown
    for label, text in shown:
        assert len(text) > 20, f"{path}: {label}: {text!r}"
        assert "没能载入" not in text
    with_text = [t for _, t in shown if NO_TEXT not in t]
    assert with_text and all("条" in t and "施行" in t for t in with_text), shown
    # The cited 款/项 is marked.
    assert page.locator(".cdg-article mark").count() >= 1
    assert requests.foreign(site.origin) == []
    assert errors == []
    context.close()


def test_a_law_without_local_text_says_so_and_links_the_official_text(page, site, tree_data):
    law = next(lid for lid in articles.NO_LOCAL_TEXT if any(lw == lid for lw, _ in articles.citations(tree_data["routes"])))
    route = next(rid for rid, r in tree_data["routes"].items() if any(lw == law for lw, _ in articles.citations(r)))
    page.goto(site.url(f"routes/{route}/"))
    button = page.locator(f'[data-law="{law}"] + .cdg-article-toggle, [data-law="{law}"] > .cdg-article-toggle').first
    button.click()
    panel = page.locator("#" + button.get_attribute("aria-controls"))
    panel.get_by_text(NO_TEXT).wait_for()
    assert panel.locator("a[href^='https://']").count() == 1


def test_popover_works_from_the_keyboard_and_esc_closes_it(page, site):
    page.goto(site.url("routes/complaint_12315/"))
    button = page.locator(".cdg-article-toggle").first
    button.focus()
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true"
    panel = page.locator("#" + button.get_attribute("aria-controls"))
    panel.locator(".cdg-article__para").first.wait_for()
    panel.locator("a").last.focus()
    page.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false"
    assert panel.is_hidden()
    assert page.evaluate("document.activeElement.classList.contains('cdg-article-toggle')")
    page.keyboard.press("Space")
    assert button.get_attribute("aria-expanded") == "true"


def test_an_open_popover_has_no_serious_accessibility_violation(page, context, site, axe):
    page.goto(site.url("routes/complaint_12315/"), wait_until="networkidle")
    page.locator(".cdg-article-toggle").first.click()
    page.locator(".cdg-article .cdg-article__para").first.wait_for()
    problems = serious_violations(axe.run(page))
    assert problems == [], "\n".join(problems)
    assert context.requests.foreign(site.origin) == []


def test_screenshot_of_an_article_popover_at_390px(page, site):
    """tests/artifacts/article-popover.png: CPL 第三十九条 opened under a route page's citation, 款 marked."""
    page.goto(site.url("routes/complaint_12315/"))
    button = page.locator('[data-law="cpl"] + .cdg-article-toggle').first
    button.click()
    panel = page.locator("#" + button.get_attribute("aria-controls"))
    panel.locator("mark").first.wait_for()
    page.evaluate("b => b.scrollIntoView({block: 'start'})", button.element_handle())
    page.evaluate("window.scrollBy(0, -80)")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "article-popover.png"))
    assert (ARTIFACTS / "article-popover.png").stat().st_size > 10_000
