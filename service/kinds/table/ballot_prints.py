"""table.ballot-prints — 选票印制登记表: the printed-ballots report from the accounting records."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from ..base import KindModel
from ..fields import OptionalText, Strict


class PrintRecord(Strict):
    """One recorded print run."""

    election_id: OptionalText
    kind: OptionalText
    quantity: int = Field(ge=0)
    serial_first: int | None = None
    serial_last: int | None = None
    status: Literal["reserved", "printed", "failed"]
    sha256: str | None = Field(None, max_length=64)
    requested_by: OptionalText = ""
    created_at: datetime


class BallotPrintsTable(KindModel):
    """Every print of an election's ballots: quantity, serial range, file hash, time and requester."""

    kind_id = "table.ballot-prints"
    title_zh = "选票印制登记表"
    title_en = "Ballot Print Register"

    election_id: OptionalText = Field("", description="选举编号（空为全部）")
    prints: list[PrintRecord] = Field(max_length=10_000)

    def context(self) -> dict[str, Any]:
        """The records with each kind's title, and the totals."""
        from ... import kinds as registry

        ctx = super().context()
        titles = {k.id: k for k in registry.all_kinds()}
        for row in ctx["prints"]:
            kind = titles.get(row["kind"])
            row["kind_title"] = kind.title_zh if kind else row["kind"]
            row["kind_title_en"] = kind.title_en if kind else row["kind"]
            row["serials"] = (
                f"{row['serial_first']:07d}—{row['serial_last']:07d}" if row["serial_first"] is not None else "—"
            )
            row["short_hash"] = (row["sha256"] or "")[:16]
        ctx["printed_total"] = sum(r["quantity"] for r in ctx["prints"] if r["status"] == "printed")
        return ctx
