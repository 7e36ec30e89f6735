"""table.tally — 计票统计表: ballots, each post's votes, the threshold and who is elected, as the engine decided."""

from __future__ import annotations

from pydantic import Field

from ..fields import Name, OptionalText
from ..results_blank import BlankableResults


class TallySheet(BlankableResults):
    """The count of one vote with the engine's decisions, signed by the scrutineers and counters."""

    kind_id = "table.tally"
    title_zh = "计票统计表"
    title_en = "Tally Sheet"

    station: OptionalText = Field("", description="计票地点，如：中心会场")
    chief_scrutineer: Name | None = Field(None, description="总监票人")
    scrutineers: list[Name] = Field(default_factory=list, max_length=30, description="监票人")
    counters: list[Name] = Field(default_factory=list, max_length=30, description="计票人")
    callers: list[Name] = Field(default_factory=list, max_length=30, description="唱票人")
    remark: OptionalText = Field("", description="备注")
