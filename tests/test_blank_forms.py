"""Blank tally sheets and result forms for election day: names and posts printed, every figure left empty."""

from __future__ import annotations

import copy
import io
import json
import re
from pathlib import Path
from typing import Any

import docx
import pytest
from flask.testing import FlaskClient

from kit import docx_text, pdf_text
from service import kinds
from service.kinds.results_blank import ELECTED_LINES, WRITE_IN_LINES, BlankCount, blank_view

DATA = Path(__file__).parent / "data"
BLANK_KINDS = ["table.tally", "report.result-form"]
# Figures of the samples' counts that would show if a blank form printed them (small ones collide with row
# numbers and dates): registered, issued, returned, valid, and votes.
FIGURES = ["1326", "1015", "1008", "996", "612", "371", "560", "330", "640", "488", "470", "455"]


def blank(kind: str) -> dict[str, Any]:
    """The blank example of a kind (tests/data/<kind>.blank.json)."""
    data: dict[str, Any] = json.loads((DATA / f"{kind}.blank.json").read_text())
    return data


def produce(client: FlaskClient, kind: str, data: dict[str, Any], fmt: str, lang: str = "zh") -> bytes:
    resp = client.post(f"/api/v1/documents/{kind}?format={fmt}&lang={lang}", json=data)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return resp.data


def text_of(data: bytes, fmt: str) -> str:
    return re.sub(r"\s+", "", pdf_text(data) if fmt == "pdf" else docx_text(data))


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_blank_tally_lists_the_posts_and_names_with_empty_boxes(client: FlaskClient, fmt: str, lang: str) -> None:
    text = text_of(produce(client, "table.tally", blank("table.tally"), fmt, lang), fmt)
    for name in ("韩涛然", "唐文洋", "黄轩", "邱涛", "汪兰萱", "彭民志"):
        assert name in text
    if lang == "zh":
        assert "一、主任（应选1名）" in text and "二、委员（应选4名）" in text
        assert "选举是否有效：□有效□无效" in text and "当选所需票数：票" in text
        assert "唱票记录（划“正”字）" in text or '唱票记录（划"正"字）' in text
        assert "选举有效。" not in text and "当选" + "所需票数：5" not in text
    else:
        assert "Director—1toelect" in text and "Member—4toelect" in text
        assert "□valid□invalid" in text
    # 2 + 3 write-in lines under the director, 5 + 4 (the seats) under the members
    assert re.search(r"1韩涛然2唐文洋345(?!\d)", text)
    assert re.search(r"1黄轩2杜燕然3蓝玉梅4沈明5邱涛6789(?!\d)", text)


def test_blank_tally_docx_has_empty_count_cells_and_lines(client: FlaskClient) -> None:
    document = docx.Document(io.BytesIO(produce(client, "table.tally", blank("table.tally"), "docx")))
    counts, director, members, signs = document.tables
    assert [c.text for c in counts.rows[0].cells][:2] == ["登记选民数", "参加投票人数"]
    assert [c.text for c in counts.rows[1].cells] == [""] * 7
    assert [[c.text for c in row.cells] for row in director.rows[1:]] == [
        ["1", "韩涛然", "", "", "", ""], ["2", "唐文洋", "", "", "", ""],
        *[[str(n), "", "", "", "", ""] for n in range(3, 3 + WRITE_IN_LINES)],
    ]
    assert len(members.rows) == 1 + 5 + 4
    assert signs.rows[1].cells[1].text == "汪兰萱"


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_blank_result_form_leaves_every_figure_to_fill_in(client: FlaskClient, fmt: str, lang: str) -> None:
    text = text_of(produce(client, "report.result-form", blank("report.result-form"), fmt, lang), fmt)
    if lang == "zh":
        assert "登记选民数人参加投票人数人发出选票张收回选票张有效票张无效票张参选率%选举是否有效□有效□无效" in text
        assert "当选所需票数票" in text
        assert "主任副主任委员委员委员另行选举及再次投票" in text  # one line per seat, the post printed
        assert "无人当选" not in text and "选举有效" not in text.replace("选举是否有效", "")
    else:
        assert "□valid□invalid" in text
        assert "DirectorDeputydirectorMemberMemberMember" in text


