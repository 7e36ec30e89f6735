"""announcement.candidates — 候选人名单公告: the preliminary or formal candidates for each post."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Any, Literal

from pydantic import Field, model_validator

from ...checks import Problems
from ...domain.strokes import sort_by_strokes
from ...filters import cn_date
from ..base import KindModel
from ..fields import Name, OptionalText, Place, Sex, Signature, Strict, Text, YesNo

Post = Literal["director", "deputy_director", "member"]
POST_ORDER: tuple[Post, ...] = ("director", "deputy_director", "member")
POST_ZH = {"director": "主任", "deputy_director": "副主任", "member": "委员"}
POST_EN = {"director": "director", "deputy_director": "deputy director", "member": "member"}
zh, en = cn_date, partial(cn_date, lang="en")


def age_on(birth: date, day: date) -> int:
    """Completed years of age on a day."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


class Candidate(Strict):
    """One candidate: who they are, as the announcement prints them."""

    name: Name
    sex: Sex
    age: int | None = Field(None, ge=18, le=120, description="年龄（与出生日期二选一）")
    birth: date | None = Field(None, description="出生日期（与年龄二选一；印年龄，按公告日期计算）")
    education: OptionalText = Field("", description="文化程度，如：高中、大专")
    party_member: YesNo = Field(False, description="是否中共党员")
    note: OptionalText = Field("", description="备注，如：现任村委会委员")


class PostCandidates(Strict):
    """The seats of one post and the candidates standing for it."""

    post: Post = Field(description="职务：director 主任 / deputy_director 副主任 / member 委员")
    seats: int = Field(ge=1, le=7, description="应选名额")
    candidates: list[Candidate] = Field(min_length=1, max_length=30)


def _check_post(problems: Problems, loc: tuple[str | int, ...], post: PostCandidates, signed: date) -> None:
    """More candidates than seats, no name twice, and an age (given or from the birth date) of 18 or over."""
    label_zh, label_en = POST_ZH[post.post], POST_EN[post.post]
    count = len(post.candidates)
    # 《村民委员会组织法》第十五条: there must be more candidates than seats (差额选举).
    if count <= post.seats:
        problems.add((*loc, "candidates"), "not_competitive",
                     f"{label_en}: {count} candidate(s) for {post.seats} seat(s); there must be more "
                     "candidates than seats (Organic Law of the Villagers' Committees, article 15)",
                     f"{label_zh}应选{post.seats}名，候选人{count}名；候选人应当多于应选名额"
                     "（《村民委员会组织法》第十五条）", count)
    names: set[str] = set()
    for j, c in enumerate(post.candidates):
        at = (*loc, "candidates", j)
        if c.name in names:
            problems.add((*at, "name"), "duplicate_candidate", f"{c.name} is listed twice for {label_en}",
                         f"{c.name}在{label_zh}候选人中重复列出", c.name)
        names.add(c.name)
        if c.birth is None:
            if c.age is None:
                problems.add((*at, "age"), "age_missing", f"give the age or the birth date of {c.name}",
                             f"请填写{c.name}的年龄或出生日期")
            continue
        years = age_on(c.birth, signed)
        if years < 18:
            problems.add((*at, "birth"), "under_age", f"{c.name} is under 18 on {en(signed)}",
                         f"{c.name}在{zh(signed)}未满十八周岁", c.birth.isoformat())
        elif c.age is not None and c.age != years:
            problems.add((*at, "age"), "age_mismatch",
                         f"by the birth date {c.name} is {years} on {en(signed)}, not {c.age}",
                         f"按出生日期，{c.name}在{zh(signed)}为{years}岁，不是{c.age}岁", c.age)


class CandidatesAnnouncement(KindModel):
    """The list of preliminary (初步) or formal (正式) candidates, post by post, in surname-stroke order."""

    kind_id = "announcement.candidates"
    title_zh = "候选人名单公告"
    title_en = "Announcement of the Candidates"

    place: Place
    number: OptionalText = Field("", description="公告编号，如：柳溪选字第5号")
    term: int = Field(ge=1, le=99, description="本次选举的届次（第N届村民委员会）")
    stage: Literal["preliminary", "formal"] = Field(description="preliminary 初步候选人 / formal 正式候选人")
    legal_basis: Text = Field("《中华人民共和国村民委员会组织法》", description="法律依据")
    posts: list[PostCandidates] = Field(min_length=1, max_length=3, description="各职务的名额和候选人")
    election_day: date | None = Field(None, description="选举日")
    objection_deadline: date | None = Field(None, description="对候选人有异议的，提出的截止日期")
    contact: OptionalText = Field("", description="异议受理地点或电话")
    signature: Signature

    @model_validator(mode="after")
    def _check(self) -> CandidatesAnnouncement:
        problems = Problems()
        signed = self.signature.date
        seen: set[str] = set()
        for i, post in enumerate(self.posts):
            if post.post in seen:
                problems.add(("posts", i, "post"), "duplicate_post",
                             f"the post {POST_EN[post.post]} is listed twice",
                             f"职务“{POST_ZH[post.post]}”重复列出", post.post)
            seen.add(post.post)
            _check_post(problems, ("posts", i), post, signed)
        later = (("objection_deadline", self.objection_deadline, "the objection deadline", "异议截止日期"),
                 ("election_day", self.election_day, "election day", "选举日"))
        for field, value, what_en, what_zh in later:
            if value is not None and value <= signed:
                problems.add((field,), f"{field}_order",
                             f"{what_en} ({en(value)}) must be after the date of the announcement "
                             f"({en(signed)})",
                             f"{what_zh}（{zh(value)}）应在公告日期（{zh(signed)}）之后", value.isoformat())
        problems.raise_if_any(type(self).__name__)
        return self

    def context(self) -> dict[str, Any]:
        """Posts from director down; each post's candidates in surname-stroke order, with their age."""
        ctx = super().context()
        signed = self.signature.date
        posts = sorted(ctx["posts"], key=lambda p: POST_ORDER.index(p["post"]))
        for post in posts:
            for c in post["candidates"]:
                if c["age"] is None:
                    c["age"] = age_on(c["birth"], signed)
            post["candidates"] = sort_by_strokes(post["candidates"], key=lambda c: c["name"])
        ctx["posts"] = posts
        ctx["total"] = sum(len(p["candidates"]) for p in posts)
        return ctx
