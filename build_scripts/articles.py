"""The text of every article the content cites, for the site's article popovers.

Statute texts live in reference/statutes/ (one Markdown file per instrument; its README gives the
format and sources). The build reads the compiled tree, collects every citation in it (any dict with
``law`` and ``article`` keys, whatever the tree's shape), resolves each to whole articles — marking the
款 and 项 a citation names — and writes only those articles, with their law's version and source, to
one JSON file in the site. A cited article missing from its text stops the build; a law with no
local text must be listed in NO_LOCAL_TEXT, so the gap is visible rather than silent.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from build_scripts.pages import format_date

ROOT = Path(__file__).resolve().parent.parent
STATUTES_DIR = ROOT / "reference" / "statutes"
CONTENT_DIR = ROOT / "decision_tree" / "content"
SITE_DIR = "engine"  # the corpus is written to site/engine/articles-<hash>.json


class ArticleError(Exception):
    """A citation the local statute texts cannot back, with what to fix."""


@dataclass(frozen=True)
class Statute:
    file: str
    effective: str  # the version this text is; laws.yaml's `effective` must be the same
    flat: bool = False  # copied from a web page that put each article on one line (款 breaks lost)


# law id (decision_tree/content/laws.yaml) → its text in reference/statutes/.
STATUTES: dict[str, Statute] = {
    "cpl": Statute("consumer-protection-law-2013.md", "2014-03-15"),
    "cpl_regulation": Statute("consumer-protection-implementing-regulation-2024.md", "2024-07-01"),
    "food_safety": Statute("food-safety-law-2025.md", "2025-12-01"),
    "ecommerce": Statute("e-commerce-law-2018.md", "2019-01-01"),
    "civil_code": Statute("civil-code-2020.md", "2021-01-01"),
    "civil_procedure": Statute("civil-procedure-law-2023.md", "2024-01-01"),
    "arbitration": Statute("arbitration-law-2025.md", "2026-03-01"),
    "product_quality": Statute("product-quality-law-2018.md", "2018-12-29"),
    "pipl": Statute("personal-information-protection-law-2021.md", "2021-11-01"),
    "complaint_measures": Statute("complaint-report-measures-2026.md", "2026-04-15", flat=True),
    "penalty_measures": Statute("consumer-rights-infringement-penalty-measures.md", "2015-03-15"),
    "seven_day_measures": Statute("online-seven-day-return-measures-2020.md", "2017-03-15"),
    "car_three_guarantees": Statute("household-auto-three-guarantees-2021.md", "2022-01-01"),
    "price_marking": Statute("price-marking-fraud-rules.md", "2022-07-01", flat=True),
    "spc_online_consumption": Statute("spc-online-consumption-provisions-1-2022.md", "2022-03-15"),
    "spc_food_disputes": Statute("spc-food-safety-civil-interpretation-1-2020.md", "2021-01-01"),
    "spc_food_punitive": Statute("spc-food-drug-punitive-damages-interpretation-2024.md", "2024-08-22"),
    "spc_prepaid": Statute("spc-prepaid-consumption-interpretation-2025.md", "2025-05-01"),
}

# Cited laws with no local text of the version the content names. Their popover says so and links
# the official text. Remove a line when its text is added to reference/statutes/ and STATUTES.
NO_LOCAL_TEXT: dict[str, str] = {
    "civil_procedure_interpretation": "not in the shared statute folder",
    "tourism": "not in the shared statute folder",
    "administrative_penalty": "not in the shared statute folder",
    "three_guarantees": "no public full text found (reference/statutes/README.md, Not found)",
    "spc_limitation": "not in the shared statute folder",
    "spc_evidence": "not in the shared statute folder",
    "spc_face_recognition": "not in the shared statute folder",
    "criminal_law": "not in the shared statute folder",
    "telecom_regulation": "not in the shared statute folder",
    "postal_law": "not in the shared statute folder",
    "financial_consumer_measures": "not in the shared statute folder",
    "litigation_fees": "not in the shared statute folder",
    "banking_complaint_measures": "not in the shared statute folder",
    "company_law": "not in the shared statute folder (2023 revision; see the caution on its citation)",
}

# ---------------------------------------------------------------------------------------------------
# Chinese numerals

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
NUM = "[零〇一二两三四五六七八九十百千]+"


def cn_number(text: str) -> int:
    """``四百九十六`` → 496, ``十五`` → 15, ``一千二百零三`` → 1203."""
    total, digit = 0, None
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _UNITS:
            total += (1 if digit is None else digit) * _UNITS[ch]
            digit = None
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    return total + (digit or 0)


# ---------------------------------------------------------------------------------------------------
# Statute files


@dataclass
class Article:
    label: str  # 第五十五条, 第二百五十三条之一
    paragraphs: list[list[str]]  # each 款: its own text first, then its 项 lines


ARTICLE_HEAD = re.compile(rf"^\*\*(第({NUM})条(?:之({NUM}))?)\*\*\s*(.*)$")
ITEM = re.compile(rf"^[（(]({NUM})[）)]")


def _key(number: int, sub: int = 0) -> tuple[int, int]:
    return (number, sub)


def parse_statute(text: str) -> tuple[str, dict[tuple[int, int], Article]]:
    """A statute file's source line and its articles, keyed by (number, 之N)."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text)]
    source = next((p for p in paragraphs[1:3] if p.startswith(("Source", "Text as published", "EXCERPT"))), "")
    articles: dict[tuple[int, int], Article] = {}
    for block in paragraphs:
        first, *rest = block.splitlines() or [""]
        m = ARTICLE_HEAD.match(first)
        if not m:
            continue
        lines = [m.group(4).strip(), *(ln.strip() for ln in rest if ln.strip())]
        kuan: list[list[str]] = []
        for line in lines:
            if ITEM.match(line) and kuan:
                kuan[-1].append(line)  # a 项 belongs to the 款 that introduces it
            else:
                kuan.append([line])
        articles[_key(cn_number(m.group(2)), cn_number(m.group(3)) if m.group(3) else 0)] = Article(m.group(1), kuan)
    return source, articles


