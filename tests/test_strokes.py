"""Surname-stroke order: the stroke data, name splitting, the sort key and published lists."""

from __future__ import annotations

import json
import random
import re
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.domain.strokes import (
    COMPOUND_SURNAMES,
    NAME_DOTS,
    sort_by_strokes,
    split_name,
    stroke_key,
    stroke_sequence,
    strokes,
)

PUBLISHED = json.loads((Path(__file__).parent / "data" / "published_stroke_lists.json").read_text("utf-8"))

# Surname counts checked by hand against a dictionary (the same list the build script enforces).
HAND_COUNTS = re.findall(
    r"\S\d+",
    "王4 丁2 马3 李7 张7 刘6 陈7 杨7 黄11 赵9 周8 吴7 徐10 孙6 胡9 朱6 高10 林8 何7 郭10 罗8 郑8 梁11 "
    "谢12 宋7 唐10 许6 韩12 冯5 邓4 曹11 彭12 曾12 萧11 田5 董12 袁10 潘15 于3 蒋12 蔡14 余7 杜7 叶5 "
    "程12 苏7 魏17 吕6 任6 沈7 姚9 卢5 姜9 崔11 钟9 谭14 陆7 汪7 范8 金8 石5 廖14 贾10 夏10 韦4 付5 "
    "方4 白5 邹7 孟8 熊14 秦10 邱7 江6 尹4 薛16 闫6 段9 雷13 侯9 龙5 史5 陶10 黎15 贺9 顾10 毛4 郝9 "
    "龚11 邵7 万3 钱10 严7 覃12 武8 戴17 莫10 孔4 向6 汤6",
)


def shuffled(names: list[str], seed: int) -> list[str]:
    """A copy of names in a reproducible random order."""
    copy = list(names)
    random.Random(seed).shuffle(copy)
    return copy


# --- the data -------------------------------------------------------------------------------------


