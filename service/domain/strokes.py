"""Surname-stroke order (按姓氏笔画为序): the order of candidates on every ballot and list.

Two names compare as follows (see shared reference election-rules.md, "Surname-stroke order"):

1. The surname, character by character: fewer strokes first; the same count, the stroke classes
   横1 竖2 撇3 点4 折5 stroke by stroke; the same strokes (土/士, 叶/申), the code point, so that
   people with the same surname always stay together.
2. The same surname: the shorter name first (王芳 before 王一鸣), as official lists do by reading a
   single given name as having an empty second character.
3. The given name, character by character, the same way as the surname.

A compound surname (欧阳, 司马 ...) is one surname, compared character by character: 欧阳 sits
among the 8-stroke surnames by its first character, as the usual rules for official lists have it
(欧阳少东 before 洪少东), and after every single-character 欧. In a name
with a middle dot (阿卜杜拉·艾力) the part before the first dot stands for the surname, and the dots
themselves are ignored. Whitespace is ignored; characters are compared after NFKC folding, which also
turns Kangxi-radical look-alikes (copied from PDFs) into the ordinary characters.

Characters never crash the order. One whose strokes are unknown but whose count is known (a rare
ideograph) sorts after the known ones with the same count; one with no data at all (Latin letters,
digits, symbols, ideographs outside the Basic Multilingual Plane) sorts after every Chinese character
in the same position; both then by code point. The data is service/domain/data/strokes.tsv, built by
scripts/build_stroke_data.py.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from functools import cache
from importlib import resources
from typing import Any, TypeVar

T = TypeVar("T")

CharKey = tuple[int, int, int, str, int]
NameKey = tuple[tuple[CharKey, ...], int, tuple[CharKey, ...]]

# Compound surnames from the 百家姓 and later lists. Left out on purpose: pairs whose first character is
# a common single surname and whose second is a common first character of a given name (段干, 梁丘,
# 谷梁, 左丘, 乐正), where a split would misread far more people than it would help.
# fmt: off
COMPOUND_SURNAMES = frozenset(
    {
        "欧阳", "太史", "端木", "上官", "司马", "东方", "独孤", "南宫", "万俟", "闻人", "夏侯", "诸葛",
        "尉迟", "公羊", "赫连", "澹台", "皇甫", "宗政", "濮阳", "公冶", "太叔", "申屠", "公孙", "慕容",
        "仲孙", "钟离", "长孙", "宇文", "司徒", "鲜于", "司空", "闾丘", "子车", "亓官", "司寇", "巫马",
        "公西", "颛孙", "壤驷", "公良", "漆雕", "宰父", "夹谷", "拓跋", "轩辕", "令狐", "呼延", "百里",
        "东郭", "南门", "羊舌", "微生", "公户", "公玉", "公仪", "公仲", "公上", "公门", "公山", "公坚",
        "公伯", "西门", "公祖", "第五", "公乘", "贯丘", "公皙", "南荣", "东里", "东宫", "仲长", "子书",
        "子桑", "即墨", "达奚", "褚师", "纳兰", "完颜", "耶律", "呼衍", "淳于", "单于", "胥门", "归海",
        "爱新觉罗", "叶赫那拉",
    }
)
# fmt: on

# Middle dots seen in minority names: · U+00B7, · U+0387, • U+2022, ‧ U+2027, ∙ U+2219, ⋅ U+22C5,
# ・ U+30FB, ･ U+FF65, and the full stops people type instead (. U+002E, ． U+FF0E).
NAME_DOTS = frozenset("\u00b7\u0387\u2022\u2027\u2219\u22c5\u30fb\uff65.\uff0e")

_LONGEST_COMPOUND = max(len(surname) for surname in COMPOUND_SURNAMES)


@cache
def _table() -> dict[str, tuple[int, str]]:
    """Character -> (total strokes, stroke classes or ''), read once from strokes.tsv."""
    text = resources.files("service.domain").joinpath("data/strokes.tsv").read_text(encoding="utf-8")
    table: dict[str, tuple[int, str]] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            char, count, sequence = line.split("\t")
            table[char] = (int(count), sequence)
    return table


def strokes(char: str) -> int | None:
    """The total stroke count of one character, or None when the data does not know it."""
    entry = _table().get(char)
    return entry[0] if entry else None


def stroke_sequence(char: str) -> str | None:
    """The strokes of one character as digits 1-5 (横竖撇点折), or None when unknown."""
    entry = _table().get(char)
    return (entry[1] or None) if entry else None


def _clean(name: str) -> str:
    """Drop every whitespace character, surrounding or inner (U+3000 included)."""
    return "".join(name.split())


def split_name(name: str) -> tuple[str, str]:
    """(surname, given name) of a name, whitespace removed; see the module docstring for the rules."""
    cleaned = _clean(name)
    for index, char in enumerate(cleaned):
        if char in NAME_DOTS:
            return cleaned[:index], cleaned[index + 1 :]
    # A two-character name is a single surname and a one-character given name even when it reads
    # like a compound surname: nobody is registered without a given name.
    for length in range(min(_LONGEST_COMPOUND, len(cleaned) - 1), 1, -1):
        if cleaned[:length] in COMPOUND_SURNAMES:
            return cleaned[:length], cleaned[length:]
    return cleaned[:1], cleaned[1:]


def char_key(char: str) -> CharKey:
    """The sort key of one character: known strokes, then count-only, then no data; code point last."""
    entry = _table().get(char)
    if entry is None:
        return (1, 0, 0, "", ord(char))
    count, sequence = entry
    if not sequence:
        return (0, count, 1, "", ord(char))
    return (0, count, 0, sequence, ord(char))


def _chars_key(text: str) -> tuple[CharKey, ...]:
    folded = unicodedata.normalize("NFKC", text)
    return tuple(char_key(char) for char in folded if char not in NAME_DOTS and not char.isspace())


def stroke_key(name: str) -> NameKey:
    """A sort key that puts names in surname-stroke order."""
    surname, given = split_name(name)
    surname_key = _chars_key(surname)
    given_key = _chars_key(given)
    return (surname_key, len(surname_key) + len(given_key), given_key)


def _identity(item: Any) -> Any:
    return item


def sort_by_strokes(items: Iterable[T], key: Callable[[T], str] = _identity) -> list[T]:
    """A new list of the items in surname-stroke order of key(item); equal names keep their order."""
    return sorted(items, key=lambda item: stroke_key(key(item)))
