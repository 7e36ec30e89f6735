"""Blank forms for election day: the tally sheet and result form printed before the count, filled in by hand.

With ``"blank": true`` the ``count`` is optional and only its layout is read — rule set, round, the posts with
their seats, the candidates' names; any figures in it are ignored. The templates print empty boxes and
lines where the figures, the verdict and the threshold go, and a few empty lines per post for write-ins.
Without ``blank`` the documents are exactly the filled ones of results_common.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, ModelWrapValidatorHandler, PrivateAttr, ValidationError, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from ..checks import Problems
from ..domain.results.models import _POST_ALIASES, COMBINED_POSTS, CombinedPost, Round
from ..rules import RuleSetName, load_rule_set
from .base import KindModel
from .fields import IdNumber, Name, Sex, Strict, Text, YesNo, _normalize_bool
from .results_common import Count, ResultsDocument, election_name

WRITE_IN_LINES = 3  # empty lines under each post's candidates for names written in (另选他人)
ELECTED_LINES = 5  # lines for those elected on a result form when no seats are given
Figure = int | None


class BlankPerson(Strict):
    """A candidate printed on a blank form: the name; any figures given are not printed."""

    name: Name
    sex: Sex | None = None
    id_number: IdNumber | None = None
    write_in: bool = False
    votes: Figure = Field(None, ge=0)
    disagree: Figure = Field(None, ge=0)
    abstain: Figure = Field(None, ge=0)
    director: Figure = Field(None, ge=0)
    deputy_director: Figure = Field(None, ge=0)
    member: Figure = Field(None, ge=0)


class BlankPost(Strict):
    """A post on its own ballot: its seats (a blank to fill in when not given) and its candidates."""

    post: Text
    seats: int | None = Field(None, ge=1, le=99)
    candidates: list[BlankPerson] = Field(default_factory=list, max_length=99)
    write_ins: list[BlankPerson] = Field(default_factory=list, max_length=99)


class BlankCombined(Strict):
    """A combined ballot: seats per post and the people on it."""

    seats: dict[CombinedPost, int] = Field(default_factory=dict)
    people: list[BlankPerson] = Field(default_factory=list, max_length=99)


class BlankCount(Strict):
    """The layout of a count not yet made: the same shape as the count, every figure optional and unprinted."""

    rule_set: RuleSetName = "villagers-committee"
    profile: str = "default"
    round: Round = "regular"
    electorate: Figure = Field(None, ge=0)
    present: Figure = Field(None, ge=0)
    ballots_issued: Figure = Field(None, ge=0)
    ballots_returned: Figure = Field(None, ge=0)
    ballots_invalid: Figure = Field(None, ge=0)
    posts: list[BlankPost] = Field(default_factory=list, max_length=10)
    combined: BlankCombined | None = None

    @model_validator(mode="before")
    @classmethod
    def _post_aliases(cls, data: Any) -> Any:
        if not isinstance(data, dict) or not isinstance(data.get("posts"), list):
            return data
        aliases = _POST_ALIASES.get(str(data.get("rule_set", "villagers-committee")), {})
        return data | {"posts": [p | {"post": aliases.get(p["post"].strip(), p["post"])}
                                 if isinstance(p, dict) and isinstance(p.get("post"), str) else p
                                 for p in data["posts"]]}

    @model_validator(mode="after")
    def _known_posts(self) -> BlankCount:
        problems = Problems()
        known = load_rule_set(self.rule_set).posts
        for i, post in enumerate(self.posts):
            if post.post not in known:
                problems.add(("posts", i, "post"), "unknown_post", f"no post {post.post!r} in this election",
                             f"本类选举没有“{post.post}”职务", post.post, known=", ".join(known))
        if self.combined is not None and self.rule_set == "party-branch":
            problems.add(("combined",), "combined_not_allowed", "Party elections have no combined ballot",
                         "党内选举不适用合并选票")
        problems.raise_if_any("BlankCount")
        return self


def _lines(people: list[BlankPerson], seats: int | None) -> list[dict[str, Any]]:
    rows = [{"name": p.name, "write_in": p.write_in} for p in people]
    rows += [{"name": "", "write_in": True} for _ in range(max(WRITE_IN_LINES, seats or 0))]
    return [{"no": n, **row} for n, row in enumerate(rows, start=1)]


def blank_view(layout: BlankCount) -> dict[str, Any]:
    """What a blank form prints: each post's title, seats and candidates' names, and the empty lines."""
    rules = load_rule_set(layout.rule_set)

    def title(post: str) -> dict[str, str]:
        return {"zh": rules.posts[post].zh, "en": rules.posts[post].en}

    combined = None
    if layout.combined is not None:
        seats = layout.combined.seats
        combined = {
            "columns": [{"post": p, "title": title(p), "seats": seats.get(p, 0)} for p in COMBINED_POSTS],
            "people": _lines(layout.combined.people, None),
        }
    posts = layout.posts or ([] if combined else [BlankPost(post=p, seats=None) for p in rules.posts])
    separate = [{"post": p.post, "title": title(p.post), "seats": p.seats, "rows": _lines(p.candidates, p.seats)}
                for p in posts]
    elected: list[dict[str, Any]] = [{"title": title(p.post)} for p in posts for _ in range(p.seats or 0)]
    if combined:
        elected += [{"title": c["title"]} for c in combined["columns"] for _ in range(c["seats"])]
    if any(p.seats is None for p in posts) or not elected:
        elected += [{"title": None}] * ELECTED_LINES
    return {"party": layout.rule_set == "party-branch", "round": layout.round, "combined": combined,
            "separate": separate, "elected": elected}


def _details(exc: ValidationError, prefix: tuple[str | int, ...] = ()) -> list[InitErrorDetails]:
    """A ValidationError's errors again, under ``prefix``, keeping each code, message and Chinese text."""
    return [
        InitErrorDetails(type=PydanticCustomError(e["type"], e["msg"].replace("{", "(").replace("}", ")"),
                                                  dict(e.get("ctx") or {})),
                         loc=(*prefix, *e["loc"]), input=e.get("input"))
        for e in exc.errors(include_url=False)
    ]


