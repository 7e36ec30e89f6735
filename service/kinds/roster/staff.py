"""roster.staff — 选举工作人员名单: scrutineers, counters, callers and ballot writers, duty by duty."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, model_validator

from ..base import KindModel
from ..fields import Name, OptionalText, Place, Signature, Strict, Text
from .common import Problems, both_languages, rows_for

# Duties in the order the list prints them, with their Chinese names (the templates carry the same).
DUTIES = {"chief_scrutineer": "总监票人", "scrutineer": "监票人", "counter": "计票人", "caller": "唱票人",
          "proxy_writer": "代书人"}
SCRUTINEERS = ("chief_scrutineer", "scrutineer")
# Candidates and their close relatives may not scrutinise or count (the provinces' rules for villagers'
# committee elections; shared/reference/election-rules.md); calling the votes out is part of the count.
BARRED = ("chief_scrutineer", "scrutineer", "counter", "caller")
MIN_SCRUTINEERS = 3  # per polling station or mobile ballot box
_DUTY_ALIASES = {label: key for key, label in DUTIES.items()}


def _duty_alias(value: object) -> object:
    return _DUTY_ALIASES.get(value.strip(), value) if isinstance(value, str) else value


Duty = Annotated[Literal["chief_scrutineer", "scrutineer", "counter", "caller", "proxy_writer"],
                 BeforeValidator(_duty_alias)]
# Column widths in mm (portrait, 172 mm); the HTML template reads them, the Word builder repeats them.
WIDTHS = {"no": 10, "duty": 34, "name": 28, "group": 33, "station": 38, "note": 29}


class StaffMember(Strict):
    """One member of the election staff."""

    name: Name
    duty: Duty = Field(description="职责：总监票人 / 监票人 / 计票人 / 唱票人 / 代书人")
    group: OptionalText = Field("", max_length=30, description="所在村民小组")
    station: OptionalText = Field("", max_length=30, description="工作地点：投票站或流动票箱名称（须在 stations 中）")
    relative_of: Name | None = Field(None, description="若是某候选人的近亲属，填该候选人姓名")
    note: OptionalText = Field("", max_length=100)


class StaffList(KindModel):
    """The election staff grouped by duty, checked against the rules on scrutineers."""

    kind_id = "roster.staff"
    title_zh = "选举工作人员名单"
    title_en = "Election Staff List"
    landscape = False
    table_rows = "rows"
    rows_per_page = 36
    first_page_rows = 33  # room for a title of two lines (the English title is that long)
    last_page_reserve = 4

    place: Place
    term: int = Field(ge=1, le=99, description="第N届村民委员会选举")
    stations: list[Text] = Field(default_factory=list, max_length=200,
                                 description="投票站和流动票箱的名称；给出时每处至少3名监票人")
    candidates: list[Name] = Field(default_factory=list, max_length=1000,
                                   description="候选人姓名（用来核对：候选人不得担任监票、计票、唱票人）")
    staff: list[StaffMember] = Field(min_length=1, max_length=10_000)
    compiled_by: OptionalText = Field("", description="制表人")
    checked_by: OptionalText = Field("", description="审核人")
    signature: Signature

    @model_validator(mode="after")
    def _rules(self) -> StaffList:
        problems = Problems()
        candidates = set(self.candidates)
        for i, person in enumerate(self.staff):
            barred = person.duty in BARRED
            if barred and person.name in candidates:
                problems.add(("staff", i, "name"), "candidate_on_staff",
                             "a candidate may not scrutinise, count or call votes",
                             "候选人不得担任监票人、计票人、唱票人", person.name)
            if person.relative_of is not None:
                if candidates and person.relative_of not in candidates:
                    problems.add(("staff", i, "relative_of"), "unknown_candidate",
                                 "this name is not in the list of candidates", "候选人名单中没有此人",
                                 person.relative_of)
                elif barred:
                    problems.add(("staff", i, "relative_of"), "candidate_relative_on_staff",
                                 "a close relative of a candidate may not scrutinise, count or call votes",
                                 "候选人的近亲属不得担任监票人、计票人、唱票人", person.relative_of)
            if self.stations and person.station and person.station not in self.stations:
                problems.add(("staff", i, "station"), "unknown_station",
                             "this polling station or mobile ballot box is not in the list of stations",
                             "投票站（流动票箱）名单中没有此处", person.station)
        for k, station in enumerate(self.stations):
            n = sum(1 for p in self.staff if p.duty in SCRUTINEERS and p.station == station)
            if n < MIN_SCRUTINEERS:
                problems.add(("stations", k), "too_few_scrutineers",
                             f"each polling station or mobile ballot box needs at least {MIN_SCRUTINEERS} "
                             f"scrutineers; {n} listed here",
                             f"每个投票站或流动票箱应有{MIN_SCRUTINEERS}名以上监票人，此处只有{n}名", station)
        problems.raise_if_any("StaffList")
        return self

    def context(self) -> dict[str, Any]:
        """Staff duty by duty; within a duty by station in the order the stations are listed, then as given."""
        ctx = super().context()
        where = {name: k for k, name in enumerate(ctx["stations"])}
        order = list(DUTIES)
        people = sorted(ctx["staff"], key=lambda p: (order.index(p["duty"]), where.get(p["station"], -1)))
        rows = [{**p, "no": n} for n, p in enumerate(people, start=1)]
        groups = []
        for duty in DUTIES:
            members = [r for r in rows if r["duty"] == duty]
            if members:
                groups.append({"duty": duty, "staff": members, "count": len(members), "offset": members[0]["no"] - 1})
        ctx.update(rows=rows, groups=groups, total=len(rows), widths=list(WIDTHS.values()))
        return ctx

    def row_lines(self, row: Any) -> int:
        """Names, groups, stations and notes can wrap; the duty is measured in both languages."""
        return rows_for([(str(row["no"]), WIDTHS["no"]), (both_languages(DUTIES[row["duty"]]), WIDTHS["duty"]),
                         (row["name"], WIDTHS["name"]), (row["group"], WIDTHS["group"]),
                         (row["station"], WIDTHS["station"]), (row["note"], WIDTHS["note"])])
