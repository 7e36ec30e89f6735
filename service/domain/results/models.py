"""The count a clerk enters after the vote; every impossible number is a ValidationError with its path."""

from __future__ import annotations

from typing import Any, Literal, cast

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from service.checks import Problems
from service.domain import idcard
from service.rules import RuleSetName, available_profiles, load_profile

Sex = Literal["female", "male"]
Round = Literal["regular", "further"]
CombinedPost = Literal["director", "deputy_director", "member"]
COMBINED_POSTS: tuple[CombinedPost, ...] = ("director", "deputy_director", "member")

_SEX_ALIASES = {"女": "female", "男": "male", "f": "female", "m": "male", "female": "female", "male": "male"}
# Clerks type the Chinese titles; the engine works with the keys the rule sets use.
_COMMITTEE_ALIASES = {
    "主任": "director",
    "副主任": "deputy_director",
    "委员": "member",
    "deputy": "deputy_director",
}
_POST_ALIASES: dict[str, dict[str, str]] = {
    "villagers-committee": _COMMITTEE_ALIASES,
    "residents-committee": _COMMITTEE_ALIASES,
    "party-branch": {"书记": "secretary", "副书记": "deputy_secretary", "委员": "committee_member"},
}



class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Person(_Model):
    """Someone who received votes: a listed candidate or a write-in (另选他人)."""

    name: str = Field(min_length=1, max_length=50)
    sex: Sex | None = None
    id_number: str | None = None

    @field_validator("sex", mode="before")
    @classmethod
    def _sex_alias(cls, value: Any) -> Any:
        return _SEX_ALIASES.get(value.strip().lower(), value) if isinstance(value, str) else value

    @field_validator("id_number")
    @classmethod
    def _valid_id(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            return idcard.validate(value)
        except idcard.IdNumberError as exc:
            raise PydanticCustomError(exc.code, exc.message_en, {"zh": exc.message_zh}) from exc

    @model_validator(mode="after")
    def _sex_from_id(self) -> Person:
        if self.id_number is None:
            return self
        derived = cast(Sex, idcard.sex(self.id_number))
        if self.sex is None:
            self.sex = derived
        elif self.sex != derived:
            raise PydanticCustomError(
                "sex_mismatch", "sex does not match the ID number", {"zh": "性别与公民身份号码不符"}
            )
        return self


class Tallied(Person):
    """A person and the votes (approvals, for Party elections) they received for one post."""

    votes: int = Field(ge=0)


class PostTally(_Model):
    """One post on its own ballot: seats, listed candidates and write-ins with their votes."""

    post: str = Field(min_length=1, max_length=40)
    seats: int = Field(ge=1, le=99)
    candidates: list[Tallied] = Field(default_factory=list)
    write_ins: list[Tallied] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_names(self) -> PostTally:
        errors = Problems()
        seen: set[str] = set()
        for field in ("candidates", "write_ins"):
            for index, person in enumerate(getattr(self, field)):
                if person.name in seen:
                    errors.add(
                        (field, index, "name"),
                        "duplicate_name",
                        "name appears twice in this post",
                        "同一职务中姓名重复",
                        person.name,
                    )
                seen.add(person.name)
        errors.raise_if_any("PostTally")
        return self


class CombinedPerson(Person):
    """One person on a combined ballot with the marks received in each post's column (before transfers)."""

    write_in: bool = False
    director: int = Field(default=0, ge=0)
    deputy_director: int = Field(default=0, ge=0)
    member: int = Field(default=0, ge=0)


class CombinedBallot(_Model):
    """One ballot for director, deputy director and members; seats per post, marks per person and column."""

    seats: dict[CombinedPost, int]
    people: list[CombinedPerson] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> CombinedBallot:
        errors = Problems()
        for post, seats in self.seats.items():
            if seats < 0:
                errors.add(
                    ("seats", post), "negative_seats", "seats cannot be negative", "名额不能为负数", seats
                )
        if sum(self.seats.values()) < 1:
            errors.add(
                ("seats",),
                "no_seats",
                "a combined ballot needs at least one seat",
                "至少应有一个名额",
                self.seats,
            )
        seen: set[str] = set()
        for index, person in enumerate(self.people):
            if person.name in seen:
                errors.add(
                    ("people", index, "name"),
                    "duplicate_name",
                    "name appears twice on the ballot",
                    "同一选票中姓名重复",
                    person.name,
                )
            seen.add(person.name)
            for post in COMBINED_POSTS:
                if getattr(person, post) and not self.seats.get(post):
                    errors.add(
                        ("people", index, post),
                        "votes_without_seat",
                        "votes for a post that has no seats",
                        "该职务没有应选名额，不应有得票",
                        getattr(person, post),
                    )
        errors.raise_if_any("CombinedBallot")
        return self


class EarlierElected(Person):
    """Someone elected in an earlier round of the same election (used by a further round)."""

    post: str = Field(min_length=1, max_length=40)


class ResultsInput(_Model):
    """What the clerk enters after the count; see the results engine for what each number means."""

    rule_set: RuleSetName
    profile: str = "default"
    round: Round = "regular"
    electorate: int = Field(ge=1, description="registered voters, or Party members who should attend")
    present: int | None = Field(default=None, ge=0, description="voting Party members present")
    ballots_issued: int = Field(ge=0)
    ballots_returned: int = Field(ge=0)
    ballots_invalid: int = Field(default=0, ge=0)
    posts: list[PostTally] = Field(default_factory=list)
    combined: CombinedBallot | None = None
    elected_earlier: list[EarlierElected] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _post_aliases(cls, data: Any) -> Any:
        if not isinstance(data, dict) or not isinstance(data.get("posts"), list):
            return data
        aliases = _POST_ALIASES.get(str(data.get("rule_set")), {})
        posts = [
            p | {"post": aliases.get(p["post"].strip(), p["post"])}
            if isinstance(p, dict) and isinstance(p.get("post"), str)
            else p
            for p in data["posts"]
        ]
        return data | {"posts": posts}

    @property
    def ballots_valid(self) -> int:
        """Ballots returned less the invalid ones."""
        return self.ballots_returned - self.ballots_invalid

    @model_validator(mode="after")
    def _consistent(self) -> ResultsInput:
        errors = Problems()
        self._check_profile(errors)
        self._check_rule_set_fields(errors)
        self._check_posts(errors)
        if self.ballots_invalid > self.ballots_returned:
            errors.add(
                ("ballots_invalid",),
                "invalid_above_returned",
                "invalid ballots cannot exceed ballots returned",
                "无效票数不能多于收回的选票数",
                self.ballots_invalid,
                returned=self.ballots_returned,
            )
        else:
            self._check_votes(errors)
        errors.raise_if_any("ResultsInput")
        return self

    def _check_profile(self, errors: Problems) -> None:
        if self.profile not in available_profiles():
            errors.add(
                ("profile",),
                "unknown_profile",
                "unknown profile",
                "未知的省份配置",
                self.profile,
                known=", ".join(available_profiles()),
            )
        elif self.rule_set not in load_profile(self.profile).applies_to:
            errors.add(
                ("profile",),
                "profile_not_applicable",
                "this profile does not cover the rule set",
                "该省份配置不适用于此类选举",
                self.profile,
            )

    def _check_rule_set_fields(self, errors: Problems) -> None:
        party = self.rule_set == "party-branch"
        if party and self.present is None:
            errors.add(
                ("present",),
                "present_required",
                "a Party election needs the members present",
                "党内选举须填写实到会有选举权的人数",
                None,
            )
        if party and self.present is not None and self.present > self.electorate:
            errors.add(
                ("present",),
                "present_above_electorate",
                "more present than should attend",
                "实到会人数不能多于应到会人数",
                self.present,
            )
        if not party and self.present is not None:
            errors.add(
                ("present",),
                "present_not_used",
                "present is only used for Party elections",
                "实到会人数仅用于党内选举",
                self.present,
            )
        if party and self.combined is not None:
            errors.add(
                ("combined",),
                "combined_not_allowed",
                "Party elections have no combined ballot",
                "党内选举不适用合并选票",
                None,
            )
        if self.round == "regular" and self.elected_earlier:
            errors.add(
                ("elected_earlier",),
                "earlier_in_regular",
                "only a further round has earlier results",
                "只有另行选举才有此前的当选人",
                None,
            )

    def _check_posts(self, errors: Problems) -> None:
        if not self.posts and self.combined is None:
            errors.add(("posts",), "no_posts", "enter at least one post", "至少应填写一个职务", [])
        combined = {post for post, seats in (self.combined.seats.items() if self.combined else ()) if seats}
        seen: set[str] = set()
        for index, tally in enumerate(self.posts):
            if tally.post in seen or tally.post in combined:
                errors.add(
                    ("posts", index, "post"),
                    "duplicate_post",
                    "post entered twice",
                    "职务重复填写",
                    tally.post,
                )
            seen.add(tally.post)

    def _check_votes(self, errors: Problems) -> None:
        valid = self.ballots_valid
        for index, tally in enumerate(self.posts):
            people = [("candidates", i, p) for i, p in enumerate(tally.candidates)]
            people += [("write_ins", i, p) for i, p in enumerate(tally.write_ins)]
            for field, i, person in people:
                if person.votes > valid:
                    errors.add(
                        ("posts", index, field, i, "votes"),
                        "votes_above_valid",
                        "more votes than valid ballots",
                        "得票数不能多于有效选票数",
                        person.votes,
                        valid=valid,
                    )
            total = sum(person.votes for _, _, person in people)
            # Each valid ballot marks at most `seats` names; more would have made it invalid.
            if total > tally.seats * valid:
                errors.add(
                    ("posts", index),
                    "votes_above_marks",
                    "more votes than the ballots can hold",
                    "得票总数超过有效选票可投的票数",
                    total,
                    limit=tally.seats * valid,
                )
        if self.combined is None:
            return
        for i, marked in enumerate(self.combined.people):
            marks = marked.director + marked.deputy_director + marked.member
            # A voter may not mark one person for two posts, so one person's marks come from distinct ballots.
            if marks > valid:
                errors.add(
                    ("combined", "people", i),
                    "votes_above_valid",
                    "one person's marks exceed the valid ballots",
                    "同一人各职务得票之和不能多于有效选票数",
                    marks,
                    valid=valid,
                )
        for post, seats in self.combined.seats.items():
            total = sum(getattr(marked, post) for marked in self.combined.people)
            if total > seats * valid:
                errors.add(
                    ("combined", "seats", post),
                    "votes_above_marks",
                    "more votes than the ballots can hold",
                    "得票总数超过有效选票可投的票数",
                    total,
                    limit=seats * valid,
                )
