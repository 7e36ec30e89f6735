"""Tests for the shared template filters: each case is input, language, expected text."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from fractions import Fraction

import pytest
from jinja2.sandbox import SandboxedEnvironment

from service import filters
from service.filters import (
    FILTERS,
    cn_count,
    cn_date,
    cn_datetime,
    cn_digits,
    cn_month,
    cn_numeral,
    cn_time,
    cn_time_range,
    heading_number,
    install,
    mask_id,
    ordinal,
    percent,
    sex_label,
    term_label,
)


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "零"),
        (1, "一"),
        (2, "二"),
        (10, "十"),
        (11, "十一"),
        (19, "十九"),
        (20, "二十"),
        (99, "九十九"),
        (100, "一百"),
        (101, "一百零一"),
        (110, "一百一十"),
        (111, "一百一十一"),
        (1000, "一千"),
        (1001, "一千零一"),
        (1010, "一千零一十"),
        (1100, "一千一百"),
        (9999, "九千九百九十九"),
        (10000, "一万"),
        (10001, "一万零一"),
        (10010, "一万零一十"),
        (10100, "一万零一百"),
        (11000, "一万一千"),
        (12345, "一万二千三百四十五"),
        (100000, "十万"),
        (100010, "十万零一十"),
        (110000, "十一万"),
        (10000000, "一千万"),
        (20000000, "二千万"),
        (100000000, "一亿"),
        (100000001, "一亿零一"),
        (100001000, "一亿零一千"),
        (100010000, "一亿零一万"),
        (101000000, "一亿零一百万"),
        (110000000, "一亿一千万"),
        (1000000000, "十亿"),
        (999999999999, "九千九百九十九亿九千九百九十九万九千九百九十九"),
    ],
)
def test_cn_numeral(n: int, expected: str) -> None:
    assert cn_numeral(n) == expected


@pytest.mark.parametrize(
    ("n", "error"),
    [(-1, ValueError), (10**12, ValueError), (True, TypeError), (1.0, TypeError), ("12", TypeError)],
)
def test_cn_numeral_rejects(n: object, error: type[Exception]) -> None:
    with pytest.raises(error):
        cn_numeral(n)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("n", "expected"),
    [(2026, "二〇二六"), (2000, "二〇〇〇"), (0, "〇"), ("1980", "一九八〇"), ("007", "〇〇七")],
)
def test_cn_digits(n: int | str, expected: str) -> None:
    assert cn_digits(n) == expected


@pytest.mark.parametrize("n", [-2026, "20a6", "", "２０２６", "-1"])
def test_cn_digits_rejects(n: int | str) -> None:
    with pytest.raises(ValueError):
        cn_digits(n)


@pytest.mark.parametrize(
    ("value", "style", "lang", "expected"),
    [
        (date(2026, 11, 21), "arabic", "zh", "2026年11月21日"),
        (date(2026, 11, 21), "chinese", "zh", "二〇二六年十一月二十一日"),
        (date(2026, 11, 21), "arabic", "en", "21 November 2026"),
        (date(2026, 11, 21), "chinese", "en", "21 November 2026"),
        (date(2026, 1, 5), "arabic", "zh", "2026年1月5日"),
        (date(2026, 1, 31), "chinese", "zh", "二〇二六年一月三十一日"),
        (date(2026, 1, 31), "arabic", "en", "31 January 2026"),
        (date(2026, 4, 30), "chinese", "zh", "二〇二六年四月三十日"),
        (date(2026, 6, 10), "chinese", "zh", "二〇二六年六月十日"),
        (date(2025, 12, 31), "chinese", "zh", "二〇二五年十二月三十一日"),
        (date(2024, 2, 29), "arabic", "zh", "2024年2月29日"),
        (date(2024, 2, 29), "chinese", "zh", "二〇二四年二月二十九日"),
        (date(2024, 2, 29), "arabic", "en", "29 February 2024"),
        (date(2000, 1, 1), "chinese", "zh", "二〇〇〇年一月一日"),
        (date(2000, 1, 1), "arabic", "en", "1 January 2000"),
        (datetime(2026, 11, 21, 8, 0), "arabic", "zh", "2026年11月21日"),
        ("2026-11-21", "arabic", "zh", "2026年11月21日"),
        (" 2026-11-21 ", "chinese", "zh", "二〇二六年十一月二十一日"),
        ("2026-11-21T23:59:00", "arabic", "zh", "2026年11月21日"),
        ("2026-11-21", "arabic", "en", "21 November 2026"),
        (None, "arabic", "zh", ""),
        (None, "chinese", "en", ""),
    ],
)
def test_cn_date(value: date | str | None, style: str, lang: str, expected: str) -> None:
    assert cn_date(value, style=style, lang=lang) == expected


@pytest.mark.parametrize(
    ("value", "kwargs", "error"),
    [
        ("2026-02-30", {}, ValueError),
        ("2023-02-29", {}, ValueError),
        ("2026年11月21日", {}, ValueError),
        (20261121, {}, TypeError),
        (date(2026, 11, 21), {"style": "roman"}, ValueError),
        (date(2026, 11, 21), {"lang": "fr"}, ValueError),
    ],
)
def test_cn_date_rejects(value: object, kwargs: dict[str, str], error: type[Exception]) -> None:
    with pytest.raises(error):
        cn_date(value, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        (datetime(2026, 11, 21, 8, 0), "zh", "2026年11月21日 8:00"),
        (datetime(2026, 11, 21, 8, 0), "en", "21 November 2026, 8:00"),
        (datetime(2026, 11, 21, 17, 5), "zh", "2026年11月21日 17:05"),
        (datetime(2024, 2, 29, 0, 0), "en", "29 February 2024, 0:00"),
        ("2026-11-21T08:00", "zh", "2026年11月21日 8:00"),
        ("2026-11-21 08:30:00", "en", "21 November 2026, 8:30"),
        (None, "zh", ""),
    ],
)
def test_cn_datetime(value: datetime | str | None, lang: str, expected: str) -> None:
    assert cn_datetime(value, lang=lang) == expected


@pytest.mark.parametrize(
    ("value", "error"),
    [(date(2026, 11, 21), TypeError), ("2026-11-21", ValueError), ("8:00", ValueError)],
)
def test_cn_datetime_rejects_values_without_a_time(value: object, error: type[Exception]) -> None:
    with pytest.raises(error):
        cn_datetime(value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (time(8, 0), "8:00"),
        (time(0, 0), "0:00"),
        (time(17, 30, 59), "17:30"),
        (datetime(2026, 11, 21, 9, 5), "9:05"),
        ("08:00", "8:00"),
        ("8:00", "8:00"),
        (" 17:30:00 ", "17:30"),
        (None, ""),
    ],
)
def test_cn_time(value: time | str | None, expected: str) -> None:
    assert cn_time(value) == expected


@pytest.mark.parametrize("value", ["24:00", "8:60", "8h", "800", ""])
def test_cn_time_rejects(value: str) -> None:
    with pytest.raises(ValueError):
        cn_time(value)


@pytest.mark.parametrize(
    ("start", "end", "lang", "expected"),
    [
        ("8:00", "17:00", "zh", "8:00—17:00"),
        ("8:00", "17:00", "en", "8:00–17:00"),
        (time(7, 30), time(12, 0), "zh", "7:30—12:00"),
        ("08:00", "08:01", "zh", "8:00—8:01"),
    ],
)
def test_cn_time_range(start: time | str, end: time | str, lang: str, expected: str) -> None:
    assert cn_time_range(start, end, lang=lang) == expected


@pytest.mark.parametrize(("start", "end"), [("17:00", "8:00"), ("8:00", "8:00")])
def test_cn_time_range_rejects_empty_or_reversed(start: str, end: str) -> None:
    with pytest.raises(ValueError):
        cn_time_range(start, end)


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        (date(1980, 5, 3), "zh", "1980.05"),
        (date(1980, 5, 3), "en", "1980-05"),
        (datetime(1980, 12, 31, 23, 0), "zh", "1980.12"),
        ("1980-05-31", "zh", "1980.05"),
        ("1980-05", "zh", "1980.05"),
        ("1980.5", "zh", "1980.05"),
        ("1980.11", "en", "1980-11"),
        ("1980-02-29", "en", "1980-02"),
        (None, "zh", ""),
    ],
)
def test_cn_month(value: date | str | None, lang: str, expected: str) -> None:
    assert cn_month(value, lang=lang) == expected


@pytest.mark.parametrize("value", ["1980-13", "1980.0", "1980-02-30", "1980"])
def test_cn_month_rejects(value: str) -> None:
    with pytest.raises(ValueError):
        cn_month(value)


@pytest.mark.parametrize(
    ("n", "lang", "ordinal_text", "term_text"),
    [
        (1, "zh", "第一", "第一届"),
        (10, "zh", "第十", "第十届"),
        (12, "zh", "第十二", "第十二届"),
        (1, "en", "1st", "1st"),
        (2, "en", "2nd", "2nd"),
        (3, "en", "3rd", "3rd"),
        (4, "en", "4th", "4th"),
        (11, "en", "11th", "11th"),
        (12, "en", "12th", "12th"),
        (13, "en", "13th", "13th"),
        (21, "en", "21st", "21st"),
        (22, "en", "22nd", "22nd"),
        (101, "en", "101st", "101st"),
        (111, "en", "111th", "111th"),
        (112, "en", "112th", "112th"),
    ],
)
def test_ordinal_and_term_label(n: int, lang: str, ordinal_text: str, term_text: str) -> None:
    assert (ordinal(n, lang), term_label(n, lang)) == (ordinal_text, term_text)


@pytest.mark.parametrize(("n", "lang"), [(0, "zh"), (-1, "en"), (1, "de")])
def test_term_label_rejects(n: int, lang: str) -> None:
    with pytest.raises(ValueError):
        term_label(n, lang)


@pytest.mark.parametrize(
    ("level", "n", "lang", "expected"),
    [
        (1, 1, "zh", "一、"),
        (1, 11, "zh", "十一、"),
        (2, 1, "zh", "（一）"),
        (2, 10, "zh", "（十）"),
        (3, 1, "zh", "1."),
        (3, 12, "zh", "12."),
        (4, 1, "zh", "（1）"),
        (4, 12, "zh", "（12）"),
        (1, 1, "en", "I."),
        (1, 4, "en", "IV."),
        (1, 9, "en", "IX."),
        (1, 14, "en", "XIV."),
        (1, 1994, "en", "MCMXCIV."),
        (2, 1, "en", "A."),
        (2, 26, "en", "Z."),
        (2, 27, "en", "AA."),
        (3, 3, "en", "3."),
        (4, 1, "en", "(a)"),
        (4, 28, "en", "(ab)"),
        (3, 5000, "en", "5000."),
    ],
)
def test_heading_number(level: int, n: int, lang: str, expected: str) -> None:
    assert heading_number(level, n, lang) == expected


@pytest.mark.parametrize(
    ("level", "n", "lang"),
    [(0, 1, "zh"), (5, 1, "zh"), (1, 0, "zh"), (1, -1, "en"), (1, 4000, "en"), (1, 1, "fr")],
)
def test_heading_number_rejects(level: int, n: int, lang: str) -> None:
    with pytest.raises(ValueError):
        heading_number(level, n, lang)


@pytest.mark.parametrize(
    ("value", "kwargs", "expected"),
    [
        ("11010519491231002X", {}, "110105********002X"),
        ("11010519491231002x", {}, "110105********002X"),
        (" 110105 19491231 002X ", {}, "110105********002X"),
        ("110105491231002", {}, "110105*****1002"),
        ("11010519491231002X", {"keep_start": 0, "keep_end": 0}, "*" * 18),
        ("11010519491231002X", {"keep_start": 3, "keep_end": 1}, "110**************X"),
        ("11010519491231002X", {"keep_start": 0, "keep_end": 4}, "**************002X"),
        ("12345678901", {}, "123456*8901"),
        ("1234567890", {}, "**********"),
        ("1234", {}, "****"),
        ("", {}, ""),
        (None, {}, ""),
    ],
)
def test_mask_id(value: str | None, kwargs: dict[str, int], expected: str) -> None:
    assert mask_id(value, **kwargs) == expected


def test_mask_id_rejects_negative_keep() -> None:
    with pytest.raises(ValueError):
        mask_id("11010519491231002X", keep_start=-1)


@pytest.mark.parametrize(
    ("x", "digits", "lang", "expected"),
    [
        (0.853, 1, "zh", "85.3%"),
        (0.853, 1, "en", "85.3%"),
        (Decimal("0.853"), 1, "zh", "85.3%"),
        (Fraction(2, 3), 1, "zh", "66.7%"),
        (Fraction(1, 3), 2, "zh", "33.33%"),
        (0.8535, 2, "zh", "85.35%"),
        (0.85345, 2, "zh", "85.35%"),
        (Decimal("0.00005"), 2, "zh", "0.01%"),
        (0.5, 0, "zh", "50%"),
        (0.995, 0, "zh", "100%"),
        (1, 1, "zh", "100.0%"),
        (0, 1, "zh", "0.0%"),
        (0.0, 3, "zh", "0.000%"),
        (12.5, 1, "zh", "1250.0%"),
        (12.5, 1, "en", "1,250.0%"),
        (-0.05, 1, "zh", "-5.0%"),
        (-0.0001, 1, "zh", "0.0%"),
        (None, 1, "zh", "—"),
        (None, 1, "en", "—"),
    ],
)
def test_percent(x: float | Decimal | Fraction | None, digits: int, lang: str, expected: str) -> None:
    assert percent(x, digits, lang) == expected


@pytest.mark.parametrize(
    ("x", "kwargs"),
    [
        (float("nan"), {}),
        (float("inf"), {}),
        (Decimal("NaN"), {}),
        (0.5, {"digits": -1}),
        (0.5, {"lang": "de"}),
    ],
)
def test_percent_rejects(x: float | Decimal, kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        percent(x, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("code", "lang", "expected"),
    [
        ("male", "zh", "男"),
        ("female", "zh", "女"),
        ("男", "zh", "男"),
        ("女", "en", "female"),
        ("M", "en", "male"),
        ("f", "zh", "女"),
        (" Female ", "en", "female"),
        ("MALE", "en", "male"),
        (None, "zh", ""),
        ("", "en", ""),
    ],
)
def test_sex_label(code: str | None, lang: str, expected: str) -> None:
    assert sex_label(code, lang) == expected


@pytest.mark.parametrize(("code", "lang"), [("x", "zh"), ("1", "zh"), ("man", "en"), ("male", "fr")])
def test_sex_label_rejects(code: str, lang: str) -> None:
    with pytest.raises(ValueError):
        sex_label(code, lang)


@pytest.mark.parametrize(
    ("n", "lang", "expected"),
    [
        (0, "zh", "0"),
        (120, "zh", "120"),
        (1200, "zh", "1200"),
        (1200, "en", "1,200"),
        (999, "en", "999"),
        (1234567, "en", "1,234,567"),
        (None, "zh", "—"),
    ],
)
def test_cn_count(n: int | None, lang: str, expected: str) -> None:
    assert cn_count(n, lang) == expected


@pytest.mark.parametrize(("n", "error"), [(-1, ValueError), (1.5, TypeError), (False, TypeError)])
def test_cn_count_rejects(n: object, error: type[Exception]) -> None:
    with pytest.raises(error):
        cn_count(n)  # type: ignore[arg-type]


def test_filters_maps_each_name_to_its_function() -> None:
    assert all(getattr(filters, name) is func for name, func in FILTERS.items())
    assert {"cn_date", "cn_numeral", "heading_number", "mask_id", "percent", "term_label"} <= set(FILTERS)


TEMPLATE = (
    "{{ day | cn_date }}|{{ day | cn_date('chinese') }}|{{ at | cn_datetime }}"
    "|{{ '8:00' | cn_time_range('17:00') }}"
    "|{{ 12 | term_label }}|{{ 2 | heading_number(1) }}|{{ ratio | percent }}|{{ 'F' | sex_label }}"
    "|{{ 1200 | cn_count }}|{{ 120 | cn_numeral }}|{{ id | mask_id }}|{{ day | cn_month }}"
)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "zh",
            "2026年11月21日|二〇二六年十一月二十一日|2026年11月21日 8:00|8:00—17:00|第十二届|（一）|85.3%|女"
            "|1200|一百二十|110105********002X|2026.11",
        ),
        (
            "en",
            "21 November 2026|21 November 2026|21 November 2026, 8:00|8:00–17:00|12th|A.|85.3%|female"
            "|1,200|一百二十|110105********002X|2026-11",
        ),
    ],
)
def test_install_binds_language_in_a_sandbox(lang: str, expected: str) -> None:
    env = SandboxedEnvironment(autoescape=True)
    install(env, lang)
    context = {
        "day": date(2026, 11, 21),
        "at": datetime(2026, 11, 21, 8, 0),
        "ratio": 0.853,
        "id": "11010519491231002X",
    }
    assert env.from_string(TEMPLATE).render(context) == expected


def test_installed_filter_can_still_ask_for_the_other_language() -> None:
    env = SandboxedEnvironment()
    install(env, "zh")
    assert env.from_string("{{ d | cn_date(lang='en') }}").render(d=date(2024, 2, 29)) == "29 February 2024"


def test_install_rejects_unknown_language() -> None:
    env = SandboxedEnvironment()
    with pytest.raises(ValueError):
        install(env, "fr")
    assert not set(FILTERS) & set(env.filters)
