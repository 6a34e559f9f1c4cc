"""Build-time checks that fail the build: outdated legal claims, and settings that load from other hosts.

Outdated claims (see ../shared/reference/legal-facts.md, its correction first):

* ``第三十四条`` / ``第34条`` for the dispute routes — the 1993/2009 numbering of the Consumer Rights
  Protection Law (CPL); since 2014-03-15 the routes are Art. 39. A sentence is flagged when it mentions
  article 34, a dispute-route word (协商、调解、投诉、仲裁、诉讼…) and the article belongs to the CPL —
  the nearest law named before it in the sentence is the CPL, or no law is named at all. Article 34
  of another law (e.g. 《家用汽车产品修理更换退货责任规定》第三十四条) is fine. In the YAML, a
  citation ``{law: cpl, article: 第三十四条…}`` is flagged too.
* ``退一赔一`` — the 1993 CPL Art. 49 double-price rule; today it is Art. 55 (three times, at least 500
  yuan). Allowed only as a marked historical mention: the same sentence says 旧法/已废止/1993/修正前…,
  and at most one such mention per file.
* 12315 mediation ending after ``45个工作日`` / ``四十五个工作日`` — from 《市场监督管理投诉举报处理暂行办法》
  (总局令第20号) Art. 21(5), repealed on 2026-04-15; today mediation ends 60 days (六十日) after acceptance
  (《市场监督管理投诉举报处理办法》, 总局令第121号, Art. 23(5); 实施条例 Art. 46). Flagged when the
  sentence also says 调解. Other working-day periods (7 working days to accept) are fine.
* The repealed 12315 rules cited as current — 《市场监督管理投诉举报处理暂行办法》 or 总局令第20号 named in
  a sentence that does not say they were repealed or replaced (废止/取代/失效/旧办法…).

Each is allowed in a sentence (or table row) that marks it as old — 旧法/旧条文/已废止/过时/1993/
2014 年以前… — or states the current rule beside it (第三十九条; 六十日/60日; 第五十五条/三倍/退一赔三);
退一赔一 at most once per file.
Markdown pages are checked line by line, YAML content by scalar value, so every finding has a line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS_DIR = ROOT / "docs"
CONTENT_DIR = ROOT / "decision_tree" / "content"

SENTENCE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]?")
ARTICLE_34 = re.compile(r"第\s*(?:三十四|34)\s*条")
LAW_NAME = re.compile(r"《(?P<book>[^》]+)》|(?P<short>消费者权益保护法|消保法|消法)")
ROUTE_WORDS = re.compile(r"争议|纠纷|维权途径|解决途径|协商|和解|调解|投诉|申诉|仲裁|诉讼|起诉")
OLD_DOUBLE = re.compile(r"退一赔一")
# A sentence that says the claim is old, or states the current rule beside it, is not making the claim.
HISTORICAL = re.compile(
    r"旧法|旧消法|旧条文|旧说法|旧办法|旧规定|已废止|已失效|过时|1993|一九九三|修正前|修改前"
    r"|2014\s*年\s*(?:3\s*月\s*15\s*日\s*)?(?:以前|之前|前)"
)
CURRENT_39 = re.compile(r"第\s*(?:三十九|39)\s*条")
CURRENT_55 = re.compile(r"第\s*(?:五十五|55)\s*条|三倍|退一赔三")
OLD_45_WORKING_DAYS = re.compile(r"(?:45|四十五)\s*个?\s*工作日")
CURRENT_60_DAYS = re.compile(r"(?:60|六十)\s*(?:日|天|个?自然日)")
MEDIATION = re.compile(r"调解")
# The 12315 rules repealed on 2026-04-15, by name or by order number (总局令第20号, 2019).
REPEALED_12315 = re.compile(r"投诉举报(?:处理)?暂行办法|总局令\s*第?\s*(?:20|二十)\s*号")
# A sentence naming them must say they are gone; "暂行办法" alone also names the live 七日无理由退货暂行办法.
SAYS_REPEALED = re.compile(r"废止|取代|替代|失效|旧办法|不再适用|不再有效")


def _is_cpl(law_name: str) -> bool:
    # The CPL itself, not its implementing regulation (实施条例) nor another law.
    return law_name.endswith("消费者权益保护法") or law_name in ("消保法", "消法")


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    rule: str
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.rule}\n    {self.text.strip()}"


# Messages for content editors, in Chinese: what is wrong and what to write instead.
RULE_34 = "第三十四条是 2014 年以前《消费者权益保护法》争议解决途径的旧序号；现行是《消费者权益保护法》第三十九条"
RULE_DOUBLE = ("“退一赔一”是 1993 年旧法的规定；现行是《消费者权益保护法》第五十五条（三倍，不足五百元的为五百元）。"
               "作为历史提及时，同一句里要写明“旧法/已废止/1993/修正前”等")
RULE_DOUBLE_TWICE = "每页最多一处标明为历史的“退一赔一”；其他地方请链接到那一处，不要重复"
RULE_45 = ("12315 调解“四十五个工作日”未达成协议终止，出自 2026 年 4 月 15 日已废止的《市场监督管理投诉举报处理暂行办法》；"
           "现行是自受理之日起六十日内未达成调解协议的终止（《市场监督管理投诉举报处理办法》第二十三条第（五）项；"
           "《消费者权益保护法实施条例》第四十六条）")
RULE_REPEALED = ("《市场监督管理投诉举报处理暂行办法》（总局令第20号）已于 2026 年 4 月 15 日废止；请引用"
                 "《市场监督管理投诉举报处理办法》（总局令第121号）及其条号（条文已重排），"
                 "或在同一句里写明旧办法已废止/被取代")


def check_text(text: str) -> list[tuple[str, str]]:
    """The outdated claims in one piece of text: (rule, sentence) pairs; 退一赔一 counted per call."""
    found: list[tuple[str, str]] = []
    for m in SENTENCE.finditer(text):
        s = m.group(0)
        for art in ARTICLE_34.finditer(s):
            owners = [x.group("book") or x.group("short") for x in LAW_NAME.finditer(s, 0, art.start())]
            owner = owners[-1] if owners else None
            if ((owner is None or _is_cpl(owner)) and ROUTE_WORDS.search(s)
                    and not HISTORICAL.search(s) and not CURRENT_39.search(s)):
                found.append((RULE_34, s))
                break
        if OLD_DOUBLE.search(s):
            marked = HISTORICAL.search(s) or CURRENT_55.search(s)
            found.append(("historical" if marked else RULE_DOUBLE, s))
        if (OLD_45_WORKING_DAYS.search(s) and MEDIATION.search(s) and not HISTORICAL.search(s)
                and not SAYS_REPEALED.search(s) and not CURRENT_60_DAYS.search(s)):
            found.append((RULE_45, s))
        if REPEALED_12315.search(s) and not SAYS_REPEALED.search(s):
            found.append((RULE_REPEALED, s))
    return found


def _findings(path: str, chunks: Iterable[tuple[int, str]]) -> list[Finding]:
    out, historical = [], 0
    for line, text in chunks:
        for rule, sentence in check_text(text):
            if rule == "historical":
                historical += 1
                if historical > 1:
                    out.append(Finding(path, line, RULE_DOUBLE_TWICE, sentence))
                continue
            out.append(Finding(path, line, rule, sentence))
    return out


def check_markdown(text: str, path: str) -> list[Finding]:
    return _findings(path, enumerate(text.splitlines(), start=1))


def _yaml_scalars(text: str) -> Iterator[tuple[int, str, object]]:
    """(line, value, parent mapping node) for every string scalar in a YAML document."""
    import yaml

    def walk(node, parent):
        if isinstance(node, yaml.ScalarNode):
            yield node.start_mark.line + 1, str(node.value), parent
        elif isinstance(node, yaml.SequenceNode):
            for child in node.value:
                yield from walk(child, node)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                yield from walk(value, node)

    for doc in yaml.compose_all(text):
        if doc is not None:
            yield from walk(doc, None)


def _cpl_34_citations(text: str, path: str) -> list[Finding]:
    import yaml

    out = []

    def walk(node):
        if isinstance(node, yaml.MappingNode):
            pairs = {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)}
            law, article = pairs.get("law"), pairs.get("article")
            if (isinstance(law, yaml.ScalarNode) and isinstance(article, yaml.ScalarNode)
                    and law.value == "cpl" and ARTICLE_34.match(article.value)):
                out.append(Finding(path, article.start_mark.line + 1, RULE_34, f"law: cpl, article: {article.value}"))
            for _, v in node.value:
                walk(v)
        elif isinstance(node, yaml.SequenceNode):
            for v in node.value:
                walk(v)

    for doc in yaml.compose_all(text):
        walk(doc)
    return out


def check_yaml(text: str, path: str) -> list[Finding]:
    chunks = ((line, value) for line, value, _ in _yaml_scalars(text))
    return _findings(path, chunks) + _cpl_34_citations(text, path)


# Content that still states the repealed 12315 rules on 2026-11-30 and that the questionnaire's rewrite for
# issue #8 replaces (decision_tree/content/ is rewritten there, not here). Each entry is (file, words of the
# finding's text); an entry that no longer matches fails tests/test_site_checks.py, so the list only
# shrinks and disappears with the rewrite. Never add to it: fix the text instead.
AWAITING_CONTENT_REWRITE: frozenset[tuple[str, str]] = frozenset()


def _awaiting_rewrite(f: Finding) -> tuple[str, str] | None:
    for path, words in AWAITING_CONTENT_REWRITE:
        if f.path == path and (f.text == words if path.endswith("laws.yaml") else words in f.text):
            return path, words
    return None


def all_outdated_claims(docs_dir: Path = DOCS_DIR, content_dir: Path = CONTENT_DIR) -> list[Finding]:
    """Every outdated claim in docs/**/*.md and decision_tree/content/**/*.yaml, none excused."""
    findings: list[Finding] = []
    for md in sorted(docs_dir.rglob("*.md")):
        findings += check_markdown(md.read_text(encoding="utf-8"), _rel(md))
    for y in sorted(content_dir.rglob("*.yaml")):
        findings += check_yaml(y.read_text(encoding="utf-8"), _rel(y))
    return findings


def outdated_claims(docs_dir: Path = DOCS_DIR, content_dir: Path = CONTENT_DIR) -> list[Finding]:
    """The outdated claims that stop the build: all of them but those awaiting the content rewrite."""
    return [f for f in all_outdated_claims(docs_dir, content_dir) if _awaiting_rewrite(f) is None]


def stale_rewrite_entries(docs_dir: Path = DOCS_DIR, content_dir: Path = CONTENT_DIR) -> list[tuple[str, str]]:
    """Entries of AWAITING_CONTENT_REWRITE that no longer match any finding: delete them."""
    used = {_awaiting_rewrite(f) for f in all_outdated_claims(docs_dir, content_dir)}
    return sorted(AWAITING_CONTENT_REWRITE - used)


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


class CheckError(Exception):
    """A check that must stop the build."""


def require_no_outdated_claims(docs_dir: Path = DOCS_DIR, content_dir: Path = CONTENT_DIR) -> None:
    findings = outdated_claims(docs_dir, content_dir)
    if findings:
        raise CheckError(
            f"{len(findings)} 处过时的法律说法，请改正原文（规则见 build_scripts/checks.py）：\n"
            + "\n".join(str(f) for f in findings)
        )


# ---------------------------------------------------------------------------------------------------
# Nothing loaded from another host

# Material loads these from other hosts only when the setting is on; the site keeps them all off.
FOREIGN_LOADS = {
    "theme.font": "Google Fonts (set theme.font: false; the site uses the system's fonts)",
    "repo_url": "the repository's star and fork counts from api.github.com / GitLab",
    "extra.analytics": "Google Analytics",
    "extra.consent": "the cookie consent for analytics and embeds",
    "extra.social": "social links (their icons are fine, but keep the footer free of other hosts)",
}
# Material's bundle loads Mermaid from unpkg.com when a page has a `.mermaid` element.
MERMAID = re.compile(r"""class=["'][^"']*\bmermaid\b""")


def require_local_only_config(config) -> None:
    """Fail when a setting would make Material load something from another host."""
    problems = []
    if config["theme"]["font"] is not False:
        problems.append("theme.font: " + FOREIGN_LOADS["theme.font"])
    if config.get("repo_url"):
        problems.append("repo_url: " + FOREIGN_LOADS["repo_url"])
    extra = config.get("extra") or {}
    for key in ("analytics", "consent", "social"):
        if extra.get(key):
            problems.append(f"extra.{key}: " + FOREIGN_LOADS[f"extra.{key}"])
    if problems:
        raise CheckError("the site must load nothing from another host; remove:\n  " + "\n  ".join(problems))


def require_no_mermaid(page_src: str, html: str) -> None:
    if MERMAID.search(html):
        raise CheckError(
            f"docs/{page_src}: a Mermaid diagram makes Material load mermaid.min.js from unpkg.com; "
            "use an image or a list instead"
        )


# ---------------------------------------------------------------------------------------------------
# The built site: what would load from another host

ABSOLUTE = r"(?:https?:)?//[A-Za-z0-9]"
# HTML attributes that make the browser fetch something (an <a href> is a link, not a load).
LOADING_ATTRS = {
    "script": ("src",), "img": ("src", "srcset"), "iframe": ("src",), "frame": ("src",),
    "source": ("src", "srcset"), "video": ("src", "poster"), "audio": ("src",), "track": ("src",),
    "embed": ("src",), "object": ("data",), "input": ("src",), "form": ("action",), "image": ("href",),
    "use": ("href", "xlink:href"),
}
# <link rel=…> values that fetch their href (canonical, alternate, prev, next are only links).
LOADING_RELS = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "preload", "prefetch", "preconnect",
                "dns-prefetch", "modulepreload", "manifest", "mask-icon", "prerender"}
