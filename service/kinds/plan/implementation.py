"""plan.implementation — 换届选举工作实施方案: principles, stages with dates and tasks, schedule and timeline."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from pydantic import Field, model_validator

from ...checks import Problems
from ...render import charts
from ..fields import LongText, Strict, Text
from ..official import Block, OfficialDocument, flatten


class Stage(Strict):
    """One stage of the work (准备、选举、总结), its dates and tasks."""

    name: Text = Field(description="阶段名称，如：宣传发动和准备阶段")
    start: date
    end: date
    tasks: list[LongText] = Field(min_length=1, max_length=20)


class ImplementationPlan(OfficialDocument):
    """The plan: free sections before and after the generated stages section, schedule table, timeline."""

    kind_id = "plan.implementation"
    title_zh = "换届选举工作实施方案"
    title_en = "Implementation Plan for the Elections"
    chart_names: ClassVar[tuple[str, ...]] = ("timeline",)

    stages: list[Stage] = Field(min_length=1, max_length=8)
    after: list[Block] = Field(default_factory=list, max_length=100, description="阶段之后的正文（组织领导、纪律等）")

    @model_validator(mode="after")
    def _dates(self) -> ImplementationPlan:
        problems = Problems()
        for i, s in enumerate(self.stages):
            if s.end < s.start:
                problems.add(
                    ("stages", i, "end"), "stage_order", "a stage ends before it starts", "阶段结束日期早于开始日期"
                )
            if i and s.start < self.stages[i - 1].start:
                problems.add(
                    ("stages", i, "start"), "stage_sequence", "stages must be in date order", "各阶段应按时间先后排列"
                )
        problems.raise_if_any("ImplementationPlan")
        return self

    def context(self) -> dict[str, Any]:
        """Free body (一、…), then the stages as the next level-1 section, then the rest."""
        ctx = super().context()
        before = ctx["paras"]
        n = sum(1 for p in before if p["kind"] == "h1")
        ctx["stage_heading"] = n + 1
        ctx["after_paras"] = flatten([b.model_dump() for b in self.after], first=n + 2)
        box = charts.ChartBox(self.chart_names, {}, [(s.name, s.start, s.end) for s in self.stages])
        ctx["charts"], ctx["docx_media"] = box, box.media
        return ctx
