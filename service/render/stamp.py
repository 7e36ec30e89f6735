"""Stamped text: long tables are laid out by WeasyPrint without their text, which is then written straight
into each page's content stream.

WeasyPrint lays out the pages — a roster's first and last sheet and a frame for the others, a posted list's
paragraphs and empty rows — with an id on each box to fill, a ``Block``; the text, thousands of short
pre-wrapped lines at known places, is drawn as text operators with the glyphs of the same embedded font
(atlas.py), and whole pages can be drawn on blank pages after a laid-out frame (``Page``). Text that cannot
be stamped raises ``Unstampable``, and the caller lays the document out whole.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, NameObject

from . import atlas as glyph_atlas
from .atlas import PX, Unstampable

__all__ = ["MM_PX", "PX", "Block", "Page", "Rules", "Unstampable", "atlas", "stamp"]

MM_PX = 96 / 25.4
Column = tuple[float, str, tuple[str, ...]]  # a block's column: its share of the box's width, alignment, lines


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


def atlas(blocks: Iterable[Block]) -> dict[str, list[str]]:
    """The atlas's boxes for each style, one per character and context the blocks use."""
    lines: dict[str, list[str]] = {}
    for block in blocks:
        lines.setdefault(block.style, []).extend(line for _, _, column in block.columns for line in column)
    return {style: glyph_atlas.boxes(style_lines) for style, style_lines in lines.items()}


def _atlases(
    reader: PdfReader, boxes: Mapping[str, Sequence[str]], where: Mapping[str, tuple[int, Any]]
) -> tuple[dict[str, glyph_atlas.Atlas], int]:
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
        style: glyph_atlas.read(reader, range(start, end), where[f"atlas-{style}"][1][1], boxes[style])
        for (start, style), end in zip(starts, ends, strict=True)
    }
    return atlases, starts[0][0]


def _block_ops(
    block: Block, box: Sequence[float], height: float, glyphs: glyph_atlas.Atlas
) -> tuple[list[str], list[str]]:
    """The text operators and the rule operators of a block whose border box is ``box`` (px, from the page's
    top-left: x1, y1, x2, y2) on a page ``height`` pt high."""
    text: list[str] = []
    rules: list[str] = []
    x1, y1, x2, y2 = box
    if block.columns and all(align == "between" for _, align, _ in block.columns):  # a flex line's items
        runs = [glyphs.run(" ".join(lines)) for _, _, lines in block.columns]
        gap = (x2 - x1 - sum(w for _, w in runs)) / max(1, len(runs) - 1)
        x, y = x1, height - (y1 + block.top + glyphs.baseline) * PX
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
            ops, w = glyphs.run(line)
            x = {"left": left + block.pad, "right": left + width - block.pad - w}.get(align, left + (width - w) / 2)
            y = height - (y1 + block.top + (first + k) * block.pitch + glyphs.baseline) * PX
            text += [f"1 0 0 1 {x * PX:.3f} {y:.3f} Tm", *ops]
        left += width
        if block.rules and left < x2 - 1:
            rules.append(f"{left * PX:.3f} {height - y1 * PX:.3f} m {left * PX:.3f} {height - y2 * PX:.3f} l S")
    if rules:
        rules.insert(0, f"{block.rules:g} w 0 G")
    return text, rules


def _stream(writer: PdfWriter, data: bytes) -> Any:
    """A content stream added to the writer, compressed unless it is tiny."""
    stream = DecodedStreamObject()
    stream.set_data(data)
    return writer._add_object(stream.flate_encode() if len(data) > 200 else stream)


def _rules_ops(rules: Rules, box: Sequence[float], height: float) -> list[str]:
    """The path operators of a ruled grid whose box is ``box`` (px) on a page ``height`` pt high."""
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

    if pages is None:
        for block in blocks:
            box(block.anchor)
        placed = [(i, Page("", tuple(b for b in blocks if where[b.anchor][0] == i))) for i in range(n)]
    else:
        placed = [(where.get(spec.base, (n,))[0], spec) for spec in pages]
    writer = PdfWriter()
    for index, spec in placed:
        if index >= n:
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
