"""table.team-structure — 两委班子结构统计表: the make-up of each village's two committees, against the last term.

Every number comes from service/domain/statistics.py; this module only decides whom each statistic is taken
over: a village's "两委" members are the Party committee plus the villagers' committee, each person counted
once (someone on both committees holds posts on both: 交叉任职).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, model_validator

from ... import i18n
from ...checks import Problems
from ...domain import idcard, statistics
from ...filters import cn_date
from ..base import KindModel
from ..fields import IdNumber, Name, OptionalText, Sex, Signature, Strict, Text, YesNo
from ..results_common import Township

_ALIASES = {"书记": "secretary", "副书记": "deputy_secretary", "主任": "director", "副主任": "deputy_director",
            "委员": "member"}


def _post_alias(value: object) -> object:
    return _ALIASES.get(value.strip(), value) if isinstance(value, str) else value


Post = Annotated[Literal["secretary", "deputy_secretary", "director", "deputy_director", "member"],
                 BeforeValidator(_post_alias)]
PARTY_POSTS = ("secretary", "deputy_secretary", "member")
COMMITTEE_POSTS = ("director", "deputy_director", "member")
# Education at 大专 or above: the share county reports quote (the first three of statistics.EDUCATION_BANDS).
HIGHER_EDUCATION = statistics.EDUCATION_BANDS[:3]
# Column widths in mm (landscape, 267 mm): 序号, 村, 4 member counts, 一肩挑, 3 ages, 4 age bands, women (2),
# Party members, 5 education bands. The HTML reads them; the Word builder repeats them.
WIDTHS = (8, 18, 11, 11, 11, 11, 14, 11, 11, 11, 12, 12, 12, 12, 10, 12, 13, 13.4, 13.4, 13.4, 13.4, 13.4)
# Notes formatted here (tests/test_statistics_documents.py checks their English).
UNKNOWN_AGE = "%(village)s%(term)s有%(n)s人没有公民身份号码或出生日期，年龄不详，未计入年龄统计。"
UNKNOWN_EDUCATION = "%(village)s%(term)s有%(n)s人文化程度不详或无法归类，未计入文化程度统计。"
NOT_COMPARED = "%(villages)s没有上届数据，与上届的比较只含其余%(n)s个村。"
THIS_TERM, LAST_TERM = "本届", "上届"
MESSAGES = (UNKNOWN_AGE, UNKNOWN_EDUCATION, NOT_COMPARED, THIS_TERM, LAST_TERM)


class Member(Strict):
    """One member of a committee; age from the ID number or birth date, sex from either field."""

    name: Name
    post: Post = Field(description="职务：书记 / 副书记 / 主任 / 副主任 / 委员")
    sex: Sex | None = None
    id_number: IdNumber | None = Field(None, description="公民身份号码（不印出；用来算年龄、认出交叉任职的同一人）")
    birth_date: date | None = Field(None, description="出生日期（没有身份号码时）")
    education: OptionalText = Field("", max_length=20, description="文化程度，如：大专、高中、初中")
    political_status: OptionalText = Field("", max_length=20, description="政治面貌，如：中共党员、群众")
    party_member: YesNo | None = Field(None, description="是否中共党员（不填时看政治面貌）")

    @model_validator(mode="after")
    def _identity(self) -> Member:
        problems = Problems()
        if self.id_number and self.sex and self.sex != idcard.sex(self.id_number):
            problems.add(("sex",), "sex_mismatch", "sex does not match the ID number", "性别与公民身份号码不符",
                         self.sex)
        if self.id_number and self.birth_date and self.birth_date != idcard.birth_date(self.id_number):
            problems.add(("birth_date",), "birth_mismatch", "birth date does not match the ID number",
                         "出生日期与公民身份号码不符", self.birth_date.isoformat())
        problems.raise_if_any("Member")
        return self


class Team(Strict):
    """A term's two committees: the village Party organisation's committee and the villagers' committee."""

    party_committee: list[Member] = Field(default_factory=list, max_length=15, description="村党组织委员会")
    villagers_committee: list[Member] = Field(min_length=1, max_length=15, description="村民委员会")

    @model_validator(mode="after")
    def _posts(self) -> Team:
        problems = Problems()
        for field, allowed, chair in (("party_committee", PARTY_POSTS, "secretary"),
                                      ("villagers_committee", COMMITTEE_POSTS, "director")):
            people: list[Member] = getattr(self, field)
            for i, person in enumerate(people):
                if person.post not in allowed:
                    problems.add((field, i, "post"), "post_not_in_committee",
                                 f"this committee has no post {person.post}", "该委员会不设此职务", person.post)
            chairs = [i for i, person in enumerate(people) if person.post == chair]
            for i in chairs[1:]:
                problems.add((field, i, "post"), "two_chairs", f"only one {chair} per committee",
                             "书记或主任只能有一名", chair)
        problems.raise_if_any("Team")
        return self


