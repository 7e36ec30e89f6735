"""ballot.party-committee — 党支部委员会委员选票: the branch committee's members, elected competitively (差额)."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field, field_validator

from ...checks import Problems
from ...domain.strokes import sort_by_strokes
from ..fields import Text
from .common import BallotModel, Candidate, ballot_columns, check_margin, check_names
from .face import check_candidate_figures, check_no_figures, organisation


class PartyCommitteeBallot(BallotModel):
    """One section: the committee members' seats, candidates by surname strokes, then write-in columns.

    The margin comes from the profile's ``party-branch`` ``candidate_margins.committee_member`` setting
    (default: at least 20% more candidates than seats, rounded up — 3→4, 5→6, 7→9).
    """

    kind_id = "ballot.party-committee"
    title_zh = "党支部委员会委员选票"
    title_en = "Party Branch Committee Ballot"
    rule_set: ClassVar[str] = "party-branch"

    branch: Text = Field(description="党组织名称，如：中共柳溪村支部（末尾的“委员会”可省略，票头会加上）")
    seats: int = Field(ge=1, le=9, description="应选委员名额")
    candidates: list[Candidate] = Field(min_length=1, max_length=30, description="委员候选人（票面按姓氏笔画为序）")
    write_ins: int | None = Field(None, ge=0, le=9, description="另选人格数；不填则与应选名额相同")

    @field_validator("branch")
    @classmethod
    def _branch(cls, value: str) -> str:
        return organisation(value)

    def ballot_checks(self, problems: Problems) -> None:
        """The profile's margin for committee members, names told apart, no figure on the face."""
        check_margin(
            problems,
            ("candidates",),
            self.profile,
            self.rule_set,
            "committee_member",
            self.seats,
            len(self.candidates),
            "委员",
            "committee members",
        )
        check_names(problems, ("candidates",), self.candidates, "委员", "committee members")
        if self.write_ins is not None and self.write_ins > self.seats:
            # More ○ than seats voids the ballot, so a write-in cell beyond the seats could only spoil it.
            problems.add(
                ("write_ins",),
                "write_ins_over_seats",
                f"{self.write_ins} write-in columns for {self.seats} seat(s): at most one per seat",
                f"另选人格{self.write_ins}个，多于应选名额{self.seats}名；每个名额至多一个",
                self.write_ins,
            )
        check_no_figures(problems, ("election",), self.election, "the election", "选举名称")
        check_no_figures(problems, ("branch",), self.branch, "the branch", "党组织名称")
        check_candidate_figures(problems, ("candidates",), self.candidates)

    def context(self) -> dict[str, Any]:
        """One post, its candidates in surname-stroke order, then the write-in columns."""
        ctx = super().context()
        post = {
            "post": "committee_member",
            "label": "委员",
            "seats": self.seats,
            "candidates": sort_by_strokes(ctx["candidates"], key=lambda c: c["name"]),
        }
        ctx["posts"] = [ballot_columns(post, self.write_ins)]
        ctx["write_in"] = (self.seats if self.write_ins is None else self.write_ins) > 0
        return ctx
