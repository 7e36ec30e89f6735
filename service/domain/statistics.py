"""Statistics on committee members: age, age and education bands, women, Party members, cross-holding, 一肩挑.

People are plain dicts or objects with any of: name, id_number, birth_date, sex, education, party_member,
political_status. Counts are ints, ratios are exact Fractions; `percent` fields are Decimals rounded half-up
to one place, for display only. People whose data is missing are counted as unknown, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from service.domain import idcard


@dataclass(frozen=True)
class Member:
    """A committee member as the statistics read them; plain dicts with the same keys work too."""

    name: str
    id_number: str | None = None
    birth_date: date | None = None
    sex: str | None = None
    education: str | None = None
    party_member: bool | None = None
    political_status: str | None = None


def _get(person: Any, key: str) -> Any:
    if isinstance(person, Mapping):
        return person.get(key)
    return getattr(person, key, None)


def display(value: Fraction, places: int = 1) -> Decimal:
    """Round half-up for display (Python's round() would round 62.25 to 62.2)."""
    exponent = Decimal(1).scaleb(-places)
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(exponent, rounding=ROUND_HALF_UP)


def _share(count: int, total: int) -> dict[str, Any]:
    ratio = Fraction(count, total) if total else None
    return {
        "count": count,
        "total": total,
        "ratio": ratio,
        "percent": display(ratio * 100) if ratio is not None else None,
    }


# --- age -------------------------------------------------------------------------------------------------


def age_on(on: date, *, id_number: str | None = None, birth_date: date | None = None) -> int:
    """Completed years (周岁) on `on`; a birthday counts on the day itself, 29 February on 1 March."""
    from_id = idcard.birth_date(idcard.validate(id_number)) if id_number else None
    if from_id and birth_date and from_id != birth_date:
        raise ValueError("the birth date does not match the ID number")
    born = birth_date or from_id
    if born is None:
        raise ValueError("an ID number or a birth date is needed")
    if born > on:
        raise ValueError("born after the reference date")
    # Comparing (month, day) tuples makes someone born on 29 Feb one year older on 1 Mar in common years.
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def person_age(person: Any, on: date) -> int | None:
    """A person's age on `on`, or None when neither an ID number nor a birth date is known."""
    id_number, born = _get(person, "id_number"), _get(person, "birth_date")
    if not id_number and not born:
        return None
    return age_on(on, id_number=id_number, birth_date=born)


@dataclass(frozen=True)
class AgeBands:
    """Age bands given by their inclusive upper bounds; the last band is open-ended."""

    upper_bounds: tuple[int, ...] = (35, 45, 55)

    def __post_init__(self) -> None:
        if not self.upper_bounds or list(self.upper_bounds) != sorted(set(self.upper_bounds)):
            raise ValueError("upper bounds must be strictly increasing")

    def ranges(self) -> list[tuple[int | None, int | None]]:
        """(lowest, highest) of each band, None where open."""
        lows: list[int | None] = [None, *(b + 1 for b in self.upper_bounds)]
        highs: list[int | None] = [*self.upper_bounds, None]
        return list(zip(lows, highs, strict=True))

    def labels(self) -> list[dict[str, str]]:
        """Labels as county reports print them: 35岁及以下, 36-45岁, …, 56岁及以上."""
        out = []
        for low, high in self.ranges():
            if low is None:
                out.append({"zh": f"{high}岁及以下", "en": f"{high} and under"})
            elif high is None:
                out.append({"zh": f"{low}岁及以上", "en": f"{low} and over"})
            else:
                out.append({"zh": f"{low}-{high}岁", "en": f"{low}–{high}"})
        return out

    def index(self, age: int) -> int:
        """The band an age falls in."""
        return next((i for i, bound in enumerate(self.upper_bounds) if age <= bound), len(self.upper_bounds))


# 35 marks "young cadres" in the 村两委 reports; 45 and 55 split the rest in ten-year steps.
DEFAULT_AGE_BANDS = AgeBands((35, 45, 55))


def age_bands(people: Iterable[Any], on: date, bands: AgeBands = DEFAULT_AGE_BANDS) -> dict[str, Any]:
    """Count people per age band on `on`; shares are of the people whose age is known."""
    ages = [person_age(p, on) for p in people]
    known = [a for a in ages if a is not None]
    counts = [0] * (len(bands.upper_bounds) + 1)
    for age in known:
        counts[bands.index(age)] += 1
    rows = [
        {"label": label, "min": low, "max": high} | _share(count, len(known))
        for label, (low, high), count in zip(bands.labels(), bands.ranges(), counts, strict=True)
    ]
    return {"on": on, "bands": rows, "known": len(known), "unknown": len(ages) - len(known)}


def average_age(people: Iterable[Any], on: date) -> dict[str, Any]:
    """Mean age on `on` of those whose age is known, exact, with a one-place display value."""
    ages = [person_age(p, on) for p in people]
    known = [a for a in ages if a is not None]
    mean = Fraction(sum(known), len(known)) if known else None
    return {
        "on": on,
        "count": len(known),
        "unknown": len(ages) - len(known),
        "mean": mean,
        "display": display(mean) if mean is not None else None,
    }


def average_age_change(
    current: Iterable[Any], current_on: date, previous: Iterable[Any], previous_on: date
) -> dict[str, Any]:
    """Average age of this term (on its election day) against the last term (on its own election day)."""
    now, before = average_age(current, current_on), average_age(previous, previous_on)
    change = now["mean"] - before["mean"] if now["mean"] is not None and before["mean"] is not None else None
    return {
        "current": now,
        "previous": before,
        "change": change,
        "change_display": display(change) if change is not None else None,
    }


# --- education -------------------------------------------------------------------------------------------

EDUCATION_BANDS = ("研究生", "大学本科", "大专", "高中/中专", "初中及以下")
# Checked in this order: 大学专科 must reach 大专 before 大学 can claim it for 本科.
_EDUCATION_PATTERNS = (
    ("研究生", re.compile(r"研究生|硕士|博士")),
    ("大专", re.compile(r"大专|专科|高职|高等职业")),
    ("大学本科", re.compile(r"本科|大学|学士")),
    ("高中/中专", re.compile(r"高中|中专|职高|技校|技工|中技|中职|中等专业|中师")),
    ("初中及以下", re.compile(r"初中|小学|文盲|半文盲|识字|无学历|^无$")),
)


def education_band(value: str | None) -> str | None:
    """The band of a written education level (硕士 → 研究生, 大学专科 → 大专, 中专 → 高中/中专), or None."""
    if not value:
        return None
    text = re.sub(r"\s+", "", value).replace("（", "(").replace("）", ")")
    return next((band for band, pattern in _EDUCATION_PATTERNS if pattern.search(text)), None)


def education_bands(people: Iterable[Any]) -> dict[str, Any]:
    """Count people per education band; shares are of the people whose band is known."""
    values = [_get(p, "education") for p in people]
    bands = [education_band(v) for v in values]
    known = [b for b in bands if b is not None]
    rows = [{"band": band} | _share(known.count(band), len(known)) for band in EDUCATION_BANDS]
    unrecognised = sorted({v for v, b in zip(values, bands, strict=True) if v and b is None})
    return {
        "bands": rows,
        "known": len(known),
        "unknown": len(values) - len(known),
        "unrecognised": unrecognised,
    }


# --- women and Party members -----------------------------------------------------------------------------


def person_sex(person: Any) -> str | None:
    """'female' / 'male' from the sex field (女/男 accepted) or else from the ID number; None if unknown."""
    value = _get(person, "sex")
    if isinstance(value, str) and value.strip().lower() in ("女", "female", "f"):
        return "female"
    if isinstance(value, str) and value.strip().lower() in ("男", "male", "m"):
        return "male"
    id_number = _get(person, "id_number")
    return idcard.sex(idcard.validate(id_number)) if id_number else None


def share_of_women(people: Sequence[Any]) -> dict[str, Any]:
    """Women among all people (unknown sex counts in the total and is listed, so the share is a floor)."""
    sexes = [person_sex(p) for p in people]
    return _share(sexes.count("female"), len(sexes)) | {"unknown": sexes.count(None)}


def is_party_member(person: Any) -> bool | None:
    """True for 中共党员 and 中共预备党员 (probationary members are members), else False; None if unknown."""
    flag = _get(person, "party_member")
    if isinstance(flag, bool):
        return flag
    status = _get(person, "political_status")
    if not status:
        return None
    # Whole-string match: 民革党员 and other parties' members are not members of the CPC.
    return re.fullmatch(r"(中共|中国共产党|共产)?(预备)?党员", re.sub(r"\s+", "", status)) is not None


def share_of_party_members(people: Sequence[Any]) -> dict[str, Any]:
    """Party members among all people (unknown status counts in the total and is listed)."""
    flags = [is_party_member(p) for p in people]
    return _share(flags.count(True), len(flags)) | {"unknown": flags.count(None)}


# --- cross-holding and 一肩挑 -------------------------------------------------------------------------------


def _identity(person: Any) -> str:
    # The ID number identifies a person; two namesakes in one village are common enough to matter.
    id_number = _get(person, "id_number")
    return f"id:{idcard.validate(id_number)}" if id_number else f"name:{_get(person, 'name')}"


def cross_holding(party_committee: Sequence[Any], villagers_committee: Sequence[Any]) -> dict[str, Any]:
    """People on both the Party organisation's committee and the villagers' committee (交叉任职)."""
    party_ids = {_identity(p) for p in party_committee}
    both = [p for p in villagers_committee if _identity(p) in party_ids]
    return {
        "people": [_get(p, "name") for p in both],
        "count": len(both),
        "of_villagers_committee": _share(len(both), len(villagers_committee)),
        "of_party_committee": _share(len(both), len(party_committee)),
    }


def secretary_also_director(secretary: Any, director: Any) -> bool:
    """Whether the Party secretary is also the villagers' committee director (一肩挑)."""
    if secretary is None or director is None:
        return False
    return _identity(secretary) == _identity(director)


def one_shoulder_summary(villages: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Across villages (each with `name`, `secretary`, `director`): how many have 一肩挑, and which do not."""
    rows = list(villages)
    yes = [v.get("name") for v in rows if secretary_also_director(v.get("secretary"), v.get("director"))]
    no = [v.get("name") for v in rows if v.get("name") not in yes]
    return _share(len(yes), len(rows)) | {"villages": yes, "without": no}
