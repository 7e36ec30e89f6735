"""Member statistics: hand-computed ages, bands, shares, cross-holding and 一肩挑."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from service.domain import idcard
from service.domain.statistics import (
    AgeBands,
    Member,
    age_bands,
    age_on,
    average_age,
    average_age_change,
    cross_holding,
    display,
    education_band,
    education_bands,
    is_party_member,
    one_shoulder_summary,
    secretary_also_director,
    share_of_party_members,
    share_of_women,
)

BORN_1985_WOMAN = idcard.make("11010519850315002")  # born 15 March 1985; 17th digit even: female
BORN_1980_MAN = idcard.make("11010519800101001")


# --- age ------------------------------------------------------------------------------------------------


def test_age_from_id_number_turns_on_the_birthday() -> None:
    assert age_on(date(2025, 3, 14), id_number=BORN_1985_WOMAN) == 39  # the day before the 40th birthday
    assert age_on(date(2025, 3, 15), id_number=BORN_1985_WOMAN) == 40  # the birthday itself counts


def test_age_from_birth_date_on_29_february() -> None:
    born = date(2000, 2, 29)
    assert age_on(date(2021, 2, 28), birth_date=born) == 20  # no 29 Feb in 2021: not yet 21
    assert age_on(date(2021, 3, 1), birth_date=born) == 21
    assert age_on(date(2024, 2, 29), birth_date=born) == 24


def test_age_errors() -> None:
    with pytest.raises(ValueError, match="does not match"):
        age_on(date(2025, 1, 1), id_number=BORN_1985_WOMAN, birth_date=date(1985, 3, 16))
    with pytest.raises(ValueError, match="after"):
        age_on(date(1980, 1, 1), birth_date=date(1985, 3, 15))
    with pytest.raises(ValueError, match="needed"):
        age_on(date(2025, 1, 1))
    with pytest.raises(idcard.IdNumberError):
        age_on(date(2025, 1, 1), id_number="110105198503150020")


# Ages on 1 January 2025: 35, 36, 45, 46, 56 (each born on 1 June), plus one person with no birth data.
ON = date(2025, 1, 1)
PEOPLE = [
    {"name": "甲", "birth_date": date(1989, 6, 1)},  # 35
    {"name": "乙", "birth_date": date(1988, 6, 1)},  # 36
    Member(name="丙", birth_date=date(1979, 6, 1)),  # 45
    Member(name="丁", birth_date=date(1978, 6, 1)),  # 46
    {"name": "戊", "birth_date": date(1968, 6, 1)},  # 56
    {"name": "己"},
]


def test_default_age_bands_split_at_35_45_55() -> None:
    result = age_bands(PEOPLE, ON)
    assert [row["label"]["zh"] for row in result["bands"]] == [
        "35岁及以下",
        "36-45岁",
        "46-55岁",
        "56岁及以上",
    ]
    # 35 → first band; 36 and 45 → second; 46 → third; 56 → fourth.
    assert [row["count"] for row in result["bands"]] == [1, 2, 1, 1]
    assert (result["known"], result["unknown"]) == (5, 1)
    assert result["bands"][1]["ratio"] == Fraction(2, 5) and result["bands"][1]["percent"] == Decimal("40.0")


def test_configurable_age_bands() -> None:
    bands = AgeBands((40, 60))
    result = age_bands(PEOPLE, ON, bands)
    assert [row["label"]["zh"] for row in result["bands"]] == ["40岁及以下", "41-60岁", "61岁及以上"]
    assert [row["count"] for row in result["bands"]] == [2, 3, 0]  # 35, 36 | 45, 46, 56 | —
    with pytest.raises(ValueError):
        AgeBands((45, 35))


def test_average_age_and_change_from_previous_term() -> None:
    # This term on 1 Jan 2025: (35 + 36 + 45 + 46 + 56) / 5 = 218 / 5 = 43.6
    now = average_age(PEOPLE, ON)
    assert now["mean"] == Fraction(218, 5) and now["display"] == Decimal("43.6") and now["unknown"] == 1
    # Last term on 1 Jan 2020: born 1970, 1960, 1975 (1 June) → 49, 59, 44 → 152 / 3 = 50.666… → 50.7
    previous = [
        {"name": n, "birth_date": date(y, 6, 1)} for n, y in (("子", 1970), ("丑", 1960), ("寅", 1975))
    ]
    change = average_age_change(PEOPLE, ON, previous, date(2020, 1, 1))
    assert change["previous"]["display"] == Decimal("50.7")
    # 218/5 − 152/3 = 654/15 − 760/15 = −106/15 = −7.0666… → −7.1 (younger by 7.1 years)
    assert change["change"] == Fraction(-106, 15) and change["change_display"] == Decimal("-7.1")


def test_average_age_of_nobody() -> None:
    assert average_age([{"name": "甲"}], ON)["mean"] is None
    assert average_age_change([], ON, PEOPLE, ON)["change"] is None


def test_display_rounds_half_up() -> None:
    assert display(Fraction(6225, 100)) == Decimal("62.3")  # round() would give 62.2 (banker's rounding)
    assert display(Fraction(1, 3) * 100) == Decimal("33.3")
    assert display(Fraction(2, 3) * 100, places=2) == Decimal("66.67")


# --- education ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "band"),
    [
        ("研究生", "研究生"),
        ("硕士研究生", "研究生"),
        ("博士", "研究生"),
        ("在职硕士", "研究生"),
        ("大学本科", "大学本科"),
        ("本科", "大学本科"),
        ("大学", "大学本科"),
        ("大学专科", "大专"),
        ("大专", "大专"),
        ("党校大专", "大专"),
        ("高职", "大专"),
        ("高中", "高中/中专"),
        ("中专", "高中/中专"),
        (" 高 中 ", "高中/中专"),
        ("技校", "高中/中专"),
        ("职高", "高中/中专"),
        ("初中", "初中及以下"),
        ("小学", "初中及以下"),
        ("初中及以下", "初中及以下"),
        ("不详", None),
        ("", None),
        (None, None),
    ],
)
def test_education_band_normalises_variants(text: str | None, band: str | None) -> None:
    assert education_band(text) == band


def test_education_bands_count_and_share() -> None:
    people = [{"education": e} for e in ("硕士", "本科", "大学专科", "大专", "中专", "初中", "不详")] + [{}]
    result = education_bands(people)
    counts = {row["band"]: row["count"] for row in result["bands"]}
    assert counts == {"研究生": 1, "大学本科": 1, "大专": 2, "高中/中专": 1, "初中及以下": 1}
    assert (result["known"], result["unknown"], result["unrecognised"]) == (6, 2, ["不详"])
    dazhuan = next(row for row in result["bands"] if row["band"] == "大专")
    assert dazhuan["ratio"] == Fraction(1, 3) and dazhuan["percent"] == Decimal("33.3")  # 2 of 6 known


# --- women and Party members ----------------------------------------------------------------------------


def test_share_of_women_uses_sex_or_id_number() -> None:
    # 女, 男, male, woman by ID, unknown → 2 women of 5 = 40.0%; the unknown one is listed, not guessed.
    people = [{"sex": "女"}, {"sex": "男"}, Member(name="丙", sex="male"), {"id_number": BORN_1985_WOMAN}, {}]
    share = share_of_women(people)
    assert (share["count"], share["total"], share["unknown"]) == (2, 5, 1)
    assert share["percent"] == Decimal("40.0")
    assert share_of_women([])["ratio"] is None


def test_share_of_party_members() -> None:
    # Members: flag True, 中共党员, 中共预备党员 → 3 of 7 = 42.857… → 42.9%.
    people = [
        {"party_member": True},
        {"political_status": "中共党员"},
        {"political_status": "中共预备党员"},
        {"political_status": "群众"},
        {"political_status": "共青团员"},
        {"political_status": "民革党员"},
        {},
    ]
    share = share_of_party_members(people)
    assert (share["count"], share["total"], share["unknown"]) == (3, 7, 1)
    assert share["percent"] == Decimal("42.9")
    assert is_party_member({"party_member": False, "political_status": "中共党员"}) is False  # the flag wins


# --- cross-holding and 一肩挑 ------------------------------------------------------------------------


def test_cross_holding_by_id_number_then_name() -> None:
    party = [{"name": "张伟", "id_number": BORN_1980_MAN}, {"name": "李娜"}, {"name": "王芳"}]
    village = [
        {"name": "张伟", "id_number": BORN_1980_MAN},
        {"name": "李娜"},
        {"name": "赵磊"},
        {"name": "钱军"},
        {"name": "孙丽"},
    ]
    result = cross_holding(party, village)
    # 张伟 matches by ID number, 李娜 by name: 2 of the 5 villagers' committee members, 2 of the 3 on the
    # Party committee.
    assert result["people"] == ["张伟", "李娜"] and result["count"] == 2
    assert result["of_villagers_committee"]["percent"] == Decimal("40.0")
    assert result["of_party_committee"]["ratio"] == Fraction(2, 3)
    assert result["of_party_committee"]["percent"] == Decimal("66.7")


def test_namesakes_with_different_id_numbers_are_different_people() -> None:
    party = [{"name": "王伟", "id_number": BORN_1980_MAN}]
    village = [{"name": "王伟", "id_number": BORN_1985_WOMAN}]
    assert cross_holding(party, village)["count"] == 0


def test_secretary_also_director() -> None:
    secretary = {"name": "张伟", "id_number": BORN_1980_MAN}
    assert secretary_also_director(secretary, {"name": "张伟", "id_number": BORN_1980_MAN}) is True
    assert secretary_also_director(secretary, {"name": "李娜"}) is False
    assert secretary_also_director(secretary, None) is False


def test_one_shoulder_summary() -> None:
    villages = [
        {
            "name": "东村",
            "secretary": {"name": "张伟", "id_number": BORN_1980_MAN},
            "director": {"name": "张伟", "id_number": BORN_1980_MAN},
        },
        {"name": "西村", "secretary": {"name": "李娜"}, "director": {"name": "赵磊"}},
        {"name": "南村", "secretary": {"name": "王芳"}},  # director post vacant
    ]
    result = one_shoulder_summary(villages)
    # 1 of 3 villages → 33.3%
    assert (result["count"], result["total"], result["percent"]) == (1, 3, Decimal("33.3"))
    assert result["villages"] == ["东村"] and result["without"] == ["西村", "南村"]
