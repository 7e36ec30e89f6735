"""Seat allocation for one post: thresholds in exact arithmetic, most votes first, ties left to the voters."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

Relation = Literal["more_than", "at_least"]


@dataclass(frozen=True)
class Contender:
    """A person standing for one post, with the votes that count toward it."""

    name: str
    votes: int
    order: int = 0
    write_in: bool = False
    sex: str | None = None
    raw: Mapping[str, int] | None = field(default=None, compare=False)


def min_count(base: int, relation: Relation, fraction: Fraction) -> int:
    """The smallest whole number that is `relation` (more than / at least) base × fraction."""
    target = base * fraction
    if relation == "more_than":
        return math.floor(target) + 1
    return math.ceil(target)


def vote_threshold(base: int, relation: Relation, fraction: Fraction) -> int:
    """Fewest votes that elect; never below one, because nobody is elected without a vote."""
    return max(min_count(base, relation, fraction), 1)


def ranked(contenders: Iterable[Contender]) -> tuple[Contender, ...]:
    """Most votes first; equal votes keep the order they were entered in (display only, never a tie-break)."""
    return tuple(sorted(contenders, key=lambda c: (-c.votes, c.order)))


@dataclass(frozen=True)
class Allocation:
    """Who one count elects, who must vote again for the last seats, and how many seats are left over."""

    seats: int
    threshold: int
    ranking: tuple[Contender, ...]
    elected: tuple[Contender, ...]
    tied: tuple[Contender, ...] = ()
    tie_seats: int = 0

    @property
    def qualified(self) -> tuple[Contender, ...]:
        """Everyone at or above the threshold, most votes first."""
        return tuple(c for c in self.ranking if c.votes >= self.threshold)

    @property
    def shortfall(self) -> int:
        """Seats neither filled nor awaiting a tie vote."""
        return self.seats - len(self.elected) - self.tie_seats

    @property
    def unelected(self) -> tuple[Contender, ...]:
        """Everyone neither elected nor tied, most votes first."""
        taken = {c.name for c in self.elected + self.tied}
        return tuple(c for c in self.ranking if c.name not in taken)


def allocate(contenders: Iterable[Contender], seats: int, threshold: int) -> Allocation:
    """Fill `seats` from those reaching `threshold`, most votes first; a tie at the cut stays open."""
    ranking = ranked(contenders)
    qualified = [c for c in ranking if c.votes >= threshold]
    if seats <= 0:
        return Allocation(seats=0, threshold=threshold, ranking=ranking, elected=())
    if len(qualified) <= seats:
        return Allocation(seats=seats, threshold=threshold, ranking=ranking, elected=tuple(qualified))
    cut = qualified[seats - 1].votes
    above = tuple(c for c in qualified if c.votes > cut)
    at_cut = tuple(c for c in qualified if c.votes == cut)
    open_seats = seats - len(above)
    if len(at_cut) == open_seats:
        return Allocation(seats=seats, threshold=threshold, ranking=ranking, elected=above + at_cut)
    # Everyone at the cut stands again: the law gives the choice back to the voters, never to input order.
    return Allocation(
        seats=seats, threshold=threshold, ranking=ranking, elected=above, tied=at_cut, tie_seats=open_seats
    )


def further_round_list(pool: Iterable[Contender], count: int) -> tuple[tuple[Contender, ...], bool]:
    """The `count` best-placed people with votes, widened to everyone tied at the boundary (flagged True)."""
    standing = [c for c in ranked(pool) if c.votes > 0]
    if count <= 0:
        return (), False
    if count >= len(standing):
        return tuple(standing), False
    last = standing[count - 1].votes
    if standing[count].votes == last:
        return tuple(c for c in standing if c.votes >= last), True
    return tuple(standing[:count]), False
