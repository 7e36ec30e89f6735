"""roster.elected — 当选成员花名册: everyone the count elected, with their details, age on election day and votes."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import Field, model_validator

from ...domain import idcard, statistics
from ..fields import IdNumber, Name, OptionalText, Sex, Strict, YesNo
from ..results_common import ResultsDocument
from .common import Problems, both_languages, check_identity, rows_for

# Column widths in mm (landscape, 267 mm); the HTML template reads them, the Word builder repeats them.
WIDTHS = {"no": 10, "name": 24, "sex": 15, "age": 12, "ethnicity": 20, "political_status": 22, "education": 22,
          "post": 30, "votes": 16, "re_elected": 18, "cross": 40, "note": 38}


class ElectedDetails(Strict):
    """What the roster prints about one person the count elected (matched by name)."""

    name: Name
    sex: Sex | None = None
    id_number: IdNumber | None = Field(None, description="公民身份号码（不印出，用来算年龄、核对性别）")
    birth_date: date | None = Field(None, description="出生日期（没有身份号码时用来算年龄）")
    ethnicity: OptionalText = Field("", max_length=20, description="民族")
    political_status: OptionalText = Field("", max_length=20, description="政治面貌，如：中共党员、群众")
    education: OptionalText = Field("", max_length=20, description="文化程度")
    re_elected: YesNo | None = Field(None, description="是否连任（上届也是本委员会成员）")
    party_post: OptionalText = Field("", max_length=30, description="在村党组织中的职务；填写即为交叉任职")
    note: OptionalText = Field("", max_length=60, description="备注")

    @model_validator(mode="after")
    def _identity(self) -> ElectedDetails:
        problems = Problems()
        check_identity(problems, self.sex, None, self.id_number)
        if self.id_number and self.birth_date and self.birth_date != idcard.birth_date(self.id_number):
            problems.add(("birth_date",), "birth_mismatch", "birth date does not match the ID number",
                         "出生日期与公民身份号码不符", self.birth_date.isoformat())
        problems.raise_if_any("ElectedDetails")
        if self.id_number and not self.sex:
            self.sex = idcard.sex(self.id_number)
        return self


class ElectedRoster(ResultsDocument):
    """Those elected, post by post: the post and votes from the results engine, the rest from ``people``."""

    kind_id = "roster.elected"
    title_zh = "当选成员花名册"
    title_en = "Roster of Those Elected"
    landscape = True
    table_rows = "rows"
    rows_per_page = 20
    first_page_rows = 17
    last_page_reserve = 6  # the totals row, the engine's notes (a line or two) and the signature line

    people: list[ElectedDetails] = Field(default_factory=list, max_length=99, description="当选人的个人情况")
    compiled_by: OptionalText = Field("", description="制表人")
    checked_by: OptionalText = Field("", description="审核人")

    @model_validator(mode="after")
    def _people_were_elected(self) -> ElectedRoster:
        problems = Problems()
        elected = {p.name for p in self.outcome().elected()} | {p.name for p in self.count.elected_earlier}
        seen: set[str] = set()
        for i, person in enumerate(self.people):
            if person.name in seen:
                problems.add(("people", i, "name"), "duplicate_person", "this person is listed twice",
                             "同一人重复填写", person.name)
            elif person.name not in elected:
                names_en, names_zh = ", ".join(sorted(elected)) or "nobody", "、".join(sorted(elected)) or "无人"
                problems.add(("people", i, "name"), "not_elected",
                             f"{person.name} is not elected in this count (elected: {names_en})",
                             f"本次计票{person.name}未当选（当选人：{names_zh}）", person.name)
            seen.add(person.name)
        problems.raise_if_any("ElectedRoster")
        return self

    def context(self) -> dict[str, Any]:
        """One row per person elected, by post rank and then votes, with age on election day and totals."""
        ctx = super().context()
        outcome = self.outcome()
        details = {p["name"]: p for p in ctx["people"]}
        rank = {post: title.rank for post, title in outcome.rule_set.posts.items()}
        titles = {post: {"zh": t.zh, "en": t.en} for post, t in outcome.rule_set.posts.items()}
        found = [(p, False) for p in ctx["results"]["elected"]]
        found += [({"name": p.name, "post": p.post, "title": titles.get(p.post, {"zh": p.post, "en": p.post}),
                    "votes": None, "sex": p.sex, "write_in": False}, True) for p in self.count.elected_earlier]
        found.sort(key=lambda item: (rank.get(item[0]["post"], 99), not item[1], -(item[0]["votes"] or 0)))
        rows = []
        for n, (person, earlier) in enumerate(found, start=1):
            more = details.get(person["name"], {})
            row = {
                "no": n,
                "name": person["name"],
                "sex": more.get("sex") or person["sex"],
                "age": statistics.person_age(more, self.election_day) if more else None,
                "ethnicity": more.get("ethnicity", ""),
                "political_status": more.get("political_status", ""),
                "education": more.get("education", ""),
                "title": person["title"],
                "votes": person["votes"],
                "re_elected": more.get("re_elected"),
                "party_post": more.get("party_post", ""),
                "write_in": person["write_in"],
                "earlier": earlier,
                "note": more.get("note", ""),
                "id_number": more.get("id_number"),
                "birth_date": more.get("birth_date"),
            }
            rows.append(row)
        ages = statistics.average_age(rows, self.election_day)
        ctx.update(
            rows=rows,
            widths=list(WIDTHS.values()),
            total=len(rows),
            women=statistics.share_of_women(rows),
            average_age=ages,
            party_members=statistics.share_of_party_members(rows),
            re_elected=sum(1 for r in rows if r["re_elected"]),
            cross_holding=sum(1 for r in rows if r["party_post"]),
        )
        return ctx

    def row_lines(self, row: Any) -> int:
        """Names, education, the post in either language, cross-holding and notes can wrap."""
        post = max(row["title"]["zh"], row["title"]["en"], key=len)
        return rows_for([(row["name"], WIDTHS["name"]), (row["ethnicity"], WIDTHS["ethnicity"]),
                         (row["political_status"], WIDTHS["political_status"]),
                         (row["education"], WIDTHS["education"]), (post, WIDTHS["post"]),
                         (both_languages("是") + row["party_post"], WIDTHS["cross"]),
                         (both_languages("另选他人当选") + row["note"], WIDTHS["note"])])
