"""Results engine: hand-computed cases for every rule and edge, and property tests of the seat allocation."""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from service.domain import idcard
from service.domain.results import ResultsInput, compute_results, evaluate
from service.domain.results.tally import Contender, allocate, further_round_list, min_count, vote_threshold
from service.rules import Profile, Setting, Source, load_profile

WOMAN_ID = idcard.make("11010519850315002")  # 17th digit 2, even: female
MAN_ID = idcard.make("11010519800101001")  # 17th digit 1, odd: male


def village(posts: list[dict[str, Any]] | None = None, **fields: Any) -> dict[str, Any]:
    """A villagers' committee count: 1200 registered, 1000 ballots issued and returned, none invalid."""
    base: dict[str, Any] = {
        "rule_set": "villagers-committee",
        "electorate": 1200,
        "ballots_issued": 1000,
        "ballots_returned": 1000,
        "ballots_invalid": 0,
        "posts": posts or [],
    }
    return base | fields


def post(
    name: str,
    seats: int,
    *votes: tuple[str, int],
    write_ins: tuple[tuple[str, int], ...] = (),
    sexes: dict[str, str] | None = None,
) -> dict[str, Any]:
    """One post; `sexes` gives some people a sex."""

    def person(n: str, v: int) -> dict[str, Any]:
        return {"name": n, "votes": v} | ({"sex": sexes[n]} if sexes and n in sexes else {})

    return {
        "post": name,
        "seats": seats,
        "candidates": [person(n, v) for n, v in votes],
        "write_ins": [person(n, v) for n, v in write_ins],
    }


def run(data: dict[str, Any], profile: Profile | None = None) -> dict[str, Any]:
    result = compute_results(ResultsInput.model_validate(data), profile=profile)
    json.dumps(result)  # the endpoint returns it as it is: every value must be plain JSON
    return result


def the_post(result: dict[str, Any], name: str) -> dict[str, Any]:
    return next(p for p in result["posts"] if p["post"] == name)


def rules_of(decisions: list[dict[str, Any]], outcome: str | None = None) -> list[str]:
    return [d["rule"] for d in decisions if outcome is None or d["outcome"] == outcome]


def with_setting(name: str, rule_set: str, key: str, value: Any) -> Profile:
    """A copy of a shipped profile with one setting changed (for options no shipped profile uses)."""
    profile = load_profile(name)
    settings_ = {rs: dict(values) for rs, values in profile.settings.items()}
    settings_[rule_set][key] = Setting(value=value, source=Source(law="test", note="test profile"))
    return profile.model_copy(update={"settings": settings_})


# --- the example from the issue ---------------------------------------------------------------------------


def test_issue_example_director_elected() -> None:
    # 1008 returned: more than half is more than 504, so 505 votes elect. 张建国 612 ≥ 505 → elected.
    # Turnout 1008 of 1200: more than 600 needed → valid.
    result = run(
        village(
            [post("director", 1, ("张建国", 612), ("李明", 380), write_ins=(("王五", 4),))],
            ballots_issued=1010,
            ballots_returned=1008,
            ballots_invalid=12,
        )
    )
    assert result["valid"] is True
    director = the_post(result, "director")
    assert director["threshold"]["min_votes"] == 505
    assert director["elected"] == ["张建国"]
    assert director["tied"] == [] and director["further_round"] is None
    assert result["counts"]["ballots_valid"] == 996  # 1008 − 12
    turnout = result["reasons"][1]
    assert turnout["rule"] == "vc.turnout" and turnout["values"]["min_count"] == 601
    assert turnout["source"]["article"] == "第十五条第二款"
    assert "1008" in turnout["reason"]["zh"] and "1008" in turnout["reason"]["en"]


def test_every_decision_names_rule_reason_and_source() -> None:
    result = run(village([post("director", 1, ("甲", 600), ("乙", 400))]))
    decisions = result["reasons"] + the_post(result, "director")["decisions"]
    assert decisions
    for d in decisions:
        assert d["rule"].startswith("vc.")
        assert d["reason"]["zh"] and d["reason"]["en"]
        assert d["source"]["law"]
        assert "{" not in d["reason"]["zh"] + d["reason"]["en"]  # every placeholder was filled


# --- more than half -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("returned", "votes", "elected"),
    [
        (1000, 500, False),  # exactly half of 1000 is 500: "more than half" fails
        (1000, 501, True),  # 501 > 500
        (1001, 500, False),  # half of 1001 is 500.5; 500 < 500.5
        (1001, 501, True),  # 501 > 500.5
    ],
)
def test_more_than_half_of_those_who_voted(returned: int, votes: int, elected: bool) -> None:
    result = run(
        village(
            [post("director", 1, ("甲", votes), ("乙", 0))],
            ballots_issued=returned,
            ballots_returned=returned,
        )
    )
    assert (the_post(result, "director")["elected"] == ["甲"]) is elected


