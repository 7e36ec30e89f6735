"""report.summary — 换届选举工作总结: the basic situation written from the term's figures, charts, free text."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any, ClassVar

from pydantic import Field, model_validator

from ...checks import Problems
from ...domain.statistics import display
from ...render import charts
from ..fields import Strict, Text
from ..official import OfficialDocument, flatten


class Band(Strict):
    """One bar of a chart: a label and a count."""

    label: Text
    count: int = Field(ge=0, le=100000)


class TermFigures(Strict):
    """The figures of the new term across the reporting area."""

    villages: int = Field(ge=1, le=10000, description="村（社区）总数")
    completed_on_time: int = Field(ge=0, le=10000, description="按期完成换届的村数")
    members: int = Field(ge=1, le=100000, description="新一届村“两委”成员总数")
    average_age: Decimal = Field(ge=18, le=100, description="平均年龄（岁）")
    previous_average_age: Decimal | None = Field(None, ge=18, le=100, description="上届平均年龄（岁）")
    college: int = Field(ge=0, description="大专及以上学历人数")
    women: int = Field(ge=0, description="女性成员人数")
    party_members: int = Field(ge=0, description="党员人数")
    age_bands: list[Band] = Field(min_length=1, max_length=8, description="年龄结构")
    education: list[Band] = Field(min_length=1, max_length=8, description="学历结构")

    @model_validator(mode="after")
    def _consistent(self) -> TermFigures:
        problems = Problems()
        if self.completed_on_time > self.villages:
            problems.add(
                ("completed_on_time",),
                "too_many",
                "more villages completed than there are",
                "按期完成的村数不能多于村总数",
                self.completed_on_time,
            )
        for field in ("college", "women", "party_members"):
            if getattr(self, field) > self.members:
                problems.add((field,), "too_many", "more than the members", "不能多于成员总数", getattr(self, field))
        for field in ("age_bands", "education"):
            if sum(b.count for b in getattr(self, field)) != self.members:
                problems.add(
                    (field,), "bands_total", "the bands do not add up to the members", "各档人数之和应等于成员总数"
                )
        problems.raise_if_any("TermFigures")
        return self


def _share(count: int, total: int) -> Decimal:
    return display(Fraction(count, total) * 100)


def basic_situation(f: TermFigures) -> dict[str, Any]:
    """The numbers the basic-situation paragraph says, with the age change as a direction and an amount."""
    change = None
    if f.previous_average_age is not None:
        diff = f.average_age - f.previous_average_age
        change = {"dir": "down" if diff < 0 else "up" if diff > 0 else "same", "years": abs(diff)}
    return {
        "villages": f.villages,
        "completed": f.completed_on_time,
        "all_completed": f.completed_on_time == f.villages,
        "completed_pct": _share(f.completed_on_time, f.villages),
        "members": f.members,
        "age": f.average_age,
        "age_change": change,
        "college": f.college,
        "college_pct": _share(f.college, f.members),
        "women": f.women,
        "women_pct": _share(f.women, f.members),
        "party": f.party_members,
        "party_pct": _share(f.party_members, f.members),
    }


class SummaryReport(OfficialDocument):
    """The summary report of the term's elections: basic situation from data, practices, problems, next steps."""

    kind_id = "report.summary"
    title_zh = "换届选举工作总结"
    title_en = "Summary Report on the Elections"
    chart_names: ClassVar[tuple[str, ...]] = ("age", "education")

    area: Text = Field(description="总结范围，如：石门镇、全县")
    figures: TermFigures

    def context(self) -> dict[str, Any]:
        """The basic situation (section 一), charts, then the free body numbered from 二、."""
        ctx = super().context()
        ctx["situation"] = basic_situation(self.figures)
        ctx["paras"] = flatten([b.model_dump() for b in self.body], first=2)
        f = self.figures
        box = charts.ChartBox(
            self.chart_names,
            {
                "age": ("", [b.label for b in f.age_bands], [b.count for b in f.age_bands]),
                "education": ("", [b.label for b in f.education], [b.count for b in f.education]),
            },
        )
        ctx["charts"], ctx["docx_media"] = box, box.media
        return ctx
