"""Template filters shared by the DOCX and HTML Jinja2 environments: dates, numerals, labels, masks.

Every filter whose output depends on the language takes ``lang`` ("zh" or "en"); ``install`` binds it.
Blank identity fields (dates, sex) print as "" so a form keeps its space for a hand-written entry;
blank statistics (``percent``, ``cn_count``) print as "—" so a table never shows an empty cell as zero.
"""

from __future__ import annotations

import inspect
import math
import re
from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal
from fractions import Fraction
from functools import partial
from typing import TYPE_CHECKING

from babel.dates import format_date

from service.domain.idcard import normalize

if TYPE_CHECKING:
    import jinja2

LANGS = ("zh", "en")
DateLike = date | str
TimeLike = time | datetime | str
Ratio = int | float | Decimal | Fraction

_DIGITS = "〇一二三四五六七八九"  # GB/T 15835 writes a zero digit as 〇 in digit-by-digit years
_NUMERALS = "零一二三四五六七八九"
_SMALL_UNITS = ("", "十", "百", "千")
_BIG_UNITS = ("", "万", "亿")
_MAX_NUMERAL = 10**12  # 亿 is the largest unit; 万亿 would need a compound unit
_HOUR_MINUTE = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")
_YEAR_MONTH = re.compile(r"(\d{4})[-.](\d{1,2})")
_SEX = {"male": "male", "m": "male", "男": "male", "female": "female", "f": "female", "女": "female"}
_SEX_LABELS = {"zh": {"male": "男", "female": "女"}, "en": {"male": "male", "female": "female"}}
_RANGE_DASH = {"zh": "—", "en": "–"}  # GB/T 15834 一字线 for ranges; English uses an en dash
_ROMAN_VALUES = (1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1)
_ROMAN_LETTERS = ("M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I")


def _lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
    return lang


def _count(n: int, what: str = "n") -> int:
    # bool is an int, but True printing as 一 is always a data bug
    if not isinstance(n, int) or isinstance(n, bool):
        raise TypeError(f"{what} must be an int, not {type(n).__name__}")
    if n < 0:
        raise ValueError(f"{what} must not be negative, got {n}")
    return n


def _to_date(value: DateLike) -> date:
    if isinstance(value, date):
        return value.date() if isinstance(value, datetime) else value
    if isinstance(value, str):
        return datetime.fromisoformat(value.strip()).date()
    raise TypeError(f"expected a date, datetime or ISO string, not {type(value).__name__}")


def _to_datetime(value: datetime | str) -> datetime:
    if isinstance(value, datetime):
        return value  # wall-clock time as given: notices state local time, never converted
    if isinstance(value, str):
        text = value.strip()
        try:
            date.fromisoformat(text)
        except ValueError:
            return datetime.fromisoformat(text)
        raise ValueError(f"{value!r} has no time of day; a bare date would print as 0:00")
    raise TypeError(f"expected a datetime or ISO string, not {type(value).__name__}")


def _to_time(value: TimeLike) -> time:
    if isinstance(value, datetime):
        return value.time()
    if isinstance(value, time):
        return value
    if isinstance(value, str) and (match := _HOUR_MINUTE.fullmatch(value.strip())):
        hour, minute, second = match.groups()
        return time(int(hour), int(minute), int(second or 0))
    raise ValueError(f"expected a time such as 8:00 or 17:30, got {value!r}")


def cn_date(value: DateLike | None, style: str = "arabic", lang: str = "zh") -> str:
    """A date as 2026年11月21日, 二〇二六年十一月二十一日 (style="chinese") or 21 November 2026."""
    if style not in ("arabic", "chinese"):
        raise ValueError(f"style must be 'arabic' or 'chinese', not {style!r}")
    if value is None:
        return ""
    day = _to_date(value)
    if _lang(lang) == "en":
        # Day-month-year: the order most English readers outside the US expect, and never ambiguous.
        return format_date(day, "d MMMM y", locale="en")
    if style == "chinese":
        return f"{cn_digits(day.year)}年{cn_numeral(day.month)}月{cn_numeral(day.day)}日"
    # GB/T 9704 writes dates without leading zeros
    return f"{day.year}年{day.month}月{day.day}日"


def cn_time(value: TimeLike | None) -> str:
    """A 24-hour time without a leading zero: 8:00, 17:30."""
    if value is None:
        return ""
    moment = _to_time(value)
    return f"{moment.hour}:{moment.minute:02d}"


def cn_datetime(value: datetime | str | None, lang: str = "zh") -> str:
    """A date and time: 2026年11月21日 8:00 or 21 November 2026, 8:00."""
    if value is None:
        return ""
    moment = _to_datetime(value)
    separator = ", " if _lang(lang) == "en" else " "
    return f"{cn_date(moment, lang=lang)}{separator}{cn_time(moment)}"


