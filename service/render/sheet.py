"""Fast table pages for long rosters: the service wraps cells and cuts pages itself, so each PDF page is a
few positioned text columns over one ruled grid instead of hundreds of table cells (about 3× faster in
WeasyPrint, and linear in rows)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from . import stamp
from .paging import paginate

LINE_MM = 6.0  # one printed line of a table row
PAD_MM = 1.2  # cell padding on each side
CJK_MM = 10.5 * 25.4 / 72  # a full-width character at 10.5 pt (五号)


@dataclass(frozen=True)
class Column:
    """A roster column: its Chinese header (a message id), width in millimetres and alignment."""

    header: str
    width: float
    align: str = "center"

    @property
    def capacity(self) -> float:
        """How many full-width characters fit on one line of the cell."""
        return (self.width - 2 * PAD_MM) / CJK_MM


_NARROW = set("ijlrtf.,;:'|!()[]{} ·")
_WIDE = set("mwMW@%")


@cache  # a roster of 10,000 rows measures some 1.4 million characters, from a few thousand distinct ones
def _char_width(c: str) -> float:
    if ord(c) >= 0x2E80:
        return 1.0
    if c in _NARROW:
        return 0.35
    if c in _WIDE or c.isupper():
        return 0.8
    return 0.56  # lower-case letters and figures of a serif face, rounded up


def text_width(text: str) -> float:
    """Width in full-width characters (em): CJK counts 1, Latin by rough classes, erring on the wide side."""
    return sum(map(_char_width, text))


_TOKEN = re.compile(r"[\u2e80-\uffff]|[^\s\u2e80-\uffff]+\s*|\s+")


def wrap(text: str, capacity: float) -> list[str]:
    """Break a cell's text into lines that fit, between CJK characters or between words (a word longer than
    the line is broken too); never drops a character (no clipping)."""
    if text_width(text) <= capacity:  # most cells fit on one line: the loop below would not break them either
        return [text.rstrip()]
    lines, line, width = [], "", 0.0
    for token in _TOKEN.findall(text):
        pieces = [token] if text_width(token.rstrip()) <= capacity else list(token)
        for piece in pieces:
            w = text_width(piece.rstrip())
            if line and width + w > capacity:
                lines.append(line.rstrip())
                line, width = "", 0.0
                piece = piece.lstrip()
            line += piece
            width += text_width(piece)
    lines.append(line.rstrip())
    return lines


@dataclass(frozen=True)
class SheetLayout:
    """How many lines the first and the other pages hold, and how many the last page keeps free."""

    first: int = 24
    full: int = 26
    last_reserve: int = 3


def layout(columns: Sequence[Column], rows: Sequence[Sequence[str]], sheet: SheetLayout) -> list[dict[str, Any]]:
    """Pages of wrapped rows: for each page its column texts (one string per column, lines joined by
    newlines, blank lines padding short cells, none after the last line with text) and the grid's row
    boundaries in lines."""
    wrapped = [[wrap(cell, col.capacity) for cell, col in zip(row, columns, strict=True)] for row in rows]
    pages = paginate(wrapped, lambda r: max(len(c) for c in r), sheet.first, sheet.full, sheet.last_reserve)
    out = []
    for number, page in enumerate(pages, start=1):
        texts: list[list[str]] = [[] for _ in columns]
        bounds, used = [], 0
        for row in page:
            height = max(len(c) for c in row)
            for i, cell in enumerate(row):
                texts[i].extend(cell + [""] * (height - len(cell)))
            used += height
            bounds.append(used)
        out.append(
            {
                "number": number,
                "rows": len(page),
                "lines": used,
                "bounds": bounds,
                # blank lines at a column's foot print nothing: dropping them spares WeasyPrint their line boxes
                "columns": ["\n".join(t).rstrip("\n") for t in texts],
            }
        )
    return out


def grid_svg(columns: Sequence[Column], bounds: Sequence[int]) -> dict[str, Any]:
    """Geometry of the ruled grid under a page, in mm: its size, and every rule — the header's top, each row's
    bottom, each column's sides — as one SVG path (one element for WeasyPrint to style and draw, not ~40)."""
    xs = [0.0]
    for col in columns:
        xs.append(xs[-1] + col.width)
    ys = [0.0] + [b * LINE_MM for b in bounds]
    width, height = xs[-1], ys[-1] if bounds else 0.0
    rules = [f"M0 {-LINE_MM}H{width}"] + [f"M0 {round(y, 2)}H{width}" for y in ys]
    rules += [f"M{x} {-LINE_MM}V{round(height, 2)}" for x in xs]
    return {"xs": xs, "ys": ys, "width": width, "height": height, "path": "".join(rules)}


