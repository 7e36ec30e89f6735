"""The woman-member requirement: checked over everyone elected, acted on as the profile says.

Modes (profile setting `woman_member`, each with its source):
- ``off``: not checked (the residents' committee law does not require it).
- ``warn``: report that no woman is elected (the law requires one but says nothing more).
- ``further_round_candidate``: the unelected woman with the most votes stands in the further round; if a
  further round still elects no woman, the seat may stay vacant (Shanxi).
- ``reserved_seat``: one member seat is filled only from the women standing, by most votes and the same
  threshold; if none reaches it, that seat goes to a further round among women (专职专选 practice).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from .decisions import Names, decide
from .outcome import ElectionOutcome, PostResult
from .tally import ranked

if TYPE_CHECKING:
    from .engine import Context

MODES = ("off", "warn", "further_round_candidate", "reserved_seat")


def _elected_sexes(ctx: Context, outcome: ElectionOutcome) -> list[tuple[str, str | None]]:
    people = [(c.name, c.sex) for post in outcome.posts for c in post.elected]
    return people + [(p.name, p.sex) for p in ctx.data.elected_earlier]


def _add_best_woman(ctx: Context, outcome: ElectionOutcome, summary: dict[str, Any]) -> None:
    rule, setting = ctx.rule("woman_member"), ctx.setting("woman_member")
    ref, source = ctx.setting_ref("woman_member"), setting.source
    if ctx.data.round == "further":
        outcome.committee.append(
            decide(rule, "warning", message="vacant_after_further", setting=ref, source=source)
        )
        return
    targets = [p for p in outcome.posts if any(not v.women_only for v in p.further_rounds)]
    if not targets:
        outcome.committee.append(
            decide(rule, "warning", message="no_further_round", setting=ref, source=source)
        )
        return
    # Prefer the member post: that is where a woman is usually missing and where most seats are.
    target = next((p for p in targets if p.post == "member"), targets[-1])
    busy = {c.name for c in target.elected} | set(target.tied)
    women = ranked(c for c in target.contenders if c.sex == "female" and c.name not in busy)
    if not women:
        outcome.committee.append(
            decide(rule, "warning", message="no_woman_standing", setting=ref, source=source)
        )
        return
    best = women[0]
    index = next(i for i, v in enumerate(target.further_rounds) if not v.women_only)
    vote = target.further_rounds[index]
    if best.name not in vote.candidates:
        target.further_rounds[index] = replace(vote, candidates=(*vote.candidates, best.name))
    summary["action"] = {"further_round_candidate": best.name, "post": target.post}
    outcome.committee.append(
        decide(
            rule,
            "warning",
            message="further_round_woman",
            subject=best.name,
            name=best.name,
            post=target.title,
            setting=ref,
            source=source,
        )
    )


def _reserve_seat(
    ctx: Context, outcome: ElectionOutcome, recount: Callable[[], PostResult], summary: dict[str, Any]
) -> None:
    rule, setting = ctx.rule("woman_member"), ctx.setting("woman_member")
    index = next(i for i, p in enumerate(outcome.posts) if p.post == "member")
    member = recount()
    outcome.posts[index] = member
    filled = [c.name for c in member.allocations[-1].elected]
    # The reservation is news either way; it needs action only when no woman reached the threshold.
    outcome.committee.append(
        decide(
            rule,
            "info" if filled else "warning",
            message="reserved_seat",
            setting=ctx.setting_ref("woman_member"),
            source=setting.source,
            post=member.title,
        )
    )
    summary["action"] = {
        "reserved_seat": member.post,
        "filled_by": filled[0] if filled else None,
        "tie_vote": next((v.to_dict() for v in member.tie_votes if v.women_only), None),
        "further_round": next((v.to_dict() for v in member.further_rounds if v.women_only), None),
    }
    summary["women_elected"] = filled
    summary["satisfied"] = bool(filled)


def apply_woman_rule(ctx: Context, outcome: ElectionOutcome, recount: Callable[[], PostResult]) -> None:
    """Check for a woman among those elected and act as the profile's `woman_member` setting says."""
    setting = ctx.setting("woman_member")
    mode = setting.value
    if mode not in MODES:
        raise ValueError(f"unknown woman_member mode {mode!r}")
    if mode == "off":
        return
    rule = ctx.rule("woman_member")
    summary: dict[str, Any] = {
        "mode": mode,
        "setting": ctx.setting_ref("woman_member"),
        "evaluated": False,
        "satisfied": None,
        "women_elected": [],
        "unknown_sex": [],
        "action": None,
    }
    outcome.women = summary
    if not any(p.post == "member" for p in outcome.posts):
        outcome.committee.append(decide(rule, "info", message="not_evaluated"))
        return
    people = _elected_sexes(ctx, outcome)
    women = [name for name, sex in people if sex == "female"]
    unknown = [name for name, sex in people if sex is None]
    summary.update(evaluated=True, women_elected=women, unknown_sex=unknown, satisfied=bool(women))
    if women:
        outcome.committee.append(decide(rule, "pass", names=Names(tuple(women))))
        return
    if unknown:
        summary["satisfied"] = None
        outcome.committee.append(decide(rule, "warning", message="unknown", count=len(unknown)))
        return
    if mode == "reserved_seat":
        _reserve_seat(ctx, outcome, recount, summary)
        return
    outcome.committee.append(decide(rule, "warning"))
    if mode == "further_round_candidate":
        _add_best_woman(ctx, outcome, summary)