def test_threshold_counts_invalid_ballots_as_voting() -> None:
    # 1000 voted, 100 ballots invalid: the base is still the 1000 who voted, so 501 are needed, not 451.
    result = run(village([post("director", 1, ("甲", 500), ("乙", 400))], ballots_invalid=100))
    director = the_post(result, "director")
    assert director["threshold"] == {
        "rule": "vc.elected_majority",
        "min_votes": 501,
        "base": 1000,
        "base_kind": "ballots_returned",
        "relation": "more_than",
        "fraction": "1/2",
    }
    assert director["elected"] == []


# --- validity -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("returned", "valid"),
    [
        (600, False),  # 600 of 1200 is exactly half: not "more than half"
        (601, True),
    ],
)
def test_turnout_exactly_half_is_invalid(returned: int, valid: bool) -> None:
    result = run(
        village(
            [post("director", 1, ("甲", returned), ("乙", 0))],
            ballots_issued=returned,
            ballots_returned=returned,
        )
    )
    assert result["valid"] is valid
    director = the_post(result, "director")
    if valid:
        assert director["elected"] == ["甲"]
    else:
        # An invalid election elects no one, even a candidate with every vote.
        assert director["status"] == "void" and director["elected"] == []
        assert rules_of(result["warnings"]) == ["vc.turnout"]
        assert rules_of(director["decisions"]) == ["vc.void_no_result"]


@pytest.mark.parametrize(
    ("issued", "returned", "valid"),
    [
        (1000, 1000, True),  # equal is valid
        (1000, 999, True),  # fewer is valid
        (1000, 1001, False),  # one more returned than issued voids the vote
    ],
)
def test_more_returned_than_issued_voids_the_vote(issued: int, returned: int, valid: bool) -> None:
    result = run(
        village(
            [post("director", 1, ("甲", 700), ("乙", 200))], ballots_issued=issued, ballots_returned=returned
        )
    )
    assert result["valid"] is valid
    check = result["reasons"][0]
    assert check["rule"] == "vc.returned_within_issued"
    assert check["outcome"] == ("pass" if valid else "fail")
    assert check["source"]["verified"] is False  # the national law is silent; provinces decide


# --- most votes, ties -----------------------------------------------------------------------------------


def test_more_qualified_than_seats_most_votes_win() -> None:
    # 2 seats, threshold 501: 甲 700, 乙 650, 丙 600 all qualify; the two highest win.
    result = run(village([post("member", 2, ("甲", 700), ("乙", 650), ("丙", 600), sexes={"甲": "女"})]))
    member = the_post(result, "member")
    assert member["elected"] == ["甲", "乙"]
    assert "vc.most_votes_fill_seats" in rules_of(member["decisions"])


def test_tie_at_the_last_seat_goes_back_to_the_voters() -> None:
    # 2 seats: 甲 600 is elected; 乙 and 丙 both have 550 (≥ 501) for the one seat left → vote again.
    result = run(village([post("member", 2, ("甲", 600), ("乙", 550), ("丙", 550))]))
    member = the_post(result, "member")
    assert member["elected"] == ["甲"]
    assert member["tied"] == ["乙", "丙"]
    assert member["tie_votes"] == [
        {"seats": 1, "candidates": ["乙", "丙"], "women_only": False, "boundary_tie": False}
    ]
    assert member["status"] == "tie" and member["further_round"] is None
    assert "vc.tie_last_seat" in rules_of(result["warnings"])


def test_equal_votes_that_all_fit_are_all_elected() -> None:
    # 3 seats, 甲 600, 乙 550, 丙 550: both 550s fit in the two seats left, so no tie vote.
    result = run(village([post("member", 3, ("甲", 600), ("乙", 550), ("丙", 550), ("丁", 100))]))
    member = the_post(result, "member")
    assert member["elected"] == ["甲", "乙", "丙"] and member["tied"] == []


def test_three_way_tie_for_two_seats() -> None:
    # 3 seats: 甲 700 elected; 乙 丙 丁 at 600 for the 2 seats left → all three stand again for 2 seats.
    result = run(village([post("member", 3, ("甲", 700), ("乙", 600), ("丙", 600), ("丁", 600))]))
    member = the_post(result, "member")
    assert member["elected"] == ["甲"]
    assert member["tie_votes"][0]["seats"] == 2 and member["tied"] == ["乙", "丙", "丁"]


