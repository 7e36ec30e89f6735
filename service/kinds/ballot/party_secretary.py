"""ballot.party-secretary — 书记、副书记选票: one section per post, candidates in the approved order."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import Field, field_validator

from ...checks import Problems
from ..fields import Strict, Text, YesNo
from .common import BallotModel, Candidate, ballot_columns, check_margin, check_names
from .face import check_candidate_figures, check_no_figures, organisation

Post = Literal["secretary", "deputy_secretary"]
POST_ORDER: tuple[Post, ...] = ("secretary", "deputy_secretary")
POST_ZH = {"secretary": "书记", "deputy_secretary": "副书记"}
POST_EN = {"secretary": "secretary", "deputy_secretary": "deputy secretary"}
# 《中国共产党支部工作条例（试行）》（2018年）第六章: 支部委员会设书记……必要时可以设一名副书记 (article not checked).
ONE_SECRETARY = "《中国共产党支部工作条例（试行）》（2018年）第六章"


class SecretaryPost(Strict):
    """A post, its seats and its candidates, in the order the higher committee approved (never re-sorted)."""

    post: Post = Field(description="secretary 书记 / deputy_secretary 副书记")
    seats: int = Field(1, ge=1, le=2, description="应选名额")
    candidates: list[Candidate] = Field(
        min_length=1, max_length=6, description="候选人，按上级党组织批复的顺序排列（票面不重新排序）"
    )


class PartySecretaryBallot(BallotModel):
    """Usually as many candidates as seats (等额): the profile's ``party-branch`` margins for these posts."""

    kind_id = "ballot.party-secretary"
    title_zh = "书记、副书记选票"
    title_en = "Secretary and Deputy Secretary Ballot"
    rule_set: ClassVar[str] = "party-branch"

    branch: Text = Field(description="党组织名称，如：中共柳溪村支部（末尾的“委员会”可省略，票头会加上）")
    posts: list[SecretaryPost] = Field(min_length=1, max_length=2)
    write_in: YesNo = Field(True, description="是否留“另选人”格（投不赞成票者可以另选他人）")

    @field_validator("branch")
    @classmethod
    def _branch(cls, value: str) -> str:
        return organisation(value)

    def ballot_checks(self, problems: Problems) -> None:
        """One secretary; each post once; the profile's margins; nobody standing for both posts; no figures."""
        seen: dict[str, int] = {}
        for i, post in enumerate(self.posts):
            loc = ("posts", i)
            if post.post in seen:
                problems.add(
                    (*loc, "post"),
                    "post_twice",
                    f"{POST_EN[post.post]} appears twice",
                    f"{POST_ZH[post.post]}栏重复",
                    post.post,
                )
            seen[post.post] = i
            if post.post == "secretary" and post.seats != 1:
                problems.add(
                    (*loc, "seats"),
                    "one_secretary",
                    f"a branch elects one secretary, not {post.seats} ({ONE_SECRETARY})",
                    f"党组织只设一名书记，不能应选{post.seats}名（{ONE_SECRETARY}）",
                    post.seats,
                )
            check_margin(
                problems,
                (*loc, "candidates"),
                self.profile,
                self.rule_set,
                post.post,
                post.seats,
                len(post.candidates),
                POST_ZH[post.post],
                POST_EN[post.post],
            )
            check_names(problems, (*loc, "candidates"), post.candidates, POST_ZH[post.post], POST_EN[post.post])
            check_candidate_figures(problems, (*loc, "candidates"), post.candidates)
        if len(self.posts) == 2 and self.posts[0].post != self.posts[1].post:
            secretaries = {(c.name, c.note) for c in self.posts[seen["secretary"]].candidates}
            deputies = self.posts[seen["deputy_secretary"]].candidates
            for j, c in enumerate(deputies):
                if (c.name, c.note) in secretaries:
                    problems.add(
                        ("posts", seen["deputy_secretary"], "candidates", j, "name"),
                        "candidate_in_two_posts",
                        f"{c.name} stands for both secretary and deputy secretary",
                        f"{c.name}同时是书记和副书记的候选人",
                        c.name,
                    )
        check_no_figures(problems, ("election",), self.election, "the election", "选举名称")
        check_no_figures(problems, ("branch",), self.branch, "the branch", "党组织名称")

    def context(self) -> dict[str, Any]:
        """Secretary first, then deputy secretary; candidates exactly as approved; write-in columns last."""
        ctx = super().context()
        by_post = {p["post"]: p for p in ctx["posts"]}
        ctx["posts"] = [
            ballot_columns({**by_post[post], "label": POST_ZH[post]}, None if self.write_in else 0)
            for post in POST_ORDER
            if post in by_post
        ]
        return ctx