def official_url(source: str) -> str | None:
    """The official page a statute file's source line names, if any."""
    m = re.search(r"https?://[^\s);，]+", source)
    return m.group(0).rstrip(".") if m else None


# ---------------------------------------------------------------------------------------------------
# Citations

CITATION_PART = re.compile(
    rf"第(?P<first>{NUM})条?(?:至第?(?P<last>{NUM}))?条(?:之(?P<sub>{NUM}))?"
    rf"(?:第(?P<kuan>{NUM})款)?"
    rf"(?:第?[（(](?P<item>{NUM})[）)]项?|第(?P<plain_item>{NUM})项)?"
)
SEPARATOR = re.compile(r"[、，,和及]")


@dataclass(frozen=True)
class Reference:
    """One article a citation points to, and the 款/项 in it to mark (0-based; None = whole)."""

    article: tuple[int, int]
    paragraph: int | None = None
    item: int | None = None


def parse_citation(article: str) -> list[tuple[list[tuple[int, int]], int | None, int | None]]:
    """``第五十五条第一款`` → [([(55, 0)], 1, None)]; raises ValueError when it is not an article."""
    parts = [p for p in SEPARATOR.split(article.strip()) if p]
    out = []
    for part in parts:
        m = CITATION_PART.fullmatch(part)
        if not m:
            raise ValueError(part)
        first = cn_number(m.group("first"))
        last = cn_number(m.group("last")) if m.group("last") else first
        sub = cn_number(m.group("sub")) if m.group("sub") else 0
        if last < first or (sub and last != first):
            raise ValueError(part)
        keys = [_key(n, sub) for n in range(first, last + 1)]
        kuan = cn_number(m.group("kuan")) if m.group("kuan") else None
        item_text = m.group("item") or m.group("plain_item")
        item = cn_number(item_text) if item_text else None
        out.append((keys, kuan, item))
    return out


def resolve(article: str, statute: Statute, articles: dict[tuple[int, int], Article]) -> list[Reference]:
    """The articles a citation names, each with the 款/项 to mark; ValueError says what is missing."""
    try:
        parts = parse_citation(article)
    except ValueError as e:
        raise ValueError(f"「{e.args[0]}」不是条文编号（应写成 第X条、第X条第Y款、第X条第（Z）项 或 第X至Y条）") from None
    refs: list[Reference] = []
    for keys, kuan, item in parts:
        for key in keys:
            found = articles.get(key)
            if found is None:
                raise ValueError(f"本地文本 reference/statutes/{statute.file} 里没有这一条")
            refs.append(Reference(key, *_mark(found, kuan, item, statute.flat)))
    return refs


def _mark(found: Article, kuan: int | None, item: int | None, flat: bool) -> tuple[int | None, int | None]:
    """The 0-based 款 and 项 line to mark in ``found``: (None, None) marks nothing."""
    if flat:
        # Each article is one line in these copies: the 款 cannot be located, so the whole
        # article is shown unmarked (still the right article).
        return None, None
    if kuan is not None and kuan > len(found.paragraphs):
        raise ValueError(f"{found.label}只有 {len(found.paragraphs)} 款")
    candidates = [kuan - 1] if kuan is not None else range(len(found.paragraphs))
    if item is None:
        return (kuan - 1 if kuan is not None else None), None
    for p in candidates:
        for i, line in enumerate(found.paragraphs[p][1:], start=1):
            m = ITEM.match(line)
            if m and cn_number(m.group(1)) == item:
                return p, i
    raise ValueError(f"{found.label}{'所引的款' if kuan else ''}里没有这一项")


def citations(tree: Any) -> Iterator[tuple[str, str]]:
    """Every (law id, article) the compiled tree cites, in any shape: dicts with `law` and `article`."""
    if isinstance(tree, dict):
        if isinstance(tree.get("law"), str) and isinstance(tree.get("article"), str):
            yield tree["law"], tree["article"]
        for value in tree.values():
            yield from citations(value)
    elif isinstance(tree, list):
        for value in tree:
            yield from citations(value)


