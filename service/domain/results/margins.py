"""How many candidates a post needs (差额), from the profile: used when a ballot is drawn up."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

from service.rules import Profile

from .decisions import setting_ref


def candidate_range(profile: Profile, rule_set: str, post: str, seats: int) -> dict[str, Any]:
    """Fewest and most candidates for `seats` seats of `post` (max None when open), with the setting cited."""
    if seats < 1:
        raise ValueError("seats must be at least 1")
    setting = profile.setting(rule_set, "candidate_margins")
    margin = setting.value.get(post)
    if margin is None:
        raise KeyError(f"profile {profile.profile!r} sets no candidate margin for {rule_set} {post}")
    if "min_extra_ratio" in margin:
        extra = seats * Fraction(margin["min_extra_ratio"])
        # "At least 20%" of 3 seats is 0.6 of a person: round up, so 3 → 4, 5 → 6, 7 → 9.
        lowest = seats + (math.ceil(extra) if margin.get("rounding", "up") == "up" else math.floor(extra))
        highest = None
    else:
        lowest, highest = seats + margin["min_extra"], seats + margin["max_extra"]
    return {
        "post": post,
        "seats": seats,
        "min": lowest,
        "max": highest,
        "setting": setting_ref(profile.profile, "candidate_margins", setting),
    }
