"""What the results documents share: the count, the election it belongs to, and the engine's decisions.

The tally sheet, the results announcement, the result form and the roster of those elected all take the
count in the shape of the results engine's input (``POST /api/v1/results``) plus the election's details.
``results_view`` runs nothing itself: it turns the engine's ``ElectionOutcome`` into plain dicts, every text
in both languages, so templates print what the engine decided and never apply a rule themselves.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from typing import Any, Protocol

from pydantic import Field, model_validator

from .. import i18n
from ..checks import Problems
from ..domain.results import ElectionOutcome, PostTally, ResultsInput, Tallied, evaluate
from ..domain.results.decisions import Decision
from ..domain.results.models import COMBINED_POSTS
from ..filters import cn_date
from ..rules import Source, Text
from .base import KindModel
from .fields import OptionalText, Place, Signature, Strict
from .fields import Text as FieldText

# Messages formatted here rather than in a template (tests/test_result_documents.py checks their English).
ELECTION_NAMES = {
    "villagers-committee": "%(village)s第%(term)s届村民委员会选举",
    "residents-committee": "%(village)s第%(term)s届居民委员会选举",
    "party-branch": "中共%(village)s支部委员会换届选举",
}
TOWNSHIP_ELECTIONS = {
    "villagers-committee": "%(township)s第%(term)s届村民委员会选举",
    "residents-committee": "%(township)s第%(term)s届居民委员会选举",
    "party-branch": "%(township)s村党组织换届选举",
}
FURTHER_ROUND = "%(election)s（另行选举）"
MESSAGES = (*ELECTION_NAMES.values(), *TOWNSHIP_ELECTIONS.values(), FURTHER_ROUND)


def both(message: str, **values: Any) -> dict[str, str]:
    """A fixed message in Chinese and English, filled with values."""
    return {lang: i18n.gettext(message, lang) % values for lang in i18n.LANGS}


def text(value: Text) -> dict[str, str]:
    """An engine text as a dict the templates index by language."""
    return {"zh": value.zh, "en": value.en}


def cite(source: Source) -> str:
    """A rule's source as printed: the law, and the article where it was checked."""
    return source.law + (source.article or "")


def joined(found: list[dict[str, Any]]) -> dict[str, str]:
    """Several decisions' reasons as one paragraph: Chinese sentences end in 。, English ones need a space."""
    return {"zh": "".join(d["text"]["zh"] for d in found), "en": " ".join(d["text"]["en"] for d in found)}


def decision(found: Decision) -> dict[str, Any]:
    """One decision as printed: its outcome, its reason in both languages and its source."""
    return {"rule": found.rule, "outcome": found.outcome, "text": text(found.reason), "source": cite(found.source)}


# --- input --------------------------------------------------------------------------------------------------


class Township(Strict):
    """A township whose villages a summary table adds up."""

    county: OptionalText = Field("", description="县（市、区）")
    township: FieldText = Field(description="乡（镇、街道）")


class MarkedCandidate(Tallied):
    """A listed candidate; in a Party election also the ballots that disagreed or abstained."""

    disagree: int | None = Field(None, ge=0, description="反对票（党内选举；与弃权票同填）")
    abstain: int | None = Field(None, ge=0, description="弃权票（党内选举；与反对票同填）")


class MarkedPost(PostTally):
    """One post on its own ballot; candidates may carry disagree and abstain counts."""

    # A narrower list than PostTally's, so pydantic accepts the extra counts; the engine reads only Tallied.
    candidates: list[MarkedCandidate] = Field(default_factory=list)  # type: ignore[assignment]


class Count(ResultsInput):
    """The count as the results engine takes it; where agree/disagree/abstain are given they must add up."""

    posts: list[MarkedPost] = Field(default_factory=list)  # type: ignore[assignment]

    @model_validator(mode="after")
    def _marks_add_up(self) -> Count:
        problems = Problems()
        valid = self.ballots_valid
        for i, post in enumerate(self.posts):
            for j, c in enumerate(post.candidates):
                at: tuple[str | int, ...] = ("posts", i, "candidates", j)
                if (c.disagree is None) != (c.abstain is None):
                    missing = "abstain" if c.abstain is None else "disagree"
                    problems.add((*at, missing), "marks_incomplete",
                                 "give both the disagree and the abstain count, or neither",
                                 "反对票和弃权票应同时填写或都不填")
                elif c.disagree is not None and c.abstain is not None:
                    total = c.votes + c.disagree + c.abstain
                    if total != valid:
                        problems.add(at, "marks_do_not_add_up",
                                     f"agree {c.votes} + disagree {c.disagree} + abstain {c.abstain} = {total}, "
                                     f"not the {valid} valid ballots",
                                     f"赞成{c.votes}＋反对{c.disagree}＋弃权{c.abstain}＝{total}，"
                                     f"与有效票{valid}张不符", total)
        problems.raise_if_any("Count")
        return self