def test_every_row_has_a_count_and_a_matching_sequence() -> None:
    text = resources.files("service.domain").joinpath("data/strokes.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if not line.startswith("#")]
    assert len(rows) > 27000
    assert sum(1 for _, _, sequence in rows if sequence) > 6900
    for char, count, sequence in rows:
        assert len(char) == 1
        assert int(count) > 0
        # A sequence, where there is one, has one digit 1-5 per stroke.
        assert sequence == "" or (len(sequence) == int(count) and set(sequence) <= set("12345")), char


@pytest.mark.parametrize("entry", HAND_COUNTS)
def test_common_surname_counts_checked_by_hand(entry: str) -> None:
    assert strokes(entry[0]) == int(entry[1:])
    assert len(stroke_sequence(entry[0]) or "") == int(entry[1:])


@pytest.mark.parametrize(
    ("char", "sequence"),
    [
        ("王", "1121"),
        ("方", "4153"),  # 点 横 横折钩 撇
        ("尹", "5113"),  # 横折 横 横 撇
        ("孔", "5215"),  # 横撇 竖钩 提 竖弯钩: 竖钩 counts as 竖, 提 as 横
        ("小", "234"),  # 竖钩 撇 点
        ("冰", "412534"),  # 冫 is 点 提: 提 counts as 横
        ("人", "34"),  # 撇 捺: 捺 counts as 点
        ("心", "4544"),  # 卧钩 is a turning stroke: 折
        ("了", "52"),  # 横撇 竖钩
        ("必", "45434"),  # the standard order, 点 卧钩 点 撇 点
        ("火", "4334"),
    ],
)
def test_stroke_classes_follow_the_national_standard(char: str, sequence: str) -> None:
    assert stroke_sequence(char) == sequence


# Outside GB 2312 but common in names; all carry a full stroke order, not just a count.
# fmt: off
OUTSIDE_GB2312 = [
    ("堃", 11), ("喆", 12), ("昇", 8), ("玥", 8), ("珺", 11), ("琤", 10), ("婕", 11), ("赟", 16),
    ("镕", 15), ("犇", 12), ("淼", 12), ("燚", 16), ("焱", 12), ("垚", 9), ("鑫", 24), ("彧", 10),
    ("钰", 10), ("祎", 8), ("昊", 8), ("玙", 7), ("旸", 7), ("晔", 10), ("䶮", 9), ("禛", 14),
    ("淏", 11), ("沄", 7),
]
# fmt: on


@pytest.mark.parametrize(("char", "count"), OUTSIDE_GB2312)
def test_name_characters_outside_gb2312_have_real_data(char: str, count: int) -> None:
    assert strokes(char) == count
    sequence = stroke_sequence(char)
    assert sequence is not None and len(sequence) == count


def test_composed_characters_are_written_part_by_part() -> None:
    # 琤 is 王 then 争, 䶮 is 龙 over 天: the build composes them from the parts' own orders.
    assert stroke_sequence("琤") == stroke_sequence("王") + stroke_sequence("争")
    assert stroke_sequence("䶮") == stroke_sequence("龙") + stroke_sequence("天")


def test_source_errors_are_corrected_or_reduced_to_a_count() -> None:
    # cnchar-order drops a stroke of 皙 (析 over 白, 13); the build restores it.
    assert stroke_sequence("皙") == stroke_sequence("析") + stroke_sequence("白")
    # 囍: the sources disagree on the count, so only Unicode's count is kept.
    assert (strokes("囍"), stroke_sequence("囍")) == (21, None)


def test_characters_without_data() -> None:
    assert strokes("A") is None and stroke_sequence("A") is None
    assert strokes("𠀀") is None  # supplementary plane: no data
    assert (strokes("瀞"), stroke_sequence("瀞")) == (17, None)  # count only


# --- splitting names --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("王芳", ("王", "芳")),
        ("王一鸣", ("王", "一鸣")),
        ("欧阳修", ("欧阳", "修")),
        ("司马相如", ("司马", "相如")),
        ("诸葛亮", ("诸葛", "亮")),
        ("上官婉儿", ("上官", "婉儿")),
        ("叶赫那拉根正", ("叶赫那拉", "根正")),
        # Two characters are surname + given name even when they spell a compound surname.
        ("欧阳", ("欧", "阳")),
        # 段干 is deliberately not a compound surname: 段 is common, 干 a common given-name start.
        ("段干林", ("段", "干林")),
        ("  王　芳 ", ("王", "芳")),
        ("田 华", ("田", "华")),
        ("", ("", "")),
        ("   ", ("", "")),
        ("阿卜杜拉·艾力", ("阿卜杜拉", "艾力")),
        ("阿卜杜拉·艾力·买买提", ("阿卜杜拉", "艾力·买买提")),
        ("A", ("A", "")),
    ],
)
def test_split_name(name: str, parts: tuple[str, str]) -> None:
    assert split_name(name) == parts


@pytest.mark.parametrize("dot", sorted(NAME_DOTS))
def test_every_middle_dot_variant_splits_and_sorts_alike(dot: str) -> None:
    assert split_name(f"阿卜杜拉{dot}艾力") == ("阿卜杜拉", "艾力")
    assert stroke_key(f"阿卜杜拉{dot}艾力") == stroke_key("阿卜杜拉·艾力")


def test_compound_surnames_are_data() -> None:
    # fmt: off
    assert {"欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
            "夏侯", "令狐", "端木", "独孤", "南宫", "西门", "申屠", "轩辕", "呼延", "澹台", "万俟", "闻人",
            "赫连", "濮阳", "太史", "钟离", "宗政", "拓跋"} <= COMPOUND_SURNAMES
    # fmt: on


# --- the order --------------------------------------------------------------------------------------


def test_fewer_strokes_first() -> None:
    assert sort_by_strokes(["田一", "王一", "于一", "丁一"]) == ["丁一", "于一", "王一", "田一"]


def test_same_count_broken_by_stroke_types() -> None:
    # All four surnames have 4 strokes. 王 1121 starts with 横, so it comes first; 方 4153 starts with
    # 点; 尹 5113 and 孔 5215 both start with 折, and at the second stroke 尹's 横 beats 孔's 竖
    # (孔's 竖钩 counts as 竖). Code-point order would give 孔 尹 方 王, the reverse.
    assert sort_by_strokes(["孔一", "方一", "尹一", "王一"]) == ["王一", "方一", "尹一", "孔一"]


def test_later_strokes_decide_when_the_first_ones_agree() -> None:
    # 林 12341234 and 欧 13453534 both have 8 strokes and start with 横; the second stroke is 竖 in 林
    # and 撇 in 欧. 李 1234521 and 杨 1234533 agree for five strokes; the sixth is 竖 against 撇.
    assert sort_by_strokes(["杨二", "李二"]) == ["李二", "杨二"]
    assert sort_by_strokes(["欧二", "林二"]) == ["林二", "欧二"]