# --- too few elected, further round ---------------------------------------------------------------------


def test_too_few_elected_go_to_a_further_round() -> None:
    # 3 member seats, threshold 501: 甲 700 and 乙 520 elected; 1 seat short.
    # Candidates: the best-placed unelected, shortfall + 1 = 2 → 丙 480, 丁 450 (戊 300 left out).
    result = run(
        village([post("member", 3, ("甲", 700), ("乙", 520), ("丙", 480), ("丁", 450), ("戊", 300))])
    )
    member = the_post(result, "member")
    assert member["elected"] == ["甲", "乙"]
    assert member["status"] == "further_round"
    assert member["further_round"] == {
        "seats": 1,
        "candidates": ["丙", "丁"],
        "women_only": False,
        "boundary_tie": False,
    }
    warning = next(d for d in member["decisions"] if d["rule"] == "vc.shortfall_further_round")
    assert warning["setting"]["key"] == "further_round_extra_candidates"
    assert "丙、丁" in warning["reason"]["zh"]


def test_further_round_list_widens_at_a_tie() -> None:
    # As above but 丁 and 戊 both have 450: the second place is shared, so both stand (3 candidates).
    result = run(
        village([post("member", 3, ("甲", 700), ("乙", 520), ("丙", 480), ("丁", 450), ("戊", 450))])
    )
    further = the_post(result, "member")["further_round"]
    assert further["candidates"] == ["丙", "丁", "戊"] and further["boundary_tie"] is True


def test_write_ins_stand_in_the_further_round() -> None:
    # Nobody reaches 501: the further round takes the best two, whether listed or written in.
    result = run(village([post("director", 1, ("甲", 420), ("乙", 90), write_ins=(("丙", 430),))]))
    assert the_post(result, "director")["further_round"]["candidates"] == ["丙", "甲"]


def test_write_in_can_be_elected() -> None:
    result = run(village([post("director", 1, ("甲", 300), write_ins=(("丙", 650),))]))
    director = the_post(result, "director")
    assert director["elected"] == ["丙"]
    assert director["tally"][0] == {
        "name": "丙",
        "votes": 650,
        "write_in": True,
        "sex": None,
        "meets_threshold": True,
        "status": "elected",
    }


def test_too_few_candidates_left_for_a_competitive_further_round() -> None:
    # 2 seats, only 甲 qualifies; the one other person with votes makes 1 candidate for 1 seat: not 差额.
    result = run(village([post("member", 2, ("甲", 700), ("乙", 200), ("丙", 0))]))
    member = the_post(result, "member")
    assert member["further_round"]["candidates"] == ["乙"]
    assert "vc.candidates_exceed_seats" in rules_of(member["decisions"], "warning")


@pytest.mark.parametrize(
    ("returned", "votes", "elected"),
    [
        (900, 300, True),  # 900 / 3 = 300 exactly: "at least one third" passes
        (900, 299, False),  # one below
        (901, 300, False),  # 901 / 3 = 300.33…: 301 needed
        (901, 301, True),
    ],
)
def test_further_round_needs_one_third(returned: int, votes: int, elected: bool) -> None:
    result = run(
        village(
            [post("member", 1, ("丙", votes), ("丁", 200))],
            round="further",
            ballots_issued=returned,
            ballots_returned=returned,
        )
    )
    member = the_post(result, "member")
    assert member["threshold"]["rule"] == "vc.further_round_threshold"
    assert (member["elected"] == ["丙"]) is elected
    if not elected:
        assert member["status"] == "vacant" and member["vacant"] == 1
        assert member["further_round"] is None
        assert "vc.further_round_vacancy" in rules_of(member["decisions"])


def test_further_round_most_votes_win_below_half() -> None:
    # 900 ballots: 丙 400 and 丁 350 are both ≥ 300 but there is one seat: most votes win, no majority needed.
    result = run(
        village(
            [post("member", 1, ("丙", 400), ("丁", 350))],
            round="further",
            ballots_issued=900,
            ballots_returned=900,
        )
    )
    assert the_post(result, "member")["elected"] == ["丙"]


def test_further_round_tie_is_not_resolved() -> None:
    result = run(
        village(
            [post("member", 1, ("丙", 400), ("丁", 400))],
            round="further",
            ballots_issued=900,
            ballots_returned=900,
        )
    )
    assert the_post(result, "member")["tied"] == ["丙", "丁"]


# --- combined ballot ------------------------------------------------------------------------------------


