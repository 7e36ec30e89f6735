"""announcement.election-day — 选举日公告: registration, the voter list, election day, stations, seats."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any, Literal

from pydantic import Field, model_validator

from ...checks import Problems
from ...filters import cn_date
from ..base import KindModel
from ..fields import OptionalText, Place, Signature, Strict, Text

# 《村民委员会组织法》第十四条: the list is published 20 days or more before election day.
LIST_LEAD_DAYS = 20


class Hours(Strict):
    """Opening hours; when left out, the election day's polling hours apply."""

    opens: time | None = Field(None, description="开始时间，如 08:00；不填则同选举日投票时间")
    closes: time | None = Field(None, description="结束时间，如 17:00")

    def _check_hours(self, problems: Problems, loc: tuple[str | int, ...]) -> None:
        if (self.opens is None) != (self.closes is None):
            missing = "closes" if self.closes is None else "opens"
            problems.add((*loc, missing), "hours_incomplete",
                         "give both the opening and the closing time, or neither",
                         "开始时间和结束时间应同时填写或同时不填")
        elif self.opens is not None and self.closes is not None and self.closes <= self.opens:
            problems.add((*loc, "closes"), "hours_order", "the closing time must be after the opening time",
                         "结束时间应晚于开始时间", self.closes.isoformat())


class PollingStation(Hours):
    """A polling station (投票站) or the central meeting place (中心会场)."""

    name: Text = Field(description="名称，如：中心会场、第一投票站")
    location: Text = Field(description="地点，如：村委会大院")
    serves: OptionalText = Field("", description="服务范围，如：第一、二村民小组")


class MobileBox(Hours):
    """A mobile ballot box (流动票箱) carried to voters who cannot come to a station."""

    name: Text = Field(description="名称，如：第一流动票箱")
    area: Text = Field(description="流动范围，如：第五村民小组山区各户")
    serves: Text = Field(description="服务对象，如：年老体弱、行动不便的选民")


class Seats(Strict):
    """How many are elected to each post of the villagers' committee (组织法第六条: 3 to 7 members)."""

    director: Literal[1] = Field(1, description="主任名额（1名）")
    deputy_director: int = Field(ge=0, le=3, description="副主任名额")
    member: int = Field(ge=1, le=5, description="委员名额")

    @property
    def total(self) -> int:
        """The size of the committee."""
        return self.director + self.deputy_director + self.member


class ElectionDayAnnouncement(KindModel):
    """The announcement of registration, the voter list, election day, polling stations and seats."""

    kind_id = "announcement.election-day"
    title_zh = "选举日公告"
    title_en = "Announcement of Election Day"

    place: Place
    number: OptionalText = Field("", description="公告编号，如：柳溪选字第2号")
    term: int = Field(ge=1, le=99, description="本次选举的届次（第N届村民委员会）")
    legal_basis: Text = Field("《中华人民共和国村民委员会组织法》", description="法律依据")
    registration_start: date = Field(description="选民登记开始日期")
    registration_end: date = Field(description="选民登记截止日期")
    registration_place: OptionalText = Field("", description="选民登记地点")
    list_published_on: date = Field(description="选民名单公布日期（应在选举日20日以前）")
    list_posted_at: Text = Field("村务公开栏", description="选民名单张贴地点")
    election_day: date = Field(description="选举日")
    polls_open: time = Field(description="投票开始时间，如 08:00")
    polls_close: time = Field(description="投票结束时间，如 17:00")
    stations: list[PollingStation] = Field(min_length=1, max_length=30, description="中心会场和投票站")
    mobile_boxes: list[MobileBox] = Field(default_factory=list, max_length=30, description="流动票箱")
    seats: Seats
    ballot: Literal["combined", "separate"] = Field(
        "combined", description="投票方式：combined 主任、副主任、委员同一张选票；separate 分别投票"
    )
    notes: list[Text] = Field(default_factory=list, max_length=12, description="其他事项，每项一段")
    contact: OptionalText = Field("", description="咨询地点或电话")
    signature: Signature

    @model_validator(mode="after")
    def _check_dates(self) -> ElectionDayAnnouncement:
        problems = Problems()
        start, end = self.registration_start, self.registration_end
        day, listed = self.election_day, self.list_published_on
        zh, en = cn_date, lambda d: cn_date(d, lang="en")
        if end < start:
            problems.add(("registration_end",), "registration_order",
                         f"voter registration cannot end on {en(end)}, before it starts on {en(start)}",
                         f"选民登记截止日期{zh(end)}早于开始日期{zh(start)}", end.isoformat())
        if day <= end:
            problems.add(("election_day",), "election_after_registration",
                         f"election day ({en(day)}) must come after voter registration ends ({en(end)})",
                         f"选举日（{zh(day)}）应在选民登记截止（{zh(end)}）之后", day.isoformat())
        if listed < end:
            problems.add(("list_published_on",), "list_before_registration_end",
                         f"the voter list can only be published once registration has ended ({en(end)}), "
                         f"not on {en(listed)}",
                         f"选民名单应在选民登记截止（{zh(end)}）后公布，不能在{zh(listed)}公布",
                         listed.isoformat())
        latest = day - timedelta(days=LIST_LEAD_DAYS)
        if listed > latest:
            problems.add(("list_published_on",), "list_too_late",
                         f"the voter list must be published at least {LIST_LEAD_DAYS} days before "
                         f"election day, by {en(latest)} at the latest, not on {en(listed)} "
                         "(Organic Law of the Villagers' Committees, article 14)",
                         f"选民名单应当在选举日的{LIST_LEAD_DAYS}日以前公布，最迟于{zh(latest)}，不能在{zh(listed)}公布"
                         "（《村民委员会组织法》第十四条）", listed.isoformat())
        if self.polls_close <= self.polls_open:
            problems.add(("polls_close",), "hours_order", "the polls must close after they open",
                         "投票结束时间应晚于开始时间", self.polls_close.isoformat())
        for i, station in enumerate(self.stations):
            station._check_hours(problems, ("stations", i))
        for i, box in enumerate(self.mobile_boxes):
            box._check_hours(problems, ("mobile_boxes", i))
        if not 3 <= self.seats.total <= 7:
            problems.add(("seats",), "committee_size",
                         f"a villagers' committee has 3 to 7 members, not {self.seats.total} "
                         "(organic law, article 6)",
                         f"村民委员会由主任、副主任和委员共三至七人组成，不能是{self.seats.total}人（《村民委员会组织法》第六条）")
        problems.raise_if_any(type(self).__name__)
        return self

    def context(self) -> dict[str, Any]:
        """Stations and boxes with their hours filled in, the weekday, and the numbered sections."""
        ctx = super().context()
        for item in (*ctx["stations"], *ctx["mobile_boxes"]):
            if item["opens"] is None:
                item["opens"], item["closes"] = self.polls_open, self.polls_close
        ctx["weekday"] = self.election_day.weekday()  # 0 is Monday
        ctx["seat_total"] = self.seats.total
        return ctx