class ResultsDocument(KindModel):
    """The fields every results document has: the place, the election, its day, the count and the signature."""

    place: Place
    term: int = Field(ge=1, le=99, description="届次（第N届）")
    election: OptionalText = Field("", description="选举名称；不填时按村名、届次和选举种类生成")
    election_day: date = Field(description="选举日（投票日）")
    count: Count = Field(description="计票结果，与 POST /api/v1/results 的输入相同")
    signature: Signature

    @model_validator(mode="after")
    def _signed_after_the_vote(self) -> ResultsDocument:
        problems = Problems()
        if self.signature.date < self.election_day:
            problems.add(("signature", "date"), "signed_before_election",
                         f"the document is dated {cn_date(self.signature.date, lang='en')}, before election day "
                         f"({cn_date(self.election_day, lang='en')})",
                         f"落款日期（{cn_date(self.signature.date)}）早于选举日（{cn_date(self.election_day)}）",
                         self.signature.date.isoformat())
        problems.raise_if_any(type(self).__name__)
        return self

    def outcome(self) -> ElectionOutcome:
        """The engine's judgement of this count."""
        return evaluate(self.count)

    def context(self) -> dict[str, Any]:
        """The fields, the election's printed name and the engine's decisions (``results``)."""
        ctx = super().context()
        ctx["election_name"] = election_name(self.place.village, self.term, self.count, self.election)
        ctx["results"] = results_view(self.count, self.outcome())
        return ctx


class _Election(Protocol):
    """What names an election: its rule set and round (a count, or the layout of a blank form)."""

    @property
    def rule_set(self) -> str: ...

    @property
    def round(self) -> str: ...


def election_name(village: str, term: int, count: _Election, given: str = "") -> dict[str, str]:
    """The election's name in both languages: as given, or from the village, term and kind of election."""
    name = {"zh": given, "en": given} if given else both(ELECTION_NAMES[count.rule_set], village=village, term=term)
    if count.round == "further":
        name = {lang: i18n.gettext(FURTHER_ROUND, lang) % {"election": name[lang]} for lang in i18n.LANGS}
    return name


# --- the engine's outcome as the templates read it ----------------------------------------------------------


def _marks(count: ResultsInput) -> dict[tuple[str, str], tuple[int | None, int | None]]:
    marks: dict[tuple[str, str], tuple[int | None, int | None]] = {}
    for post in count.posts:
        for c in post.candidates:
            marks[(post.post, c.name)] = (getattr(c, "disagree", None), getattr(c, "abstain", None))
    return marks


def _post_view(result: Any, marks: dict[tuple[str, str], tuple[int | None, int | None]]) -> dict[str, Any]:
    # Everyone on a combined ballot stands for every post, and write-in lines may stay empty: a tally lists
    # the people who received votes for this post, and every listed candidate of a separate ballot.
    rows = [r for r in result.tally() if r["votes"] or (result.ballot == "separate" and not r["write_in"])]
    for n, row in enumerate(rows, start=1):
        row["no"] = n
        row["disagree"], row["abstain"] = marks.get((result.post, row["name"]), (None, None))
        if result.status == "void":
            row["status"] = "void"
    elected = sorted(result.elected, key=lambda c: (-c.votes, c.order))
    return {
        "post": result.post,
        "title": text(result.title),
        "seats": result.seats,
        "ballot": result.ballot,
        "status": result.status,
        "provisional": result.provisional,
        "rows": rows,
        "marks": any(row["disagree"] is not None for row in rows),
        "elected": [{"name": c.name, "votes": c.votes, "sex": c.sex, "write_in": c.write_in} for c in elected],
        "filled": len(elected),
        "tie_votes": [vote.to_dict() for vote in result.tie_votes],
        "further_rounds": [vote.to_dict() for vote in result.further_rounds],
        "vacant": result.vacant,
        "notes": [decision(d) for d in result.decisions if d.outcome == "warning"],
    }


def _threshold(outcome: ElectionOutcome) -> dict[str, Any] | None:
    if not outcome.posts:
        return None
    found = outcome.posts[0].threshold  # one round of one count has one threshold for every post
    rule = outcome.rule_set.rule(found.rule)
    return {
        "min_votes": found.min_votes,
        "base": found.base,
        "base_kind": found.base_kind,
        "rule": {"zh": rule.zh, "en": rule.en},
        "source": cite(rule.source),
    }