def combined(people: list[dict[str, Any]], seats: dict[str, int], **fields: Any) -> dict[str, Any]:
    return village(
        combined={"seats": seats, "people": people},
        ballots_issued=900,
        ballots_returned=900,
        electorate=1000,
        **fields,
    )


def test_combined_ballot_transfers_down_and_higher_post_wins() -> None:
    # 900 ballots → more than 450, i.e. 451, elects.
    #            director  deputy  member | director total  deputy total   member total
    # 甲            500      10      0    |      500          510            510
    # 乙            300     300     50    |      300          600            650
    # 丙             50     400    100    |       50          450            550
    # 丁              0     100    600    |        0          100            700
    # 戊(woman)      0       0    460    |        0            0            460
    # Director: 甲 500 ≥ 451 → 甲. Deputy (甲 dropped): 乙 600 ≥ 451 → 乙; 丙 450 < 451.
    # Members, 2 seats (甲 and 乙 dropped): 丁 700, 丙 550, 戊 460 → 丁 and 丙.
    people = [
        {"name": "甲", "director": 500, "deputy_director": 10},
        {"name": "乙", "director": 300, "deputy_director": 300, "member": 50},
        {"name": "丙", "director": 50, "deputy_director": 400, "member": 100},
        {"name": "丁", "deputy_director": 100, "member": 600},
        {"name": "戊", "sex": "女", "member": 460},
    ]
    result = run(combined(people, {"director": 1, "deputy_director": 1, "member": 2}))
    assert the_post(result, "director")["elected"] == ["甲"]
    deputy = the_post(result, "deputy_director")
    assert deputy["elected"] == ["乙"]
    assert {r["name"]: r["votes"] for r in deputy["tally"]} == {
        "乙": 600,
        "甲": 510,
        "丙": 450,
        "丁": 100,
        "戊": 0,
    }
    assert next(r for r in deputy["tally"] if r["name"] == "甲")["status"] == "elected_higher_post"
    member = the_post(result, "member")
    assert member["elected"] == ["丁", "丙"]
    assert next(r for r in member["tally"] if r["name"] == "丙")["raw"] == {
        "director": 50,
        "deputy_director": 400,
        "member": 100,
    }
    assert "vc.one_post_per_person" in rules_of(member["decisions"])
    assert "vc.combined_ballot_transfer" in rules_of(member["decisions"])
    assert [p["name"] for p in result["elected"]] == ["甲", "乙", "丁", "丙"]


def test_combined_ballot_without_transfer_counts_columns_alone() -> None:
    # With transfers off, 乙's deputy total is 300 (< 451) and 丙's member total 100.
    people = [{"name": "甲", "director": 500}, {"name": "乙", "director": 300, "deputy_director": 300}]
    profile = with_setting("default", "villagers-committee", "combined_ballot_transfer", False)
    result = run(combined(people, {"director": 1, "deputy_director": 1}), profile=profile)
    assert the_post(result, "deputy_director")["elected"] == []


def test_tie_for_director_makes_lower_posts_provisional() -> None:
    # A tie for one seat above a majority is impossible, so take a further round (one third of 900 = 300):
    # 甲 and 乙 tie for director at 400 each; whoever loses carries 400 votes into the deputy count.
    people = [
        {"name": "甲", "director": 400},
        {"name": "乙", "director": 400},
        {"name": "丙", "deputy_director": 500},
    ]
    result = run(combined(people, {"director": 1, "deputy_director": 1}, round="further"))
    assert the_post(result, "director")["tied"] == ["甲", "乙"]
    deputy = the_post(result, "deputy_director")
    assert deputy["provisional"] is True
    assert "vc.pending_higher_post" in rules_of(deputy["decisions"], "warning")


def test_separate_ballots_also_keep_one_post_per_person() -> None:
    # 甲 is elected director; his 600 member votes do not count, so 乙 and 丙 take the member seats.
    result = run(
        village(
            [
                post("member", 2, ("甲", 600), ("乙", 550), ("丙", 520)),
                post("director", 1, ("甲", 700), ("丁", 200)),
            ]
        )
    )
    assert [p["post"] for p in result["posts"]] == ["director", "member"]  # decided highest first
    assert the_post(result, "member")["elected"] == ["乙", "丙"]


def test_further_round_excludes_people_elected_earlier() -> None:
    # 甲 became director in the regular round; in the member further round his votes do not count.
    data = village(
        [post("member", 1, ("甲", 500), ("乙", 400))],
        round="further",
        ballots_issued=900,
        ballots_returned=900,
        elected_earlier=[{"name": "甲", "post": "director", "sex": "男"}],
    )
    assert the_post(run(data), "member")["elected"] == ["乙"]


