"""announcement.results — 选举结果公告 (当选公告): validity, those elected per post, seats left for a further round."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import Field, model_validator

from ...checks import Problems
from ...domain.results import evaluate
from ...filters import cn_date
from ..fields import OptionalText
from ..results_common import ResultsDocument


class ResultsAnnouncement(ResultsDocument):
    """The village announcement of a count's result, as the results engine decided it."""

    kind_id = "announcement.results"
    title_zh = "选举结果公告"
    title_en = "Announcement of the Election Results"

    number: OptionalText = Field("", description="公告编号，如：柳溪选字第9号")
    legal_basis: OptionalText = Field("", description="法律依据；不填时用该类选举的法律")
    further_round_date: date | None = Field(None, description="另行选举日期（有名额另行选举时）")
    further_round_place: OptionalText = Field("", description="另行选举地点")

    @model_validator(mode="after")
    def _further_round(self) -> ResultsAnnouncement:
        problems = Problems()
        when = self.further_round_date
        if when is not None and not any(post.further_rounds for post in evaluate(self.count).posts):
            problems.add(("further_round_date",), "no_further_round",
                         "the count leaves no seat for a further round", "本次计票没有需要另行选举的名额",
                         when.isoformat())
        elif when is not None and when <= self.election_day:
            problems.add(("further_round_date",), "further_round_before_election",
                         f"the further round ({cn_date(when, lang='en')}) must come after election day "
                         f"({cn_date(self.election_day, lang='en')})",
                         f"另行选举日期（{cn_date(when)}）应在选举日（{cn_date(self.election_day)}）之后",
                         when.isoformat())
        problems.raise_if_any(type(self).__name__)
        return self

    def context(self) -> dict[str, Any]:
        """The common results context, with the legal basis taken from the rule set when not given."""
        ctx = super().context()
        if not self.legal_basis:
            # The rule set's first law, without its amendment note: 《…组织法》（2018年修正） → 《…组织法》.
            law = next(iter(self.outcome().rule_set.laws.values()))
            ctx["legal_basis"] = law.split("》")[0] + "》" if "》" in law else law
        return ctx
