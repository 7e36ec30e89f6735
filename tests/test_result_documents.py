"""The results documents print what the results engine decided: validity, thresholds, the elected, ties and
further rounds, in DOCX and PDF; bad counts and bad details are 422 with the path of every bad field."""

from __future__ import annotations

import copy
import io
from typing import Any

import pytest
from flask.testing import FlaskClient
from pypdf import PdfReader

from kit import assert_in_order, docx_text, pdf_text, squash
from service import i18n, kinds
from service.domain import idcard
from service.kinds import results_common

RESULT_KINDS = ["table.tally", "announcement.results", "report.result-form", "roster.elected"]


def count(**fields: Any) -> dict[str, Any]:
    """A villagers' committee count on separate ballots: 1200 registered, 1008 voted, 12 invalid.

    Director: 张建国 612 of 1008 — more than half (505 needed). Members, 3 seats: 陈芳 700 and 刘强 560 are
    elected, 赵磊 480 and 孙丽 450 fall short, so one seat goes to a further round between them.
    """
    base: dict[str, Any] = {
        "rule_set": "villagers-committee",
        "electorate": 1200,
        "ballots_issued": 1010,
        "ballots_returned": 1008,
        "ballots_invalid": 12,
        "posts": [
            {"post": "主任", "seats": 1, "candidates": [{"name": "张建国", "sex": "男", "votes": 612},
                                                       {"name": "李明", "sex": "男", "votes": 380}],
             "write_ins": [{"name": "王五", "votes": 4}]},
            {"post": "委员", "seats": 3, "candidates": [
                {"name": "陈芳", "sex": "女", "votes": 700}, {"name": "刘强", "sex": "男", "votes": 560},
                {"name": "赵磊", "sex": "男", "votes": 480}, {"name": "孙丽", "sex": "女", "votes": 450},
                {"name": "周平", "sex": "男", "votes": 300}]},
        ],
    }
    return base | fields


def payload(kind: str, the_count: dict[str, Any] | None = None, **fields: Any) -> dict[str, Any]:
    """The kind's sample with another count (and fields) put in."""
    data = copy.deepcopy(kinds.get(kind).sample())
    data.pop("further_round_date", None)
    data.pop("further_round_place", None)
    if kind == "roster.elected":
        data["people"] = []
    if the_count is not None:
        data["count"] = the_count
    return data | fields


def render(client: FlaskClient, kind: str, data: dict[str, Any], fmt: str = "pdf", lang: str = "zh") -> str:
    resp = client.post(f"/api/v1/documents/{kind}?format={fmt}&lang={lang}", json=data)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return pdf_text(resp.data) if fmt == "pdf" else docx_text(resp.data)


def rejected(client: FlaskClient, kind: str, data: dict[str, Any], path: str) -> dict[str, str]:
    """Post a bad payload; assert 422 with an error at ``path``; return that error in Chinese and English."""
    found = {}
    for lang in ("zh", "en"):
        resp = client.post(f"/api/v1/documents/{kind}?format=docx&lang={lang}", json=data)
        assert resp.status_code == 422, resp.get_data(as_text=True)
        assert resp.mimetype == "application/problem+json"
        errors = [e for e in resp.get_json()["errors"] if e["path"] == path]
        assert errors, resp.get_json()["errors"]
        found["code"], found[lang] = errors[0]["code"], errors[0]["message"]
    return found


# --- the director elected with 612 of 1008 votes, a member seat left for a further round ------------------


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_tally_prints_votes_threshold_and_decisions(client: FlaskClient, fmt: str) -> None:
    text = render(client, "table.tally", payload("table.tally", count()), fmt)
    assert_in_order(text, [
        "登记选民数 参加投票人数 发出选票 收回选票 有效票 无效票 参选率",
        "1200 1008 1010 1008 996 12 84.0%",
        "选举有效。",
        "登记参加选举的村民1200人，投票1008人，超过半数（至少需601人），选举有效。",
        "当选所需票数：505票（参加投票人数1008人）",
        "一、主任（应选1名）",
        "1 张建国 612 是 当选",
        "2 李明 380 否 未当选",
        "3 王五（另选） 4 否 未当选",
        "二、委员（应选3名）",
        "1 陈芳 700 是 当选",
        "2 刘强 560 是 当选",
        "3 赵磊 480 否 另行选举候选人",
        "4 孙丽 450 否 另行选举候选人",
        "5 周平 300 否 未当选",
        "委员应选3名，当选2名，不足的1名另行选举，候选人为：赵磊、孙丽。",
    ])