# --- woman member ---------------------------------------------------------------------------------------


def test_woman_requirement_met() -> None:
    result = run(village([post("member", 2, ("甲", 700), ("乙", 600), sexes={"乙": "女"})]))
    assert result["women"]["satisfied"] is True and result["women"]["women_elected"] == ["乙"]
    assert rules_of(result["decisions"], "pass") == ["vc.woman_member"]


def test_no_woman_elected_warns_by_default() -> None:
    result = run(
        village(
            [
                post(
                    "member",
                    2,
                    ("甲", 700),
                    ("乙", 600),
                    ("丙", 100),
                    sexes={"甲": "男", "乙": "男", "丙": "女"},
                )
            ]
        )
    )
    assert result["women"]["satisfied"] is False
    warning = next(d for d in result["warnings"] if d["rule"] == "vc.woman_member")
    assert warning["source"]["article"] == "第六条第二款"
    assert the_post(result, "member")["elected"] == ["甲", "乙"]  # a warning changes no result


def test_woman_check_with_unknown_sex_is_not_guessed() -> None:
    result = run(village([post("member", 2, ("甲", 700), ("乙", 600), sexes={"甲": "男"})]))
    assert result["women"]["satisfied"] is None and result["women"]["unknown_sex"] == ["乙"]


def test_sex_from_id_number() -> None:
    data = village(
        [{"post": "member", "seats": 1, "candidates": [{"name": "甲", "votes": 700, "id_number": WOMAN_ID}]}]
    )
    assert run(data)["women"]["women_elected"] == ["甲"]


def test_woman_check_needs_the_member_post() -> None:
    result = run(village([post("director", 1, ("甲", 700), sexes={"甲": "男"})]))
    assert result["women"]["evaluated"] is False


def test_shanxi_best_woman_joins_the_further_round() -> None:
    # 3 member seats: 甲 700, 乙 600 elected (men); 1 short. Further round: 丙 480 and 丁 450 by votes,
    # plus 戊 (400), the unelected woman with the most votes, as Shanxi art. 38(3) requires.
    sexes = {"甲": "男", "乙": "男", "丙": "男", "丁": "男", "戊": "女", "己": "女"}
    data = village(
        [
            post(
                "member",
                3,
                ("甲", 700),
                ("乙", 600),
                ("丙", 480),
                ("丁", 450),
                ("戊", 400),
                ("己", 20),
                sexes=sexes,
            )
        ],
        profile="shanxi",
    )
    result = run(data)
    assert the_post(result, "member")["further_round"]["candidates"] == ["丙", "丁", "戊"]
    decision = next(d for d in result["decisions"] if d.get("subject") == "戊")
    assert decision["source"]["law"] == "《山西省村民委员会选举办法》"
    assert decision["setting"]["value"] == "further_round_candidate"


def test_shanxi_without_a_further_round_cannot_add_a_woman() -> None:
    data = village(
        [
            post(
                "member", 2, ("甲", 700), ("乙", 600), ("丙", 300), sexes={"甲": "男", "乙": "男", "丙": "女"}
            )
        ],
        profile="shanxi",
    )
    assert any("no seat goes to a further round" in d["reason"]["en"] for d in run(data)["warnings"])


def test_shanxi_further_round_without_a_woman_leaves_the_seat_vacant() -> None:
    data = village(
        [post("member", 1, ("丙", 400), ("丁", 100), sexes={"丙": "男", "丁": "女"})],
        profile="shanxi",
        round="further",
        ballots_issued=900,
        ballots_returned=900,
    )
    assert any("vacant" in d["reason"]["en"] for d in run(data)["warnings"])


def test_reserved_seat_filled_by_the_woman_with_most_votes() -> None:
    # Fujian (专职专选): 3 member seats, no woman in the top 3 (甲 700, 乙 650, 丙 600).
    # One seat is reserved: 甲 and 乙 take the two open seats; 戊 (woman, 520 ≥ 501) takes the reserved one.
    sexes = {"甲": "男", "乙": "男", "丙": "男", "戊": "女", "己": "女"}
    data = village(
        [post("member", 3, ("甲", 700), ("乙", 650), ("丙", 600), ("戊", 520), ("己", 510), sexes=sexes)],
        profile="fujian",
    )
    result = run(data)
    assert the_post(result, "member")["elected"] == ["甲", "乙", "戊"]
    assert result["women"]["action"]["filled_by"] == "戊"
    assert result["women"]["satisfied"] is True


