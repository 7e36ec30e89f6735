"""report.result-form — 选举结果报告单: the one-page form a village sends the township after the count."""

from __future__ import annotations

from pydantic import Field

from ..fields import Name, OptionalText
from ..results_blank import BlankableResults


class ResultForm(BlankableResults):
    """The election, its day, the turnout, those elected per post with their votes, signatures and seal."""

    kind_id = "report.result-form"
    title_zh = "选举结果报告单"
    title_en = "Election Result Report"

    addressee: OptionalText = Field("", description="报送机关，如：石门镇人民政府")
    committee_chair: Name | None = Field(None, description="村民选举委员会主任（党内选举为会议主持人）")
    chief_scrutineer: Name | None = Field(None, description="总监票人")
    reporter: OptionalText = Field("", description="填报人")
    phone: OptionalText = Field("", description="联系电话")
    remark: OptionalText = Field("", description="备注")
