"""announcement.election-committee — 村民选举委员会成员名单公告."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import Field

from ...domain.strokes import sort_by_strokes
from ..base import KindModel
from ..fields import Name, OptionalText, Place, Sex, Signature, Strict, Text

_ROLE_ORDER = {"chair": 0, "vice_chair": 1, "member": 2}


class CommitteeMember(Strict):
    """One member of the villagers' election committee."""

    name: Name
    role: Literal["chair", "vice_chair", "member"] = Field(description="主任 / 副主任 / 委员")
    sex: Sex | None = None
    group: OptionalText = Field("", description="所在村民小组")


class ElectionCommitteeAnnouncement(KindModel):
    """The list of the villagers' election committee members, with how they were chosen."""

    kind_id = "announcement.election-committee"
    title_zh = "村民选举委员会成员名单公告"
    title_en = "Announcement of the Villagers' Election Committee"

    place: Place
    number: Text = Field(description="公告编号，如：青山选字第1号")
    term: int = Field(ge=1, le=99, description="本次选举的届次（第N届村民委员会）")
    legal_basis: Text = Field("《中华人民共和国村民委员会组织法》", description="法律依据")
    chosen_by: Literal["villagers_assembly", "representatives_assembly", "group_meetings"] = Field(
        description="推选方式：村民会议、村民代表会议或各村民小组会议"
    )
    chosen_on: date = Field(description="推选日期")
    members: list[CommitteeMember] = Field(min_length=3, max_length=15)
    objection_days: int = Field(5, ge=1, le=30, description="异议期（天）")
    contact: OptionalText = Field("", description="异议受理人或电话")
    signature: Signature

    def context(self) -> dict[str, Any]:
        """Chair first, then vice-chairs, then members by surname strokes, as announcements list them."""
        ctx = super().context()
        members = ctx["members"]
        ordered = []
        for role in _ROLE_ORDER:
            ordered += sort_by_strokes([m for m in members if m["role"] == role], key=lambda m: m["name"])
        ctx["members"] = ordered
        ctx["by_role"] = {role: [m for m in ordered if m["role"] == role] for role in _ROLE_ORDER}
        return ctx