def test_reserved_seat_goes_to_a_women_only_further_round_below_threshold() -> None:
    # As above but the women have 480 and 300 (< 501): the reserved seat goes to a further round of women.
    sexes = {"甲": "男", "乙": "男", "丙": "男", "戊": "女", "己": "女"}
    data = village(
        [post("member", 3, ("甲", 700), ("乙", 650), ("丙", 600), ("戊", 480), ("己", 300), sexes=sexes)],
        profile="fujian",
    )
    result = run(data)
    member = the_post(result, "member")
    assert member["elected"] == ["甲", "乙"]
    assert member["further_round_women"] == {
        "seats": 1,
        "candidates": ["戊", "己"],
        "women_only": True,
        "boundary_tie": False,
    }
    assert result["women"]["satisfied"] is False


def test_residents_committee_does_not_require_a_woman() -> None:
    data = village([post("member", 1, ("甲", 700), sexes={"甲": "男"})], rule_set="residents-committee")
    result = run(data)
    assert result["women"] is None and result["posts"][0]["threshold"]["rule"] == "rc.elected_majority"


# --- Party elections ------------------------------------------------------------------------------------


def party(present: int, *votes: tuple[str, int], seats: int = 5, **fields: Any) -> dict[str, Any]:
    base = {
        "rule_set": "party-branch",
        "electorate": 50,
        "present": present,
        "ballots_issued": present,
        "ballots_returned": present,
        "posts": [post("委员", seats, *votes)],
    }
    return base | fields


@pytest.mark.parametrize(
    ("present", "valid"),
    [
        (40, False),  # 40 of 50 is exactly 4/5: not "more than four fifths"
        (41, True),  # 41 × 5 = 205 > 200
    ],
)
def test_party_quorum_exactly_four_fifths(present: int, valid: bool) -> None:
    result = run(party(present, ("甲", 30)))
    assert result["valid"] is valid
    assert result["reasons"][0]["rule"] == "pb.quorum"


def test_party_quorum_reach_or_exceed_option() -> None:
    # With the "reach or exceed" setting, 40 of 50 (exactly 4/5) is enough.
    profile = with_setting("default", "party-branch", "quorum_relation", "at_least")
    result = run(party(40, ("甲", 30)), profile=profile)
    assert result["valid"] is True
    assert result["reasons"][0]["setting"]["value"] == "at_least"
    assert "达到五分之四" in result["reasons"][0]["reason"]["zh"]


def test_party_more_ballots_than_present_voids() -> None:
    # 41 present, 43 issued by mistake, 42 returned: 42 > 41 voids even though 42 ≤ 43.
    result = run(party(41, ("甲", 30), ballots_issued=43, ballots_returned=42))
    assert result["valid"] is False
    outcomes = {d["rule"]: d["outcome"] for d in result["reasons"]}
    assert outcomes == {
        "pb.quorum": "pass",
        "pb.returned_within_present": "fail",
        "pb.returned_within_issued": "pass",
    }


@pytest.mark.parametrize(
    ("votes", "elected"),
    [
        (21, False),  # 42 present: half is 21, exactly half fails
        (22, True),
    ],
)
def test_party_majority_of_members_present(votes: int, elected: bool) -> None:
    result = run(party(42, ("甲", votes), seats=1, electorate=45))
    committee = the_post(result, "committee_member")  # "委员" is the committee member post
    assert committee["threshold"]["base_kind"] == "present" and committee["threshold"]["min_votes"] == 22
    assert (committee["elected"] == ["甲"]) is elected


def test_party_further_round_still_needs_a_majority() -> None:
    # 42 present, further round: still more than 21 approvals, not one third.
    result = run(party(42, ("甲", 20), ("乙", 15), seats=1, electorate=45, round="further"))
    committee = the_post(result, "committee_member")
    assert committee["threshold"]["min_votes"] == 22 and committee["elected"] == []
    assert "pb.further_round_vacancy" in rules_of(committee["decisions"])


def test_party_secretary_may_also_be_a_committee_member() -> None:
    data = party(41, ("甲", 40), ("乙", 35), seats=2)
    data["posts"].append(post("书记", 1, ("甲", 40)))
    result = run(data)
    assert the_post(result, "secretary")["elected"] == ["甲"]
    assert the_post(result, "committee_member")["elected"] == ["甲", "乙"]


def test_party_shortfall_offers_further_round_or_leaving_seats_unfilled() -> None:
    # 41 present → 21 needed. 甲 40, 乙 35, 丙 21, 戊 21 elected; 丁 20 fails (20 < 20.5). One seat short.
    result = run(party(41, ("甲", 40), ("乙", 35), ("丙", 21), ("丁", 20), ("戊", 21), ("己", 10)))
    committee = the_post(result, "committee_member")
    assert committee["elected"] == ["甲", "乙", "丙", "戊"]
    assert committee["further_round"]["candidates"] == ["丁", "己"]
    shortfall = next(d for d in committee["decisions"] if d["rule"] == "pb.shortfall_further_round")
    assert "不再选举" in shortfall["reason"]["zh"]


