"""ballot.villagers-committee — 村民委员会选举票: one combined ballot for director, deputy director and members."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from ...checks import Problems
from ...domain.strokes import sort_by_strokes
from ..fields import Strict
from .common import BallotModel, Candidate, ballot_columns, check_margin, check_names
from .face import check_no_figures

Post = Literal["director", "deputy_director", "member"]
POST_ORDER: tuple[Post, ...] = ("director", "deputy_director", "member")
POST_ZH = {"director": "主任", "deputy_director": "副主任", "member": "委员"}
POST_EN = {"director": "director", "deputy_director": "deputy director", "member": "members"}
# 《村民委员会组织法》第六条: 三至七人; 《城市居民委员会组织法》第七条: 五至九人.
SEATS = {
    "villagers": (3, 7, "《中华人民共和国村民委员会组织法》第六条"),
    "residents": (5, 9, "《中华人民共和国城市居民委员会组织法》第七条"),
}


class BallotPost(Strict):
    """One section of the combined ballot: a post, its seats and its candidates."""

    post: Post = Field(description="director 主任 / deputy_director 副主任 / member 委员")
    seats: int = Field(ge=1, le=9, description="应选名额")
    candidates: list[Candidate] = Field(min_length=1, max_length=30)


class VillagersCommitteeBallot(BallotModel):
    """The combined ballot; ``committee: residents`` gives the residents' committee variant."""

    kind_id = "ballot.villagers-committee"
    title_zh = "村民委员会选举票"
    title_en = "Villagers' Committee Ballot"

    committee: Literal["villagers", "residents"] = Field("villagers", description="村民委员会或居民委员会")
    posts: list[BallotPost] = Field(min_length=1, max_length=3)

    def ballot_checks(self, problems: Problems) -> None:
        """Seats within the law's range, the profile's candidate margins, names told apart."""
        check_no_figures(problems, ("election",), self.election, "the election's name", "选举名称")
        rule_set = "villagers-committee" if self.committee == "villagers" else "residents-committee"
        low, high, law = SEATS[self.committee]
        total = sum(p.seats for p in self.posts)
        if not low <= total <= high:
            problems.add(
                ("posts",),
                "total_seats",
                f"the committee has {total} seats; it must have {low} to {high} ({law})",
                f"委员会职数合计{total}名，应为{low}至{high}名（{law}）",
                total,
            )
        seen: set[str] = set()
        for i, post in enumerate(self.posts):
            if post.post in seen:
                problems.add(
                    ("posts", i, "post"),
                    "post_twice",
                    f"{POST_EN[post.post]} appears twice",
                    f"{POST_ZH[post.post]}栏重复",
                    post.post,
                )
            seen.add(post.post)
            check_margin(
                problems,
                ("posts", i, "candidates"),
                self.profile,
                rule_set,
                post.post,
                post.seats,
                len(post.candidates),
                POST_ZH[post.post],
                POST_EN[post.post],
            )
            check_names(problems, ("posts", i, "candidates"), post.candidates, POST_ZH[post.post], POST_EN[post.post])

    def context(self) -> dict[str, Any]:
        """Posts in the order director, deputy, members; candidates by surname strokes; write-in columns."""
        ctx = super().context()
        by_post = {p["post"]: p for p in ctx["posts"]}
        ctx["posts"] = [
            ballot_columns(
                {
                    **by_post[post],
                    "label": POST_ZH[post],
                    "candidates": sort_by_strokes(by_post[post]["candidates"], key=lambda c: c["name"]),
                }
            )
            for post in POST_ORDER
            if post in by_post
        ]
        ctx["ballot_title"] = "村民委员会选举票" if self.committee == "villagers" else "居民委员会选举票"
        return ctx