CSS_LOAD = re.compile(r"""(?:url\(\s*|@import\s+)(['"]?)(?P<url>""" + ABSOLUTE + r"""[^'")\s]*)""", re.I)
JS_LOAD = re.compile(
    r"""(?:\bimport\s*\(\s*|\bfrom\s*|\bimport\s+|\bfetch\s*\(\s*|\bimportScripts\s*\(\s*"""
    r"""|\bnew\s+(?:Shared)?Worker\s*\(\s*|\bnew\s+(?:EventSource|WebSocket)\s*\(\s*|\bsendBeacon\s*\([^,]*,?\s*"""
    r"""|\.src\s*=\s*|\bsrc\s*:\s*|\.href\s*=\s*|\bsetAttribute\s*\(\s*["'](?:src|href)["']\s*,\s*"""
    r"""|\b[\w$]{1,3}\(\s*)"""  # a minified helper called with a URL: Material's script loader is _t("https://…")
    r"""(?P<q>["'`])(?P<url>""" + ABSOLUTE + r"""[^"'`\s]*)"""
)
# Loads in vendored code that cannot happen on this site, each with the reason; anything else fails.
INERT_VENDOR_LOADS = {
    ("bundle.", "https://unpkg.com/mermaid"):
        "Material loads Mermaid only for a .mermaid element; the build refuses one (require_no_mermaid)",
    ("bundle.", "https://unpkg.com/resize-observer-polyfill"):
        "only where ResizeObserver is missing; every browser the site supports has it",
}