def column_styles(columns: Sequence[Column]) -> list[str]:
    """Each column's position in the grid as an inline style, the same on every page."""
    styles, left = [], 0.0
    for col in columns:
        styles.append(f"left: {left}mm; width: {col.width}mm")
        left += col.width
    return styles


RULE_PT = 0.18 * 72 / 25.4  # the grid's rules: 0.18 mm, as the template's SVG strokes them


def stamp_blocks(
    anchor: str, columns: Sequence[Column], heads: Sequence[str], texts: Sequence[str]
) -> list[stamp.Block]:
    """The header row and the cells of a sheet (``texts``: each column's lines joined by newlines), written
    into the grid box ``anchor`` whose top is the header row's."""
    total = sum(col.width for col in columns)
    line, pad = LINE_MM * stamp.MM_PX, PAD_MM * stamp.MM_PX
    head = tuple((col.width / total, "center", (text,)) for col, text in zip(columns, heads, strict=True))
    cells = tuple(
        (col.width / total, col.align, tuple(text.split("\n")) if text else ())
        for col, text in zip(columns, texts, strict=True)
    )
    return [
        stamp.Block(anchor, "head", head, line, pad=pad),
        stamp.Block(anchor, "col", cells, line, top=line, pad=pad),
    ]


@dataclass(frozen=True)
class SheetTexts:
    """What a sheet prints outside its grid, as the template words it: the meta line's items, the page's
    subtotal line and its footer."""

    meta: tuple[str, ...]
    subtotal: str
    foot: str


def stamped_page(
    page: dict[str, Any], page_count: int, columns: Sequence[Column], heads: Sequence[str], texts: SheetTexts
) -> stamp.Page:
    """A sheet of a stamped roster: the first and last are laid out by WeasyPrint (title, signatures) with
    their grid written in; every other one is drawn whole on a blank page after the template's frame sheet
    (``frame-*``: where the meta line, grid, subtotal and footer of a middle sheet go)."""
    number = page["number"]
    if number in (1, page_count):
        anchor = f"grid-{number}"
        return stamp.Page(anchor, tuple(stamp_blocks(anchor, columns, heads, page["columns"])))
    grid, mm = page["grid"], stamp.MM_PX
    line = LINE_MM * mm
    blocks = [
        *stamp_blocks("frame-grid", columns, heads, page["columns"]),
        stamp.Block("frame-meta", "plain", tuple((0.0, "between", (item,)) for item in texts.meta), line),
        # the frame's grid is the header alone: the subtotal sits lower by the height of this page's rows
        stamp.Block("frame-subtotal", "subtotal", ((1.0, "left", (texts.subtotal,)),), line, top=grid["height"] * mm),
        stamp.Block("frame-foot", "plain", ((1.0, "center", (texts.foot,)),), line),
    ]
    ys = (0.0, *(line + y * mm for y in grid["ys"]))
    rules = stamp.Rules("frame-grid", tuple(x * mm for x in grid["xs"]), ys, RULE_PT)
    return stamp.Page("frame-grid", tuple(blocks), (rules,), blank=True)