def test_identical_strokes_fall_back_to_code_point_and_keep_surnames_together() -> None:
    # 土 and 士 are both 横 竖 横; 叶 and 申 both 竖 横折 横 横 竖.
    assert stroke_sequence("土") == stroke_sequence("士") == "121"
    assert sort_by_strokes(["士兵", "土豆", "士大夫", "土一"]) == ["土一", "土豆", "士兵", "士大夫"]
    assert sort_by_strokes(["申亮亮", "叶培建"]) == ["叶培建", "申亮亮"]


def test_shorter_name_first_within_a_surname() -> None:
    # 一 has one stroke, yet 王芳 comes first: a single given name reads as having an empty slot.
    assert sort_by_strokes(["王一鸣", "王芳", "王蒙", "王文教"]) == ["王芳", "王蒙", "王一鸣", "王文教"]


def test_given_name_character_by_character() -> None:
    assert sort_by_strokes(["李大鸣", "李一鸣"]) == ["李一鸣", "李大鸣"]
    assert sort_by_strokes(["张晋藩", "张燮林", "张卓元"]) == ["张卓元", "张晋藩", "张燮林"]
    # Same first character: the second decides.
    assert sort_by_strokes(["陈家良", "陈家乐"]) == ["陈家乐", "陈家良"]


def test_compound_surname_is_one_surname() -> None:
    # 欧阳 is compared as 欧 then 阳: it sits among the 8-stroke surnames (before 洪, 9 strokes), after
    # every single-character 欧, whatever the length of their names.
    names = ["洪少东", "欧阳少东", "欧颖华", "欧丽", "欧阳修"]
    assert sort_by_strokes(names) == ["欧丽", "欧颖华", "欧阳修", "欧阳少东", "洪少东"]


def test_dotted_names_sort_by_the_part_before_the_dot() -> None:
    names = ["布茹玛汗·毛勒朵", "艾热提·马木提", "阿丽", "阿卜杜拉·艾力", "王小谟"]
    assert sort_by_strokes(names) == ["王小谟", "艾热提·马木提", "布茹玛汗·毛勒朵", "阿丽", "阿卜杜拉·艾力"]


def test_whitespace_is_ignored() -> None:
    assert stroke_key(" 王 芳\u3000") == stroke_key("王芳") == stroke_key("王\t芳")
    assert sort_by_strokes(["王 一鸣", "田 华", " 王芳"]) == [" 王芳", "王 一鸣", "田 华"]


def test_compatibility_forms_sort_as_the_ordinary_characters() -> None:
    # ⽟ U+2F5F (a Kangxi radical, as PDFs often give) and 金 U+F90A fold to 玉 and 金 under NFKC.
    assert stroke_key("\u2f5f立") == stroke_key("玉立")
    assert stroke_key("\uf90a一") == stroke_key("金一")


def test_empty_names_come_first_and_never_crash() -> None:
    assert sort_by_strokes(["王芳", "", "  ", "丁一"]) == ["", "  ", "丁一", "王芳"]


def test_count_only_characters_sort_after_known_ones_with_the_same_count() -> None:
    # 瀞 has 17 strokes but no stroke order: after 戴 and 魏 (17, known), before 瞿 (18).
    assert strokes("瞿") == 18
    assert sort_by_strokes(["瞿一", "瀞一", "魏一", "戴一"]) == ["戴一", "魏一", "瀞一", "瞿一"]


def test_characters_without_data_sort_last_in_their_position_by_code_point() -> None:
    names = ["Zoe", "𠀀一", "齉一", "Anna", "王1", "王芳", "王一鸣", "王B", "王A"]
    # 齉 (36 strokes) is still a known character; 𠀀, Latin letters and digits come after every known
    # character in the same position, by code point (digits < Latin < CJK Extension B).
    assert sort_by_strokes(names) == ["王芳", "王1", "王A", "王B", "王一鸣", "齉一", "Anna", "Zoe", "𠀀一"]


def test_sort_is_stable_and_returns_a_new_list() -> None:
    people = [("王芳", 1), ("李一", 2), ("王 芳", 3), ("王芳", 4)]
    result = sort_by_strokes(people, key=lambda person: person[0])
    assert result == [("王芳", 1), ("王 芳", 3), ("王芳", 4), ("李一", 2)]
    assert result is not people
    assert people[1] == ("李一", 2)