@dataclass(frozen=True)
class ForeignLoad:
    path: str
    url: str
    context: str

    def __str__(self) -> str:
        return f"{self.path}: {self.context} loads {self.url}"


def _inert(path: str, url: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    return any(name.startswith(f) and url.startswith(u) for f, u in INERT_VENDOR_LOADS)


def _html_loads(text: str) -> Iterator[tuple[str, str]]:
    from html.parser import HTMLParser

    found: list[tuple[str, str]] = []

    class Parser(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.raw: str | None = None

        def handle_starttag(self, tag, attrs):
            a = {k: (v or "") for k, v in attrs}
            for name in LOADING_ATTRS.get(tag, ()):
                for url in re.split(r",\s*", a.get(name, "")) if name == "srcset" else [a.get(name, "")]:
                    if re.match(ABSOLUTE, url.strip()):
                        found.append((f"<{tag} {name}>", url.strip().split(" ")[0]))
            if tag == "link" and LOADING_RELS & set(a.get("rel", "").lower().split()):
                if re.match(ABSOLUTE, a.get("href", "")):
                    found.append((f"<link rel={a['rel']}>", a["href"]))
            if tag == "meta" and a.get("http-equiv", "").lower() == "refresh":
                m = re.search(r"url=(" + ABSOLUTE + r"\S*)", a.get("content", ""), re.I)
                if m:
                    found.append(("<meta refresh>", m.group(1)))
            if "style" in a:
                found.extend(("style attribute", m.group("url")) for m in CSS_LOAD.finditer(a["style"]))
            self.raw = tag if tag in ("script", "style") and "src" not in a else None

        def handle_data(self, data):
            if self.raw == "style":
                found.extend(("<style>", m.group("url")) for m in CSS_LOAD.finditer(data))
            elif self.raw == "script":
                found.extend(("<script>", m.group("url")) for m in JS_LOAD.finditer(data))

        def handle_endtag(self, tag):
            self.raw = None

    Parser().feed(text)
    yield from found


def foreign_loads(site_dir: Path) -> list[ForeignLoad]:
    """Every URL on another host that the built site's HTML, CSS or JS would fetch."""
    out: list[ForeignLoad] = []
    for path in sorted(site_dir.rglob("*")):
        suffix = path.suffix.lower()
        if suffix not in (".html", ".css", ".js", ".mjs") or not path.is_file():
            continue
        rel = path.relative_to(site_dir).as_posix()
        text = path.read_text(encoding="utf-8", errors="replace")
        if suffix == ".html":
            hits = list(_html_loads(text))
        elif suffix == ".css":
            hits = [("url()/@import", m.group("url")) for m in CSS_LOAD.finditer(text)]
        else:
            hits = [("script", m.group("url")) for m in JS_LOAD.finditer(text)]
        out += [ForeignLoad(rel, url, ctx) for ctx, url in hits if not _inert(rel, url)]
    return out
