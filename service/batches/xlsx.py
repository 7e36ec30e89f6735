"""A streaming XLSX row reader for county files: cell text only, several times faster than openpyxl's.

A county file holds ~270,000 rows × 7 columns; openpyxl's read-only mode builds a cell object per cell
and takes most of a minute. This reads the worksheet XML a few megabytes at a time and picks the cells
out with regular expressions (the matching runs in C), keeping one chunk in memory, and gives each row
as a list of strings — the text ``service.imports.cell_text`` makes of openpyxl's values (dates as ISO
dates, whole numbers without ``.0``). Only the small parts (workbook, relationships, styles) go
through an XML parser.

    cells:  <c r="D2" s="1" t="s"><v>12</v></c>   shared string 12
            <c r="A3" t="inlineStr"><is><t>…</t></is></c>,   <c r="B3" s="2"><v>29221</v></c>  a number or date
"""

from __future__ import annotations

import html
import posixpath
import re
import zipfile
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import IO

from lxml import etree

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_EPOCH = datetime(1899, 12, 30)  # Excel's day 0 (the 1900 leap-year bug folded in for dates after 1900-03-01)
_DATE_FORMATS = {14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 30, 36, 45, 46, 47, 50, 57}


def _part(book: zipfile.ZipFile, name: str) -> IO[bytes] | None:
    try:
        return book.open(name)
    except KeyError:
        return None


def _targets(book: zipfile.ZipFile) -> dict[str, str]:
    """The workbook's relationships: id -> part name inside the package."""
    rels = _part(book, "xl/_rels/workbook.xml.rels")
    if rels is None:
        return {}
    out = {}
    for rel in etree.parse(rels).getroot().iter(PKG_REL):
        target = rel.get("Target", "")
        out[rel.get("Id", "")] = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
    return out


