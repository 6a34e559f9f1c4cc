"""The built site (``mkdocs build --strict``): generated pages, page metadata, search index, no foreign loads."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
import yaml

from build_scripts import checks, glossary, pages

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
# Widgets for another site's iframe: no guide chrome, so no review line.
WIDGET_PAGES = ("embed/",)


def html_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if p.name == "index.html" or p.name == "404.html")


def read(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def front_matter(md: Path) -> dict:
    text = md.read_text(encoding="utf-8")
    m = re.match(r"---\n(.*?)\n---\n", text, re.S)
    return yaml.safe_load(m.group(1)) if m else {}


def test_strict_build_makes_the_guide(built_site):
    home = read(built_site, "index.html")
    assert '<html lang="zh"' in home
    assert "消费维权指南" in home
    for page in ("guide/prepare/", "routes/", "evidence/", "glossary/", "sources/", "about/"):
        assert (built_site / page / "index.html").is_file(), page


def test_every_route_has_its_page(built_site, tree_data):
    laws = tree_data["laws"]
    for rid, route in tree_data["routes"].items():
        page = built_site / "routes" / rid / "index.html"
        assert page.is_file(), f"no page for route {rid}"
        text = html.unescape(page.read_text(encoding="utf-8"))
        assert f">{route['name']}</h1>" in text or route["name"] in text
        assert route["summary"] in text
        for heading in ("什么时候用", "要准备什么", "怎么做", "要多久", "花费", "能做到什么", "做不到什么", "法律依据"):
            assert f">{heading}<" in text, f"routes/{rid}: no section {heading}"
        for c in route["citations"]:
            law = laws[c["law"]]
            assert f"《{law['name']}》{c['article']}" in text, f"routes/{rid}: citation {c} missing"
            assert law["version"] in text
            assert pages.format_date(law["effective"]) in text
            if c.get("caution"):
                assert c["caution"] in text and "admonition caution" in text


def test_every_evidence_item_has_its_section(built_site, tree_data):
    text = html.unescape(read(built_site, "evidence/index.html"))
    for eid, item in tree_data["evidence"].items():
        m = re.search(rf'<h2 id="{re.escape(eid)}">(.*?)</h2>', text, re.S)
        assert m, f"evidence/#{eid}: no section"
        assert item["name"] in m.group(1)


def test_sources_page_lists_every_law(built_site, tree_data):
    if "<!-- md:laws -->" not in (DOCS / "sources.md").read_text(encoding="utf-8"):
        pytest.skip("docs/sources.md does not use <!-- md:laws -->")
    text = html.unescape(read(built_site, "sources/index.html"))
    for law in tree_data["laws"].values():
        assert f"《{law['name']}》" in text and law["version"] in text


def test_every_page_has_title_description_and_review_line(built_site):
    problems = []
    for page in html_pages(built_site):
        rel = page.relative_to(built_site).as_posix()
        text = page.read_text(encoding="utf-8")
        title = re.search(r"<title>(.*?)</title>", text, re.S)
        if not title or not title.group(1).strip():
            problems.append(f"{rel}: no <title>")
        if not re.search(r'<meta name="description" content="[^"]+">', text):
            problems.append(f"{rel}: no description")
        if rel == "404.html" or rel.startswith(WIDGET_PAGES):
            continue
        line = re.search(r'<aside class="cdg-reviewed".*?</aside>', text, re.S)
        if not line:
            problems.append(f"{rel}: no 最后审阅 line")
            continue
        if not re.search(r"最后审阅：<time datetime=\"\d{4}-\d{2}-\d{2}\">", line.group(0)):
            problems.append(f"{rel}: 最后审阅 without a date")
        link = re.search(r'<a href="([^"]+)">纠错或建议</a>', line.group(0))
        if not link:
            problems.append(f"{rel}: no 纠错或建议 link")
        elif not (page.parent / link.group(1) / "index.html").resolve().is_file():
            problems.append(f"{rel}: 纠错或建议 link {link.group(1)} is broken")
    assert not problems, "\n".join(problems)


def test_description_and_reviewed_date_come_from_front_matter(built_site):
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    site_reviewed = config["extra"]["last_reviewed"]
    for md in sorted(DOCS.rglob("*.md")):
        rel = md.relative_to(DOCS).as_posix()
        if rel.startswith(("includes/", "overrides/")):
            continue
        out = built_site / (rel[:-3] + ".html" if rel == "index.md" or rel.endswith("/index.md") else rel[:-3] + "/index.html")
        if not out.is_file():
            continue
        meta = front_matter(md)
        text = out.read_text(encoding="utf-8")
        assert f'<meta name="description" content="{html.escape(meta["description"], quote=True)}">' in text, rel
        if not rel.startswith(WIDGET_PAGES):
            reviewed = str(meta.get("reviewed", site_reviewed))
            assert f'最后审阅：<time datetime="{reviewed}">' in text, rel


def test_built_site_loads_nothing_from_another_host(built_site):
    found = checks.foreign_loads(built_site)
    assert found == [], "\n".join(map(str, found))


def test_no_google_fonts_and_no_external_repo_link(built_site):
    for page in html_pages(built_site):
        text = page.read_text(encoding="utf-8")
        assert "fonts.googleapis.com" not in text and "fonts.gstatic.com" not in text
        assert 'class="md-source"' not in text, "a repository link in the header"


def test_glossary_terms_become_tooltips(built_site):
    terms = glossary.load()
    if not terms:
        pytest.skip("docs/includes/glossary.md is empty")
    titles = set()
    for page in html_pages(built_site):
        rel = page.relative_to(built_site).as_posix()
        article = page.read_text(encoding="utf-8")
        found = re.findall(r'<abbr title="([^"]*)">([^<]*)</abbr>', article)
        if rel == "glossary/index.html":
            assert not found, "the glossary page defines the terms; it needs no tooltips"
            continue
        seen = [term for _, term in found]
        assert len(seen) == len(set(seen)), f"{rel}: a term got more than one tooltip: {seen}"
        for title, term in found:
            assert html.unescape(term) in terms and html.unescape(title) == terms[html.unescape(term)], rel
        titles.update(t for t, _ in found)
    assert titles, "no glossary tooltip anywhere"
    # No tooltip inside a heading or a link.
    for page in html_pages(built_site):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"<h[1-6][^>]*>(?:(?!</h[1-6]>).)*<abbr title", text, re.S), page
        assert not re.search(r"<a [^>]*>(?:(?!</a>).)*<abbr title", text, re.S), page


def test_search_index_is_chinese_and_keeps_legal_terms_whole(built_site):
    index = json.loads(read(built_site, "search/search_index.json"))
    assert index["config"]["lang"] == ["zh"]
    assert "\\u200b" in index["config"]["separator"]
    text = "\u200b".join(d["title"] + "\u200b" + d["text"] for d in index["docs"])
    terms = [line.split()[0] for line in (ROOT / "build_scripts/jieba_dict.txt").read_text(encoding="utf-8").splitlines()
             if line.strip()]
    checked = 0
    for term in ("七日无理由退货", "惩罚性赔偿", "消费者协会", "小额诉讼", "诉讼时效", "退一赔三", "十倍赔偿"):
        assert term in terms
        if term in text.replace("\u200b", ""):
            checked += 1
            assert re.search(rf"(?:^|[\u200b\s>]){term}(?:[\u200b\s<]|$)", text), f"{term} was split by jieba"
    assert checked >= 3, "the guide hardly mentions the dictionary's terms"


def test_chinese_heading_ids(built_site):
    text = read(built_site, "routes/negotiation/index.html")
    assert 'id="什么时候用"' in text


def test_route_pages_say_when_the_questionnaire_recommends_them(built_site, tree_data):
    """Each route page lists the reasons its rules give, so a reader sees when it fits."""
    missing = []
    for rid in tree_data["routes"]:
        html = (built_site / "routes" / rid / "index.html").read_text(encoding="utf-8")
        html = re.sub(r"<[^>]+>", "", html)  # glossary terms are wrapped in tooltips
        reasons = [r["effects"]["route"]["reason"] for r in tree_data["rules"]
                   if r["effects"].get("route", {}).get("id") == rid]
        for reason in reasons:
            plain = re.sub(r"（?\{[a-z_:]+\}）?", "", reason)
            if plain[:20] not in html:
                missing.append(f"routes/{rid}/ lacks: {plain[:30]}")
    assert not missing, "\n".join(missing)


def test_the_site_builds_from_another_directory_with_the_legal_dictionary(tmp_path):
    """Paths in mkdocs.yml resolve against the file, not the cwd (jieba's dictionary included)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--verbose",
         "-f", str(root / "mkdocs.yml"), "-d", str(tmp_path / "site")],
        cwd=tmp_path, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert f"Loading jieba user dictionary: {root / 'build_scripts' / 'jieba_dict.txt'}" in proc.stderr