def cn_time_range(start: TimeLike, end: TimeLike, lang: str = "zh") -> str:
    """Hours such as polling hours: 8:00—17:00 in Chinese, 8:00–17:00 in English."""
    if _to_time(end) <= _to_time(start):
        raise ValueError(f"a time range must end after it starts: {start!r} to {end!r}")
    return f"{cn_time(start)}{_RANGE_DASH[_lang(lang)]}{cn_time(end)}"


def cn_month(value: DateLike | None, lang: str = "zh") -> str:
    """A year and month for 出生年月: 1980.05 in Chinese rosters, ISO 1980-05 in English."""
    _lang(lang)
    if value is None:
        return ""
    match = _YEAR_MONTH.fullmatch(value.strip()) if isinstance(value, str) else None
    if match:
        year, month = int(match[1]), int(match[2])
        date(year, month, 1)  # rejects month 13 the same way a full date would
    else:
        day = _to_date(value)
        year, month = day.year, day.month
    return f"{year}-{month:02d}" if lang == "en" else f"{year}.{month:02d}"


def _section(n: int) -> str:
    out, zero = "", False
    for power in (3, 2, 1, 0):
        digit = n // 10**power % 10
        if digit == 0:
            zero = zero or bool(out)
            continue
        out += ("零" if zero else "") + _NUMERALS[digit] + _SMALL_UNITS[power]
        zero = False
    return out


def cn_numeral(n: int) -> str:
    """Chinese numerals for a count below 10¹²: 零, 十一, 一百零一, 一万二千三百四十五, 一亿."""
    if _count(n) >= _MAX_NUMERAL:
        raise ValueError(f"cn_numeral covers numbers below 10**12, got {n}")
    if n == 0:
        return "零"
    out, gap = "", False
    for power in (2, 1, 0):
        section = n // 10 ** (4 * power) % 10**4
        if section == 0:
            gap = gap or bool(out)
            continue
        # A skipped section or a section under 千 leaves zeros between two written digits.
        if out and (gap or section < 1000):
            out += "零"
        out += _section(section) + _BIG_UNITS[power]
        gap = False
    # Digits read 一十二, but a number that leads with 一十 is written 十二 (十万, not 一十万).
    return out[1:] if out.startswith("一十") else out


def cn_digits(n: int | str) -> str:
    """Digits one by one with 〇 for zero, as years are written: 2026 → 二〇二六."""
    text = str(_count(n)) if not isinstance(n, str) else n.strip()
    if not (text.isascii() and text.isdigit()):
        raise ValueError(f"cn_digits takes ASCII digits, got {n!r}")
    return "".join(_DIGITS[int(c)] for c in text)


def ordinal(n: int, lang: str = "zh") -> str:
    """An ordinal: 第十二 or 12th."""
    if _count(n) == 0:
        raise ValueError("ordinals start at 1")
    if _lang(lang) == "zh":
        return f"第{cn_numeral(n)}"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def term_label(n: int, lang: str = "zh") -> str:
    """The term of a committee: 第十二届 or 12th."""
    return ordinal(n, lang) + ("届" if lang == "zh" else "")


def _roman(n: int) -> str:
    if n >= 4000:
        raise ValueError(f"Roman heading numbers stop at 3999, got {n}")
    out = ""
    for value, letters in zip(_ROMAN_VALUES, _ROMAN_LETTERS, strict=True):
        count, n = divmod(n, value)
        out += letters * count
    return out


def _letters(n: int) -> str:
    out = ""
    while n:  # bijective base 26: Z is followed by AA
        n, rest = divmod(n - 1, 26)
        out = chr(ord("A") + rest) + out
    return out


_HEADINGS: dict[str, tuple[Callable[[int], str], ...]] = {
    "zh": (lambda n: f"{cn_numeral(n)}、", lambda n: f"（{cn_numeral(n)}）", "{}.".format, "（{}）".format),
    "en": (
        lambda n: f"{_roman(n)}.",
        lambda n: f"{_letters(n)}.",
        "{}.".format,
        lambda n: f"({_letters(n).lower()})",
    ),
}


def heading_number(level: int, n: int, lang: str = "zh") -> str:
    """Heading number n at level 1-4: 一、 （一） 1. （1） (GB/T 9704) or I. A. 1. (a) in English."""
    if _count(n) == 0:
        raise ValueError("heading numbers start at 1")
    if level not in (1, 2, 3, 4):
        raise ValueError(f"heading levels are 1 to 4, got {level!r}")
    return _HEADINGS[_lang(lang)][level - 1](n)


