"""Helpers of the roster kinds: cross-field errors with their paths, age checks, and how tall a row prints.

The PDF renderer cuts a roster into pages before layout, from the lines each row needs (``row_lines``).
``cell_lines`` estimates those lines from the column width in millimetres and the wider of the glyphs of the
fonts a roster may use, so an estimate errs on the tall side and a planned page never overflows.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import date

from ... import i18n
from ...checks import Loc, Problems
from ...domain import idcard

EM_MM = 10.5 * 25.4 / 72  # roster text is 10.5 pt (print.css .sheet)
LINE_MM = EM_MM * 1.3  # at line-height 1.3
ROW_MM = 6.6  # the minimum row height (print.css .sheet td)
PADDING_MM = 2.6  # 1.2 mm each side and the 0.5 pt rule
# Advance widths of " " to "~" in 1/100 em: Noto Serif CJK SC Regular (the PDF's 仿宋 stand-in), rounded up,
# and never under the 0.5 em of the half-width Latin in 仿宋_GB2312, so either font fits the estimate.
_ASCII = bytes((
    50, 50, 50, 58, 55, 93, 78, 50, 50, 50, 50, 58, 50, 50, 50, 50, 56, 50, 56, 56, 56, 56, 56, 55, 56, 57, 50, 50,
    58, 58, 58, 50, 92, 72, 67, 70, 77, 66, 63, 75, 86, 50, 50, 74, 63, 98, 80, 77, 65, 77, 72, 57, 66, 80, 72, 106,
    70, 69, 61, 50, 50, 50, 58, 57, 50, 56, 64, 54, 63, 55, 50, 57, 67, 50, 50, 61, 50, 98, 67, 60, 64, 61, 50, 50,
    50, 66, 55, 84, 57, 56, 50, 50, 50, 50, 58,
))
# Words of Latin letters and digits stay whole; every other character is a place a line may break.
# Closing punctuation cannot start a line, so it travels with the character before it.
_TOKENS = re.compile(r"[A-Za-z0-9'’\-.,;:!?()/%&+]+|\s|.[，。、；：？！）》」』”’]*", re.S)


def anniversary(day: date, years: int) -> date:
    """The date ``years`` after ``day``; a 29 February birthday falls on 1 March in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


def check_identity(problems: Problems, sex: str | None, birth: date | None, id_number: str | None) -> None:
    """Report a sex or birth date that contradicts the ID number (both are printed, so both must agree)."""
    if not id_number:
        return
    if sex and sex != idcard.sex(id_number):
        problems.add(("sex",), "sex_mismatch", "sex does not match the ID number", "性别与公民身份号码不符", sex)
    if birth and birth != idcard.birth_date(id_number):
        problems.add(("birth",), "birth_mismatch", "birth date does not match the ID number",
                     "出生日期与公民身份号码不符", birth.isoformat())


def check_joined(problems: Problems, loc: Loc, joined: date | None, birth: date | None, signed: date) -> None:
    """A Party joining date is on or after the 18th birthday and not after the date the roster is signed."""
    if joined is None:
        return
    if birth is not None and joined < anniversary(birth, 18):
        problems.add(loc, "joined_under_18", "the joining date is before the member's 18th birthday",
                     "入党时间早于本人年满18周岁", joined.isoformat())
    if joined > signed:
        problems.add(loc, "joined_after_signature", "the joining date is later than the date of this roster",
                     "入党时间晚于本表落款日期", joined.isoformat())


def _char_em(char: str) -> float:
    code = ord(char)
    if 0x20 <= code < 0x7F:
        return _ASCII[code - 0x20] / 100
    return 1.0  # CJK, full-width forms and the 间隔号 in 阿卜杜热合曼·买买提艾力


def cell_lines(text: str, width_mm: float) -> int:
    """The lines ``text`` wraps to in a table cell ``width_mm`` wide (greedy, as a browser breaks lines)."""
    usable = (width_mm - PADDING_MM) / EM_MM
    lines, x = 1, 0.0
    for token in _TOKENS.findall(text.strip()):
        if token.isspace():
            x += _char_em(" ") if x else 0.0
            continue
        width = sum(_char_em(c) for c in token)
        if x + width <= usable:
            x += width
        elif width <= usable:
            lines, x = lines + 1, width
        else:  # a word wider than the cell breaks anywhere (print.css: overflow-wrap: anywhere)
            for char in token:
                w = _char_em(char)
                if x + w > usable and x:
                    lines, x = lines + 1, 0.0
                x += w
    return lines


def rows_for(cells: Iterable[tuple[str, float]]) -> int:
    """How many one-line row heights the tallest of these (text, width in mm) cells takes."""
    lines = max((cell_lines(text, width) for text, width in cells), default=1)
    return max(1, math.ceil(lines * LINE_MM / ROW_MM - 1e-9))


def both_languages(label: str) -> str:
    """The longer of a fixed Chinese label and its English translation, for estimating a cell's lines."""
    english = i18n.gettext(label, "en")
    return max(label, english, key=lambda s: sum(_char_em(c) for c in s))
