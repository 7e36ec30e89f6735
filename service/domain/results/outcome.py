"""What a count decides, as plain data that the announcement, result form and tally sheet can reuse."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from service.rules import Profile, RuleSet, Text

from .decisions import Decision, warnings_of
from .tally import Allocation, Contender

PostStatus = Literal["decided", "tie", "further_round", "vacant", "void"]


@dataclass(frozen=True)
class ElectedPerson:
    """One person elected to one post."""

    name: str
    post: str
    title: Text
    votes: int
    sex: str | None
    write_in: bool

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "name": self.name,
            "post": self.post,
            "title": {"zh": self.title.zh, "en": self.title.en},
            "votes": self.votes,
            "sex": self.sex,
            "write_in": self.write_in,
        }


@dataclass(frozen=True)
class Threshold:
    """The fewest votes that elect in this count, and how that number was reached."""

    rule: str
    min_votes: int
    base: int
    base_kind: str
    relation: str
    fraction: str

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "rule": self.rule,
            "min_votes": self.min_votes,
            "base": self.base,
            "base_kind": self.base_kind,
            "relation": self.relation,
            "fraction": self.fraction,
        }


@dataclass(frozen=True)
class NextVote:
    """A vote still to be held for some seats: a tie vote or a further round."""

    seats: int
    candidates: tuple[str, ...]
    women_only: bool = False
    boundary_tie: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "seats": self.seats,
            "candidates": list(self.candidates),
            "women_only": self.women_only,
            "boundary_tie": self.boundary_tie,
        }


@dataclass
class PostResult:
    """The outcome for one post; built by the engine, read by documents."""

    post: str
    title: Text
    seats: int
    ballot: Literal["separate", "combined"]
    threshold: Threshold
    contenders: tuple[Contender, ...]
    excluded: tuple[Contender, ...] = ()
    allocations: tuple[Allocation, ...] = ()
    elected: tuple[Contender, ...] = ()
    tie_votes: list[NextVote] = field(default_factory=list)
    further_rounds: list[NextVote] = field(default_factory=list)
    vacant: int = 0
    status: PostStatus = "decided"
    provisional: bool = False
    decisions: list[Decision] = field(default_factory=list)

    @property
    def tied(self) -> tuple[str, ...]:
        """Names that must be voted on again."""
        return tuple(name for vote in self.tie_votes for name in vote.candidates)

    def _row_status(self, contender: Contender) -> str:
        if contender in self.excluded:
            return "elected_higher_post"
        if contender.name in {c.name for c in self.elected}:
            return "elected"
        if contender.name in self.tied:
            return "tied"
        if any(contender.name in vote.candidates for vote in self.further_rounds):
            return "further_round_candidate"
        return "not_elected"

    def tally(self) -> list[dict[str, Any]]:
        """One row per person, most votes first, with the status a tally sheet prints."""
        rows = sorted(self.contenders + self.excluded, key=lambda c: (-c.votes, c.order))
        return [
            {
                "name": c.name,
                "votes": c.votes,
                "write_in": c.write_in,
                "sex": c.sex,
                "meets_threshold": c.votes >= self.threshold.min_votes,
                "status": self._row_status(c),
            }
            | ({"raw": dict(c.raw)} if c.raw is not None else {})
            for c in rows
        ]

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        general = [v for v in self.further_rounds if not v.women_only]
        women = [v for v in self.further_rounds if v.women_only]
        return {
            "post": self.post,
            "title": {"zh": self.title.zh, "en": self.title.en},
            "seats": self.seats,
            "ballot": self.ballot,
            "status": self.status,
            "provisional": self.provisional,
            "threshold": self.threshold.to_dict(),
            "elected": [c.name for c in self.elected],
            "tied": list(self.tied),
            "tie_votes": [v.to_dict() for v in self.tie_votes],
            "further_round": general[0].to_dict() if general else None,
            "further_round_women": women[0].to_dict() if women else None,
            "vacant": self.vacant,
            "tally": self.tally(),
            "decisions": [d.to_dict() for d in self.decisions],
        }


@dataclass
class ElectionOutcome:
    """Everything one count decides: validity, each post, committee-wide checks."""

    valid: bool
    rule_set: RuleSet
    profile: Profile
    round: str
    counts: dict[str, int | None]
    reasons: list[Decision]
    posts: list[PostResult]
    committee: list[Decision] = field(default_factory=list)
    women: dict[str, Any] | None = None

    def elected(self) -> list[ElectedPerson]:
        """Everyone elected, by post rank and then by votes: the order of a result announcement."""
        people: list[ElectedPerson] = []
        for result in self.posts:
            for contender in sorted(result.elected, key=lambda c: (-c.votes, c.order)):
                people.append(
                    ElectedPerson(
                        name=contender.name,
                        post=result.post,
                        title=result.title,
                        votes=contender.votes,
                        sex=contender.sex,
                        write_in=contender.write_in,
                    )
                )
        return people

    def all_decisions(self) -> list[Decision]:
        """Every decision in the order a clerk would read them."""
        return self.reasons + [d for p in self.posts for d in p.decisions] + self.committee

    def to_dict(self) -> dict[str, Any]:
        """JSON form returned by the results endpoint."""
        return {
            "valid": self.valid,
            "reasons": [d.to_dict() for d in self.reasons],
            "rules": {
                "rule_set": self.rule_set.rule_set,
                "rule_set_version": self.rule_set.version,
                "profile": self.profile.profile,
                "profile_version": self.profile.version,
            },
            "round": self.round,
            "counts": dict(self.counts),
            "posts": [p.to_dict() for p in self.posts],
            "elected": [person.to_dict() for person in self.elected()],
            "women": self.women,
            "decisions": [d.to_dict() for d in self.committee],
            "warnings": [d.to_dict() for d in warnings_of(self.reasons)]
            + [d.to_dict() for d in self.all_decisions() if d.outcome == "warning"],
        }
