"""table.team-structure against numbers worked out by hand, in the model's context and in the printed table."""

from __future__ import annotations

import copy
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from flask.testing import FlaskClient

from kit import assert_in_order, docx_text, pdf_text
from service import i18n
from service.domain import idcard
from service.kinds.table import team_structure
from service.kinds.table.team_structure import TeamStructureTable

KIND = "table.team-structure"


def pid(born: str, sex: str) -> str:
    """A valid ID number for a birth date (YYYYMMDD) and sex (the 17th digit's parity)."""
    return idcard.make(f"330122{born}00{'1' if sex == 'male' else '2'}")


JIA = {"name": "甲", "id_number": pid("19700501", "male"), "education": "大学本科"}
YI = {"name": "乙", "id_number": pid("19901121", "female"), "education": "硕士研究生"}  # 36 on election day itself
BING = {"name": "丙", "id_number": pid("19950110", "male"), "education": "大专"}
DING = {"name": "丁", "id_number": pid("19811201", "female"), "education": "高中", "political_status": "群众"}
WU = {"name": "戊", "id_number": pid("19600303", "male"), "education": "初中"}
JI = {"name": "己", "id_number": pid("19650707", "male"), "education": "高中", "political_status": "群众"}
GENG = {"name": "庚", "sex": "女", "birth_date": "1985-06-15", "education": "中专", "political_status": "中共党员"}
XIN = {"name": "辛", "sex": "男"}  # no ID number, birth date or education: counted as unknown

DATA: dict[str, Any] = {
    "place": {"county": "青山县", "township": "石门镇"},
    "term": 12,
    "election_day": "2026-11-21",
    "previous_election_day": "2021-11-20",
    "villages": [
        {
            "village": "甲村",
            "current": {
                "party_committee": [JIA | {"post": "书记"}, YI | {"post": "委员"}, BING | {"post": "委员"}],
                "villagers_committee": [JIA | {"post": "主任"}, YI | {"post": "副主任"}, DING | {"post": "委员"}],
            },
            "previous": {
                "party_committee": [WU | {"post": "书记"}, JIA | {"post": "委员"}],
                "villagers_committee": [JI | {"post": "主任"}, JIA | {"post": "委员"}],
            },
        },
        {
            "village": "乙村",
            "current": {"villagers_committee": [GENG | {"post": "主任"}, XIN | {"post": "委员"}]},
        },
    ],
    "signature": {"body": "石门镇村级组织换届选举工作指导组", "date": "2026-11-28"},
}


def data() -> dict[str, Any]:
    return copy.deepcopy(DATA)


@pytest.fixture(scope="module")
def ctx() -> dict[str, Any]:
    return TeamStructureTable.model_validate(DATA).context()


def test_a_village_counts_each_person_once(ctx: dict[str, Any]) -> None:
    a = ctx["rows"][0]["now"]
    # 甲 and 乙 sit on both committees: 3 + 3 seats, 4 people.
    assert (a["count"], a["party_committee"], a["villagers_committee"], a["cross_holding"]) == (4, 3, 3, 2)
    assert sorted(a["cross_names"]) == ["乙", "甲"]
    assert a["one_shoulder"] is True


def test_ages_on_election_day(ctx: dict[str, Any]) -> None:
    a = ctx["rows"][0]["now"]
    # 甲 56, 乙 36 (birthday on election day), 丙 31, 丁 44 (birthday in December): 167 / 4 = 41.75
    assert a["average_age"]["mean"] == Fraction(167, 4)
    assert a["average_age"]["display"] == Decimal("41.8")  # half up, not to even
    assert [b["count"] for b in a["age_bands"]["bands"]] == [1, 2, 0, 1]


def test_women_party_members_and_education(ctx: dict[str, Any]) -> None:
    a = ctx["rows"][0]["now"]
    assert (a["women"]["count"], a["women"]["percent"]) == (2, Decimal("50.0"))
    # Party committee members are Party members without saying so; 丁 is 群众.
    assert a["party_members"]["count"] == 3
    # 硕士研究生 → 研究生, 大学本科, 大专, 高中 → 高中/中专
    assert [b["count"] for b in a["education"]["bands"]] == [1, 1, 1, 1, 0]
    assert a["higher_education"]["count"] == 3


def test_the_last_term_and_the_change(ctx: dict[str, Any]) -> None:
    row = ctx["rows"][0]
    before = row["before"]
    # 戊 61, 甲 51, 己 56 on 20 November 2021; 甲 is on both committees.
    assert (before["count"], before["cross_holding"], before["one_shoulder"]) == (3, 1, False)
    assert before["average_age"]["mean"] == 56
    # 41.75 − 56 = −14.25, shown half up (away from zero) as −14.3
    assert row["age_change"] == "-14.3"


