"""report.request — 关于召开党员大会进行换届选举的请示: a Party branch asks the higher committee for approval."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import Field, model_validator

from ...checks import Problems
from ..fields import Name, Strict, Text
from ..official import OfficialDocument


class Excused(Strict):
    """A member not counted toward attendance (不计入应到会人数), with the reason."""

    name: Name
    reason: Text = Field(description="原因，如：外出务工、长期卧病")


class PostPlan(Strict):
    """A post to fill: seats and the number of candidates (差额)."""

    post: Text = Field(description="职务，如：支部委员会委员")
    seats: int = Field(ge=1, le=15)
    candidates: int = Field(ge=1, le=30)


class Request(OfficialDocument):
    """The request for approval to hold the members' meeting that elects the branch committee."""

    kind_id = "report.request"
    title_zh = "关于召开党员大会进行换届选举的请示"
    title_en = "Request for Approval of the Party Members' Meeting for the Election"

    signer: Name = Field(description="签发人：请示是上行文，标注签发人姓名")
    branch: Text = Field(description="党支部名称")
    term_start: date = Field(description="本届任期开始")
    term_end: date = Field(description="本届任期届满")
    meeting_date: date = Field(description="拟召开党员大会日期")
    agenda: list[Text] = Field(min_length=1, max_length=10, description="会议议程")
    members: int = Field(ge=3, le=10000, description="党员总数")
    full_members: int = Field(ge=0, description="正式党员数（有选举权）")
    posts: list[PostPlan] = Field(min_length=1, max_length=5)
    method: Literal["direct", "committee"] = Field(
        "direct", description="direct 党员大会直接选举书记；committee 委员会选举书记"
    )
    excused: list[Excused] = Field(default_factory=list, max_length=50)

    @model_validator(mode="after")
    def _consistent(self) -> Request:
        problems = Problems()
        if self.term_end <= self.term_start:
            problems.add(("term_end",), "term_order", "the term ends before it starts", "任期届满应晚于任期开始")
        if self.full_members > self.members:
            problems.add(("full_members",), "too_many", "more full members than members", "正式党员不能多于党员总数")
        for i, p in enumerate(self.posts):
            if p.candidates <= p.seats:
                problems.add(
                    ("posts", i, "candidates"),
                    "no_margin",
                    "candidates must outnumber seats (差额选举) by at least one",
                    "候选人数应多于应选人数（差额选举）",
                    p.candidates,
                )
        problems.raise_if_any("Request")
        return self

    def context(self) -> dict[str, Any]:
        """The expected attendance: full members less those excused."""
        ctx = super().context()
        ctx["expected"] = self.full_members - len(self.excused)
        return ctx