# --- the reusable outcome -------------------------------------------------------------------------------


def test_evaluate_gives_elected_people_for_documents() -> None:
    outcome = evaluate(
        ResultsInput.model_validate(
            village(
                [
                    post("主任", 1, ("张建国", 612)),
                    post("委员", 2, ("李芳", 700), ("王强", 600), sexes={"李芳": "女"}),
                ]
            )
        )
    )
    people = [(p.name, p.post, p.title.zh, p.votes) for p in outcome.elected()]
    assert people == [
        ("张建国", "director", "主任", 612),
        ("李芳", "member", "委员", 700),
        ("王强", "member", "委员", 600),
    ]


# --- input validation -----------------------------------------------------------------------------------


def error_locs(data: dict[str, Any]) -> dict[tuple[Any, ...], str]:
    with pytest.raises(ValidationError) as info:
        ResultsInput.model_validate(data)
    return {tuple(e["loc"]): e["type"] for e in info.value.errors()}


def test_invalid_ballots_above_returned() -> None:
    assert error_locs(village([post("director", 1, ("甲", 1))], ballots_invalid=1001)) == {
        ("ballots_invalid",): "invalid_above_returned"
    }


def test_negative_votes_and_zero_seats() -> None:
    locs = error_locs(village([post("director", 0, ("甲", -1))]))
    assert locs == {
        ("posts", 0, "seats"): "greater_than_equal",
        ("posts", 0, "candidates", 0, "votes"): "greater_than_equal",
    }


def test_duplicate_names_within_a_post() -> None:
    locs = error_locs(village([post("member", 2, ("甲", 10), write_ins=(("甲", 3),))]))
    assert locs == {("posts", 0, "write_ins", 0, "name"): "duplicate_name"}


def test_votes_above_valid_ballots() -> None:
    # 1000 returned − 10 invalid = 990 valid; 991 votes is impossible for one person, and also more than
    # the 1 × 990 marks the valid ballots of a one-seat post can hold.
    locs = error_locs(village([post("director", 1, ("甲", 991))], ballots_invalid=10))
    assert locs == {
        ("posts", 0, "candidates", 0, "votes"): "votes_above_valid",
        ("posts", 0): "votes_above_marks",
    }


def test_votes_above_what_the_ballots_can_hold() -> None:
    # 1 seat × 1000 valid ballots = at most 1000 marks; 600 + 500 = 1100.
    assert error_locs(village([post("director", 1, ("甲", 600), ("乙", 500))])) == {
        ("posts", 0): "votes_above_marks"
    }


def test_rule_set_specific_fields() -> None:
    assert error_locs(party(41, ("甲", 1)) | {"present": None}) == {("present",): "present_required"}
    assert error_locs(village([post("director", 1, ("甲", 1))], present=5)) == {
        ("present",): "present_not_used"
    }
    assert error_locs(party(51, ("甲", 1))) == {("present",): "present_above_electorate"}


def test_unknown_or_inapplicable_profile() -> None:
    assert error_locs(village([post("director", 1)], profile="atlantis")) == {("profile",): "unknown_profile"}
    assert error_locs(party(41, ("甲", 1), profile="shanxi")) == {("profile",): "profile_not_applicable"}


def test_bad_id_number_names_the_field() -> None:
    bad = MAN_ID[:-1] + ("0" if MAN_ID[-1] != "0" else "1")
    data = village(
        [{"post": "director", "seats": 1, "candidates": [{"name": "甲", "votes": 1, "id_number": bad}]}]
    )
    with pytest.raises(ValidationError) as info:
        ResultsInput.model_validate(data)
    error = info.value.errors()[0]
    assert error["type"] == "id_check_digit" and error["loc"] == ("posts", 0, "candidates", 0, "id_number")
    assert error["ctx"]["zh"] == "公民身份号码校验码不正确"


def test_sex_must_match_id_number() -> None:
    data = village(
        [
            {
                "post": "director",
                "seats": 1,
                "candidates": [{"name": "甲", "votes": 1, "id_number": MAN_ID, "sex": "女"}],
            }
        ]
    )
    assert error_locs(data) == {("posts", 0, "candidates", 0): "sex_mismatch"}