class BlankableResults(ResultsDocument):
    """A results document that can also be printed blank for the count on election day."""

    blank: YesNo = Field(
        False, description="空白表：选举日计票时手工填写，票数、结果处留空；计票结果可不填，只取职务、名额和候选人"
    )
    count: Count | None = Field(  # type: ignore[assignment]
        None, description="计票结果，与 POST /api/v1/results 的输入相同（空白表可不填）"
    )
    _layout: BlankCount | None = PrivateAttr(None)

    @model_validator(mode="wrap")
    @classmethod
    def _blank_or_filled(cls, data: Any, handler: ModelWrapValidatorHandler[BlankableResults]) -> Any:
        if not isinstance(data, dict):
            return handler(data)
        errors: list[InitErrorDetails] = []
        layout = None
        if _normalize_bool(data.get("blank", False)) is True:
            try:
                layout = BlankCount.model_validate(data.get("count") or {})
            except ValidationError as exc:
                errors += _details(exc, ("count",))
            data = {**data, "count": None}
        elif data.get("count") is None:  # a filled document needs its count, as before
            errors.append(InitErrorDetails(type="missing", loc=("count",), input=data))
        try:
            model = handler(data)
        except ValidationError as exc:
            if not errors:
                raise
            raise ValidationError.from_exception_data(cls.__name__, _details(exc) + errors) from None
        if errors:
            raise ValidationError.from_exception_data(cls.__name__, errors)
        model._layout = layout
        return model

    def context(self) -> dict[str, Any]:
        """A filled document's context, or for a blank one the fields, the election's name and the layout."""
        if not self.blank:
            # the templates name blank_form in both modes; a filled context says "none" so a template lint knows it
            return {**super().context(), "blank_form": None}
        assert self._layout is not None
        ctx = KindModel.context(self)
        ctx["election_name"] = election_name(self.place.village, self.term, self._layout, self.election)
        ctx["blank_form"] = blank_view(self._layout)
        return ctx
