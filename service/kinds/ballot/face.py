"""What the ballot kinds beyond the villagers' committee share: no figures on the face, the organisation name.

The face of a ballot carries no number or mark that could identify a voter (election-rules.md, "Ballot
production"); the templates spell every count in words, and the texts a clerk types in are checked here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ...checks import Loc, Problems
from .common import Candidate

FIGURE = re.compile(r"\d")  # any decimal digit: ASCII, full-width (０-９) and the other scripts'


def check_no_figures(problems: Problems, loc: Loc, text: str, what_en: str, what_zh: str) -> None:
    """A text printed on the face must not contain a figure: 第三村民小组, not 第3村民小组."""
    if FIGURE.search(text):
        problems.add(
            loc,
            "figure_on_face",
            f"{what_en} {text!r} contains a figure; nothing on a ballot face may be numbered — write numbers in "
            "Chinese characters",
            f"{what_zh}“{text}”含有阿拉伯数字；选票票面不得印任何编号，数字请用汉字书写",
            text,
        )


def check_candidate_figures(problems: Problems, loc: Loc, candidates: Iterable[Candidate]) -> None:
    """No figure in any candidate's name or distinguishing note."""
    for i, c in enumerate(candidates):
        check_no_figures(problems, (*loc, i, "name"), c.name, "the name", "姓名")
        if c.note:
            check_no_figures(problems, (*loc, i, "note"), c.note, "the note", "注记")


def organisation(name: str) -> str:
    """The Party organisation's name without a trailing 委员会, which the ballot title adds."""
    return name.removesuffix("委员会") or name
