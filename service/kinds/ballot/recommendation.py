"""ballot.recommendation — 推荐票: per post, up to N names a voter writes in; no names are printed.

A nomination ballot prints no names, not even suggested ones: a printed name would steer a free nomination,
and the names found by the count become the preliminary candidates (初步候选人), which are then announced and
ordered by strokes. Each post has N blank cells, one per name a voter may recommend.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from ...checks import Problems
from ...rules import load_rule_set
from ..fields import Strict
from .common import BallotModel
from .face import check_no_figures

RuleSetName = Literal["villagers-committee", "residents-committee", "party-branch"]
Post = Literal["director", "deputy_director", "member", "secretary", "deputy_secretary", "committee_member"]
TITLES = {
    "villagers-committee": "村民委员会成员候选人推荐票",
    "residents-committee": "居民委员会成员候选人推荐票",
    "party-branch": "党支部委员会成员候选人推荐票",
}


class RecommendationPost(Strict):
    """A post and how many names a voter may recommend for it (推荐不超过N名)."""

    post: Post = Field(
        description="职务：村（居）委会 director/deputy_director/member；党组织 secretary/"
        "deputy_secretary/committee_member"
    )
    up_to: int = Field(le=9, description="每位推荐人本职务最多推荐几名（推荐不超过N名，至少一名）")


class RecommendationBallot(BallotModel):
    """Nomination (推荐): the voter writes names in blank cells, at most ``up_to`` per post."""

    kind_id = "ballot.recommendation"
    title_zh = "推荐票"
    title_en = "Nomination Ballot"

    # Named rule_set in the input; the attribute has another name so as not to shadow BallotModel.rule_set.
    election_rules: RuleSetName = Field(
        "villagers-committee", alias="rule_set", description="选举类别，决定票头、职务名称和说明文字"
    )
    posts: list[RecommendationPost] = Field(min_length=1, max_length=3)

    def ballot_checks(self, problems: Problems) -> None:
        """Posts of the rule set, each once, each taking at least one name; no figures on the face."""
        rule_set = load_rule_set(self.election_rules)
        seen: set[str] = set()
        for i, post in enumerate(self.posts):
            loc = ("posts", i)
            title = rule_set.posts.get(post.post)
            if title is None:
                problems.add(
                    (*loc, "post"),
                    "post_not_in_rule_set",
                    f"{post.post} is not a post of a {self.election_rules} election ({', '.join(rule_set.posts)})",
                    f"“{post.post}”不是{rule_set.title.zh}的职务",
                    post.post,
                )
                continue
            if post.post in seen:
                problems.add((*loc, "post"), "post_twice", f"{title.en} appears twice", f"{title.zh}栏重复", post.post)
            seen.add(post.post)
            if post.up_to < 1:
                problems.add(
                    (*loc, "up_to"),
                    "recommend_at_least_one",
                    f"{title.en}: a voter must be able to recommend at least one name (up_to is {post.up_to})",
                    f"{title.zh}：每位推荐人至少可以推荐一名（现为{post.up_to}名）",
                    post.up_to,
                )
        check_no_figures(problems, ("election",), self.election, "the election", "选举名称")

    def context(self) -> dict[str, Any]:
        """Posts by rank, each with ``up_to`` blank cells."""
        ctx = super().context()
        titles = load_rule_set(self.election_rules).posts
        ctx["posts"] = [
            {"post": p.post, "label": titles[p.post].zh, "up_to": p.up_to, "cells": p.up_to}
            for p in sorted(self.posts, key=lambda p: titles[p.post].rank)
        ]
        ctx["rule_set"] = self.election_rules
        ctx["party"] = self.election_rules == "party-branch"
        ctx["ballot_title"] = TITLES[self.election_rules]
        return ctx
