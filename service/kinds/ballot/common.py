"""What every ballot shares: print options, candidates, the checks made before anything prints."""

from __future__ import annotations

import math
from typing import Any, ClassVar, Literal

from pydantic import Field, model_validator

from ...checks import Loc, Problems
from ...domain.results import candidate_range
from ...rules import load_profile
from ..base import KindModel
from ..fields import Name, OptionalText, Place, Strict, Text, YesNo

SEAL_SOURCE = "各省、自治区、直辖市村民委员会选举办法（选票由村民选举委员会统一印制、加盖印章）"


class PrintOptions(Strict):
    """Paper, ballots per sheet, how many, the colour of the election, counterfoils, proof or final."""

    paper: Literal["A4", "A5"] = Field("A4", description="纸张")
    per_sheet: Literal[1, 2, 4] = Field(1, description="每张纸印几张选票（2、4张时带裁切线）")
    voters: int | None = Field(None, ge=1, le=200_000, description="登记选民（或应到会党员）人数")
    spare_percent: float = Field(0, ge=0, le=50, description="备用票比例（%）")
    quantity: int | None = Field(None, ge=1, le=300_000, description="印数；不填则按选民人数加备用比例计算")
    colour: str = Field("#000000", pattern=r"^#[0-9a-fA-F]{6}$", description="本次选举选票的颜色（标题与边框）")
    counterfoil: YesNo = Field(False, description="是否带存根（存根上印流水号，票面不印任何编号）")
    final: YesNo = Field(False, description="正式印制（否则为样票，票面印“样票”）")
    requested_by: OptionalText = Field("", description="印制申请人（正式印制时必填）")

    def copies(self) -> int:
        """How many ballots: the quantity, or the voters plus the spare percentage, rounded up."""
        if self.quantity:
            return self.quantity
        if self.voters:
            return math.ceil(self.voters * (100 + self.spare_percent) / 100)
        return 1


class Candidate(Strict):
    """A name on the ballot; the note tells apart two candidates with the same name."""

    name: Name
    note: OptionalText = Field("", description="区分同名候选人的注记，如：第三村民小组")


def check_names(problems: Problems, loc: Loc, candidates: list[Candidate], post_zh: str, post_en: str) -> None:
    """The same person twice in one post, or same-named candidates that nothing tells apart."""
    seen: dict[tuple[str, str], int] = {}
    names: dict[str, list[int]] = {}
    for i, c in enumerate(candidates):
        key = (c.name, c.note)
        if key in seen:
            problems.add(
                (*loc, i, "name"),
                "duplicate_candidate",
                f"{c.name} is listed twice for {post_en}",
                f"{c.name}在{post_zh}中重复列出",
                c.name,
            )
        seen[key] = i
        names.setdefault(c.name, []).append(i)
    for name, where in names.items():
        notes = [candidates[i].note for i in where]
        if len(where) > 1 and ("" in notes):
            problems.add(
                (*loc, where[-1], "note"),
                "same_name_without_note",
                f"two candidates are called {name}: give each a note that tells them apart",
                f"有两名候选人都叫{name}，请为每人填写区分注记（如所在村民小组）",
                name,
            )


def check_margin(
    problems: Problems,
    loc: Loc,
    profile: str,
    rule_set: str,
    post: str,
    seats: int,
    count: int,
    post_zh: str,
    post_en: str,
) -> None:
    """The candidate count the province profile asks for (差额), citing the setting's source."""
    rng = candidate_range(load_profile(profile), rule_set, post, seats)
    source = rng["setting"]["source"]
    cite = source["law"] + (source.get("article") or "")
    low, high = rng["min"], rng["max"]
    if count < low or (high is not None and count > high):
        want_zh = f"{low}名" if high in (None, low) else f"{low}至{high}名"
        want_en = f"{low}" if high in (None, low) else f"{low} to {high}"
        if high is None:
            want_zh, want_en = f"至少{low}名", f"at least {low}"
        problems.add(
            loc,
            "candidate_margin",
            f"{post_en}: {count} candidate(s) for {seats} seat(s); the profile {profile!r} asks for {want_en} ({cite})",
            f"{post_zh}应选{seats}名，候选人{count}名；按“{profile}”规则应为{want_zh}（{cite}）",
            count,
        )


def ballot_columns(post: dict[str, Any], write_ins: int | None = None) -> dict[str, Any]:
    """A post's columns on the ballot: its candidates in order, then one write-in column per seat."""
    blank = {"name": "", "note": "", "write_in": True}
    columns = [{**c, "write_in": False} for c in post["candidates"]]
    return {**post, "columns": columns + [blank] * (post["seats"] if write_ins is None else write_ins)}


class BallotModel(KindModel):
    """Base of the ballot kinds: the election, its place, print options, and the final-list rule."""

    imposed: ClassVar[bool] = True
    rule_set: ClassVar[str] = "villagers-committee"

    election: Text = Field(description="选举名称，如：柳溪村第十二届村民委员会选举")
    election_id: Text = Field(description="选举编号，用于选票印制登记与流水号，如：330122-shimen-liuxi-2026-vc")
    place: Place
    profile: Text = Field("default", description="省份规则（候选人差额等），见 service/rules/profiles")
    candidates_final: YesNo = Field(False, description="候选人名单是否已确定（正式印制的前提）")
    print: PrintOptions = Field(default_factory=PrintOptions)  # type: ignore[arg-type]

    def ballot_checks(self, problems: Problems) -> None:
        """The kind's own rules; subclasses add theirs."""

    @model_validator(mode="after")
    def _rules(self) -> BallotModel:
        problems = Problems()
        if self.print.final and not self.candidates_final:
            problems.add(
                ("print", "final"),
                "list_not_final",
                "a final print needs a candidate list marked final (candidates_final)",
                "候选人名单确定后才能正式印制选票（请先确认 candidates_final）",
                True,
            )
        if self.print.final and not self.print.requested_by:
            problems.add(
                ("print", "requested_by"),
                "requester_missing",
                "a final print must say who asked for it",
                "正式印制须填写印制申请人",
                "",
            )
        try:
            load_profile(self.profile)
        except Exception:
            problems.add(
                ("profile",),
                "unknown_profile",
                f"there is no rule profile {self.profile!r}",
                f"没有名为“{self.profile}”的规则配置",
                self.profile,
            )
            problems.raise_if_any(type(self).__name__)
        self.ballot_checks(problems)
        problems.raise_if_any(type(self).__name__)
        return self

    def context(self) -> dict[str, Any]:
        """Fields plus the number of copies."""
        ctx = super().context()
        ctx["copies"] = self.print.copies()
        ctx["proof"] = not self.print.final
        return ctx
