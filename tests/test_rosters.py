"""Rosters: planned pages never overflow, the orderings, and the cross-field rules with their paths."""

from __future__ import annotations

import copy
import io
import random
import re
from datetime import date, timedelta
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn
from flask.testing import FlaskClient
from pypdf import PdfReader

from service import fake, kinds
from service.kinds.roster.common import cell_lines

LONG_NAME = "阿卜杜热合曼·买买提艾力"
LONG_POST = "村党支部委员、村民委员会委员、村股份经济合作社理事、村务监督委员会成员、第三村民小组组长"
LONG_NOTE = "流动党员，长期在浙江省杭州市西湖区务工，组织关系暂未转出，本人书面委托其配偶代为联系"
ON = date(2026, 10, 28)


def sample(kind: str) -> dict[str, Any]:
    return copy.deepcopy(kinds.get(kind).sample())


def post(client: FlaskClient, kind: str, payload: dict[str, Any], fmt: str = "pdf", lang: str = "zh") -> Any:
    return client.post(f"/api/v1/documents/{kind}?format={fmt}&lang={lang}", json=payload)


def errors(client: FlaskClient, kind: str, payload: dict[str, Any], lang: str = "en") -> dict[str, str]:
    """The 422 field errors of a payload: JSON pointer -> message."""
    resp = post(client, kind, payload, lang=lang)
    assert resp.status_code == 422, resp.get_data(as_text=True)[:500]
    return {e["path"]: e["message"] for e in resp.get_json()["errors"]}


def unique_names(n: int, rng: random.Random) -> list[str]:
    """Distinct invented names; every 37th is a long Uyghur name, told apart by a numbered note in brackets."""
    names: list[str] = []
    while len(names) < n:
        name = f"{LONG_NAME}（{len(names)}）" if len(names) % 37 == 5 else fake.name(rng)
        if name not in names:
            names.append(name)
    return names


def long_party(n: int) -> dict[str, Any]:
    rng = random.Random(3)
    members = []
    for i, name in enumerate(unique_names(n, rng)):
        born = date(1940, 1, 1) + timedelta(days=rng.randrange(0, 60 * 365))
        joined = min(born + timedelta(days=18 * 366 + rng.randrange(0, 20 * 365)), ON)
        members.append({
            "name": name, "sex": rng.choice(["男", "女"]), "birth": born.isoformat(), "joined": joined.isoformat(),
            "ethnicity": "柯尔克孜族" if i % 11 == 3 else "汉族", "education": "硕士研究生" if i % 13 == 2 else "高中",
            "status": ["full", "full", "full", "probationary", "probation_watch"][i % 5],
            "note": LONG_NOTE if i % 7 == 1 else ("外出务工" if i % 7 == 4 else ""),
        })
    return {**sample("roster.party-members"), "members": members}


def long_candidates(n: int) -> dict[str, Any]:
    rng = random.Random(4)
    posts = ["director", "deputy_director", "member", "member"]
    candidates = [{
        "name": name, "post": posts[i % 4], "sex": "女" if i % 3 else "男", "birth": "1975-06-01",
        "native_place": "新疆维吾尔自治区克孜勒苏柯尔克孜自治州阿图什市" if i % 9 == 2 else "浙江青山",
        "ethnicity": "维吾尔族" if name.startswith("阿卜杜") else "汉族", "joined": "2001-07-01" if i % 4 else None,
        "education": "大学本科", "current_post": LONG_POST if i % 6 == 1 else "第三村民小组组长",
    } for i, name in enumerate(unique_names(n, rng))]
    return {**sample("roster.candidates"), "candidates": candidates}


def long_staff(n: int) -> dict[str, Any]:
    rng = random.Random(5)
    duties = ["chief_scrutineer", "scrutineer", "scrutineer", "counter", "caller", "proxy_writer"]
    staff = [{"name": name, "duty": duties[i % 6],
              "group": "第十二村民小组（上岭自然村）" if i % 8 == 3 else "第一村民小组",
              "station": "第一流动票箱（县人民医院）" if i % 5 == 1 else "中心会场",
              "note": LONG_NOTE if i % 7 == 2 else ""} for i, name in enumerate(unique_names(n, rng))]
    return {**sample("roster.staff"), "stations": [], "candidates": [], "staff": staff}


