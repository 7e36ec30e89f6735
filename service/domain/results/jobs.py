"""Turn the entered count into one list of contenders per post, applying combined-ballot transfers.

Combined ballot (合并选票): one ballot carries a column per post — director, deputy director, member — and
the clerk enters, for each person, the marks received in each column. Before anyone is elected:

    director total        = director marks
    deputy-director total = director marks + deputy-director marks
    member total          = director marks + deputy-director marks + member marks

so a vote for someone as director also supports them as deputy and member. The engine then decides the posts
from the highest down and drops anyone already elected to a higher post, so one person never holds two posts
(the higher post wins). Separate ballots per post are decided in the same order and with the same rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .models import COMBINED_POSTS, CombinedBallot, PostTally
from .tally import Contender


@dataclass(frozen=True)
class PostJob:
    """One post to decide: its seats and everyone who received votes toward it."""

    post: str
    seats: int
    contenders: tuple[Contender, ...]
    ballot: Literal["separate", "combined"]
    entered: int


def separate_job(tally: PostTally, entered: int) -> PostJob:
    """Listed candidates then write-ins, in the order the clerk entered them."""
    people = [(p, False) for p in tally.candidates] + [(p, True) for p in tally.write_ins]
    contenders = tuple(
        Contender(name=p.name, votes=p.votes, order=i, write_in=write_in, sex=p.sex)
        for i, (p, write_in) in enumerate(people)
    )
    return PostJob(
        post=tally.post, seats=tally.seats, contenders=contenders, ballot="separate", entered=entered
    )


def combined_jobs(ballot: CombinedBallot, *, transfer: bool, entered: int) -> list[PostJob]:
    """One job per post with seats; with `transfer`, higher-post marks are added to lower-post totals."""
    jobs: list[PostJob] = []
    for level, post in enumerate(COMBINED_POSTS):
        seats = ballot.seats.get(post, 0)
        if not seats:
            continue
        counted = COMBINED_POSTS[: level + 1] if transfer else (post,)
        contenders = tuple(
            Contender(
                name=p.name,
                votes=sum(getattr(p, column) for column in counted),
                order=i,
                write_in=p.write_in,
                sex=p.sex,
                raw={column: getattr(p, column) for column in COMBINED_POSTS},
            )
            for i, p in enumerate(ballot.people)
        )
        jobs.append(
            PostJob(post=post, seats=seats, contenders=contenders, ballot="combined", entered=entered + level)
        )
    return jobs
