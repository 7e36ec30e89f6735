"""roster.voters — 选民登记花名册."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import Field, model_validator

from ... import filters, i18n
from ...domain import idcard
from ...render.sheet import Column
from ..base import KindModel
from ..fields import IdNumber, Name, OptionalText, Place, Sex, Signature, Strict, Text, YesNo

CATEGORIES = ("resident", "registered_away", "non_registered")


class Voter(Strict):
    """One registered voter; sex and birth date come from the ID number when not given."""

    name: Name
    sex: Sex | None = None
    birth: date | None = Field(None, description="出生日期（只印年月）")
    id_number: IdNumber | None = Field(None, description="公民身份号码")
    group: OptionalText = Field("", description="村民小组")
    category: Literal["resident", "registered_away", "non_registered"] = Field(
        "resident", description="登记类别：户籍在本村并居住 / 户籍在本村不居住本村 / 非户籍居住一年以上"
    )
    note: OptionalText = ""

    @model_validator(mode="after")
    def _from_id(self) -> Voter:
        if self.id_number:
            self.sex = self.sex or idcard.sex(self.id_number)
            self.birth = self.birth or idcard.birth_date(self.id_number)
        return self


CATEGORY_LABELS = {"resident": "户籍在本村并居住", "registered_away": "户籍在本村不居住",
                   "non_registered": "非户籍居住一年以上"}


class VoterRoster(KindModel):
    """The voter register: one row per voter, grouped by residents' group, with subtotals."""

    kind_id = "roster.voters"
    title_zh = "选民登记花名册"
    title_en = "Voter Register"
    landscape = True
    table_rows = "rows"
    columns = (
        Column("序号", 12), Column("姓名", 30), Column("性别", 15), Column("出生年月", 20),
        Column("公民身份号码", 48), Column("村民小组", 34), Column("登记类别", 42), Column("备注", 66, "left"),
    )

    place: Place
    term: int = Field(ge=1, le=99, description="第N届村民委员会选举")
    mask_ids: YesNo = Field(False, description="公民身份号码是否隐去中间出生日期部分（张贴公示时用）")
    voters: list[Voter] = Field(min_length=1, max_length=100_000)
    compiled_by: OptionalText = Field("", description="制表人")
    checked_by: OptionalText = Field("", description="审核人")
    signature: Signature
    remark: Text | None = Field(None, description="表下说明")

    def context(self) -> dict[str, Any]:
        """Voters grouped by residents' group in order of first appearance, numbered, with group subtotals."""
        ctx = super().context()
        groups: dict[str, list[dict[str, Any]]] = {}
        for voter in ctx["voters"]:
            groups.setdefault(voter["group"], []).append(voter)
        rows: list[dict[str, Any]] = []
        n = 0
        for members in groups.values():
            for voter in members:
                n += 1
                rows.append({**voter, "no": n})
        ctx["rows"] = rows
        ctx["groups"] = []
        offset = 0
        for name, members in groups.items():
            ctx["groups"].append({"name": name, "voters": members, "count": len(members), "offset": offset})
            offset += len(members)
        ctx["total"] = n
        ctx["female_total"] = sum(1 for v in rows if v["sex"] == "female")
        return ctx

    def cells(self, row: Any, lang: str) -> list[str]:
        """One voter's printed row."""
        number = row["id_number"] or ""
        return [
            str(row["no"]), row["name"], filters.sex_label(row["sex"], lang), filters.cn_month(row["birth"], lang),
            filters.mask_id(number) if number and self.mask_ids else number, row["group"],
            i18n.gettext(CATEGORY_LABELS[row["category"]], lang), row["note"],
        ]
