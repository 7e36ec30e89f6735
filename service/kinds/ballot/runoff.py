"""ballot.runoff — 另行选举选票: the seats left unfilled, candidates in the order of their previous-round votes.

Order: most previous votes first; equal votes by surname strokes (the order every list uses when nothing else
decides). The previous votes only order the list: they are dropped from the render context and never printed.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from ...checks import Problems
from ...domain.strokes import stroke_key
from ...rules import load_profile, load_rule_set
from ..fields import Strict, YesNo
from .common import BallotModel, Candidate, ballot_columns, check_names
from .face import check_candidate_figures, check_no_figures

RuleSetName = Literal["villagers-committee", "residents-committee", "party-branch"]
Post = Literal["director", "deputy_director", "member", "secretary", "deputy_secretary", "committee_member"]
PARTY = "party-branch"


class RunoffCandidate(Candidate):
    """A candidate of the further round with the votes of the previous round."""

    previous_votes: int = Field(ge=0, le=1_000_000, description="上一轮得票数（只用于排序，不印在选票上）")


class RunoffPost(Strict):
    """A post with seats left to fill and the people standing for them."""

    post: Post = Field(
        description="职务：村（居）委会 director/deputy_director/member；党组织 secretary/"
        "deputy_secretary/committee_member"
    )
    seats: int = Field(ge=1, le=9, description="另行选举的名额（不足的名额）")
    candidates: list[RunoffCandidate] = Field(min_length=1, max_length=20)


def further_round_minimum(profile: str, rule_set: str, seats: int) -> tuple[int, str]:
    """The fewest candidates a further round for ``seats`` seats may have, and the source that says so.

    The profile's ``further_round_extra_candidates`` (default 1) decides; where the rule set says candidates
    must exceed seats (villagers' and residents' committees) a profile cannot go below one extra.
    """
    setting = load_profile(profile).setting(rule_set, "further_round_extra_candidates")
    extra, source = int(setting.value), setting.source
    rules = load_rule_set(rule_set)
    exceed = [r for r in rules.rules if r.id.endswith(".candidates_exceed_seats")]
    if exceed and extra < 1:
        extra, source = 1, exceed[0].source
    return seats + extra, source.law + (source.article or "")


class RunoffBallot(BallotModel):
    """A further round (另行选举) of a villagers', residents' or Party committee election."""

    kind_id = "ballot.runoff"
    title_zh = "另行选举选票"
    title_en = "Further-Round Ballot"

    # Named rule_set in the input; the attribute has another name so as not to shadow BallotModel.rule_set.
    election_rules: RuleSetName = Field(
        "villagers-committee", alias="rule_set", description="选举类别，决定职务名称、说明文字和印章"
    )
    posts: list[RunoffPost] = Field(min_length=1, max_length=3)
    write_in: YesNo = Field(True, description="是否留“另选人”格")

    def ballot_checks(self, problems: Problems) -> None:
        """Posts of the rule set, each once; enough candidates for a further round; names told apart."""
        rule_set = self.election_rules
        titles = load_rule_set(rule_set).posts
        seen: set[str] = set()
        for i, post in enumerate(self.posts):
            loc = ("posts", i)
            if post.post not in titles:
                problems.add(
                    (*loc, "post"),
                    "post_not_in_rule_set",
                    f"{post.post} is not a post of a {rule_set} election ({', '.join(titles)})",
                    f"“{post.post}”不是{load_rule_set(rule_set).title.zh}的职务",
                    post.post,
                )
                continue
            title = titles[post.post]
            if post.post in seen:
                problems.add((*loc, "post"), "post_twice", f"{title.en} appears twice", f"{title.zh}栏重复", post.post)
            seen.add(post.post)
            need, cite = further_round_minimum(self.profile, rule_set, post.seats)
            if len(post.candidates) < need:
                problems.add(
                    (*loc, "candidates"),
                    "further_round_candidates",
                    f"{title.en}: {len(post.candidates)} candidate(s) for {post.seats} remaining seat(s); "
                    f"the further round needs at least {need} ({cite})",
                    f"{title.zh}另行选举{post.seats}名，候选人{len(post.candidates)}名；应至少{need}名（{cite}）",
                    len(post.candidates),
                )
            check_names(problems, (*loc, "candidates"), list(post.candidates), title.zh, title.en)
            check_candidate_figures(problems, (*loc, "candidates"), post.candidates)
        check_no_figures(problems, ("election",), self.election, "the election", "选举名称")

    def context(self) -> dict[str, Any]:
        """Posts by rank; candidates by previous votes (ties by strokes), without their votes; write-ins last."""
        ctx = super().context()
        rule_set = self.election_rules
        titles = load_rule_set(rule_set).posts
        posts = []
        for post in sorted(self.posts, key=lambda p: titles[p.post].rank):
            ordered = sorted(post.candidates, key=lambda c: (-c.previous_votes, stroke_key(c.name)))
            candidates = [{"name": c.name, "note": c.note} for c in ordered]
            posts.append(
                ballot_columns(
                    {"post": post.post, "label": titles[post.post].zh, "seats": post.seats, "candidates": candidates},
                    None if self.write_in else 0,
                )
            )
        ctx["posts"] = posts
        ctx["rule_set"] = rule_set
        ctx["party"] = rule_set == PARTY
        majority = load_profile(self.profile).setting(PARTY, "majority_base").value if rule_set == PARTY else None
        ctx["majority_base"] = majority
        ctx["ballot_title"] = "另行选举选票"
        return ctx