_COLUMNS = COMBINED_POSTS
_STANDING = ("elected", "tied", "further_round_candidate")


def _standing(name: str, results: list[Any]) -> dict[str, Any]:
    """Where one person on a combined ballot ended up, post by post from the highest: elected, tied or in a
    further round (someone can be elected a member and stand in the director's further round), else the
    reason they were not."""
    rows = [(result, row) for result in results for row in result.tally() if row["name"] == name]
    found = [{"status": row["status"], "title": text(result.title)} for result, row in rows
             if row["status"] in _STANDING]
    if found:
        return {"standings": found, "status": found[0]["status"]}
    if results and results[0].status == "void":
        return {"standings": [], "status": "void"}
    higher = any(row["status"] == "elected_higher_post" for _, row in rows)
    return {"standings": [], "status": "elected_higher_post" if higher else "not_elected"}


def _combined(count: ResultsInput, outcome: ElectionOutcome) -> dict[str, Any] | None:
    """One row per person on a combined ballot: the marks in each column as entered, the votes the engine
    counted toward each post (after any transfer) and where the person ended up."""
    if count.combined is None:
        return None
    rules = outcome.rule_set
    transfer = bool(outcome.profile.setting(count.rule_set, "combined_ballot_transfer").value)
    rule = rules.by_suffix("combined_ballot_transfer")
    results = [r for r in outcome.posts if r.ballot == "combined"]
    counted = {r.post: {row["name"]: row["votes"] for row in r.tally()} for r in results}
    return {
        "columns": [{"post": post, "title": {"zh": rules.posts[post].zh, "en": rules.posts[post].en},
                     "seats": count.combined.seats.get(post, 0)} for post in _COLUMNS],
        "people": [
            {
                "no": n,
                "name": p.name,
                "write_in": p.write_in,
                "marks": {post: getattr(p, post) if count.combined.seats.get(post) else None for post in _COLUMNS},
                "counted": {post: counted[post].get(p.name) if post in counted else None for post in _COLUMNS},
                **_standing(p.name, results),
            }
            for n, p in enumerate(count.combined.people, start=1)
        ],
        "transfer": transfer,
        "rule": {"zh": rule.zh, "en": rule.en} if transfer else None,
        "source": cite(rule.source),
    }


def results_view(count: ResultsInput, outcome: ElectionOutcome) -> dict[str, Any]:
    """Validity, counts, threshold, each post's tally and decisions, and everyone elected, ready to print."""
    marks = _marks(count)
    posts = [_post_view(result, marks) for result in outcome.posts]
    separate = [post for post in posts if post["ballot"] == "separate"]
    turnout_base = count.electorate
    turnout_count = count.present if count.rule_set == "party-branch" and count.present is not None else (
        count.ballots_returned)
    elected = [
        {"name": p.name, "post": p.post, "title": text(p.title), "votes": p.votes, "sex": p.sex,
         "write_in": p.write_in}
        for p in outcome.elected()
    ]
    committee = [decision(d) for d in outcome.committee if d.outcome == "warning"]
    return {
        "valid": outcome.valid,
        "rule_set": count.rule_set,
        "party": count.rule_set == "party-branch",
        "round": outcome.round,
        "counts": dict(outcome.counts),
        "turnout": Fraction(turnout_count, turnout_base),
        "reasons": [decision(d) for d in outcome.reasons],
        "reasons_text": joined([decision(d) for d in outcome.reasons]),
        "failed": [decision(d) for d in outcome.reasons if d.outcome == "fail"],
        # What an announcement states: every check of a valid vote, only the failed ones of a void vote.
        "verdict_text": joined([decision(d) for d in outcome.reasons if outcome.valid or d.outcome == "fail"]),
        "threshold": _threshold(outcome),
        "posts": posts,
        "separate": separate,
        "seats": sum(p["seats"] for p in posts),
        "filled": len(elected),
        "elected": elected,
        "women_elected": sum(1 for p in elected if p["sex"] == "female"),
        "further_rounds": [
            {"title": post["title"], **vote} for post in posts for vote in post["further_rounds"]
        ],
        "tie_votes": [{"title": post["title"], **vote} for post in posts for vote in post["tie_votes"]],
        "vacant": [{"title": post["title"], "seats": post["vacant"]} for post in posts if post["vacant"]],
        "provisional": any(post["provisional"] for post in posts),
        "combined": _combined(count, outcome),
        "committee_notes": committee,
        "notes": [n for post in posts for n in post["notes"]] + committee,
        "notes_text": joined([n for post in posts for n in post["notes"]] + committee),
    }