def where_cited(law: str, article: str, content_dir: Path = CONTENT_DIR) -> list[str]:
    """``file:line`` of each place in the content YAML citing (law, article), for the error message."""
    law_re = re.compile(rf"\blaw:\s*['\"]?{re.escape(law)}['\"]?\s*[,}}\n]")
    out = []
    for path in sorted(content_dir.rglob("*.yaml")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for n, line in enumerate(lines):
            if re.search(rf"\barticle:\s*['\"]?{re.escape(article)}['\"]?\s*[,}}]?\s*$", line):
                near = "\n".join(lines[max(0, n - 3): n + 4]) + "\n"
                if law_re.search(near):
                    out.append(f"{path.relative_to(content_dir.parent.parent)}:{n + 1}")
    return out


# ---------------------------------------------------------------------------------------------------
# The corpus


def _statute_text(statute: Statute, statutes_dir: Path) -> tuple[str, dict[tuple[int, int], Article]]:
    path = statutes_dir / statute.file
    if not path.is_file():
        raise ArticleError(f"build_scripts/articles.py: STATUTES 指向的 reference/statutes/{statute.file} 不存在")
    return parse_statute(path.read_text(encoding="utf-8"))


def build_corpus(tree: dict[str, Any], statutes_dir: Path = STATUTES_DIR, content_dir: Path = CONTENT_DIR) -> dict:
    """The cited articles' texts, by law id; every problem at once in one ArticleError."""
    laws = tree.get("laws")
    if not isinstance(laws, dict):
        raise ArticleError("条文库：编译后的决策树里没有 laws（法律清单），无法核对引用的条文")
    cited: dict[str, set[str]] = {}
    for law, article in citations(tree):
        cited.setdefault(law, set()).add(article)

    problems: list[str] = []
    corpus: dict[str, dict] = {}
    parsed: dict[str, tuple[str, dict]] = {}
    for law in sorted(cited):
        info = laws.get(law)
        if info is None:
            problems.append(f"引用了 laws.yaml 里没有的法律 {law!r}（{', '.join(where_cited(law, min(cited[law]), content_dir)) or '?'}）")
            continue
        entry = {"name": info["name"], "version": info.get("version", ""),
                 "effective": format_date(str(info.get("effective", ""))),
                 "url": info.get("url") or None, "articles": None, "citations": None}
        corpus[law] = entry
        statute = STATUTES.get(law)
        local = statute is not None and statute.effective == str(info.get("effective", ""))
        if law in NO_LOCAL_TEXT:
            if local:
                problems.append(f"{law}: reference/statutes/{statute.file} 就是 laws.yaml 所写的版本，"
                                "请从 build_scripts/articles.py 的 NO_LOCAL_TEXT 删去它")
            continue
        if statute is None:
            problems.append(f"{law}（《{info['name']}》）没有本地文本：把它的文本放进 reference/statutes/ 并加入 "
                            "build_scripts/articles.py 的 STATUTES，或把它列入 NO_LOCAL_TEXT")
            continue
        if not local:
            problems.append(f"{law}: laws.yaml 写的是 {info.get('effective')} 施行的版本，而 reference/statutes/"
                            f"{statute.file} 是 {statute.effective} 施行的版本；请核对版本，再改 STATUTES 或 NO_LOCAL_TEXT")
            continue
        if law not in parsed:
            parsed[law] = _statute_text(statute, statutes_dir)
        source, articles = parsed[law]
        entry.update(source=source, file=f"reference/statutes/{statute.file}",
                     official_url=official_url(source) or entry["url"], articles={}, citations={})
        for article in sorted(cited[law]):
            try:
                refs = resolve(article, statute, articles)
            except ValueError as e:
                places = ", ".join(where_cited(law, article, content_dir)) or "decision_tree/content/（未找到所在行）"
                problems.append(f"《{info['name']}》({law}) {article}：{e.args[0]} — 引用处：{places}")
                continue
            entry["citations"][article] = [
                {"article": articles[r.article].label, "paragraph": r.paragraph, "item": r.item} for r in refs
            ]
            for r in refs:
                entry["articles"][articles[r.article].label] = articles[r.article].paragraphs
    if problems:
        raise ArticleError(
            f"条文库：{len(problems)} 处引用找不到本地条文（reference/statutes/，build_scripts/articles.py）：\n"
            + "\n".join(f"  - {p}" for p in problems)
        )
    return {"version": 1, "laws": corpus}


def corpus_json(corpus: dict) -> str:
    return json.dumps(corpus, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def corpus_path(text: str) -> str:
    """Where the corpus goes in the site; the name changes with its content, so caches never go stale."""
    return f"{SITE_DIR}/articles-{hashlib.sha256(text.encode()).hexdigest()[:12]}.json"


def write(site_dir: Path, path: str, text: str) -> None:
    target = site_dir / path
    target.parent.mkdir(parents=True, exist_ok=True)
    for old in target.parent.glob("articles-*.json"):
        old.unlink()
    target.write_text(text, encoding="utf-8")
