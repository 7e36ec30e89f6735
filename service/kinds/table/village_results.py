"""table.village-results — 选举结果汇总表 (乡镇汇总): one row per village from its count, township totals."""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from typing import Any

from pydantic import Field, model_validator

from ...checks import Problems
from ...domain.results import evaluate
from ...filters import cn_date
from ..base import KindModel
from ..fields import OptionalText, Signature, Strict, Text
from ..results_common import TOWNSHIP_ELECTIONS, Count, Township, both, joined, results_view


class VillageCount(Strict):
    """One village and its count, in the shape of the results engine's input."""

    village: Text = Field(description="村（社区）名称")
    count: Count
    note: OptionalText = Field("", description="备注")


def _with_note(remarks: dict[str, str], note: str) -> dict[str, str]:
    """The engine's remarks followed by the clerk's note (English sentences need a space between)."""
    if not note:
        return remarks
    return {"zh": remarks["zh"] + note, "en": f"{remarks['en']} {note}".strip()}


class VillageResultsTable(KindModel):
    """Every village's turnout, validity, seats filled and further rounds, as the results engine decided them."""

    kind_id = "table.village-results"
    title_zh = "选举结果汇总表"
    title_en = "Summary of Election Results"
    landscape = True

    place: Township
    term: int = Field(ge=1, le=99, description="届次（第N届）")
    election_day: date = Field(description="选举日（各村投票日不同时填最早一天）")
    villages: list[VillageCount] = Field(min_length=1, max_length=200)
    compiled_by: OptionalText = Field("", description="制表人")
    checked_by: OptionalText = Field("", description="审核人")
    signature: Signature

    @model_validator(mode="after")
    def _consistent(self) -> VillageResultsTable:
        problems = Problems()
        seen: set[str] = set()
        first = self.villages[0].count.rule_set
        for i, row in enumerate(self.villages):
            if row.village in seen:
                problems.add(("villages", i, "village"), "duplicate_village", "this village is listed twice",
                             "村（社区）重复填写", row.village)
            seen.add(row.village)
            if row.count.rule_set != first:
                problems.add(("villages", i, "count", "rule_set"), "mixed_elections",
                             f"every village must report the same kind of election ({first})",
                             f"各村应为同一类选举（{first}）", row.count.rule_set)
        if self.signature.date < self.election_day:
            problems.add(("signature", "date"), "signed_before_election",
                         f"the table is dated before election day ({cn_date(self.election_day, lang='en')})",
                         f"落款日期早于选举日（{cn_date(self.election_day)}）", self.signature.date.isoformat())
        problems.raise_if_any("VillageResultsTable")
        return self

    def context(self) -> dict[str, Any]:
        """One row per village with the engine's verdicts, and the township totals."""
        ctx = super().context()
        rows = []
        for n, entry in enumerate(self.villages, start=1):
            view = results_view(entry.count, evaluate(entry.count))
            remarks = view["failed"] + [d for d in view["notes"] if not d["rule"].endswith("shortfall_further_round")]
            rows.append({
                "no": n,
                "village": entry.village,
                "registered": view["counts"]["electorate"],
                "voted": view["counts"]["present"] if view["party"] else view["counts"]["ballots_returned"],
                "turnout": view["turnout"],
                "valid": view["valid"],
                "seats": view["seats"],
                "filled": view["filled"],
                "women": view["women_elected"],
                "further_rounds": view["further_rounds"],
                "tie_votes": view["tie_votes"],
                "remarks": _with_note(joined(remarks), entry.note),
            })
        registered, voted = sum(r["registered"] for r in rows), sum(r["voted"] for r in rows)
        rule_set = self.villages[0].count.rule_set
        ctx.update(
            rows=rows,
            election_name=both(TOWNSHIP_ELECTIONS[rule_set], township=self.place.township, term=self.term),
            party=rule_set == "party-branch",
            totals={
                "villages": len(rows),
                "valid": sum(1 for r in rows if r["valid"]),
                "registered": registered,
                "voted": voted,
                "turnout": Fraction(voted, registered),
                "seats": sum(r["seats"] for r in rows),
                "filled": sum(r["filled"] for r in rows),
                "women": sum(r["women"] for r in rows),
                "further_villages": sum(1 for r in rows if r["further_rounds"]),
                "further_seats": sum(v["seats"] for r in rows for v in r["further_rounds"]),
                "tie_villages": sum(1 for r in rows if r["tie_votes"]),
            },
        )
        return ctx
