"""Stamped text: long tables are laid out by WeasyPrint without their cell text, which is then written
straight into each page's content stream.

WeasyPrint lays out the pages — a roster sheet's title, grid and footer, a posted list's paragraphs and
empty rows (about a third of the work) — with an id on each box to fill, a ``Block``; the text, thousands
of short pre-wrapped lines at known places, is drawn as text operators with the glyphs of the same font.
The glyphs come from an *atlas*: the distinct characters, rendered by WeasyPrint on extra pages after the
document's own (so the font subset holds them and ToUnicode maps them back to text), which are dropped
afterwards. The atlas's first line also gives the baseline inside a line, so stamped text sits where
WeasyPrint would have put it.

A glyph can depend on its neighbours: Pango gives figures and punctuation the script of the letters around
them, and the font draws "1" differently in a Latin run than alone. So each such character is laid out in
the atlas in every context the text uses (alone, after a Latin letter, after a Chinese character), each as
a box of its own. Marks and letters of scripts that join or reorder (Arabic, Tibetan, …) are never stamped:
a document holding one is ``Unstampable``, and the caller lays its text out the ordinary way.
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

PX = 0.75  # WeasyPrint draws in CSS pixels: 1 px = 0.75 pt
MM_PX = 96 / 25.4
CONTEXT = {"latin": "x", "han": "一"}  # the letter a figure or a stop is laid out after, for each context
_OPS = re.compile(rb"/(\S+)\s+([\d.]+)\s+Tf|<([0-9a-fA-F]*)>|1 0 0 -1 [\d.]+ ([\d.]+) Tm")
_BFCHAR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")

Key = tuple[str, str]  # a character and its context: "", "latin" or "han"
Column = tuple[float, str, tuple[str, ...]]  # a block's column: its share of the box's width, alignment, lines


class Unstampable(Exception):
    """A character the cells use cannot be stamped: render the document the ordinary way."""


@dataclass(frozen=True)
class Block:
    """Text to write into a laid-out box: columns side by side, each a share of the box's width, with lines
    ``pitch`` px apart from ``top`` px below the box's top, in the font of the atlas ``style``."""

    anchor: str  # the box's id; WeasyPrint gives its page and border box
    style: str
    columns: tuple[Column, ...]
    pitch: float
    top: float = 0.0
    pad: float = 0.0  # px between a column's side and left- or right-aligned text
    rules: float = 0.0  # pt: vertical rules this thick between the columns (0: none)
    middle: bool = False  # a column with fewer lines than the block's most is centred vertically, as in a <td>


@dataclass(frozen=True)
class Rules:
    """A ruled grid drawn from a box's top-left: horizontal rules at ``ys``, vertical at ``xs`` (px)."""

    anchor: str
    xs: tuple[float, ...]
    ys: tuple[float, ...]
    width: float  # pt


@dataclass(frozen=True)
class Page:
    """A page of the output: a copy of the laid-out page holding the anchor ``base`` or, when ``blank``, a blank
    page of its size and fonts; with blocks and rules written on it (their anchors may be on another page)."""

    base: str
    blocks: tuple[Block, ...] = ()
    rules: tuple[Rules, ...] = ()
    blank: bool = False


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


def atlas(blocks: Iterable[Block]) -> dict[str, list[str]]:
    """The atlas's boxes for each style, one per character and context the blocks use."""
    lines: dict[str, list[str]] = {}
    for block in blocks:
        lines.setdefault(block.style, []).extend(line for _, _, column in block.columns for line in column)
    return {style: _boxes(style_lines) for style, style_lines in lines.items()}


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
    reader: PdfReader, boxes: Mapping[str, Sequence[str]], where: Mapping[str, tuple[int, Any]]
) -> tuple[dict[str, _Atlas], int]:
    """Each style's atlas, from the pages after the document's own (each atlas starts on a page of its own),
    and the number of the document's own pages."""
    starts = []
    for style in boxes:
        if f"atlas-{style}" not in where:
            raise Unstampable(f"the {style} atlas is missing")
        starts.append((where[f"atlas-{style}"][0], style))
    starts.sort()
    if len({page for page, _ in starts}) < len(starts):
        raise Unstampable("two atlases share a page")
    ends = [page for page, _ in starts[1:]] + [len(reader.pages)]
    atlases = {
        style: _read_atlas(reader, range(start, end), where[f"atlas-{style}"][1][1], boxes[style])
        for (start, style), end in zip(starts, ends, strict=True)
    }
    return atlases, starts[0][0]


