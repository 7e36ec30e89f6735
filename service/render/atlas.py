"""The glyph atlas of stamped text (stamp.py): which glyph of the embedded fonts draws each character.

WeasyPrint subsets each font to the glyphs a document draws, so the characters of the text to stamp are
laid out by WeasyPrint too, as the document's last pages (dropped afterwards): each character in a box of
its own, once for every script context it is used in. Reading those pages back — the fonts they select, the
glyph codes they draw, the fonts' ToUnicode maps and widths — gives the glyph and advance of each
(character, context), the font size, and where the baseline sits in a line.

A glyph can depend on its neighbours: Pango gives figures and punctuation the script of the letters around
them, and the font draws "1" differently in a Latin run than alone; hence the contexts. Marks and letters
of scripts that join or reorder (Arabic, Tibetan, …) are never stamped: text holding one is ``Unstampable``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from pypdf import PdfReader

PX = 0.75  # WeasyPrint draws in CSS pixels: 1 px = 0.75 pt
CONTEXT = {"latin": "x", "han": "一"}  # the letter a figure or a stop is laid out after, for each context
_OPS = re.compile(rb"/(\S+)\s+([\d.]+)\s+Tf|<([0-9a-fA-F]*)>|1 0 0 -1 [\d.]+ ([\d.]+) Tm")
_BFCHAR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")

Key = tuple[str, str]  # a character and its context: "", "latin" or "han"


class Unstampable(Exception):
    """Text that cannot be stamped: the caller lays the document out whole."""


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


def boxes(lines: Iterable[str]) -> list[str]:
    """The atlas boxes for some lines: one per character and context they use."""
    used = {key for line in lines for key in keys(line.rstrip())}
    return [_box(key) for key in sorted(used)] or ["0"]


@dataclass(frozen=True)
class Glyph:
    """A glyph of an embedded font."""

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
class Atlas:
    """The glyphs of one text style (a font at a size on a line height), read from its atlas pages."""

    glyphs: dict[Key, Glyph]
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

    def glyph(self, font: str, code: str) -> tuple[str, Glyph]:
        if font not in self.read:
            obj = self.resources[f"/{font}"].get_object()
            if obj.get("/Subtype") != "/Type0" or obj.get("/Encoding") != "/Identity-H":
                raise Unstampable(f"font {font} is not a two-byte CID font")
            self.read[font] = (_to_unicode(obj), _widths(obj))
        unicode, widths = self.read[font]
        return unicode.get(code, ""), Glyph(font, code, widths.get(code, widths[""]))


def _drawn(pages: Iterable[Any], fonts: _Fonts, top: float) -> tuple[list[tuple[str, Glyph]], float, float]:
    """Every glyph the atlas pages draw, in order, with its character; the font size and the baseline."""
    glyphs: list[tuple[str, Glyph]] = []
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


def read(reader: PdfReader, pages: range, top: float, boxes: Sequence[str]) -> Atlas:
    """Which glyph stands for each (character, context): the atlas's glyphs matched to its boxes in order."""
    resources: Any = reader.pages[pages[0]]["/Resources"]
    drawn, size, baseline = _drawn((reader.pages[i] for i in pages), _Fonts(resources["/Font"]), top)
    glyphs: dict[Key, Glyph] = {}
    at = 0
    for box in boxes:
        while at < len(drawn) and drawn[at][0] == " ":  # the space between two boxes, if drawn
            at += 1
        got = drawn[at : at + len(box)]
        at += len(box)
        if "".join(c for c, _ in got) != box:
            raise Unstampable(f"the atlas box {box!r} was drawn as {''.join(c for c, _ in got)!r}")
        glyphs[_key(box)] = got[1 if len(box) == 3 else -1][1]
    return Atlas(glyphs, size, baseline)


