"""Rule sets and profiles: every file loads, every rule has a source, the engine finds what it needs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import service.rules as rules
from service.domain.results import candidate_range
from service.rules import (
    RULE_SET_NAMES,
    RuleDataError,
    available_profiles,
    load_profile,
    load_rule_set,
)

# Rule id suffixes and profile settings the engine reads, per rule set.
ENGINE_RULES = {
    "villagers-committee": [
        "returned_within_issued",
        "turnout",
        "elected_majority",
        "most_votes_fill_seats",
        "tie_last_seat",
        "shortfall_further_round",
        "further_round_threshold",
        "further_round_vacancy",
        "void_no_result",
        "combined_ballot_transfer",
        "one_post_per_person",
        "pending_higher_post",
        "woman_member",
        "candidates_exceed_seats",
    ],
    "party-branch": [
        "quorum",
        "returned_within_present",
        "returned_within_issued",
        "elected_majority",
        "most_votes_fill_seats",
        "tie_last_seat",
        "shortfall_further_round",
        "further_round_threshold",
        "further_round_vacancy",
        "void_no_result",
    ],
}
ENGINE_RULES["residents-committee"] = ENGINE_RULES["villagers-committee"]
ENGINE_SETTINGS = {
    "villagers-committee": [
        "woman_member",
        "further_round_extra_candidates",
        "combined_ballot_transfer",
        "candidate_margins",
        "proxy_cap",
    ],
    "residents-committee": [
        "woman_member",
        "further_round_extra_candidates",
        "combined_ballot_transfer",
        "candidate_margins",
        "proxy_cap",
    ],
    "party-branch": [
        "quorum_relation",
        "majority_base",
        "further_round_extra_candidates",
        "candidate_margins",
    ],
}


@pytest.fixture
def fresh_cache() -> Iterator[None]:
    """Clear the loader caches around a test that points the loader at other files."""
    rules.load_rule_set.cache_clear()
    rules.load_profile.cache_clear()
    yield
    rules.load_rule_set.cache_clear()
    rules.load_profile.cache_clear()


@pytest.mark.parametrize("name", RULE_SET_NAMES)
def test_rule_set_loads_with_version_and_sources(name: str) -> None:
    rule_set = load_rule_set(name)
    assert rule_set.rule_set == name and rule_set.version
    prefix = {"villagers-committee": "vc", "residents-committee": "rc", "party-branch": "pb"}[name]
    for rule in rule_set.rules:
        assert rule.id.startswith(prefix + ".")
        assert rule.zh and rule.en and rule.source.law.startswith(("《", "省"))
        # A checked source names its article; an unchecked one says so and either has no article or a note.
        if rule.source.verified:
            assert rule.source.article
        else:
            assert rule.source.article is None or rule.source.note


@pytest.mark.parametrize("name", RULE_SET_NAMES)
def test_engine_rules_exist(name: str) -> None:
    rule_set = load_rule_set(name)
    for suffix in ENGINE_RULES[name]:
        assert rule_set.by_suffix(suffix).messages, suffix


def test_organic_law_articles() -> None:
    # Checked against the 2018 text: art. 6(2) woman member; art. 15(2) turnout, majority, further round.
    vc = load_rule_set("villagers-committee")
    assert vc.rule("vc.woman_member").source.article == "第六条第二款"
    for rule_id in ("vc.turnout", "vc.elected_majority", "vc.further_round_threshold"):
        assert vc.rule(rule_id).source.article == "第十五条第二款" and vc.rule(rule_id).source.verified
    assert vc.rule("vc.further_round_threshold").params == {
        "base": "ballots_returned",
        "relation": "at_least",
        "fraction": "1/3",
    }


def test_party_thresholds_are_data() -> None:
    pb = load_rule_set("party-branch")
    assert pb.rule("pb.quorum").params["fraction"] == "4/5"
    assert pb.rule("pb.elected_majority").params["base"] == "present"
    assert pb.rule("pb.voting_rights").source.article == "第五条"


def test_posts_have_distinct_ranks() -> None:
    for name in RULE_SET_NAMES:
        ranks = [p.rank for p in load_rule_set(name).posts.values()]
        assert len(ranks) == len(set(ranks))


@pytest.mark.parametrize("name", ["default", "shanxi", "fujian"])
def test_profiles_load_with_every_engine_setting(name: str) -> None:
    profile = load_profile(name)
    for rule_set in profile.applies_to:
        for key in ENGINE_SETTINGS[rule_set]:
            setting = profile.setting(rule_set, key)
            assert setting.source.law


def test_province_profiles_extend_the_default() -> None:
    assert set(available_profiles()) >= {"default", "shanxi", "fujian"}
    shanxi = load_profile("shanxi")
    assert shanxi.setting("villagers-committee", "woman_member").value == "further_round_candidate"
    assert (
        shanxi.setting("villagers-committee", "woman_member").source.article
        == "第三条第二款、第三十八条第三款"
    )
    # Inherited untouched from the default.
    assert shanxi.setting("villagers-committee", "further_round_extra_candidates").value == 1
    assert load_profile("default").setting("villagers-committee", "woman_member").value == "warn"
    assert load_profile("fujian").setting("villagers-committee", "woman_member").value == "reserved_seat"


def test_loader_caches() -> None:
    assert load_rule_set("party-branch") is load_rule_set("party-branch")
    assert load_profile("shanxi") is load_profile("shanxi")


def test_unknown_names_raise() -> None:
    with pytest.raises(RuleDataError):
        load_rule_set("student-union")
    with pytest.raises(RuleDataError):
        load_profile("atlantis")


def test_broken_files_raise(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_cache: None) -> None:
    monkeypatch.setattr(rules, "RULES_DIR", tmp_path)
    (tmp_path / "party-branch.yaml").write_text("rule_set: [unclosed", encoding="utf-8")
    with pytest.raises(RuleDataError, match="not valid YAML"):
        load_rule_set("party-branch")
    (tmp_path / "party-branch.yaml").write_text("rule_set: party-branch\nversion: '1'\n", encoding="utf-8")
    with pytest.raises(RuleDataError, match=r"party-branch\.yaml"):
        load_rule_set("party-branch")
    with pytest.raises(RuleDataError, match="missing"):
        load_rule_set("villagers-committee")


def test_profile_must_not_extend_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_cache: None
) -> None:
    monkeypatch.setattr(rules, "PROFILES_DIR", tmp_path)
    (tmp_path / "loop.yaml").write_text(
        "profile: loop\nversion: '1'\ntitle: {zh: 环, en: loop}\nextends: loop\napplies_to: [party-branch]\n",
        encoding="utf-8",
    )
    with pytest.raises(RuleDataError, match="extends itself"):
        load_profile("loop")


@pytest.mark.parametrize(
    ("seats", "minimum"),
    [
        (3, 4),  # 3 × 20% = 0.6 → rounded up to 1 → 4
        (5, 6),  # 5 × 20% = 1 → 6
        (7, 9),  # 7 × 20% = 1.4 → 2 → 9
        (1, 2),  # 0.2 → 1 → 2
    ],
)
def test_party_committee_margin_twenty_percent_rounded_up(seats: int, minimum: int) -> None:
    margin = candidate_range(load_profile("default"), "party-branch", "committee_member", seats)
    assert margin["min"] == minimum and margin["max"] is None


def test_villagers_margins() -> None:
    profile = load_profile("default")
    director = candidate_range(profile, "villagers-committee", "director", 1)
    members = candidate_range(profile, "villagers-committee", "member", 3)
    assert (director["min"], director["max"]) == (2, 2)  # one more than the seat
    assert (members["min"], members["max"]) == (4, 6)  # one to three more
    assert members["setting"]["key"] == "candidate_margins"
    secretary = candidate_range(profile, "party-branch", "secretary", 1)
    assert (secretary["min"], secretary["max"]) == (1, 1)  # 等额
    with pytest.raises(ValueError):
        candidate_range(profile, "party-branch", "secretary", 0)