@pytest.mark.parametrize(("fmt", "lang"), [("pdf", "zh"), ("docx", "en")])
def test_announcement_lists_the_elected_and_the_further_round(client: FlaskClient, fmt: str, lang: str) -> None:
    data = payload("announcement.results", count(), further_round_date="2026-11-23")
    text = render(client, "announcement.results", data, fmt, lang)
    if lang == "zh":
        assert_in_order(text, [
            "登记参加选举的村民1200人，参加投票1008人。",
            "共发出选票1010张，收回1008张，其中有效票996张，无效票12张。",
            "超过半数（至少需601人），选举有效。",
            "主任：张建国（612票）",
            "委员：陈芳（700票）、刘强（560票）",
            "委员应选3名，当选2名，不足的1名另行选举，候选人为：赵磊、孙丽。",
            "另行选举定于2026年11月23日举行。",
        ])
    else:
        assert_in_order(text, [
            "1200 villagers were registered to vote; 1008 voted.",
            "Director: 张建国 (612 votes)",
            "Member: 陈芳 (700 votes), 刘强 (560 votes)",
            "Member: 2 of 3 seats filled; the 1 missing seat(s) go to a further round with: 赵磊, 孙丽.",
            "The further round will be held on 23 November 2026.",
        ])
    assert "李明" not in text and "赵磊（" not in text


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_result_form_reports_turnout_and_the_elected(client: FlaskClient, fmt: str) -> None:
    text = render(client, "report.result-form", payload("report.result-form", count()), fmt)
    assert_in_order(text, [
        "登记选民数 1200人 参加投票人数 1008人",
        "参选率 84.0% 选举是否有效 有效",
        "当选所需票数 505票（参加投票人数1008人）",
        "主任 张建国 男 612",
        "委员 陈芳 女 700",
        "委员 刘强 男 560",
        "委员应选3名，当选2名，不足的1名另行选举",
    ])


def test_roster_takes_post_and_votes_from_the_engine_and_age_from_the_id(client: FlaskClient) -> None:
    born_on_election_day = idcard.make("33012219801121001")  # turns 46 on 21 November 2026
    data = payload("roster.elected", count(), people=[
        {"name": "张建国", "id_number": born_on_election_day, "ethnicity": "汉族", "political_status": "中共党员",
         "education": "高中", "re_elected": True, "party_post": "党支部书记"},
        {"name": "陈芳", "birth_date": "1990-11-22", "ethnicity": "畲族", "political_status": "群众",
         "education": "大专", "re_elected": False},  # turns 36 the day after: still 35
    ])
    text = render(client, "roster.elected", data, "pdf")
    assert_in_order(text, [
        "1 张建国 男 46 汉族 中共党员 高中 主任 612 是 是（党支部书记）",
        "2 陈芳 女 35 畲族 群众 大专 委员 700 否 否",
        "3 刘强 男",
        "委员 560",
        "当选3人，其中女1人，中共党员1人，平均年龄40.5岁，连任1人，交叉任职1人",
        "委员应选3名，当选2名，不足的1名另行选举",
    ])


def test_combined_ballot_transfers_and_one_post_per_person(client: FlaskClient) -> None:
    # The sample: one ballot for all posts; 韩涛然's director marks count toward deputy director and member too,
    # but having won the director's seat he is not counted for the lower posts.
    text = render(client, "table.tally", kinds.get("table.tally").sample(), "docx")
    assert_in_order(text, [
        "1 韩涛然 612 20 35 612 632 667 当选主任",
        "2 唐文洋 371 60 110 371 431 541 当选委员",
        "3 郭燕洋 5 560 40 5 565 605 当选副主任",
        "计票规则：一张选票同时选举主任、副主任、委员的",
    ])


# --- an invalid election: exactly half of the registered voters voted ------------------------------------

HALF = count(electorate=1000, ballots_issued=520, ballots_returned=500, ballots_invalid=6, posts=[
    {"post": "主任", "seats": 1, "candidates": [{"name": "甲某", "votes": 301}, {"name": "乙某", "votes": 180}]},
])
VOID_REASON = "登记参加选举的村民1000人，投票500人，未超过半数（至少需501人），选举无效。"