def _block_ops(block: Block, box: Sequence[float], height: float, atlas: _Atlas) -> tuple[list[str], list[str]]:
    """The text operators and the rule operators of a block whose border box is ``box`` (px, from the page's
    top-left: x1, y1, x2, y2) on a page ``height`` pt high."""
    text: list[str] = []
    rules: list[str] = []
    x1, y1, x2, y2 = box
    if block.columns and all(align == "between" for _, align, _ in block.columns):  # a flex line's items
        runs = [atlas.run(" ".join(lines)) for _, _, lines in block.columns]
        gap = (x2 - x1 - sum(w for _, w in runs)) / max(1, len(runs) - 1)
        x, y = x1, height - (y1 + block.top + atlas.baseline) * PX
        for ops, w in runs:
            text += [f"1 0 0 1 {x * PX:.3f} {y:.3f} Tm", *ops]
            x += w + gap
        return text, rules
    left = x1
    most = max((len(lines) for _, _, lines in block.columns), default=0)
    for share, align, lines in block.columns:
        width = share * (x2 - x1)
        first = (most - len(lines)) / 2 if block.middle else 0
        for k, line in enumerate(lines):
            line = line.rstrip()
            if not line:
                continue
            ops, w = atlas.run(line)
            x = {"left": left + block.pad, "right": left + width - block.pad - w}.get(align, left + (width - w) / 2)
            y = height - (y1 + block.top + (first + k) * block.pitch + atlas.baseline) * PX
            text += [f"1 0 0 1 {x * PX:.3f} {y:.3f} Tm", *ops]
        left += width
        if block.rules and left < x2 - 1:
            rules.append(f"{left * PX:.3f} {height - y1 * PX:.3f} m {left * PX:.3f} {height - y2 * PX:.3f} l S")
    if rules:
        rules.insert(0, f"{block.rules:g} w 0 G")
    return text, rules


def _stream(writer: PdfWriter, data: bytes) -> Any:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return writer._add_object(stream.flate_encode() if len(data) > 200 else stream)


def _rules_ops(rules: Rules, box: Sequence[float], height: float) -> list[str]:
    x0, y0 = box[0], box[1]
    ops = [f"{rules.width:g} w 0 G"]
    left, right = (x0 + rules.xs[0]) * PX, (x0 + rules.xs[-1]) * PX
    top, bottom = height - (y0 + rules.ys[0]) * PX, height - (y0 + rules.ys[-1]) * PX
    ops += [f"{left:.3f} {height - (y0 + y) * PX:.3f} m {right:.3f} {height - (y0 + y) * PX:.3f} l S" for y in rules.ys]
    ops += [f"{(x0 + x) * PX:.3f} {top:.3f} m {(x0 + x) * PX:.3f} {bottom:.3f} l S" for x in rules.xs]
    return ops


def stamp(
    pdf: bytes,
    boxes: Mapping[str, Sequence[str]],
    anchors: Sequence[Mapping[str, Any]],
    pages: Sequence[Page] | None = None,
    blocks: Sequence[Block] = (),
) -> bytes:
    """The document WeasyPrint laid out, with text stamped in and the atlases of ``boxes`` dropped:
    ``pages`` as given or, when None, the laid-out pages before the atlases with ``blocks`` written on the page
    of each one's anchor. ``anchors`` are the laid-out pages' anchors."""
    reader = PdfReader(io.BytesIO(pdf))
    where = {name: (i, box) for i, page in enumerate(anchors) for name, box in page.items()}
    atlases, n = _atlases(reader, boxes, where)

    def box(anchor: str) -> Any:
        if anchor not in where or where[anchor][0] >= n:
            raise Unstampable(f"no box {anchor!r} among the pages")
        return where[anchor][1]

    if pages is None:  # "#i" names the i-th laid-out page
        for block in blocks:
            box(block.anchor)
        pages = [Page(f"#{i}", tuple(b for b in blocks if where[b.anchor][0] == i)) for i in range(n)]
    writer = PdfWriter()
    for spec in pages:
        index = int(spec.base[1:]) if spec.base.startswith("#") else where[spec.base][0] if spec.base in where else -1
        if not 0 <= index < n:
            raise Unstampable(f"no page holds {spec.base!r}")
        original = reader.pages[index]
        height = float(original.mediabox.height)
        text, rules = [], []
        for block in spec.blocks:
            block_text, block_rules = _block_ops(block, box(block.anchor), height, atlases[block.style])
            text += block_text
            rules += block_rules
        for grid in spec.rules:
            rules += _rules_ops(grid, box(grid.anchor), height)
        ours = "\n".join(["BT 0 g", *text, "ET", *rules]).encode()
        if spec.blank:  # the fonts are the laid-out page's (cloned once: the writer maps each object it copied)
            added = writer.add_blank_page(float(original.mediabox.width), height)
            added[NameObject("/Resources")] = original.raw_get("/Resources").clone(writer)
            added[NameObject("/Contents")] = _stream(writer, ours)
            continue
        added = writer.add_page(original)
        if not text and not rules:
            continue
        contents = added.raw_get("/Contents")
        parts = list(contents.get_object()) if isinstance(contents.get_object(), ArrayObject) else [contents]
        # WeasyPrint's stream leaves its y-down matrix set: wrapped in q/Q, ours starts from default space
        added[NameObject("/Contents")] = ArrayObject([_stream(writer, b"q\n"), *parts, _stream(writer, b"Q\n" + ours)])
    if reader.metadata:
        writer.add_metadata({k: v for k, v in reader.metadata.items() if isinstance(v, str)})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
