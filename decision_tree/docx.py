"""A document's text as a Word file (.docx), written with the standard library alone.

The result page offers each letter or complaint, as the visitor has edited it, as a .docx too:
one paragraph per line, in 宋体 at 小四 (12 pt), on A4 with the usual margins. A .docx is a ZIP
of XML parts; this one has the three a word processor needs, stored uncompressed (a letter is a
few kilobytes) and written here with ``struct`` and ``zlib.crc32``, so the engine's trimmed
standard library needs no ``zipfile``. The bytes depend only on the text: no clock, no random.
"""

from __future__ import annotations

import re
import struct
import zlib

# Characters XML 1.0 cannot hold (controls other than tab and newline; lone surrogates; U+FFFE/F).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_PARTS_BEFORE = {
    "[Content_Types].xml": (
        _HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        _HEAD + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="word/document.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
        "</Relationships>"
    ),
}
# 宋体 for Chinese and Latin alike, 24 half-points = 12 pt (小四).
_RUN = '<w:rPr><w:rFonts w:ascii="SimSun" w:hAnsi="SimSun" w:eastAsia="SimSun"/><w:sz w:val="24"/></w:rPr>'
# A4 (twentieths of a point), margins 2.54 cm top and bottom, 3.17 cm left and right.
_SECTION = ('<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>'
            '<w:pgMar w:top="1440" w:right="1800" w:bottom="1440" w:left="1800" '
            'w:header="851" w:footer="992" w:gutter="0"/></w:sectPr>')
ZIP_DATE = (1 << 5) | 1  # 1980-01-01, 00:00: the same text always gives the same bytes


def _escape(line: str) -> str:
    line = _NOT_XML.sub("", line)
    return line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def document_xml(text: str) -> str:
    """WordprocessingML for ``text``: a paragraph per line (an empty line stays an empty paragraph)."""
    paragraphs = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        run = f'<w:r>{_RUN}<w:t xml:space="preserve">{_escape(line)}</w:t></w:r>' if line else ""
        paragraphs.append(f"<w:p>{run}</w:p>")
    return f'{_HEAD}<w:document xmlns:w="{_W}"><w:body>{"".join(paragraphs)}{_SECTION}</w:body></w:document>'


def _zip(files: dict[str, bytes]) -> bytes:
    """A ZIP archive of ``files``, stored (no compression), names in UTF-8."""
    out = bytearray()
    central = bytearray()
    for name, data in files.items():
        raw = name.encode("utf-8")
        crc = zlib.crc32(data)
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0x0800, 0, 0, ZIP_DATE, crc, len(data), len(data),
                           len(raw), 0) + raw + data
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0x0800, 0, 0, ZIP_DATE, crc, len(data),
                               len(data), len(raw), 0, 0, 0, 0, 0, offset) + raw
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(files), len(files), len(central), len(out), 0)
    return bytes(out + central + end)


def docx(text: str) -> bytes:
    """The .docx file for ``text``."""
    parts = {**_PARTS_BEFORE, "word/document.xml": document_xml(text)}
    return _zip({name: xml.encode("utf-8") for name, xml in parts.items()})
