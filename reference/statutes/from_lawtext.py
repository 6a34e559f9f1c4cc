"""Convert a lawtext/laws file (GitHub mirror of flk.npc.gov.cn) into this folder's format.

Used once, for the full texts of the Civil Code and the Civil Procedure Law (the shared copies are
excerpts). Only whitespace changes: the source's list markers and indentation go, each 款 and 项
starts a new line of its article's paragraph, headings lose their inner spacing.

    git -C lawtext-laws show 329d659d:content/法律/ID.md > law.md
    python reference/statutes/from_lawtext.py law.md "# title" "Source: …" > out.md
"""

from __future__ import annotations

import re
import sys

ARTICLE = re.compile(r"^- \*\*(第[零〇一二三四五六七八九十百千]+条(?:之[一二三四五六七八九十]+)?)\*\*[\s　]*(.*)$")
HEADING = re.compile(r"^(#{2,6}) (第.+)$")


def convert(source: str) -> str:
    body = source.split("\n---\n", 1)[1] if source.startswith("---\n") else source
    out: list[str] = []
    article: list[str] | None = None

    def flush() -> None:
        nonlocal article
        if article:
            out.append("\n".join(article))
            out.append("")
        article = None

    for line in body.splitlines():
        if m := ARTICLE.match(line):
            flush()
            article = [f"**{m.group(1)}** {m.group(2).strip()}"]
        elif m := HEADING.match(line):
            flush()
            title = re.sub(r"[\s　]+", " ", m.group(2)).strip()
            # "第一编 总 则" → "第一编 总则": spacing inside a heading's name is layout only.
            number, _, name = title.partition(" ")
            out += [f"{m.group(1)} {number} {name.replace(' ', '')}".rstrip(), ""]
        elif article is not None and line.startswith("  ") and line.strip():
            article.append(re.sub(r"^\s+(?:- )?", "", line).rstrip())
        elif article is not None and line.strip() and not line.startswith("  "):
            flush()  # anything else ends the article (the source's closing notes)
    flush()
    return "\n".join(out).rstrip() + "\n"


if __name__ == "__main__":
    path, title, source_line = sys.argv[1:4]
    text = open(path, encoding="utf-8").read()
    sys.stdout.write(f"{title}\n\n{source_line}\n\n{convert(text)}")