def test_combined_ballot_checks() -> None:
    # 乙 has deputy votes but the ballot has no deputy seat.
    locs = error_locs(combined([{"name": "乙", "deputy_director": 3}], {"director": 1, "member": 2}))
    assert locs == {("combined", "people", 0, "deputy_director"): "votes_without_seat"}
    # 甲's 500 + 500 marks exceed the 900 valid ballots: one voter cannot mark one person twice.
    locs = error_locs(
        combined([{"name": "甲", "director": 500, "member": 500}], {"director": 1, "member": 2})
    )
    assert locs == {("combined", "people", 0): "votes_above_valid"}


def test_duplicate_post_and_no_posts() -> None:
    assert error_locs(village([post("主任", 1), post("director", 1)])) == {
        ("posts", 1, "post"): "duplicate_post"
    }
    assert error_locs(village([])) == {("posts",): "no_posts"}


# --- properties -----------------------------------------------------------------------------------------

contenders = st.lists(st.integers(min_value=0, max_value=60), min_size=0, max_size=12).map(
    lambda votes: [Contender(name=f"p{i}", votes=v, order=i) for i, v in enumerate(votes)]
)


@given(
    people=contenders,
    seats=st.integers(min_value=1, max_value=7),
    threshold=st.integers(min_value=1, max_value=61),
)
def test_allocation_properties(people: list[Contender], seats: int, threshold: int) -> None:
    result = allocate(people, seats, threshold)
    elected, tied = result.elected, result.tied
    # Never more elected than seats, and the seats add up.
    assert len(elected) <= seats
    assert len(elected) + result.tie_seats + result.shortfall == seats and result.shortfall >= 0
    # Never anyone below the threshold, elected or tied.
    assert all(c.votes >= threshold for c in elected + tied)
    # Ties are never silently resolved: the tied share one count, there are more of them than seats left,
    # every elected person beat them, and no qualified person left out has as many votes as anyone elected.
    if tied:
        assert len({c.votes for c in tied}) == 1 and len(tied) > result.tie_seats > 0
        assert all(e.votes > tied[0].votes for e in elected)
    left_out = [c for c in people if c not in elected and c not in tied and c.votes >= threshold]
    assert all(c.votes < e.votes for c in left_out for e in elected)
    assert all(c.votes < t.votes for c in left_out for t in tied)


@given(
    votes=st.lists(st.integers(min_value=0, max_value=300), min_size=1, max_size=8),
    seats=st.integers(min_value=1, max_value=5),
    returned=st.integers(min_value=301, max_value=600),
    further=st.booleans(),
)
@settings(deadline=None)
def test_engine_never_elects_too_many_or_below_threshold(
    votes: list[int], seats: int, returned: int, further: bool
) -> None:
    data = village(
        [post("member", seats, *[(f"候选{i}", v) for i, v in enumerate(votes)])],
        electorate=600,
        ballots_issued=returned,
        ballots_returned=returned,
        round="further" if further else "regular",
    )
    if sum(votes) > seats * returned:
        return  # impossible counts are rejected by validation, tested above
    member = the_post(run(data), "member")
    by_name = dict((f"候选{i}", v) for i, v in enumerate(votes))
    assert len(member["elected"]) <= seats
    assert all(by_name[n] >= member["threshold"]["min_votes"] for n in member["elected"])
    # Threshold arithmetic: more than half, or at least a third, of those who voted.
    expected = returned // 2 + 1 if not further else -(-returned // 3)
    assert member["threshold"]["min_votes"] == expected
    if member["tied"]:
        assert len({by_name[n] for n in member["tied"]}) == 1


@given(base=st.integers(min_value=0, max_value=10_000))
def test_min_count_matches_the_words(base: int) -> None:
    more_than_half = min_count(base, "more_than", Fraction(1, 2))
    assert 2 * more_than_half > base >= 2 * (more_than_half - 1)
    third = min_count(base, "at_least", Fraction(1, 3))
    assert 3 * third >= base > 3 * (third - 1)
    assert vote_threshold(base, "at_least", Fraction(1, 3)) >= 1


def test_further_round_list_edges() -> None:
    people = [
        Contender(name=n, votes=v, order=i)
        for i, (n, v) in enumerate([("a", 5), ("b", 3), ("c", 3), ("d", 0)])
    ]
    assert further_round_list(people, 0) == ((), False)
    assert [c.name for c in further_round_list(people, 1)[0]] == ["a"]
    assert [c.name for c in further_round_list(people, 2)[0]] == ["a", "b", "c"]
    # People without a vote never stand in a further round by default.
    assert [c.name for c in further_round_list(people, 9)[0]] == ["a", "b", "c"]