def mask_id(value: str | None, keep_start: int = 6, keep_end: int = 4) -> str:
    """Mask the middle of an ID number, by default the birth date: 110105********002X."""
    _count(keep_start, "keep_start")
    _count(keep_end, "keep_end")
    text = normalize(value or "")
    hidden = len(text) - keep_start - keep_end
    if hidden <= 0:
        # Too short to have a middle: hide everything rather than print a fragment in full.
        return "*" * len(text)
    return text[:keep_start] + "*" * hidden + text[len(text) - keep_end :]


def percent(x: Ratio | None, digits: int = 1, lang: str = "zh") -> str:
    """A ratio as a percentage rounded half up: 0.853 → 85.3%; None → —."""
    _lang(lang)
    _count(digits, "digits")
    if x is None:
        return "—"
    if isinstance(x, float | Decimal) and not math.isfinite(x):
        raise ValueError(f"percent needs a finite ratio, got {x!r}")
    # A float goes through its shortest repr so 0.8535 rounds as written, not as 0.85349999…
    ratio = Fraction(str(x)) if isinstance(x, float) else Fraction(x)
    scaled = ratio * 100 * 10**digits
    units = int(abs(scaled) + Fraction(1, 2))  # half up, away from zero, as tally sheets round
    whole, fraction = divmod(units, 10**digits)
    sign = "-" if scaled < 0 and units else ""
    number = f"{whole:,}" if lang == "en" else str(whole)
    return f"{sign}{number}{'.' + str(fraction).zfill(digits) if digits else ''}%"


def sex_label(code: str | None, lang: str = "zh") -> str:
    """男/女 or male/female from male, female, 男, 女, M or F."""
    _lang(lang)
    if code is None or not code.strip():
        return ""
    key = _SEX.get(code.strip().lower())
    if key is None:
        raise ValueError(f"unknown sex code {code!r}")
    return _SEX_LABELS[lang][key]


def cn_count(n: int | None, lang: str = "zh") -> str:
    """A count in Arabic figures: 1200 in Chinese, 1,200 in English; None → —."""
    _lang(lang)
    if n is None:
        return "—"
    # GB/T 9704 prose writes counts in figures, ungrouped: GB/T 15835 allows only a thin space and
    # commas read as accounting figures. English prose groups thousands with commas.
    return f"{_count(n):,}" if lang == "en" else str(_count(n))


_WORDS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
]


def spelled(n: int, lang: str = "zh") -> str:
    """A small count in words (三 / three), for ballot faces, which must carry no figures at all."""
    _lang(lang)
    if lang == "zh":
        return cn_numeral(n)
    return _WORDS[_count(n)] if n < len(_WORDS) else str(n)


# Advance widths in ems for the layout filters: Han characters and full-width forms are one em; Latin letters in
# a bold serif (Times New Roman in Word, Noto Serif CJK's Latin in the PDF) are taken at their widest usual value,
# so a fitted line errs on the short side and never wraps.
_EM_UPPER, _EM_LOWER, _EM_DIGIT, _EM_SPACE, _EM_OTHER = 0.74, 0.56, 0.5, 0.25, 0.4


def text_em(text: str) -> float:
    """The width of a line of text in ems (an estimate: one em per Han character, less for Latin)."""
    total = 0.0
    for ch in text:
        if ord(ch) > 0x2E7F or ch in "“”‘’—…":
            total += 1
        elif ch.isupper():
            total += _EM_UPPER
        elif ch.islower():
            total += _EM_LOWER
        elif ch.isdigit():
            total += _EM_DIGIT
        elif ch.isspace():
            total += _EM_SPACE
        else:
            total += _EM_OTHER
    return total


def fit_pt(text: str, width_pt: float = 436, max_pt: float = 36) -> float:
    """The largest font size, in half points up to ``max_pt``, at which ``text`` fits on one line of ``width_pt``
    (the issuing-authority mark: 36 pt unless a long name needs less)."""
    em = text_em(text)
    return max_pt if em * max_pt <= width_pt else math.floor(width_pt / em * 2) / 2


_DATE_FILTERS = (cn_date, cn_time, cn_datetime, cn_time_range, cn_month)
_NUMBER_FILTERS = (cn_numeral, cn_digits, ordinal, term_label, heading_number, percent, cn_count, spelled)
_LABEL_FILTERS = (mask_id, sex_label)
_LAYOUT_FILTERS = (text_em, fit_pt)
FILTERS: dict[str, Callable[..., str | float]] = {
    func.__name__: func for func in (*_DATE_FILTERS, *_NUMBER_FILTERS, *_LABEL_FILTERS, *_LAYOUT_FILTERS)
}


def install(env: jinja2.Environment, lang: str) -> None:
    """Register every filter on env, binding lang so templates write {{ day | cn_date }}."""
    _lang(lang)
    for name, func in FILTERS.items():
        # A keyword binding, so one template can still ask for the other language with lang="en".
        bound = "lang" in inspect.signature(func).parameters
        env.filters[name] = partial(func, lang=lang) if bound else func
