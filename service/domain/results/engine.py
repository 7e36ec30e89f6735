"""The results engine: validity, the elected, ties and further rounds of one count, each with its rule.

Order of work: validity checks (turnout or quorum, ballots returned) → posts from the highest down (one
person, one post) → the committee-wide woman-member check. Every number that decides something comes from the
rule set (thresholds, bases, fractions) or the profile (settings); this module only applies them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from service.rules import Profile, Rule, RuleSet, Setting, Text, load_profile, load_rule_set

from .decisions import Decision, Names, decide, setting_ref
from .jobs import PostJob, combined_jobs, separate_job
from .models import ResultsInput
from .outcome import ElectionOutcome, NextVote, PostResult, Threshold
from .tally import Allocation, Contender, allocate, further_round_list, min_count, ranked, vote_threshold
from .women import apply_woman_rule

_RELATION_WORD = {"more_than": Text(zh="超过", en="more than"), "at_least": Text(zh="达到", en="at least")}
_BASE_WORD = {
    "present": Text(zh="实到会有选举权的党员", en="voting members present"),
    "electorate": Text(zh="应到会有选举权的党员", en="voting members who should attend"),
    "ballots_returned": Text(zh="参加投票的人", en="who voted"),
}


@dataclass(frozen=True)
class Context:
    """The count with the rule set and profile it is judged by."""

    data: ResultsInput
    rules: RuleSet
    profile: Profile

    @property
    def exclusive(self) -> bool:
        """Whether one person may hold only one post (committees yes; a Party secretary is also a member)."""
        return self.data.rule_set != "party-branch"

    def rule(self, suffix: str) -> Rule:
        """The rule of this rule set with the given id suffix."""
        return self.rules.by_suffix(suffix)

    def has(self, suffix: str) -> bool:
        """Whether this rule set has the rule."""
        try:
            self.rule(suffix)
        except KeyError:
            return False
        return True

    def setting(self, key: str) -> Setting:
        """A profile setting for this rule set."""
        return self.profile.setting(self.data.rule_set, key)

    def setting_ref(self, key: str) -> dict[str, Any]:
        """The setting as a decision cites it."""
        return setting_ref(self.profile.profile, key, self.setting(key))

    def title(self, post: str) -> Text:
        """The printed title of a post; unknown posts print their key."""
        known = self.rules.posts.get(post)
        return Text(zh=known.zh, en=known.en) if known else Text(zh=post, en=post)

    def rank(self, post: str) -> int:
        """Post rank, unknown posts last."""
        known = self.rules.posts.get(post)
        return known.rank if known else len(self.rules.posts) + 1

    def number(self, name: str) -> int:
        """One of the entered counts by field name."""
        value = getattr(self.data, name)
        if not isinstance(value, int):
            raise ValueError(f"{name} is not entered")
        return value


def _limit_check(ctx: Context, suffix: str) -> Decision:
    rule = ctx.rule(suffix)
    count, limit = ctx.number(rule.params["count"]), ctx.number(rule.params["limit"])
    return decide(rule, "pass" if count <= limit else "fail", count=count, limit=limit)


def _share_check(ctx: Context, suffix: str) -> Decision:
    rule = ctx.rule(suffix)
    relation, setting = rule.params["relation"], None
    if "setting" in rule.params:
        relation, setting = ctx.setting(rule.params["setting"]).value, ctx.setting_ref(rule.params["setting"])
    count, base = ctx.number(rule.params["count"]), ctx.number(rule.params["base"])
    need = min_count(base, relation, Fraction(rule.params["fraction"]))
    return decide(
        rule,
        "pass" if count >= need else "fail",
        setting=setting,
        count=count,
        base=base,
        min_count=need,
        relation_word=_RELATION_WORD[relation],
    )


def validity(ctx: Context) -> list[Decision]:
    """The checks that make the whole vote valid or void, in the order a clerk announces them."""
    if ctx.data.rule_set == "party-branch":
        return [
            _share_check(ctx, "quorum"),
            _limit_check(ctx, "returned_within_present"),
            _limit_check(ctx, "returned_within_issued"),
        ]
    return [_limit_check(ctx, "returned_within_issued"), _share_check(ctx, "turnout")]


def threshold(ctx: Context) -> tuple[Threshold, Rule, dict[str, Any] | None]:
    """The fewest votes that elect in this round, the rule it comes from and any profile setting used."""
    rule = ctx.rule("elected_majority" if ctx.data.round == "regular" else "further_round_threshold")
    base_kind, setting = rule.params["base"], None
    if "setting" in rule.params:
        key = rule.params["setting"]
        base_kind, setting = ctx.setting(key).value, ctx.setting_ref(key)
    base = ctx.number(base_kind)
    relation, fraction = rule.params["relation"], Fraction(rule.params["fraction"])
    found = Threshold(
        rule=rule.id,
        min_votes=vote_threshold(base, relation, fraction),
        base=base,
        base_kind=base_kind,
        relation=relation,
        fraction=str(fraction),
    )
    return found, rule, setting


def build_jobs(ctx: Context) -> list[PostJob]:
    """Posts to decide, highest first when one person may hold only one post."""
    jobs = [separate_job(tally, i) for i, tally in enumerate(ctx.data.posts)]
    if ctx.data.combined is not None:
        transfer = bool(ctx.setting("combined_ballot_transfer").value)
        jobs += combined_jobs(ctx.data.combined, transfer=transfer, entered=len(jobs))
    if ctx.exclusive:
        jobs.sort(key=lambda job: (ctx.rank(job.post), job.entered))
    return jobs


def _next_votes(
    ctx: Context, result: PostResult, alloc: Allocation, pool: Sequence[Contender], women_only: bool
) -> None:
    """Record what the allocation leaves open: a tie vote, a further round or a vacancy."""
    title = result.title
    if len(alloc.qualified) > alloc.seats > 0:
        result.decisions.append(
            decide(
                ctx.rule("most_votes_fill_seats"),
                "info",
                message="info",
                post=title,
                count=len(alloc.qualified),
                seats=alloc.seats,
            )
        )
    if alloc.tied:
        names = tuple(c.name for c in alloc.tied)
        result.tie_votes.append(NextVote(seats=alloc.tie_seats, candidates=names, women_only=women_only))
        result.decisions.append(
            decide(
                ctx.rule("tie_last_seat"),
                "warning",
                post=title,
                seats=alloc.tie_seats,
                names=Names(names),
                votes=alloc.tied[0].votes,
                count=len(names),
            )
        )
    if not alloc.shortfall:
        return
    if ctx.data.round == "further":
        result.vacant += alloc.shortfall
        result.decisions.append(
            decide(ctx.rule("further_round_vacancy"), "warning", post=title, vacant=alloc.shortfall)
        )
        return
    extra = int(ctx.setting("further_round_extra_candidates").value)
    standing, boundary = further_round_list(pool, alloc.shortfall + extra)
    names = tuple(c.name for c in standing)
    result.further_rounds.append(
        NextVote(seats=alloc.shortfall, candidates=names, women_only=women_only, boundary_tie=boundary)
    )
    result.decisions.append(
        decide(
            ctx.rule("shortfall_further_round"),
            "warning",
            setting=ctx.setting_ref("further_round_extra_candidates"),
            post=title,
            seats=result.seats,
            elected=len(result.elected),
            shortfall=alloc.shortfall,
            names=Names(names),
        )
    )
    if len(names) <= alloc.shortfall and ctx.has("candidates_exceed_seats"):
        result.decisions.append(
            decide(
                ctx.rule("candidates_exceed_seats"),
                "warning",
                post=title,
                count=len(names),
                seats=alloc.shortfall,
            )
        )


def count_post(
    ctx: Context,
    job: PostJob,
    taken: Mapping[str, str],
    pending: Sequence[str],
    *,
    reserve_woman_seat: bool = False,
) -> PostResult:
    """Decide one post; with `reserve_woman_seat`, one seat is filled only from the women standing."""
    found, rule, setting = threshold(ctx)
    title = ctx.title(job.post)
    excluded = tuple(c for c in job.contenders if c.name in taken)
    contenders = tuple(c for c in job.contenders if c.name not in taken)
    result = PostResult(
        post=job.post,
        title=title,
        seats=job.seats,
        ballot=job.ballot,
        threshold=found,
        contenders=contenders,
        excluded=excluded,
    )
    for c in excluded:
        if c.votes:
            result.decisions.append(
                decide(
                    ctx.rule("one_post_per_person"),
                    "info",
                    subject=c.name,
                    name=c.name,
                    higher=ctx.title(taken[c.name]),
                    post=title,
                )
            )
    for c in ranked(contenders):
        if c.raw is not None and c.votes != c.raw[job.post]:
            result.decisions.append(
                decide(
                    ctx.rule("combined_ballot_transfer"),
                    "info",
                    subject=c.name,
                    setting=ctx.setting_ref("combined_ballot_transfer"),
                    name=c.name,
                    post=title,
                    votes=c.votes,
                    director=c.raw["director"],
                    deputy_director=c.raw["deputy_director"],
                    member=c.raw["member"],
                )
            )
        if not c.votes and (c.write_in or job.ballot == "combined"):
            continue  # nobody to report on: unmarked people on a combined ballot, empty write-in lines
        result.decisions.append(
            decide(
                rule,
                "pass" if c.votes >= found.min_votes else "fail",
                subject=c.name,
                setting=setting,
                name=c.name,
                votes=c.votes,
                base=found.base,
                min_votes=found.min_votes,
                base_word=_BASE_WORD[found.base_kind],
            )
        )
    if reserve_woman_seat:
        open_part = allocate(contenders, job.seats - 1, found.min_votes)
        busy = {c.name for c in open_part.elected + open_part.tied}
        women = [c for c in contenders if c.sex == "female" and c.name not in busy]
        parts = [(open_part, False), (allocate(women, 1, found.min_votes), True)]
    else:
        parts = [(allocate(contenders, job.seats, found.min_votes), False)]
    result.allocations = tuple(part for part, _ in parts)
    result.elected = tuple(c for part, _ in parts for c in part.elected)
    busy = {c.name for part, _ in parts for c in part.elected + part.tied}
    for part, women_only in parts:
        pool = [c for c in part.unelected if c.name not in busy]
        _next_votes(ctx, result, part, pool, women_only)
    if result.tie_votes:
        result.status = "tie"
    elif result.further_rounds:
        result.status = "further_round"
    elif result.vacant:
        result.status = "vacant"
    if pending:
        result.provisional = True
        titles = [ctx.title(p) for p in pending]
        higher = Text(zh="、".join(t.zh for t in titles), en=", ".join(t.en for t in titles))
        result.decisions.append(decide(ctx.rule("pending_higher_post"), "warning", higher=higher, post=title))
    return result


def _void_post(ctx: Context, job: PostJob) -> PostResult:
    found, _, _ = threshold(ctx)
    result = PostResult(
        post=job.post,
        title=ctx.title(job.post),
        seats=job.seats,
        ballot=job.ballot,
        threshold=found,
        contenders=job.contenders,
        status="void",
    )
    result.decisions.append(decide(ctx.rule("void_no_result"), "info", post=result.title))
    return result


def count_posts(ctx: Context, jobs: Sequence[PostJob]) -> tuple[list[PostResult], dict[str, dict[str, str]]]:
    """Decide every post in order; returns the results and, per post, who was already elected before it."""
    taken: dict[str, str] = {p.name: p.post for p in ctx.data.elected_earlier} if ctx.exclusive else {}
    pending: list[str] = []
    results: list[PostResult] = []
    before: dict[str, dict[str, str]] = {}
    for job in jobs:
        before[job.post] = dict(taken)
        result = count_post(ctx, job, taken, pending if ctx.exclusive else ())
        results.append(result)
        if ctx.exclusive:
            taken.update({c.name: job.post for c in result.elected})
            if result.tie_votes:
                pending.append(job.post)
    return results, before


def evaluate(
    data: ResultsInput, *, rule_set: RuleSet | None = None, profile: Profile | None = None
) -> ElectionOutcome:
    """Judge one count: validity, each post, committee-wide checks; reusable by the documents."""
    ctx = Context(
        data=data,
        rules=rule_set or load_rule_set(data.rule_set),
        profile=profile or load_profile(data.profile),
    )
    reasons = validity(ctx)
    valid = all(d.outcome != "fail" for d in reasons)
    jobs = build_jobs(ctx)
    outcome = ElectionOutcome(
        valid=valid,
        rule_set=ctx.rules,
        profile=ctx.profile,
        round=data.round,
        counts={
            "electorate": data.electorate,
            "present": data.present,
            "ballots_issued": data.ballots_issued,
            "ballots_returned": data.ballots_returned,
            "ballots_invalid": data.ballots_invalid,
            "ballots_valid": data.ballots_valid,
        },
        reasons=reasons,
        posts=[],
    )
    if not valid:
        outcome.posts = [_void_post(ctx, job) for job in jobs]
        return outcome
    outcome.posts, before = count_posts(ctx, jobs)
    member_job = next((job for job in jobs if job.post == "member"), None)

    def recount_with_woman_seat() -> PostResult:
        # The member post is decided again with the same exclusions it had the first time.
        assert member_job is not None
        pending = [
            p.post
            for p in outcome.posts
            if p.tie_votes and ctx.rank(p.post) < ctx.rank("member") and ctx.exclusive
        ]
        return count_post(ctx, member_job, before["member"], pending, reserve_woman_seat=True)

    if ctx.has("woman_member"):
        apply_woman_rule(ctx, outcome, recount_with_woman_seat)
    return outcome


def compute_results(
    data: ResultsInput, *, rule_set: RuleSet | None = None, profile: Profile | None = None
) -> dict[str, Any]:
    """The JSON-ready result of one count (see `evaluate` for the reusable objects)."""
    return evaluate(data, rule_set=rule_set, profile=profile).to_dict()
