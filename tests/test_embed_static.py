"""The embed as built: relative URLs, no inline script, no frame-busting, and documented as it is."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from build_scripts.serve import SITE_CSP

ROOT = Path(__file__).resolve().parent.parent
EVENT_TYPES = ("cdg:ready", "cdg:resize", "cdg:step", "cdg:result", "cdg:error", "cdg:restart")
SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)


def material_partial(name: str) -> str:
    import material

    return (Path(material.__file__).parent / "templates" / "partials" / "javascripts" / name).read_text()


def inline_scripts(text: str) -> list[str]:
    return re.findall(r"<script>(.*?)</script>", text, re.S)


def without_header(js: str) -> str:
    return re.sub(r"^/\*.*?\*/\n", "", js, flags=re.S).strip()


@pytest.mark.parametrize("partial, files", [
    ("base.html", ["md-base.js"]),
    ("palette.html", ["md-palette.js"]),
    ("content.html", ["md-content-tabs.js", "md-content.js"]),
])
def test_material_inline_scripts_moved_to_files_still_match_material(partial, files):
    """docs/assets/csp/ holds Material's inline scripts verbatim; a Material upgrade that changes them fails here."""
    theirs = inline_scripts(material_partial(partial))
    ours = [without_header((ROOT / "docs/assets/csp" / f).read_text()) for f in files]
    theirs = [s.replace('"{{ config.extra.scope | d(base_url) }}"', "document.currentScript.dataset.mdScope")
              for s in theirs]
    assert ours == theirs


def test_no_page_has_an_inline_script(built_site):
    """The site runs under script-src 'self': every executable script is a file."""
    offenders = []
    for page in built_site.rglob("*.html"):
        for attrs, body in SCRIPT.findall(page.read_text(encoding="utf-8")):
            if "src=" in attrs or "application/json" in attrs:
                continue
            if body.strip():
                offenders.append(f"{page.relative_to(built_site)}: {body.strip()[:60]}")
    assert not offenders, "\n".join(offenders)


@pytest.mark.parametrize("path", ["embed/index.html", "integrators/demo.html"])
def test_embed_pages_use_relative_urls_only(built_site, path):
    text = (built_site / path).read_text(encoding="utf-8")
    urls = [html.unescape(u) for u in re.findall(r'\b(?:src|href)="([^"]*)"', text)]
    absolute = [u for u in urls if u.startswith("/") or re.match(r"^[a-z]+:", u) and not u.startswith(("data:",))]
    assert not absolute, absolute


def test_nothing_busts_frames(built_site):
    suspects = re.compile(r"X-Frame-Options|frame-ancestors|top\.location|window\.top\s*!==?\s*window|self\s*!==?\s*top")
    hits = []
    for f in [*built_site.rglob("*.html"), *(built_site / "assets").rglob("*.js"), built_site / "embed.js"]:
        if "integrators" in f.parts:  # the integrators' page explains frame-ancestors
            continue
        if suspects.search(f.read_text(encoding="utf-8", errors="replace")):
            hits.append(str(f.relative_to(built_site)))
    assert not hits, hits


def test_embed_assets_are_served_where_the_snippet_says(built_site):
    for path in ("embed.js", "embed/index.html", "assets/embed-frame.js", "integrators/demo.html",
                 "integrators/demo.js"):
        assert (built_site / path).is_file(), path
    embed = (built_site / "embed/index.html").read_text(encoding="utf-8")
    assert "data-questionnaire" in embed and "embed-frame.js" in embed
    assert "md-header" not in embed and "md-footer" not in embed


def test_integrators_page_documents_what_the_code_does():
    text = (ROOT / "docs/integrators.md").read_text(encoding="utf-8")
    assert SITE_CSP in text, "the integrators' page must give SITE_CSP exactly"
    for needle in (*EVENT_TYPES, "host=", "theme=", "accent=", "data-cdg-embed", "embed.js",
                   "CdgEmbed.restart", "allow-same-origin", "allow-scripts", "integrators/demo.html",
                   "zip -r ../消费维权指南-site.zip ."):
        assert needle in text, f"integrators.md does not mention {needle}"
    embed_js = (ROOT / "docs/embed.js").read_text(encoding="utf-8")
    frame_js = (ROOT / "docs/assets/embed-frame.js").read_text(encoding="utf-8")
    for event in EVENT_TYPES:
        assert event in embed_js + frame_js, event