def test_sort_accepts_any_iterable() -> None:
    assert sort_by_strokes(iter(("田一", "丁一"))) == ["丁一", "田一"]


@settings(deadline=None, max_examples=200)
@given(st.lists(st.text(max_size=6), max_size=12))
def test_any_text_sorts_and_the_order_is_consistent(names: list[str]) -> None:
    result = sort_by_strokes(names)
    keys = [stroke_key(name) for name in result]
    assert sorted(result) == sorted(names)
    assert keys == sorted(keys)
    assert sort_by_strokes(result) == result


# --- published lists ---------------------------------------------------------------------------------

STROKE_ORDER_LISTS = [entry for entry in PUBLISHED["lists"] if entry["convention"] == "stroke-order"]
COUNT_LISTS = [entry for entry in PUBLISHED["lists"] if entry["convention"] == "count-then-code-point"]


def sortable(entry: dict) -> list[str]:
    """The names to sort: a transcription when the list was printed in other characters."""
    return entry.get("names_simplified", entry["names"])


def count_then_code_point(name: str) -> tuple:
    """The order some published lists actually follow: counts, shorter names first, code points."""

    def chars(text: str) -> tuple:
        return tuple((strokes(char), ord(char)) for char in text if char not in NAME_DOTS)

    surname, given_name = split_name(name)
    return (chars(surname), len(surname) + len(given_name), chars(given_name))


def deciding_pair(first: str, second: str) -> tuple[str, str]:
    """The first pair of differing characters, surname before given name, that orders two names."""
    (surname_a, given_a), (surname_b, given_b) = split_name(first), split_name(second)
    a, b = (surname_a, surname_b) if surname_a != surname_b else (given_a, given_b)
    pairs = zip(a, b, strict=False)
    return next((a, b) for a, b in pairs if a != b)


def test_published_lists_are_recorded_with_their_sources() -> None:
    assert len({entry["source_url"] for entry in STROKE_ORDER_LISTS}) >= 3
    for entry in PUBLISHED["lists"]:
        assert entry["source_url"].startswith(("http://", "https://"))
        assert entry["title"] and len(entry["names"]) >= 4
        assert len(set(entry["names"])) == len(entry["names"])
        if "names_simplified" in entry:
            assert [len(n) for n in entry["names_simplified"]] == [len(n) for n in entry["names"]]


@pytest.mark.parametrize("entry", STROKE_ORDER_LISTS, ids=lambda entry: entry["id"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_shuffled_published_list_sorts_back_to_the_published_order(entry: dict, seed: int) -> None:
    names = sortable(entry)
    assert sort_by_strokes(shuffled(names, seed)) == names


@pytest.mark.parametrize("list_id", ["national-honours-2019-titles", "guangdong-cppcc-2023-macao-members"])
def test_those_lists_depend_on_the_stroke_type_rule(list_id: str) -> None:
    # Counts and code points alone would get these wrong (艾 布 叶 申; 黄 龚 崔 梁), so they really
    # test the 横竖撇点折 comparison, not only the stroke counts.
    entry = next(entry for entry in STROKE_ORDER_LISTS if entry["id"] == list_id)
    assert sorted(sortable(entry), key=count_then_code_point) != sortable(entry)


@pytest.mark.parametrize("entry", COUNT_LISTS, ids=lambda entry: entry["id"])
def test_lists_in_count_then_code_point_order(entry: dict) -> None:
    names = entry["names"]
    # The whole list is explained by the other convention, computed from our stroke counts ...
    assert sorted(shuffled(names, 7), key=count_then_code_point) == names
    # ... and every place where it parts from our order is one of the recorded exceptions.
    ours = {name: stroke_key(name) for name in names}
    disagreements = {
        deciding_pair(a, b) for i, a in enumerate(names) for b in names[i + 1 :] if ours[a] > ours[b]
    }
    recorded = {(item["published_first"], item["published_second"]) for item in entry["exceptions"]}
    assert disagreements == recorded
    for first, second in recorded:
        assert strokes(first) == strokes(second)
        assert stroke_sequence(second) < stroke_sequence(first)
        assert ord(first) < ord(second)