@pytest.mark.parametrize("kind", RESULT_KINDS)
def test_exactly_half_turnout_voids_the_election_everywhere(client: FlaskClient, kind: str) -> None:
    text = render(client, kind, payload(kind, HALF), "pdf")
    hay = squash(text)
    if kind != "roster.elected":
        assert squash(VOID_REASON) in hay
    if kind == "table.tally":
        assert_in_order(text, ["选举无效。", "1 甲某 301 — 选举无效"])
        assert "当选所需票数" not in hay
    else:
        assert squash("本次选举无效，不产生当选人。") in hay
    if kind == "announcement.results":
        assert "经公开计票" not in hay and "投票有效" not in hay  # only the failed check is announced
    if kind == "report.result-form":
        assert squash("选举是否有效 无效") in hay
    assert "当选主任" not in hay and "甲某（301票）" not in hay


# --- a tie at the last seat; a Party election with agree / disagree / abstain --------------------------------


def test_a_tie_goes_back_to_the_voters(client: FlaskClient) -> None:
    tie = count(posts=[{"post": "委员", "seats": 2, "candidates": [
        {"name": "陈芳", "sex": "女", "votes": 700}, {"name": "刘强", "votes": 600}, {"name": "赵磊", "votes": 600}]}])
    tally = render(client, "table.tally", payload("table.tally", tie), "docx")
    assert_in_order(tally, ["1 陈芳 700 是 当选", "2 刘强 600 是 票数相等，须再次投票",
                            "3 赵磊 600 是 票数相等，须再次投票",
                            "委员最后1个名额由刘强、赵磊票数相等（各600票），须就此2人再次投票。"])
    announced = render(client, "announcement.results", payload("announcement.results", tie), "pdf")
    assert_in_order(announced, ["委员：陈芳（700票）", "刘强、赵磊票数相等（各600票），须就此2人再次投票。"])


PARTY = {
    "rule_set": "party-branch",
    "electorate": 45,
    "present": 42,
    "ballots_issued": 42,
    "ballots_returned": 42,
    "ballots_invalid": 1,
    "posts": [{"post": "委员", "seats": 3, "candidates": [
        {"name": "韩涛然", "votes": 39, "disagree": 1, "abstain": 1},
        {"name": "唐文洋", "votes": 35, "disagree": 4, "abstain": 2},
        {"name": "邱涛", "votes": 21, "disagree": 15, "abstain": 5},
        {"name": "黄轩", "votes": 22, "disagree": 12, "abstain": 7},
    ]}],
}


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_party_tally_has_agree_disagree_abstain_and_the_quorum(client: FlaskClient, fmt: str) -> None:
    data = payload("table.tally", PARTY, election="中共柳溪村支部委员会换届选举")
    text = render(client, "table.tally", data, fmt)
    assert_in_order(text, [
        "中共柳溪村支部委员会换届选举计票统计表",
        "应到会人数 实到会人数 发出选票 收回选票 有效票 无效票 到会率",
        "45 42 42 42 41 1 93.3%",
        "应到会有选举权的党员45人，实到42人，超过五分之四（至少需37人），会议有效。",
        # more than half of the 42 present: 22; 21 fails
        "当选所需票数：22票（实到会有选举权的党员人数42人）",
        "序号 姓名 赞成 反对 弃权 达到当选票数 计票结果",
        "1 韩涛然 39 1 1 是 当选",
        "3 黄轩 22 12 7 是 当选",
        "4 邱涛 21 15 5 否 未当选",
    ])


def test_agree_disagree_abstain_must_add_up_to_the_valid_ballots(client: FlaskClient) -> None:
    bad = copy.deepcopy(PARTY)
    bad["posts"][0]["candidates"][1]["abstain"] = 3  # 35 + 4 + 3 = 42, but 41 ballots are valid
    bad["posts"][0]["candidates"][2].pop("abstain")
    data = payload("table.tally", bad)
    error = rejected(client, "table.tally", data, "/count/posts/0/candidates/1")
    assert error["code"] == "marks_do_not_add_up"
    assert "赞成35＋反对4＋弃权3＝42，与有效票41张不符" in error["zh"]
    assert "not the 41 valid ballots" in error["en"]
    assert rejected(client, "table.tally", data, "/count/posts/0/candidates/2/abstain")["code"] == "marks_incomplete"