class VillageTeams(Strict):
    """One village: this term's committees and, for the comparison, the last term's."""

    village: Text = Field(description="村（社区）名称")
    current: Team
    previous: Team | None = Field(None, description="上届两委（不填则该村不作比较）")


def _people(team: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The committees' members, each person once (Party committee first), and the cross-holding statistic."""
    party = [p | {"party_member": True if p["party_member"] is None and not p["political_status"]
                  else p["party_member"]} for p in team["party_committee"]]
    villagers = team["villagers_committee"]
    cross = statistics.cross_holding(party, villagers)
    # One person on both committees is counted once: statistics.cross_holding matches by ID number, else name.
    only_villagers = [v for v in villagers if not statistics.cross_holding(party, [v])["count"]]
    return party + only_villagers, cross


def team_statistics(team: dict[str, Any], on: date, bands: statistics.AgeBands) -> dict[str, Any]:
    """Members, cross-holding, 一肩挑, average age, age and education bands, women and Party members."""
    members, cross = _people(team)
    secretary = next((p for p in team["party_committee"] if p["post"] == "secretary"), None)
    director = next((p for p in team["villagers_committee"] if p["post"] == "director"), None)
    education = statistics.education_bands(members)
    higher = sum(row["count"] for row in education["bands"] if row["band"] in HIGHER_EDUCATION)
    return {
        "members": members,
        "count": len(members),
        "party_committee": len(team["party_committee"]),
        "villagers_committee": len(team["villagers_committee"]),
        "cross_holding": cross["count"],
        "cross_names": cross["people"],
        "one_shoulder": statistics.secretary_also_director(secretary, director),
        "secretary": secretary,
        "director": director,
        "average_age": statistics.average_age(members, on),
        "age_bands": statistics.age_bands(members, on, bands),
        "women": statistics.share_of_women(members),
        "party_members": statistics.share_of_party_members(members),
        "education": education,
        "higher_education": {"count": higher, "total": education["known"],
                             "ratio": Fraction(higher, education["known"]) if education["known"] else None},
    }


def signed(value: Decimal | int | None) -> str:
    """A change with its sign: +1.5, -2.3, 0."""
    if value is None:
        return "—"
    if not value:
        return str(value)
    return f"{value:+}"


class TeamStructureTable(KindModel):
    """Per village and for the township: size, age, women, education, Party members, 交叉任职, 一肩挑."""

    kind_id = "table.team-structure"
    title_zh = "两委班子结构统计表"
    title_en = "Structure of the Village Committees"
    landscape = True

    place: Township
    term: int = Field(ge=1, le=99, description="本届届次（第N届）")
    election_day: date = Field(description="本届选举日（年龄按此日计算）")
    previous_election_day: date | None = Field(None, description="上届选举日（上届年龄按此日计算）")
    # Three bounds make the four age columns the table has room for.
    age_bands: list[int] = Field([35, 45, 55], min_length=3, max_length=3,
                                 description="年龄段上限（含）：35、45、55 即35岁及以下、36-45岁、46-55岁、56岁及以上")
    villages: list[VillageTeams] = Field(min_length=1, max_length=200)
    compiled_by: OptionalText = Field("", description="制表人")
    checked_by: OptionalText = Field("", description="审核人")
    signature: Signature

    @model_validator(mode="after")
    def _consistent(self) -> TeamStructureTable:
        problems = Problems()
        if self.age_bands != sorted(set(self.age_bands)):
            problems.add(("age_bands",), "bands_not_increasing", "age bands must be strictly increasing",
                         "年龄段上限应从小到大且不重复", self.age_bands)
        has_previous = [i for i, v in enumerate(self.villages) if v.previous is not None]
        if has_previous and self.previous_election_day is None:
            problems.add(("previous_election_day",), "previous_day_missing",
                         "the last term's election day is needed to compare ages", "与上届比较年龄须填写上届选举日")
        if self.previous_election_day and self.previous_election_day >= self.election_day:
            problems.add(("previous_election_day",), "previous_after_current",
                         "the last term's election day must come before this term's", "上届选举日应早于本届选举日",
                         self.previous_election_day.isoformat())
        seen: set[str] = set()
        for i, village in enumerate(self.villages):
            if village.village in seen:
                problems.add(("villages", i, "village"), "duplicate_village", "this village is listed twice",
                             "村（社区）重复填写", village.village)
            seen.add(village.village)
            self._check_born(problems, i, village)
        if self.signature.date < self.election_day:
            problems.add(("signature", "date"), "signed_before_election",
                         f"the table is dated before election day ({cn_date(self.election_day, lang='en')})",
                         f"落款日期早于选举日（{cn_date(self.election_day)}）", self.signature.date.isoformat())
        problems.raise_if_any("TeamStructureTable")
        return self

    def _check_born(self, problems: Problems, i: int, village: VillageTeams) -> None:
        terms = (("current", village.current, self.election_day), ("previous", village.previous,
                                                                    self.previous_election_day))
        for term, team, day in terms:
            if team is None or day is None:
                continue
            for field in ("party_committee", "villagers_committee"):
                for j, person in enumerate(getattr(team, field)):
                    born = person.birth_date or (idcard.birth_date(person.id_number) if person.id_number else None)
                    if born is not None and born > day:
                        problems.add(("villages", i, term, field, j), "born_after_election",
                                     "born after that term's election day", "出生日期晚于该届选举日",
                                     born.isoformat())

    def context(self) -> dict[str, Any]:
        """Each village's statistics this term and last, the township's, and the comparison rows."""
        ctx = super().context()
        bands = statistics.AgeBands(tuple(self.age_bands))
        previous_day = self.previous_election_day
        rows, notes = [], []
        for n, village in enumerate(ctx["villages"], start=1):
            now = team_statistics(village["current"], self.election_day, bands)
            before = None
            if village["previous"] is not None and previous_day is not None:
                before = team_statistics(village["previous"], previous_day, bands)
            change = (statistics.average_age_change(now["members"], self.election_day, before["members"],
                                                    previous_day) if before and previous_day else None)
            rows.append({"no": n, "village": village["village"], "now": now, "before": before,
                         "age_change": signed(change["change_display"]) if change else "—"})
            notes += _unknowns(village["village"], now, THIS_TERM)
            notes += _unknowns(village["village"], before, LAST_TERM) if before else []
        township = _township([r["now"] for r in rows], self.election_day, bands)
        # The comparison with the last term covers only the villages that have both terms.
        compared = [r for r in rows if r["before"]]
        missing = [r["village"] for r in rows if not r["before"]]
        comparison, age_change = [], "—"
        if compared and previous_day:
            now_part = _township([r["now"] for r in compared], self.election_day, bands)
            before_part = _township([r["before"] for r in compared], previous_day, bands)
            comparison = _comparison(now_part, before_part)
            change = statistics.average_age_change(
                [m for r in compared for m in r["now"]["members"]], self.election_day,
                [m for r in compared for m in r["before"]["members"]], previous_day)
            age_change = signed(change["change_display"])
            comparison.insert(1, {"key": "average_age", "change": age_change,
                                  "now": {"count": change["current"]["display"], "ratio": None},
                                  "before": {"count": change["previous"]["display"], "ratio": None}})
            if missing:
                notes.append({lang: i18n.gettext(NOT_COMPARED, lang) % {
                    "villages": i18n.gettext("、", lang).join(missing), "n": len(compared)} for lang in i18n.LANGS})
        ctx.update(
            rows=rows,
            widths=WIDTHS,
            band_labels=bands.labels(),
            education_bands=list(statistics.EDUCATION_BANDS),
            township=township,
            comparison=comparison,
            age_change=age_change,
            compared=len(compared),
            notes=notes,
        )
        return ctx


def _unknowns(village: str, stats: dict[str, Any], term: str) -> list[dict[str, str]]:
    out = []
    if stats["average_age"]["unknown"]:
        out.append(_note(UNKNOWN_AGE, village, term, stats["average_age"]["unknown"]))
    if stats["education"]["unknown"]:
        out.append(_note(UNKNOWN_EDUCATION, village, term, stats["education"]["unknown"]))
    return out


def _note(message: str, village: str, term: str, n: int) -> dict[str, str]:
    return {lang: i18n.gettext(message, lang) % {"village": village, "term": i18n.gettext(term, lang), "n": n}
            for lang in i18n.LANGS}


def _township(teams: list[dict[str, Any]], on: date, bands: statistics.AgeBands) -> dict[str, Any]:
    """The statistics over every member of the given villages' teams, with their cross-holding and 一肩挑."""
    members = [m for team in teams for m in team["members"]]
    education = statistics.education_bands(members)
    higher = sum(row["count"] for row in education["bands"] if row["band"] in HIGHER_EDUCATION)
    shoulders = [{"name": i, "secretary": t["secretary"], "director": t["director"]} for i, t in enumerate(teams)]
    return {
        "count": len(members),
        "party_committee": sum(t["party_committee"] for t in teams),
        "villagers_committee": sum(t["villagers_committee"] for t in teams),
        "cross_holding": sum(t["cross_holding"] for t in teams),
        "average_age": statistics.average_age(members, on),
        "age_bands": statistics.age_bands(members, on, bands),
        "women": statistics.share_of_women(members),
        "party_members": statistics.share_of_party_members(members),
        "education": education,
        "higher_education": {"count": higher, "total": education["known"],
                             "ratio": Fraction(higher, education["known"]) if education["known"] else None},
        "one_shoulder": statistics.one_shoulder_summary(shoulders),
    }


def _comparison(now: dict[str, Any], before: dict[str, Any] | None) -> list[dict[str, Any]]:
    """This term against the last for the township: value, share where there is one, and the change."""

    def row(key: str, get: Any) -> dict[str, Any]:
        a = get(now)
        b = get(before) if before else None
        return {"key": key, "now": a, "before": b,
                "change": signed(a["count"] - b["count"]) if b is not None else "—"}

    young = 0  # the first band (35 and under by default): the "young cadres" county reports count
    return [
        row("members", lambda t: {"count": t["count"], "ratio": None}),
        row("young", lambda t: t["age_bands"]["bands"][young]),
        row("women", lambda t: t["women"]),
        row("party_members", lambda t: t["party_members"]),
        row("higher_education", lambda t: t["higher_education"]),
        row("cross_holding", lambda t: {"count": t["cross_holding"], "ratio": None}),
        row("one_shoulder", lambda t: t["one_shoulder"]),
    ]
