"""The Word download: a valid .docx whose paragraphs are the document's lines, exactly."""

from __future__ import annotations

import io
import zipfile
from xml.etree import ElementTree

from decision_tree.docx import docx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def paragraphs(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.testzip() is None, "every part's CRC checks"
        names = z.namelist()
        assert names == ["[Content_Types].xml", "_rels/.rels", "word/document.xml"]
        types = ElementTree.fromstring(z.read("[Content_Types].xml"))
        overrides = {o.get("PartName"): o.get("ContentType") for o in types}
        assert overrides["/word/document.xml"].endswith("wordprocessingml.document.main+xml")
        rels = ElementTree.fromstring(z.read("_rels/.rels"))
        assert [r.get("Target") for r in rels] == ["word/document.xml"]
        body = ElementTree.fromstring(z.read("word/document.xml")).find(f"{W}body")
    assert body.find(f"{W}sectPr/{W}pgSz").get(f"{W}w") == "11906", "A4"
    return ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in body.findall(f"{W}p")]


def test_each_line_is_a_paragraph_with_its_text():
    text = "致：某某商店\n\n我于2026年11月22日购买的商品 <259 元> & 运费……\n此致\n敬礼"
    assert paragraphs(docx(text)) == text.split("\n")


def test_what_xml_cannot_hold_is_dropped_not_fatal():
    text = "第一行\x00\x07\x1b 有控制字符\r\nWindows 换行\r旧 Mac 换行\t制表符"
    assert paragraphs(docx(text)) == ["第一行 有控制字符", "Windows 换行", "旧 Mac 换行\t制表符"]


def test_an_empty_text_is_still_a_document():
    assert paragraphs(docx("")) == [""]


def test_the_same_text_gives_the_same_bytes():
    assert docx("同一封信") == docx("同一封信")
    assert docx("同一封信") != docx("另一封信")
