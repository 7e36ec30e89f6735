"""announcement.voter-list — 选民名单公告: the names of the registered voters, posted by residents' group."""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial
from typing import Any, Literal

from pydantic import Field, model_validator

from ...checks import Problems
from ...filters import cn_date
from ...render.sheet import wrap
from ...render.stamp import PX, Block
from ..base import KindModel
from ..fields import Name, OptionalText, Place, Signature, Strict, Text

# 《村民委员会组织法》第十四条: published 20 days or more before election day; objections within 5 days.
LIST_LEAD_DAYS = 20
OBJECTION_DAYS = 5
COLUMNS = 8  # names per line of the posted grid; the Word template has the same number of cells
CATEGORIES = ("resident", "registered_away", "non_registered")
MARKS = {"resident": "", "registered_away": "△", "non_registered": "☆"}
zh, en = cn_date, partial(cn_date, lang="en")
# The PDF's grid (table.names in the template): the 156 mm text area in 8 cells, 12 pt names on 18 pt lines,
# 1 pt padding; a name wider than its cell wraps, and the service knows how, so it can stamp the names.
NAME_PT, LINE_PT, PAD_PT = 12.0, 18.0, 1.0
CELL_EM = (156 / COLUMNS * 72 / 25.4 - 2 * PAD_PT - 0.5) / NAME_PT  # less the 0.5 pt rule


def cell_lines(cell: dict[str, str]) -> list[str]:
    """The printed lines of a name cell: the name and its mark, wrapped to the cell."""
    text = cell["name"] + cell["mark"]
    return wrap(text, CELL_EM) if text else []


class ListedVoter(Strict):
    """One voter as the wall list shows them: a name, a residents' group and a registration category."""

    name: Name
    group: OptionalText = Field("", description="村民小组")
    category: Literal["resident", "registered_away", "non_registered"] = Field(
        "resident", description="登记类别：户籍在本村并居住 / 户籍在本村不居住本村 / 非户籍居住一年以上"
    )


class VoterListAnnouncement(KindModel):
    """The list of registered voters, grouped by residents' group, with totals and the objection period."""

    kind_id = "announcement.voter-list"
    title_zh = "选民名单公告"
    title_en = "Announcement of the Voter List"

    place: Place
    number: OptionalText = Field("", description="公告编号，如：柳溪选字第3号")
    term: int = Field(ge=1, le=99, description="本次选举的届次（第N届村民委员会）")
    legal_basis: Text = Field("《中华人民共和国村民委员会组织法》", description="法律依据")
    election_day: date = Field(description="选举日（名单应在选举日20日以前公布）")
    voters: list[ListedVoter] = Field(min_length=1, max_length=10_000, description="登记参加选举的村民")
    objection_deadline: date | None = Field(None, description="异议截止日期；不填则为公告日期后第5日")
    contact: OptionalText = Field("", description="异议受理地点或电话")
    signature: Signature

    @property
    def deadline(self) -> date:
        """The last day for objections: as given, or five days after the announcement."""
        return self.objection_deadline or self.signature.date + timedelta(days=OBJECTION_DAYS)

    @model_validator(mode="after")
    def _check_dates(self) -> VoterListAnnouncement:
        problems = Problems()
        published, day, deadline = self.signature.date, self.election_day, self.deadline
        latest = day - timedelta(days=LIST_LEAD_DAYS)
        if published > latest:
            problems.add(("signature", "date"), "list_too_late",
                         f"the voter list must be published at least {LIST_LEAD_DAYS} days before "
                         f"election day ({en(day)}), by {en(latest)} at the latest, not on {en(published)} "
                         "(Organic Law of the Villagers' Committees, article 14)",
                         f"选民名单应当在选举日（{zh(day)}）的{LIST_LEAD_DAYS}日以前公布，最迟于{zh(latest)}，"
                         f"不能在{zh(published)}公布（《村民委员会组织法》第十四条）", published.isoformat())
        shortest = published + timedelta(days=OBJECTION_DAYS)
        if deadline <= published:
            problems.add(("objection_deadline",), "objection_deadline_order",
                         f"the objection deadline ({en(deadline)}) must be after the date of the "
                         f"announcement ({en(published)})",
                         f"异议截止日期（{zh(deadline)}）应在公告日期（{zh(published)}）之后",
                         deadline.isoformat())
        elif deadline < shortest:
            problems.add(("objection_deadline",), "objection_period_short",
                         f"voters have {OBJECTION_DAYS} days from publication to object: "
                         f"the deadline cannot be before {en(shortest)}",
                         f"选民可以自名单公布之日起{OBJECTION_DAYS}日内提出异议，截止日期不能早于{zh(shortest)}",
                         deadline.isoformat())
        if deadline >= day:
            problems.add(("objection_deadline",), "objection_after_election",
                         f"the objection deadline ({en(deadline)}) must be before election day ({en(day)})",
                         f"异议截止日期（{zh(deadline)}）应在选举日（{zh(day)}）之前", deadline.isoformat())
        problems.raise_if_any(type(self).__name__)
        return self

    def context(self) -> dict[str, Any]:
        """Groups in order of first appearance, names in input order in lines of COLUMNS, and the totals."""
        ctx = super().context()
        groups: dict[str, list[dict[str, Any]]] = {}
        for voter in ctx["voters"]:
            groups.setdefault(voter["group"], []).append(voter)
        out: list[dict[str, Any]] = []
        for name, members in groups.items():
            cells = [{"name": v["name"], "mark": MARKS[v["category"]]} for v in members]
            cells += [{"name": "", "mark": ""}] * (-len(cells) % COLUMNS)
            counts = {c: sum(1 for v in members if v["category"] == c) for c in CATEGORIES}
            rows = [cells[i : i + COLUMNS] for i in range(0, len(cells), COLUMNS)]
            wrapped = [[cell_lines(c) for c in row] for row in rows]  # what the stamped PDF prints in each cell
            out.append({"name": name, "count": len(members), "counts": counts, "rows": rows, "wrapped": wrapped,
                        "lines": [max(1, *map(len, row)) for row in wrapped]})
        ctx["groups"] = out
        ctx["total"] = len(ctx["voters"])
        ctx["counts"] = {c: sum(g["counts"][c] for g in out) for c in CATEGORIES}
        ctx["marked"] = [c for c in CATEGORIES[1:] if ctx["counts"][c]]
        ctx["marks"] = MARKS
        ctx["objection_deadline"] = self.deadline
        ctx["stamped"], ctx["atlas"] = False, {}  # set when the names are stamped (documents.stamped_parts)
        ctx["line_pt"] = LINE_PT
        return ctx

    def stamp_blocks(self, ctx: dict[str, Any]) -> list[Block]:
        """Each row of names, written into its empty cell ``names-G-R`` with the rules between the names."""
        return [
            Block(f"names-{g}-{r}", "name", tuple((1 / COLUMNS, "center", tuple(lines)) for lines in row),
                  pitch=LINE_PT / PX, pad=PAD_PT / PX, rules=0.5, middle=True)
            for g, group in enumerate(ctx["groups"], start=1)
            for r, row in enumerate(group["wrapped"], start=1)
        ]
