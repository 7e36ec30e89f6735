"""roster.party-members — 党员花名册, with who has the right to vote in the branch election."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, model_validator

from ...domain import idcard
from ..base import KindModel
from ..fields import IdNumber, Name, OptionalText, Place, Sex, Signature, Strict, Text
from .common import Problems, both_languages, check_identity, check_joined, rows_for

# 《中国共产党基层组织选举工作条例》(2020) 第十二条: probationary members and members under 留党察看
# have no right to vote, to be elected or to nominate.
STATUSES = ("full", "probationary", "probation_watch")
NO_VOTE_REASON = {"probationary": "预备党员", "probation_watch": "留党察看"}
_STATUS_ALIASES = {"正式党员": "full", "正式": "full", "预备党员": "probationary", "预备": "probationary",
                   "留党察看": "probation_watch", "受留党察看处分": "probation_watch"}


def _status_alias(value: object) -> object:
    return _STATUS_ALIASES.get(value.strip(), value) if isinstance(value, str) else value


Status = Annotated[Literal["full", "probationary", "probation_watch"], BeforeValidator(_status_alias)]
# Column widths in mm (portrait, 172 mm); the HTML template reads them, the Word builder repeats them.
WIDTHS = {"no": 10, "name": 22, "sex": 15, "ethnicity": 18.5, "birth": 18, "joined": 18, "education": 21,
          "vote": 21.5, "note": 28}


class PartyMember(Strict):
    """One Party member; sex and birth date come from the ID number when not given."""

    name: Name
    sex: Sex | None = None
    ethnicity: OptionalText = Field("", max_length=20, description="民族，如：汉族")
    birth: date | None = Field(None, description="出生日期（只印年月）")
    id_number: IdNumber | None = Field(None, description="公民身份号码（不印出，只用来核对性别和出生日期）")
    joined: date = Field(description="入党时间（被接收为预备党员的日期）")
    education: OptionalText = Field("", max_length=20, description="文化程度，如：高中、大专")
    status: Status = Field("full", description="正式党员 full / 预备党员 probationary / 受留党察看处分 probation_watch")
    note: OptionalText = Field("", max_length=100)

    @model_validator(mode="after")
    def _from_id(self) -> PartyMember:
        problems = Problems()
        check_identity(problems, self.sex, self.birth, self.id_number)
        problems.raise_if_any("PartyMember")
        if self.id_number:
            self.sex = self.sex or idcard.sex(self.id_number)
            self.birth = self.birth or idcard.birth_date(self.id_number)
        return self


class PartyMemberRoster(KindModel):
    """The members of a Party organisation, with the totals the election's quorum is counted from."""

    kind_id = "roster.party-members"
    title_zh = "党员花名册"
    title_en = "Party Member Roster"
    landscape = False
    table_rows = "rows"
    rows_per_page = 35
    first_page_rows = 32  # room for a title of two lines (a long branch name, or in English)
    last_page_reserve = 4

    place: Place
    branch: Text = Field(max_length=30, description="党组织名称，如：中共柳溪村支部委员会")
    members: list[PartyMember] = Field(min_length=1, max_length=100_000)
    compiled_by: OptionalText = Field("", description="制表人")
    checked_by: OptionalText = Field("", description="审核人")
    signature: Signature

    @model_validator(mode="after")
    def _joined_dates(self) -> PartyMemberRoster:
        problems = Problems()
        for i, member in enumerate(self.members):
            check_joined(problems, ("members", i, "joined"), member.joined, member.birth, self.signature.date)
        problems.raise_if_any("PartyMemberRoster")
        return self

    def context(self) -> dict[str, Any]:
        """Members numbered in the order given, each with the right to vote; totals for the quorum."""
        ctx = super().context()
        rows = [{**m, "no": i, "votes": m["status"] == "full", "reason": NO_VOTE_REASON.get(m["status"], "")}
                for i, m in enumerate(ctx["members"], start=1)]
        ctx["rows"] = rows
        ctx["widths"] = list(WIDTHS.values())
        ctx["total"] = len(rows)
        ctx["female_total"] = sum(1 for r in rows if r["sex"] == "female")
        ctx["voting_total"] = sum(1 for r in rows if r["votes"])
        ctx["non_voting_total"] = len(rows) - ctx["voting_total"]
        ctx["probationary_total"] = sum(1 for r in rows if r["status"] == "probationary")
        ctx["watch_total"] = sum(1 for r in rows if r["status"] == "probation_watch")
        return ctx

    def row_lines(self, row: Any) -> int:
        """Names, ethnic groups, education and remarks can wrap; remarks start with the no-vote reason."""
        reason = both_languages(row["reason"]) if row["reason"] else ""
        note = "；".join(x for x in (reason, row["note"]) if x)
        return rows_for([(str(row["no"]), WIDTHS["no"]), (row["name"], WIDTHS["name"]),
                         (row["ethnicity"], WIDTHS["ethnicity"]), (row["education"], WIDTHS["education"]),
                         (note, WIDTHS["note"])])