# --- bad input --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", RESULT_KINDS)
def test_a_bad_count_is_422_at_its_path(client: FlaskClient, kind: str) -> None:
    error = rejected(client, kind, payload(kind, count(ballots_invalid=2000)), "/count/ballots_invalid")
    assert error["code"] == "invalid_above_returned"
    assert error["zh"] == "无效票数不能多于收回的选票数"


@pytest.mark.parametrize("kind", RESULT_KINDS)
def test_signed_before_the_vote_is_422(client: FlaskClient, kind: str) -> None:
    data = payload(kind, count())
    data["signature"] = data["signature"] | {"date": "2026-11-20"}
    error = rejected(client, kind, data, "/signature/date")
    assert error["code"] == "signed_before_election"
    assert "早于选举日（2026年11月21日）" in error["zh"]


def test_votes_above_the_valid_ballots_name_the_candidate(client: FlaskClient) -> None:
    bad = count()
    bad["posts"][1]["candidates"][3]["votes"] = 997
    error = rejected(client, "report.result-form", payload("report.result-form", bad),
                     "/count/posts/1/candidates/3/votes")
    assert error["code"] == "votes_above_valid"


def test_roster_details_for_someone_not_elected(client: FlaskClient) -> None:
    data = payload("roster.elected", count(), people=[{"name": "赵磊", "education": "高中"}])
    error = rejected(client, "roster.elected", data, "/people/0/name")
    assert error["code"] == "not_elected"
    assert "本次计票赵磊未当选" in error["zh"]


def test_roster_details_contradicting_the_id_number(client: FlaskClient) -> None:
    data = payload("roster.elected", count(), people=[
        {"name": "陈芳", "sex": "男", "id_number": idcard.make("33012219900101002")}])
    assert rejected(client, "roster.elected", data, "/people/0/sex")["code"] == "sex_mismatch"


def test_further_round_date_needs_a_further_round(client: FlaskClient) -> None:
    everyone = count(posts=[count()["posts"][0]])
    data = payload("announcement.results", everyone, further_round_date="2026-11-23")
    assert rejected(client, "announcement.results", data, "/further_round_date")["code"] == "no_further_round"
    data = payload("announcement.results", count(), further_round_date="2026-11-20")
    assert rejected(client, "announcement.results", data,
                    "/further_round_date")["code"] == "further_round_before_election"


# --- the township roll-up -----------------------------------------------------------------------------------


def village(name: str, the_count: dict[str, Any]) -> dict[str, Any]:
    return {"village": name, "count": the_count}


def township(villages: list[dict[str, Any]]) -> dict[str, Any]:
    return payload("table.village-results") | {"villages": villages}


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_village_results_rows_and_township_totals(client: FlaskClient, fmt: str) -> None:
    data = township([village("东村", count()), village("西村", HALF), village("南村", count(electorate=1500))])
    text = render(client, "table.village-results", data, fmt)
    assert_in_order(text, [
        "1 东村 1200 1008 84.0% 有效 4 3 1 委员1名",
        "2 西村 1000 500 50.0% 无效 1 0 0 无",
        VOID_REASON,
        "3 南村 1500 1008 67.2% 有效 4 3 1 委员1名",
        # 2516 of 3700 voted: 68.0%; 9 seats, 6 filled; two villages leave one member seat each
        "合计 3700 2516 68.0% 有效2个 9 6 2 2个村2名",
        "选举有效2个，无效1个；须再次投票0个。",
    ])


def test_forty_villages_run_over_pages_with_the_header_on_each(client: FlaskClient) -> None:
    data = township([village(f"第{n}村", count()) for n in range(1, 41)])
    resp = client.post("/api/v1/documents/table.village-results?format=pdf", json=data)
    assert resp.status_code == 200
    pages = [page.extract_text() or "" for page in PdfReader(io.BytesIO(resp.data)).pages]
    assert len(pages) >= 2
    assert all("登记选民数" in page for page in pages)
    assert "合计 48000 40320 84.0%" in pages[-1]


def test_village_results_reject_duplicates_and_mixed_elections(client: FlaskClient) -> None:
    data = township([village("东村", count()), village("东村", count())])
    assert rejected(client, "table.village-results", data, "/villages/1/village")["code"] == "duplicate_village"
    data = township([village("东村", count()), village("西村", PARTY)])
    assert rejected(client, "table.village-results", data,
                    "/villages/1/count/rule_set")["code"] == "mixed_elections"


def test_messages_formatted_in_python_have_english() -> None:
    for message in results_common.MESSAGES:
        assert i18n.gettext(message, "en") != message, message
