"""roster.candidates — 候选人花名册: candidates grouped by the post they stand for, by surname strokes."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, model_validator

from ...domain import idcard
from ...domain.strokes import sort_by_strokes
from ..base import KindModel
from ..fields import IdNumber, Name, OptionalText, Place, Sex, Signature, Strict
from .common import Problems, both_languages, check_identity, check_joined, rows_for

# The posts of each election in the order a roster lists them, with the label the 拟任职务 column prints
# (the HTML and Word templates carry the same labels for translation).
POSTS: dict[str, dict[str, str]] = {
    "villagers_committee": {"director": "村委会主任", "deputy_director": "村委会副主任", "member": "村委会委员"},
    "party_branch": {"secretary": "党支部书记", "deputy_secretary": "党支部副书记", "member": "党支部委员"},
}
_POST_ALIASES = {"主任": "director", "副主任": "deputy_director", "委员": "member", "书记": "secretary",
                 "副书记": "deputy_secretary"}
_POST_ALIASES.update({label: key for posts in POSTS.values() for key, label in posts.items()})


def _post_alias(value: object) -> object:
    return _POST_ALIASES.get(value.strip(), value) if isinstance(value, str) else value


Post = Annotated[Literal["director", "deputy_director", "member", "secretary", "deputy_secretary"],
                 BeforeValidator(_post_alias)]
# Column widths in mm (landscape, 267 mm); the HTML template reads them, the Word builder repeats them.
WIDTHS = {"no": 10, "name": 26, "sex": 15, "birth": 18, "native_place": 28, "ethnicity": 18.5, "joined": 18,
          "education": 21, "current_post": 76.5, "post": 36}


class Candidate(Strict):
    """One candidate; sex and birth date come from the ID number when not given."""

    name: Name
    post: Post = Field(description="拟任职务：director 主任 / deputy_director 副主任 / member 委员 / secretary 书记 / "
                                   "deputy_secretary 副书记")
    sex: Sex | None = None
    birth: date | None = Field(None, description="出生日期（只印年月）")
    id_number: IdNumber | None = Field(None, description="公民身份号码（不印出，只用来核对性别和出生日期）")
    native_place: OptionalText = Field("", max_length=30, description="籍贯，如：浙江青山")
    ethnicity: OptionalText = Field("", max_length=20, description="民族")
    joined: date | None = Field(None, description="入党时间；不是党员的不填")
    education: OptionalText = Field("", max_length=20, description="文化程度")
    current_post: OptionalText = Field("", max_length=60, description="现任职务")

    @model_validator(mode="after")
    def _from_id(self) -> Candidate:
        problems = Problems()
        check_identity(problems, self.sex, self.birth, self.id_number)
        problems.raise_if_any("Candidate")
        if self.id_number:
            self.sex = self.sex or idcard.sex(self.id_number)
            self.birth = self.birth or idcard.birth_date(self.id_number)
        return self


class CandidateRoster(KindModel):
    """The candidates of one election, post by post, each post in surname-stroke order."""

    kind_id = "roster.candidates"
    title_zh = "候选人花名册"
    title_en = "Candidate Roster"
    landscape = True
    table_rows = "rows"
    rows_per_page = 23
    first_page_rows = 20  # room for a title of two lines (a long village name in English)
    last_page_reserve = 3

    place: Place
    election: Literal["villagers_committee", "party_branch"] = Field(
        "villagers_committee", description="村民委员会选举 / 村党支部委员会选举")
    term: int = Field(ge=1, le=99, description="第N届")
    candidates: list[Candidate] = Field(min_length=1, max_length=10_000)
    compiled_by: OptionalText = Field("", description="制表人")
    checked_by: OptionalText = Field("", description="审核人")
    signature: Signature

    @model_validator(mode="after")
    def _rules(self) -> CandidateRoster:
        problems = Problems()
        posts = POSTS[self.election]
        seen_ids: set[str] = set()
        seen_names: set[tuple[str, str]] = set()
        for i, c in enumerate(self.candidates):
            if c.post not in posts:
                problems.add(("candidates", i, "post"), "post_not_in_election",
                             "this post is not elected in this election", "本次选举不设此职务", c.post)
            if self.election == "party_branch" and c.joined is None:
                problems.add(("candidates", i, "joined"), "not_a_party_member",
                             "a candidate for the Party branch committee must be a Party member (joining date missing)",
                             "党支部委员会候选人应为党员（缺入党时间）")
            check_joined(problems, ("candidates", i, "joined"), c.joined, c.birth, self.signature.date)
            if c.id_number and c.id_number in seen_ids:
                problems.add(("candidates", i, "id_number"), "duplicate_candidate",
                             "the same person is listed twice", "同一人重复列入", c.id_number)
            elif not c.id_number and (c.name, c.post) in seen_names:
                problems.add(("candidates", i, "name"), "duplicate_candidate",
                             "the same name is listed twice for this post", "同一职务中姓名重复", c.name)
            if c.id_number:
                seen_ids.add(c.id_number)
            seen_names.add((c.name, c.post))
        problems.raise_if_any("CandidateRoster")
        return self

    def context(self) -> dict[str, Any]:
        """Candidates post by post in the election's post order, by surname strokes within a post, numbered."""
        ctx = super().context()
        groups = []
        rows: list[dict[str, Any]] = []
        for post in POSTS[self.election]:
            members = sort_by_strokes([c for c in ctx["candidates"] if c["post"] == post], key=lambda c: c["name"])
            if members:
                groups.append({"post": post, "candidates": members, "count": len(members), "offset": len(rows)})
                rows += [{**c, "no": len(rows) + n} for n, c in enumerate(members, start=1)]
        ctx.update(rows=rows, groups=groups, total=len(rows), widths=list(WIDTHS.values()),
                   counts={g["post"]: g["count"] for g in groups})
        return ctx

    def row_lines(self, row: Any) -> int:
        """Names, places, education and current posts can wrap; the post label is measured in both languages."""
        label = both_languages(POSTS[self.election][row["post"]])
        return rows_for([(str(row["no"]), WIDTHS["no"]), (row["name"], WIDTHS["name"]),
                         (row["native_place"], WIDTHS["native_place"]), (row["ethnicity"], WIDTHS["ethnicity"]),
                         (row["education"], WIDTHS["education"]), (row["current_post"], WIDTHS["current_post"]),
                         (label, WIDTHS["post"])])
