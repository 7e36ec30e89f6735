"""Stamped cells: a roster's sheets are laid out by WeasyPrint without their cell text, which is then written
straight into each page's content stream.

WeasyPrint lays out a sheet's title, headers, grid and footer (about a third of the work); the cells —
thousands of short, pre-wrapped lines at known places — are drawn as text operators with the glyphs of
the same font. The glyphs come from an *atlas*: the chunk's distinct characters, rendered by WeasyPrint on
extra pages after the sheets (so the font subset holds them and ToUnicode maps them back to text), which
are dropped afterwards. The atlas's first line also gives the baseline inside a 6 mm line, so stamped text
sits where WeasyPrint would have put it.

A glyph can depend on its neighbours: Pango gives figures and punctuation the script of the letters around
them, and the font draws "1" differently in a Latin run than alone. So each such character is laid out in
the atlas in every context the cells use (alone, after a Latin letter, after a Chinese character), each as
a box of its own. Marks and letters of scripts that join or reorder (Arabic, Tibetan, …) are never stamped:
a chunk holding one is ``Unstampable``, and the caller lays the cells out the ordinary way.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, NameObject

from .sheet import LINE_MM, PAD_MM, Column

PX = 0.75  # WeasyPrint draws in CSS pixels: 1 px = 0.75 pt
MM_PX = 96 / 25.4
STYLES = ("col", "head")  # the atlases, in the order the HTML lays them out: cells, then column headers
CONTEXT = {"latin": "x", "han": "一"}  # the letter a figure or a stop is laid out after, for each context
_OPS = re.compile(rb"/(\S+)\s+([\d.]+)\s+Tf|<([0-9a-fA-F]*)>|1 0 0 -1 [\d.]+ ([\d.]+) Tm")
_BFCHAR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")

Key = tuple[str, str]  # a character and its context: "", "latin" or "han"


class Unstampable(Exception):
    """A character the cells use cannot be stamped: render the document the ordinary way."""


@dataclass(frozen=True)
class PageCells:
    """The cell text of one sheet: each column's lines (blank lines keep the rows' places)."""

    anchor: str  # the id of the sheet's grid element, whose top-left is the header row's
    columns: tuple[tuple[str, ...], ...]


def page_cells(number: int, columns: Sequence[str]) -> PageCells:
    """The cells of a page laid out by ``sheet.layout`` (its columns' text joined by newlines)."""
    return PageCells(f"grid-{number}", tuple(tuple(text.split("\n")) if text else () for text in columns))


def _script(c: str) -> str:
    """"latin" or "han" for a letter, "" for a figure, stop, space or symbol (it takes its neighbours')."""
    category = unicodedata.category(c)
    if category[0] == "M" or (category[0] == "L" and 0x250 <= ord(c) < 0x2E80):
        raise Unstampable(f"{c!r} ({unicodedata.name(c, 'unnamed')}) may be shaped with its neighbours")
    if category[0] != "L":
        return ""
    return "han" if ord(c) >= 0x2E80 else "latin"


@lru_cache(maxsize=4096)
def keys(line: str) -> tuple[Key, ...]:
    """Each character of a line with the context Pango shapes it in: a character of no script takes the
    script of the last letter before it, or at the start of the line of the first letter after it."""
    scripts = [_script(c) for c in line]
    out, last = [], next((s for s in scripts if s), "")
    for c, script in zip(line, scripts, strict=True):
        last = script or last
        out.append((c, "" if script else last))
    return tuple(out)


def _box(key: Key) -> str:
    """The atlas box of a key: the character after its context's letter; a space between two of them."""
    c, context = key
    before = CONTEXT.get(context, "")
    return (before or "0") + c + (before or "0") if c == " " else before + c


def _key(box: str) -> Key:
    """The key a box stands for: its last character, or the space in its middle."""
    context = {letter: name for name, letter in CONTEXT.items()}.get(box[0], "") if len(box) > 1 else ""
    return (" ", context) if len(box) == 3 else (box[-1], context)


def _boxes(lines: Iterable[str]) -> list[str]:
    used = {key for line in lines for key in keys(line.rstrip())}
    return [_box(key) for key in sorted(used)] or ["0"]


def atlas(pages: Sequence[PageCells], heads: Sequence[str]) -> dict[str, list[str]]:
    """The atlas's boxes for each style (cells, column headers), one per character and context used."""
    return {"col": _boxes(line for page in pages for column in page.columns for line in column), "head": _boxes(heads)}


@dataclass(frozen=True)
class _Glyph:
    font: str  # the font's resource name
    code: str  # hex, two bytes (Identity-H)
    width: float  # advance in text space units (1/1000 em)


def _to_unicode(font: Any) -> dict[str, str]:
    """A Type0 font's ToUnicode map: 4-hex code -> the one character it stands for."""
    out = {}
    for code, text in _BFCHAR.findall(font["/ToUnicode"].get_object().get_data()):
        try:
            chars = bytes.fromhex(text.decode()).decode("utf-16-be")
        except ValueError:
            continue
        if len(chars) == 1 and len(code) == 4:
            out[code.decode().lower()] = chars
    return out


def _widths(font: Any) -> dict[str, float]:
    """A Type0 font's glyph widths by 4-hex code, from its descendant's /W array ("" holds the default)."""
    descendant = font["/DescendantFonts"][0].get_object()
    out = {"": float(descendant.get("/DW", 1000))}
    w = list(descendant.get("/W", []))
    i = 0
    while i < len(w):
        first = int(w[i])
        if isinstance(w[i + 1], list):
            for k, value in enumerate(w[i + 1]):
                out[f"{first + k:04x}"] = float(value)
            i += 2
        else:
            for cid in range(first, int(w[i + 1]) + 1):
                out[f"{cid:04x}"] = float(w[i + 2])
            i += 3
    return out


@dataclass
class _Atlas:
    glyphs: dict[Key, _Glyph]
    size: float  # font size in pt
    baseline: float  # from the top of a line to the baseline, in px
    runs: dict[str, tuple[list[str], float]] = field(default_factory=dict)  # a line's operators and width in px

    def run(self, text: str) -> tuple[list[str], float]:
        """The operators that draw a line from the current point (font changes, glyph runs), and its width."""
        if text not in self.runs:  # rosters repeat most lines: groups, categories, the headers of every page
            glyphs = []
            for key in keys(text):
                glyph = self.glyphs.get(key)
                if glyph is None:
                    raise Unstampable(f"no glyph for {key[0]!r}")
                glyphs.append(glyph)
            ops, run, font = [], "", None
            for glyph in glyphs:
                if glyph.font != font:
                    if run:
                        ops.append(f"<{run}> Tj")
                    font, run = glyph.font, ""
                    ops.append(f"/{font} {self.size:g} Tf")
                run += glyph.code
            ops.append(f"<{run}> Tj")
            self.runs[text] = (ops, sum(g.width for g in glyphs) * self.size / 1000 / PX)
        return self.runs[text]


class _Fonts:
    """The fonts of a page's resources, read once each: their ToUnicode maps and widths."""

    def __init__(self, resources: Any) -> None:
        self.resources = resources
        self.read: dict[str, tuple[dict[str, str], dict[str, float]]] = {}

    def glyph(self, font: str, code: str) -> tuple[str, _Glyph]:
        if font not in self.read:
            obj = self.resources[f"/{font}"].get_object()
            if obj.get("/Subtype") != "/Type0" or obj.get("/Encoding") != "/Identity-H":
                raise Unstampable(f"font {font} is not a two-byte CID font")
            self.read[font] = (_to_unicode(obj), _widths(obj))
        unicode, widths = self.read[font]
        return unicode.get(code, ""), _Glyph(font, code, widths.get(code, widths[""]))


def _drawn(pages: Iterable[Any], fonts: _Fonts, top: float) -> tuple[list[tuple[str, _Glyph]], float, float]:
    """Every glyph the atlas pages draw, in order, with its character; the font size and the baseline."""
    glyphs: list[tuple[str, _Glyph]] = []
    font, size, baseline = None, None, None
    for page in pages:
        for name, font_size, codes, y in _OPS.findall(page.get_contents().get_data()):
            if name:
                font = name.decode()
                size = size or float(font_size) * PX
            elif y and baseline is None:
                baseline = float(y) - top
            elif codes and font is not None:
                glyphs += [fonts.glyph(font, codes[i : i + 4].decode().lower()) for i in range(0, len(codes), 4)]
    if size is None or baseline is None:
        raise Unstampable("the atlas drew no text")
    return glyphs, size, baseline


def _read_atlas(reader: PdfReader, pages: range, top: float, boxes: Sequence[str]) -> _Atlas:
    """Which glyph stands for each (character, context): the atlas's glyphs matched to its boxes in order."""
    resources: Any = reader.pages[pages[0]]["/Resources"]
    drawn, size, baseline = _drawn((reader.pages[i] for i in pages), _Fonts(resources["/Font"]), top)
    glyphs: dict[Key, _Glyph] = {}
    at = 0
    for box in boxes:
        while at < len(drawn) and drawn[at][0] == " ":  # the space between two boxes, if drawn
            at += 1
        got = drawn[at : at + len(box)]
        at += len(box)
        if "".join(c for c, _ in got) != box:
            raise Unstampable(f"the atlas box {box!r} was drawn as {''.join(c for c, _ in got)!r}")
        glyphs[_key(box)] = got[1 if len(box) == 3 else -1][1]
    return _Atlas(glyphs, size, baseline)


def _atlases(
    reader: PdfReader, n: int, boxes: Mapping[str, Sequence[str]], anchors: Sequence[dict[str, Any]]
) -> dict[str, _Atlas]:
    """Each style's atlas, read from the pages after the ``n`` sheets: each starts on a page of its own."""
    starts = []
    for style in STYLES:
        found = [i for i in range(n, len(anchors)) if f"atlas-{style}" in anchors[i]]
        if not found:
            raise Unstampable(f"the {style} atlas is missing")
        starts.append(found[0])
    ends = [*starts[1:], len(reader.pages)]
    return {
        style: _read_atlas(reader, range(start, end), anchors[start][f"atlas-{style}"][1], boxes[style])
        for style, start, end in zip(STYLES, starts, ends, strict=True)
    }


def _line(text: str, atlas: _Atlas, left: float, width: float, align: str, top: float, height: float) -> list[str]:
    """Operators for one line of a cell (px from the page's top-left; ``height`` is the page's, in pt)."""
    ops, w = atlas.run(text)
    pad = PAD_MM * MM_PX
    x = {"left": left + pad, "right": left + width - pad - w}.get(align, left + (width - w) / 2)
    return [f"1 0 0 1 {x * PX:.3f} {height - (top + atlas.baseline) * PX:.3f} Tm", *ops]


def _page_ops(cells: PageCells, heads: Sequence[str], columns: Sequence[Column], origin: tuple[float, float],
              height: float, atlases: dict[str, _Atlas]) -> bytes:
    """The content stream that writes one page's header row and cells, in default PDF space (y up, pt)."""
    ops = ["BT 0 g"]
    left = origin[0]
    line = LINE_MM * MM_PX
    for col, head, lines in zip(columns, heads, cells.columns, strict=True):
        width = col.width * MM_PX
        ops += _line(head, atlases["head"], left, width, "center", origin[1], height)
        for k, text in enumerate(lines, start=1):  # the header takes the first line
            if text.strip():
                ops += _line(text.rstrip(), atlases["col"], left, width, col.align, origin[1] + line * k, height)
        left += width
    ops.append("ET")
    return "\n".join(ops).encode()


def _stream(writer: PdfWriter, data: bytes) -> Any:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return writer._add_object(stream.flate_encode() if len(data) > 200 else stream)


def stamp(
    pdf: bytes,
    cells: Sequence[PageCells],
    heads: Sequence[str],
    columns: Sequence[Column],
    boxes: Mapping[str, Sequence[str]],
    anchors: Sequence[dict[str, Any]],
) -> bytes:
    """Write the header rows and cells into the sheets of a WeasyPrint PDF whose pages after ``len(cells)``
    hold the atlases of ``boxes``; ``anchors`` are the pages' anchors as WeasyPrint laid them out."""
    reader = PdfReader(io.BytesIO(pdf))
    n = len(cells)
    atlases = _atlases(reader, n, boxes, anchors)
    writer = PdfWriter()
    for page, page_cells_, page_anchors in zip(reader.pages[:n], cells, anchors[:n], strict=True):
        origin = page_anchors[page_cells_.anchor][:2]
        ops = _page_ops(page_cells_, heads, columns, origin, float(page.mediabox.height), atlases)
        added = writer.add_page(page)
        contents = added.raw_get("/Contents")
        parts = list(contents.get_object()) if isinstance(contents.get_object(), ArrayObject) else [contents]
        # WeasyPrint's stream leaves its y-down matrix set: wrapped in q/Q, ours starts from default space
        added[NameObject("/Contents")] = ArrayObject([_stream(writer, b"q\n"), *parts, _stream(writer, b"Q\n" + ops)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