def test_a_village_without_a_party_committee_or_some_data(ctx: dict[str, Any]) -> None:
    b = ctx["rows"][1]
    assert b["before"] is None and b["age_change"] == "—"
    assert (b["now"]["count"], b["now"]["one_shoulder"]) == (2, False)
    assert b["now"]["average_age"]["count"] == 1 and b["now"]["average_age"]["unknown"] == 1
    assert b["now"]["education"]["unknown"] == 1
    zh = [n["zh"] for n in ctx["notes"]]
    assert "乙村本届有1人没有公民身份号码或出生日期，年龄不详，未计入年龄统计。" in zh
    assert "乙村本届有1人文化程度不详或无法归类，未计入文化程度统计。" in zh
    assert "乙村没有上届数据，与上届的比较只含其余1个村。" in zh


def test_township_totals(ctx: dict[str, Any]) -> None:
    t = ctx["township"]
    assert (t["count"], t["party_committee"], t["villagers_committee"], t["cross_holding"]) == (6, 3, 5, 2)
    # known ages 56, 36, 31, 44, 41: 208 / 5
    assert t["average_age"]["mean"] == Fraction(208, 5)
    assert [b["count"] for b in t["age_bands"]["bands"]] == [1, 3, 0, 1]
    assert (t["women"]["count"], t["women"]["total"]) == (3, 6)
    assert (t["one_shoulder"]["count"], t["one_shoulder"]["total"]) == (1, 2)


def test_comparison_covers_only_villages_with_both_terms(ctx: dict[str, Any]) -> None:
    rows = {r["key"]: r for r in ctx["comparison"]}
    assert ctx["compared"] == 1
    assert (rows["members"]["now"]["count"], rows["members"]["before"]["count"], rows["members"]["change"]) == (
        4, 3, "+1")
    assert (rows["average_age"]["now"]["count"], rows["average_age"]["before"]["count"]) == (
        Decimal("41.8"), Decimal("56.0"))
    assert rows["average_age"]["change"] == "-14.3"
    assert (rows["young"]["now"]["count"], rows["young"]["before"]["count"]) == (1, 0)
    assert (rows["party_members"]["now"]["count"], rows["party_members"]["before"]["count"]) == (3, 2)
    assert (rows["higher_education"]["now"]["count"], rows["higher_education"]["before"]["count"]) == (3, 1)
    assert (rows["cross_holding"]["change"], rows["one_shoulder"]["change"]) == ("+1", "+1")


def test_namesakes_are_not_cross_holding() -> None:
    payload = data()
    payload["villages"] = [{"village": "丙村", "current": {
        "party_committee": [{"name": "王伟", "post": "书记", "id_number": pid("19700101", "male")}],
        "villagers_committee": [{"name": "王伟", "post": "主任", "id_number": pid("19800101", "male")}],
    }}]
    row = TeamStructureTable.model_validate(payload).context()["rows"][0]["now"]
    assert (row["count"], row["cross_holding"], row["one_shoulder"]) == (2, 0, False)


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_the_printed_table_has_the_hand_computed_numbers(client: FlaskClient, fmt: str) -> None:
    resp = client.post(f"/api/v1/documents/{KIND}?format={fmt}&lang=zh", json=DATA)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    text = pdf_text(resp.data) if fmt == "pdf" else docx_text(resp.data)
    assert_in_order(text, [
        "石门镇两委班子结构统计表",
        "1 甲村 4 3 3 2 是 41.8 56.0 -14.3 1 2 0 1 2 50.0% 3 1 1 1 1 0",
        "2 乙村 2 0 2 0 否 41.0 — — 0 1 0 0 1 50.0% 1 0 0 0 1 0",
        "合计 6 3 5 2 1个村 41.6",
        "与上届比较（1个村）",
        "两委成员（人） 4 3 +1",
        "平均年龄（岁） 41.8 56.0 -14.3",
        "书记、主任一肩挑（村） 1（100.0%） 0（0.0%） +1",
        "乙村没有上届数据",
    ])


def rejected(client: FlaskClient, payload: dict[str, Any], path: str) -> str:
    resp = client.post(f"/api/v1/documents/{KIND}?format=docx", json=payload)
    assert resp.status_code == 422, resp.get_data(as_text=True)
    found = [e for e in resp.get_json()["errors"] if e["path"] == path]
    assert found, resp.get_json()["errors"]
    return str(found[0]["code"])


def test_bad_input_names_the_field(client: FlaskClient) -> None:
    payload = data()
    del payload["previous_election_day"]
    assert rejected(client, payload, "/previous_election_day") == "previous_day_missing"
    payload = data()
    payload["villages"][0]["current"]["party_committee"][1]["post"] = "书记"
    assert rejected(client, payload, "/villages/0/current/party_committee/1/post") == "two_chairs"
    payload = data()
    payload["villages"][0]["current"]["party_committee"][2]["post"] = "主任"
    assert rejected(client, payload, "/villages/0/current/party_committee/2/post") == "post_not_in_committee"
    payload = data()
    payload["villages"][0]["current"]["villagers_committee"][2]["sex"] = "男"
    assert rejected(client, payload, "/villages/0/current/villagers_committee/2/sex") == "sex_mismatch"
    payload = data()
    payload["villages"][1]["village"] = "甲村"
    assert rejected(client, payload, "/villages/1/village") == "duplicate_village"


def test_messages_formatted_in_python_have_english() -> None:
    for message in team_structure.MESSAGES:
        assert i18n.gettext(message, "en") != message, message