def planned_pages(text: str, lang: str) -> list[tuple[int, int]]:
    """The (page, of) pairs the footers print, in order."""
    pattern = r"第\s*(\d+)\s*页\s*共\s*(\d+)\s*页" if lang == "zh" else r"Page\s+(\d+)\s+of\s+(\d+)"
    return [(int(a), int(b)) for a, b in re.findall(pattern, text)]


def footer_gap(page: Any, lang: str) -> float:
    """Points between the baseline of the last line above the footer and the footer's baseline."""
    lines: list[tuple[float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if text.strip():  # y measured down from the top of the page
            lines.append((float(page.mediabox.top) - (tm[4] * cm[1] + tm[5] * cm[3] + cm[5]), text))

    page.extract_text(visitor_text=visit)
    footer = max(y for y, text in lines if planned_pages(text, lang))
    return footer - max(y for y, text in lines if not planned_pages(text, lang) and y < footer + 1)


# A line of 10.5 pt text clears the footer's glyphs, and the bottom rule of its row clears them too.
MIN_GAP = 17.0
ONE_ROW = 6.78 * 72 / 25.4  # a one-line row with its rule, in points


KINDS = {"roster.party-members": (long_party, "members"), "roster.candidates": (long_candidates, "candidates"),
         "roster.staff": (long_staff, "staff")}


def long_roster(kind: str, n: int) -> dict[str, Any]:
    return KINDS[kind][0](n)


def rows_of(kind: str, payload: dict[str, Any]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = payload[KINDS[kind][1]]
    return rows


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("kind", list(KINDS))
def test_a_long_roster_fills_exactly_the_pages_the_service_planned(
    client: FlaskClient, kind: str, lang: str, no_weasyprint_warnings: None
) -> None:
    payload = long_roster(kind, 300)
    resp = post(client, kind, payload, lang=lang)
    assert resp.status_code == 200, resp.get_data(as_text=True)[:500]
    reader = PdfReader(io.BytesIO(resp.data))
    planned = planned_pages(reader.pages[0].extract_text(), lang)[0][1]
    # A sheet that overflowed pushes rows onto a page of their own: every page must be a planned one,
    # with its own footer, and nothing may run into that footer.
    assert len(reader.pages) == planned > 5
    for number, page in enumerate(reader.pages, start=1):
        assert planned_pages(page.extract_text(), lang) == [(number, planned)]
        assert footer_gap(page, lang) >= MIN_GAP, f"page {number} runs into its footer"
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in reader.pages))
    names = [r["name"] for r in rows_of(kind, payload)]
    assert text.count("阿卜杜热合曼") == sum(1 for n in names if n.startswith("阿卜杜"))  # no row lost between pages


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("kind", list(KINDS))
def test_pages_of_one_line_rows_are_full(client: FlaskClient, kind: str, lang: str) -> None:
    payload = long_roster(kind, 90)
    for i, row in enumerate(rows_of(kind, payload)):  # nothing wraps, in either language
        row["name"] = f"阿木{i}" if row["name"].startswith("阿卜杜") else row["name"]
        for key in ("ethnicity", "education", "native_place", "current_post", "group", "station", "note"):
            if key in row:
                row[key] = row[key][:4] if key != "note" else ""
        if "status" in row:
            row["status"] = "full"
    resp = post(client, kind, payload, lang=lang)
    reader = PdfReader(io.BytesIO(resp.data))
    assert len(reader.pages) >= 3
    # the second page is a full one: it ends less than one row above its footer, and does not touch it
    assert MIN_GAP <= footer_gap(reader.pages[1], lang) < MIN_GAP + ONE_ROW


def test_cell_lines_wraps_words_and_characters() -> None:
    assert cell_lines("汉族", 15) == 1
    assert cell_lines("维吾尔族", 15) == 2  # 4 characters need 14.8 mm, the cell has 12.4
    assert cell_lines(LONG_NAME, 22) == 3
    assert cell_lines("Probationary", 28) == 1
    assert cell_lines("Party probation", 28) == 2
    assert cell_lines("Probation within the Party", 28) == 3  # Probation | within the | Party


# roster.party-members


def test_party_members_derive_the_right_to_vote_and_the_totals(client: FlaskClient) -> None:
    from service.kinds.roster.party_members import PartyMemberRoster

    ctx = PartyMemberRoster.model_validate(sample("roster.party-members")).context()
    assert (ctx["total"], ctx["voting_total"], ctx["non_voting_total"]) == (45, 41, 4)
    assert (ctx["probationary_total"], ctx["watch_total"]) == (3, 1)
    by_name = {r["name"]: r for r in ctx["rows"]}
    assert by_name["袁雨欣"]["votes"] is False and by_name["范志强"]["votes"] is False and by_name["周德明"]["votes"]
    assert by_name["汪兰萱"]["sex"] == "female" and by_name["汪兰萱"]["birth"] == date(1958, 8, 20)  # from the ID
    assert [r["no"] for r in ctx["rows"]] == list(range(1, 46))  # in the order given


def test_party_member_statuses_accept_chinese() -> None:
    from service.kinds.roster.party_members import PartyMemberRoster

    payload = sample("roster.party-members")
    payload["members"][0]["status"] = "预备党员"
    payload["members"][1]["status"] = "受留党察看处分"
    rows = PartyMemberRoster.model_validate(payload).context()["rows"]
    assert [r["status"] for r in rows[:3]] == ["probationary", "probation_watch", "full"]


def test_party_member_joined_before_18_or_after_the_signature_is_refused(client: FlaskClient) -> None:
    payload = sample("roster.party-members")
    payload["members"][2]["joined"] = "1996-11-19"  # 王建, born 1979-11-20: the day before his 18th birthday
    payload["members"][4]["joined"] = "2026-10-29"  # the day after the roster is signed
    payload["members"][12]["joined"] = "1967-12-01"  # 高明, born 1949-12-01 (given directly): his birthday
    found = errors(client, "roster.party-members", payload)
    assert found == {
        "/members/2/joined": "the joining date is before the member's 18th birthday",
        "/members/4/joined": "the joining date is later than the date of this roster",
    }
    zh = errors(client, "roster.party-members", payload, lang="zh")
    assert zh["/members/2/joined"] == "入党时间早于本人年满18周岁"


def test_party_member_sex_contradicting_the_id_number_is_refused(client: FlaskClient) -> None:
    payload = sample("roster.party-members")
    payload["members"][5]["sex"] = "男"  # 汪兰萱's ID number says female
    assert errors(client, "roster.party-members", payload) == {"/members/5/sex": "sex does not match the ID number"}


# roster.candidates


def test_candidates_are_grouped_by_post_and_ordered_by_strokes(client: FlaskClient) -> None:
    from service.kinds.roster.candidates import CandidateRoster

    ctx = CandidateRoster.model_validate(sample("roster.candidates")).context()
    assert [(r["no"], r["post"], r["name"]) for r in ctx["rows"]] == [
        (1, "director", "唐文洋"), (2, "director", "韩涛然"),
        (3, "deputy_director", "郭燕洋"), (4, "deputy_director", "崔辉民"),
        # 杜 邱 沈 all have 7 strokes: 杜 starts with 横, 邱 with 撇, 沈 with 点
        (5, "member", "杜燕然"), (6, "member", "邱涛"), (7, "member", "沈明"), (8, "member", "黄轩"),
        (9, "member", "蓝玉梅"),
    ]
    assert [(g["post"], g["count"], g["offset"]) for g in ctx["groups"]] == [
        ("director", 2, 0), ("deputy_director", 2, 2), ("member", 5, 4)]


def test_candidate_posts_of_a_party_election_come_in_party_order() -> None:
    from service.kinds.roster.candidates import CandidateRoster

    payload = sample("roster.candidates")
    payload["election"] = "party_branch"
    posts = ["委员", "书记", "委员", "副书记", "委员", "委员", "委员", "委员", "委员"]  # as a clerk types them
    for c, post in zip(payload["candidates"], posts, strict=True):
        c["post"] = post
        c.setdefault("joined", "2020-07-01")
    rows = CandidateRoster.model_validate(payload).context()["rows"]
    assert [r["post"] for r in rows[:3]] == ["secretary", "deputy_secretary", "member"]


def test_candidate_rules_name_the_bad_fields(client: FlaskClient) -> None:
    payload = sample("roster.candidates")
    payload["candidates"][2]["post"] = "secretary"  # not elected in a villagers' committee election
    payload["candidates"][3]["joined"] = "2030-01-01"
    payload["candidates"].append({**payload["candidates"][0]})  # the same person twice
    assert errors(client, "roster.candidates", payload) == {
        "/candidates/2/post": "this post is not elected in this election",
        "/candidates/3/joined": "the joining date is later than the date of this roster",
        "/candidates/9/id_number": "the same person is listed twice",
    }


def test_candidate_id_numbers_are_checked(client: FlaskClient) -> None:
    payload = sample("roster.candidates")
    payload["candidates"][1]["id_number"] = "330122197405140513"  # 韩涛然's, with the wrong check digit
    assert errors(client, "roster.candidates", payload) == {
        "/candidates/1/id_number": "the ID number's check digit is wrong"}
    assert errors(client, "roster.candidates", payload, lang="zh") == {
        "/candidates/1/id_number": "公民身份号码校验码不正确"}


def test_party_branch_candidates_must_be_party_members(client: FlaskClient) -> None:
    payload = sample("roster.candidates")
    payload["election"] = "party_branch"
    payload["candidates"] = [c for c in payload["candidates"] if c["post"] == "member"]
    found = errors(client, "roster.candidates", payload)
    missing = [i for i, c in enumerate(payload["candidates"]) if "joined" not in c]
    assert found == {f"/candidates/{i}/joined": "a candidate for the Party branch committee must be a Party member "
                                                "(joining date missing)" for i in missing}
    assert missing


# roster.staff


def test_staff_are_grouped_by_duty_then_by_station(client: FlaskClient) -> None:
    from service.kinds.roster.staff import StaffList

    ctx = StaffList.model_validate(sample("roster.staff")).context()
    duties = [r["duty"] for r in ctx["rows"]]
    assert duties == sorted(duties, key=["chief_scrutineer", "scrutineer", "counter", "caller", "proxy_writer"].index)
    scrutineers = [r for r in ctx["rows"] if r["duty"] == "scrutineer"]
    assert scrutineers[0]["name"] == "高明"  # listed first at 中心会场 although typed before the chief
    stations = [r["station"] for r in scrutineers]
    assert stations == sorted(stations, key=ctx["stations"].index)
    assert ctx["rows"][0]["name"] == "汪兰萱" and [r["no"] for r in ctx["rows"]] == list(range(1, 25))


def test_every_station_needs_three_scrutineers(client: FlaskClient) -> None:
    payload = sample("roster.staff")
    payload["staff"] = [p for p in payload["staff"] if p["name"] != "潘海波"]  # 第二投票站 keeps 2
    payload["staff"][0]["duty"] = "counter"  # 高明: 中心会场 keeps the chief and 2 scrutineers, still 3
    found = errors(client, "roster.staff", payload)
    assert found == {"/stations/2": "each polling station or mobile ballot box needs at least 3 scrutineers; "
                                    "2 listed here"}
    zh = errors(client, "roster.staff", payload, lang="zh")
    assert zh == {"/stations/2": "每个投票站或流动票箱应有3名以上监票人，此处只有2名"}


def test_candidates_and_their_relatives_may_not_scrutinise_or_count(client: FlaskClient) -> None:
    payload = sample("roster.staff")
    payload["staff"][2]["name"] = "沈明"  # a candidate as a scrutineer
    payload["staff"][17]["relative_of"] = "唐文洋"  # a counter who is a candidate's close relative
    payload["staff"][21]["relative_of"] = "韩涛然"  # a ballot writer may be one
    payload["staff"][3]["relative_of"] = "张三"  # not a candidate at all
    payload["staff"][4]["station"] = "第三投票站"
    found = errors(client, "roster.staff", payload)
    assert found == {
        "/staff/2/name": "a candidate may not scrutinise, count or call votes",
        "/staff/17/relative_of": "a close relative of a candidate may not scrutinise, count or call votes",
        "/staff/3/relative_of": "this name is not in the list of candidates",
        "/staff/4/station": "this polling station or mobile ballot box is not in the list of stations",
        "/stations/1": "each polling station or mobile ballot box needs at least 3 scrutineers; 2 listed here",
    }


def test_staff_without_stations_skips_the_station_count(client: FlaskClient) -> None:
    payload = sample("roster.staff")
    payload["stations"] = []
    payload["staff"] = payload["staff"][:2]
    assert post(client, "roster.staff", payload, fmt="docx").status_code == 200


# Word templates


@pytest.mark.parametrize("kind", list(KINDS))
def test_word_header_row_repeats_and_rows_stay_whole(client: FlaskClient, kind: str) -> None:
    resp = post(client, kind, sample(kind), fmt="docx")
    table = Document(io.BytesIO(resp.data)).tables[0]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert table.rows[1]._tr.trPr.find(qn("w:cantSplit")) is not None
    n = len(rows_of(kind, sample(kind)))
    assert sum(1 for r in table.rows if r.cells[0].text.strip().isdigit()) == n