def sheets(book: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(title, part name) of each worksheet, in the workbook's order."""
    targets = _targets(book)
    workbook = etree.parse(book.open("xl/workbook.xml")).getroot()
    out = []
    for n, sheet in enumerate(workbook.iter(f"{NS}sheet"), start=1):
        out.append((sheet.get("name", ""), targets.get(sheet.get(REL, ""), f"xl/worksheets/sheet{n}.xml")))
    return out


_P = r"(?:\w+:)?"  # a namespace prefix some writers put on every element
_SI = re.compile(rf"<{_P}si>(.*?)</{_P}si>|<{_P}si/>", re.S)
_T = re.compile(rf"<{_P}t(?:\s[^>]*)?>([^<]*)</{_P}t>")
_RPH = re.compile(rf"<{_P}rPh\b.*?</{_P}rPh>", re.S)  # phonetic hints: not part of the text
_ROW = re.compile(rf"<{_P}row\b([^>]*?)(?:/>|>(.*?)</{_P}row>)", re.S)
_ROW_NUMBER = re.compile(r'\sr="(\d+)"')
# one match per cell: column letters, style and type from the attributes (in any order), then the content —
# the value alone when it is just <v>…</v> (nearly always), else everything inside the cell
_CELL = re.compile(
    rf'<{_P}c\b(?=[^>]*?\sr="([A-Z]+))?(?=[^>]*?\ss="(\d+)")?(?=[^>]*?\st="(\w+)")?[^>]*?'
    rf"(?:/>|><{_P}v>([^<]*)</{_P}v></{_P}c>|>(.*?)</{_P}c>)",
    re.S,
)
# the same for cells written the way Excel, WPS and openpyxl write them (r, s, t in that order, no prefix):
# three times faster; used for a row when it matches every cell of the row
_PLAIN_CELL = re.compile(r'<c r="([A-Z]+)\d+"(?: s="(\d+)")?(?: t="(\w+)")?(?:/>|><v>([^<]*)</v></c>|>(.*?)</c>)', re.S)
_V = re.compile(rf"<{_P}v>([^<]*)</")


def _text(xml: str) -> str:
    """The text of a run of <t> elements, phonetic hints left out, XML references resolved."""
    if "<" in xml[1:] and "rPh" in xml:
        xml = _RPH.sub("", xml)
    text = "".join(_T.findall(xml))
    return html.unescape(text) if "&" in text else text


def shared_strings(book: zipfile.ZipFile) -> list[str]:
    """The shared string table: the text of each item, rich-text runs joined, phonetic hints left out."""
    part = _part(book, "xl/sharedStrings.xml")
    if part is None:
        return []
    with part:
        xml = part.read().decode("utf-8")
    return [_text(inner) if inner else "" for inner in _SI.findall(xml)]


def date_styles(book: zipfile.ZipFile) -> set[int]:
    """Indexes of the cell styles whose number format shows a date."""
    part = _part(book, "xl/styles.xml")
    if part is None:
        return set()
    root = etree.parse(part).getroot()
    dates = set(_DATE_FORMATS)
    for fmt in root.iter(f"{NS}numFmt"):
        if is_date_format(fmt.get("formatCode", "")):
            dates.add(int(fmt.get("numFmtId", "0")))
    xfs = root.find(f"{NS}cellXfs")
    return {i for i, xf in enumerate(xfs if xfs is not None else ()) if int(xf.get("numFmtId", "0")) in dates}


_COLUMNS: dict[str, int] = {}


def _column(ref: str) -> int:
    """0-based column of a cell reference such as "AB12" (looked up: this runs for every cell)."""
    letters = ref.rstrip("0123456789")
    n = _COLUMNS.get(letters)
    if n is None:
        n = 0
        for ch in letters.upper():
            n = n * 26 + ord(ch) - 64
        n = _COLUMNS[letters] = n - 1
    return n


_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


def is_date_format(code: str) -> bool:
    """Whether a number format shows a date or time: d, m, y, h or s outside quotes, escapes and [colours]."""
    return bool(re.search(r"[dmyhs]", _QUOTED.sub("", code), re.IGNORECASE))


def _number(text: str, dated: bool) -> str:
    value = float(text)
    if dated:
        moment = _EPOCH + timedelta(days=value)
        return moment.date().isoformat() if moment.time() == datetime.min.time() else moment.isoformat("T", "minutes")
    return str(int(value)) if value.is_integer() else text


def _chunks(part: IO[bytes], size: int = 1 << 22) -> Iterator[str]:
    """The worksheet XML in pieces that each end after a row's closing tag (so no row is cut in two)."""
    tail = b""
    while chunk := part.read(size):
        buf = tail + chunk
        end = max(buf.rfind(b"</row>"), buf.rfind(b":row>"))
        if end < 0:
            tail = buf
            continue
        end = buf.index(b">", end) + 1
        tail = buf[end:]
        yield buf[:end].decode("utf-8")
    if tail:
        yield tail.decode("utf-8")


def rows(book: zipfile.ZipFile, part: str) -> Iterator[list[str]]:
    """Each row of a worksheet as cell texts (empty strings for missing cells), stripped."""
    strings = [s.strip() for s in shared_strings(book)]
    dated = date_styles(book)
    columns = _COLUMNS
    last = 0
    with book.open(part) as fh:
        for xml in _chunks(fh):
            for attrs, content in _ROW.findall(xml):
                found = _ROW_NUMBER.search(attrs)
                number = int(found.group(1)) if found else last + 1
                while last + 1 < number:  # rows with no cells are not written; the row numbers must stay right
                    last += 1
                    yield []
                last = number
                cells: list[str] = []
                append = cells.append
                found_cells = _PLAIN_CELL.findall(content)
                # every cell must have matched, else the general pattern reads the row (prefixes, other orders)
                if len(found_cells) != content.count("<c ") or any(t in content for t in (":c ", "<c>", "<c/>")):
                    found_cells = _CELL.findall(content)
                for letters, style, kind, value, inner in found_cells:
                    if letters:
                        at = columns.get(letters)
                        if at is None:
                            at = _column(letters)
                        if at > len(cells):  # skipped empty cells
                            cells.extend([""] * (at - len(cells)))
                    if kind == "s" and value:  # nearly every cell of an office's file
                        append(strings[int(value)])
                    else:
                        append(_cell(kind, style, value, inner, strings, dated))
                yield cells


def _cell(kind: str, style: str, value: str, inner: str, strings: list[str], dated: set[int]) -> str:
    """The text of a cell other than a plain shared string."""
    if kind == "inlineStr":
        return _text(inner).strip()
    if not value:
        found = _V.search(inner)  # after a formula <f>, or none at all
        value = found.group(1) if found else ""
    if kind == "s":
        return strings[int(value)] if value else ""
    if "&" in value:
        value = html.unescape(value)
    if value and kind in ("", "n"):
        return _number(value, int(style or 0) in dated)
    if kind == "b":
        return "True" if value == "1" else "False" if value else ""
    return value.strip()  # str (a formula's text), e (#N/A …), d (an ISO date)