def test_blank_result_form_docx_cells(client: FlaskClient) -> None:
    document = docx.Document(io.BytesIO(produce(client, "report.result-form", blank("report.result-form"), "docx")))
    form = document.tables[0]
    cells = {row.cells[0].text: [c.text for c in row.cells] for row in form.rows}
    assert cells["登记选民数"] == ["登记选民数", "　　　　人", "参加投票人数", "　　　　人"]
    assert cells["有效票"] == ["有效票", "　　　　张", "无效票", "　　　　张"]
    assert cells["依据"][1] == ""
    elected = [row.cells[0].text for row in form.rows if row.cells[1].text == "" and row.cells[0].text in
               ("主任", "副主任", "委员")]
    assert elected == ["主任", "副主任", "委员", "委员", "委员"]


@pytest.mark.parametrize("kind", BLANK_KINDS)
@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_figures_given_to_a_blank_form_are_not_printed(client: FlaskClient, kind: str, fmt: str) -> None:
    data = copy.deepcopy(kinds.get(kind).sample()) | {"blank": True}
    text = text_of(produce(client, kind, data, fmt), fmt)
    assert "韩涛然" in text or kind == "report.result-form"
    for figure in FIGURES:
        assert figure not in text, figure
    filled = text_of(produce(client, kind, kinds.get(kind).sample(), fmt), fmt)
    assert "1326" in filled and "1008" in filled  # the same data filled in prints them


@pytest.mark.parametrize("kind", BLANK_KINDS)
def test_a_blank_form_needs_no_count(client: FlaskClient, kind: str) -> None:
    data = blank(kind)
    del data["count"]
    text = text_of(produce(client, kind, data, "pdf"), "pdf")
    assert "选举是否有效" in text
    if kind == "table.tally":  # every post of the rule set, seats to fill in
        assert "一、主任（应选名）" in text and "三、委员（应选名）" in text


@pytest.mark.parametrize("kind", BLANK_KINDS)
def test_a_filled_form_still_needs_its_count(client: FlaskClient, kind: str) -> None:
    data = copy.deepcopy(kinds.get(kind).sample())
    del data["count"]
    resp = client.post(f"/api/v1/documents/{kind}?format=docx", json=data)
    assert resp.status_code == 422
    assert [(e["path"], e["code"]) for e in resp.get_json()["errors"]] == [("/count", "missing")]
    data = blank(kind) | {"blank": False}
    resp = client.post(f"/api/v1/documents/{kind}?format=docx", json=data)
    assert resp.status_code == 422  # the blank layout is not a count
    assert {e["path"] for e in resp.get_json()["errors"]} >= {"/count/electorate", "/count/ballots_issued"}


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        (lambda d: d["count"]["posts"][1].update(post="会计"), "/count/posts/1/post", "本类选举没有“会计”职务"),
        (lambda d: d["count"]["posts"][0]["candidates"][0].update(name=""), "/count/posts/0/candidates/0/name",
         "至少应有1个字符"),
    ],
)
def test_bad_layout_and_other_errors_are_all_listed(client: FlaskClient, change: Any, path: str, message: str) -> None:
    data = blank("table.tally")
    change(data)
    data["signature"]["date"] = "2026-11-01"  # before election day
    resp = client.post("/api/v1/documents/table.tally?format=docx", json=data)
    assert resp.status_code == 422
    errors = {e["path"]: e for e in resp.get_json()["errors"]}
    assert set(errors) == {path, "/signature/date"}
    assert errors[path]["message"] == message
    assert errors["/signature/date"]["code"] == "signed_before_election"


def test_blank_view_lines_and_seats() -> None:
    view = blank_view(BlankCount.model_validate({"rule_set": "party-branch", "posts": [
        {"post": "书记", "seats": 1, "candidates": [{"name": "张三"}]},
        {"post": "委员", "candidates": [{"name": f"委员{i}"} for i in range(5)]},
    ]}))
    assert view["party"] is True and view["combined"] is None
    secretary, members = view["separate"]
    assert [r["name"] for r in secretary["rows"]] == ["张三"] + [""] * WRITE_IN_LINES
    assert members["seats"] is None and len(members["rows"]) == 5 + WRITE_IN_LINES
    # one line per known seat, then free lines because the members' seats are not given
    assert [e["title"] and e["title"]["zh"] for e in view["elected"]] == ["书记"] + [None] * ELECTED_LINES
