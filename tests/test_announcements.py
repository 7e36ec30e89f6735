"""The announcements' own rules: dates, the 20-day and 5-day periods, 差额, close relatives, proxy caps, order."""

from __future__ import annotations

import copy
import io
from typing import Any

import pytest
from flask.testing import FlaskClient
from pypdf import PdfReader

from kit import assert_in_order, docx_text, squash
from service import kinds


def sample(kind: str) -> dict[str, Any]:
    """A deep copy of a kind's sample, to break one rule at a time."""
    return copy.deepcopy(kinds.get(kind).sample())


def rejected(client: FlaskClient, kind: str, payload: dict[str, Any], path: str) -> tuple[str, str, str]:
    """Post a bad payload; assert 422 with an error at ``path``; return its code and its zh and en messages."""
    messages = {}
    for lang in ("zh", "en"):
        resp = client.post(f"/api/v1/documents/{kind}?format=docx&lang={lang}", json=payload)
        assert resp.status_code == 422, resp.get_data(as_text=True)
        assert resp.mimetype == "application/problem+json"
        found = [e for e in resp.get_json()["errors"] if e["path"] == path]
        assert found, resp.get_json()["errors"]
        code, messages[lang] = found[0]["code"], found[0]["message"]
    return code, messages["zh"], messages["en"]


def accepted(client: FlaskClient, kind: str, payload: dict[str, Any]) -> str:
    """Post a payload that must render; return the DOCX text."""
    resp = client.post(f"/api/v1/documents/{kind}?format=docx", json=payload)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return docx_text(resp.data)


# announcement.election-day ---------------------------------------------------------------------------------

DAY = "announcement.election-day"


def test_registration_cannot_end_before_it_starts(client: FlaskClient) -> None:
    bad = sample(DAY) | {"registration_start": "2026-10-26", "registration_end": "2026-10-25"}
    code, zh, en = rejected(client, DAY, bad, "/registration_end")
    assert code == "registration_order"
    assert "选民登记截止日期2026年10月25日早于开始日期2026年10月26日" in zh
    assert "cannot end on 25 October 2026, before it starts on 26 October 2026" in en


def test_election_day_comes_after_registration(client: FlaskClient) -> None:
    bad = sample(DAY) | {"registration_end": "2026-11-21", "list_published_on": "2026-11-21"}
    code, zh, en = rejected(client, DAY, bad, "/election_day")
    assert code == "election_after_registration"
    assert "选举日（2026年11月21日）应在选民登记截止（2026年11月21日）之后" in zh
    assert "must come after voter registration ends" in en


@pytest.mark.parametrize(("published", "ok"), [("2026-11-01", True), ("2026-11-02", False)])
def test_voter_list_is_published_20_days_before_election_day(client: FlaskClient, published: str, ok: bool) -> None:
    payload = sample(DAY) | {"list_published_on": published}
    if ok:  # 1 November is exactly 20 days before 21 November
        assert "2026年11月1日" in accepted(client, DAY, payload)
        return
    code, zh, en = rejected(client, DAY, payload, "/list_published_on")
    assert code == "list_too_late"
    assert "选民名单应当在选举日的20日以前公布，最迟于2026年11月1日，不能在2026年11月2日公布" in zh
    assert "《村民委员会组织法》第十四条" in zh
    assert "at least 20 days before election day, by 1 November 2026 at the latest, not on 2 November 2026" in en


def test_voter_list_follows_registration(client: FlaskClient) -> None:
    code, zh, en = rejected(client, DAY, sample(DAY) | {"list_published_on": "2026-10-24"}, "/list_published_on")
    assert code == "list_before_registration_end"
    assert "选民名单应在选民登记截止（2026年10月25日）后公布" in zh
    assert "only be published once registration has ended (25 October 2026)" in en


def test_polls_close_after_they_open(client: FlaskClient) -> None:
    code, zh, en = rejected(client, DAY, sample(DAY) | {"polls_close": "07:00"}, "/polls_close")
    assert (code, zh, en) == ("hours_order", "投票结束时间应晚于开始时间", "the polls must close after they open")


def test_station_hours_are_both_given_or_neither(client: FlaskClient) -> None:
    bad = sample(DAY)
    bad["stations"][0]["opens"] = "09:00"
    code, zh, en = rejected(client, DAY, bad, "/stations/0/closes")
    assert code == "hours_incomplete"
    assert "同时填写" in zh and "both the opening and the closing time" in en


def test_committee_has_three_to_seven_members(client: FlaskClient) -> None:
    bad = sample(DAY) | {"seats": {"deputy_director": 2, "member": 5}}
    code, zh, en = rejected(client, DAY, bad, "/seats")
    assert code == "committee_size"
    assert "不能是8人" in zh and "3 to 7 members, not 8" in en


def test_sections_renumber_without_mobile_boxes_or_notes(client: FlaskClient) -> None:
    text = accepted(client, DAY, sample(DAY) | {"mobile_boxes": [], "notes": []})
    assert "流动票箱" not in text and "其他事项" not in text
    assert_in_order(text, ["四、投票地点", "五、职位和名额", "六、选举方式", "特此公告。"])


# announcement.voter-list ------------------------------------------------------------------------------------

LIST = "announcement.voter-list"


def test_voter_list_announcement_is_20_days_before_election_day(client: FlaskClient) -> None:
    bad = sample(LIST) | {"signature": {"body": "柳溪村村民选举委员会", "date": "2026-11-02"},
                          "objection_deadline": "2026-11-07"}
    code, zh, en = rejected(client, LIST, bad, "/signature/date")
    assert code == "list_too_late"
    assert "最迟于2026年11月1日" in zh and "by 1 November 2026 at the latest" in en


def test_objection_deadline_is_after_the_announcement(client: FlaskClient) -> None:
    code, zh, en = rejected(client, LIST, sample(LIST) | {"objection_deadline": "2026-10-30"}, "/objection_deadline")
    assert code == "objection_deadline_order"
    assert "异议截止日期（2026年10月30日）应在公告日期（2026年10月30日）之后" in zh
    assert "must be after the date of the announcement (30 October 2026)" in en


def test_objection_period_is_not_shorter_than_five_days(client: FlaskClient) -> None:
    code, zh, en = rejected(client, LIST, sample(LIST) | {"objection_deadline": "2026-11-03"}, "/objection_deadline")
    assert code == "objection_period_short"
    assert "截止日期不能早于2026年11月4日" in zh and "cannot be before 4 November 2026" in en


def test_objection_deadline_is_before_election_day(client: FlaskClient) -> None:
    code, zh, en = rejected(client, LIST, sample(LIST) | {"objection_deadline": "2026-11-21"}, "/objection_deadline")
    assert code == "objection_after_election"
    assert "应在选举日（2026年11月21日）之前" in zh and "before election day (21 November 2026)" in en


def test_objection_deadline_defaults_to_five_days(client: FlaskClient) -> None:
    payload = sample(LIST)
    del payload["objection_deadline"]
    assert "请于2026年11月4日以前（含当日）" in accepted(client, LIST, payload)


def test_voter_list_keeps_groups_and_input_order_and_counts_categories() -> None:
    payload = sample(LIST) | {"voters": [
        {"name": "赵六", "group": "第二组"}, {"name": "甲一", "group": "第一组", "category": "registered_away"},
        {"name": "王五", "group": "第二组", "category": "non_registered"}, {"name": "乙二", "group": "第一组"},
    ]}
    ctx = kinds.get(LIST).model.model_validate(payload).context()
    assert [g["name"] for g in ctx["groups"]] == ["第二组", "第一组"]  # order of first appearance
    first_line = ctx["groups"][0]["rows"][0]
    assert [c["name"] + c["mark"] for c in first_line[:2]] == ["赵六", "王五☆"]  # input order, not strokes
    assert first_line[2:] == [{"name": "", "mark": ""}] * 6  # the line is filled out to 8 cells
    assert ctx["counts"] == {"resident": 2, "registered_away": 1, "non_registered": 1}
    assert ctx["total"] == 4 and ctx["marked"] == ["registered_away", "non_registered"]


def test_a_village_of_3000_voters_renders_as_a_compact_grid(client: FlaskClient) -> None:
    payload = sample(LIST)
    payload["voters"] = [{"name": f"王{chr(0x4E00 + i % 500)}{chr(0x4E00 + i // 500)}", "group": f"第{g}组"}
                         for g in range(1, 13) for i in range(250 * (g - 1), 250 * g)]
    resp = client.post(f"/api/v1/documents/{LIST}?format=pdf", json=payload)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    pages = PdfReader(io.BytesIO(resp.data)).pages
    assert 10 <= len(pages) <= 20  # eight names a line: about 250 names a page
    text = squash("".join(p.extract_text() for p in pages))
    assert "第12组（250人）" in text and payload["voters"][-1]["name"] in text and "3000" in text
    resp = client.post(f"/api/v1/documents/{LIST}?format=docx", json=payload)
    assert resp.status_code == 200
    assert payload["voters"][-1]["name"] in docx_text(resp.data)


# announcement.candidates -----------------------------------------------------------------------------------

CANDIDATES = "announcement.candidates"


def test_each_post_has_more_candidates_than_seats(client: FlaskClient) -> None:
    bad = sample(CANDIDATES)
    bad["posts"][0]["seats"] = 5  # members: 5 candidates for 5 seats
    code, zh, en = rejected(client, CANDIDATES, bad, "/posts/0/candidates")
    assert code == "not_competitive"
    assert "委员应选5名，候选人5名；候选人应当多于应选名额（《村民委员会组织法》第十五条）" in zh
    assert "member: 5 candidate(s) for 5 seat(s); there must be more candidates than seats" in en


def test_a_post_is_listed_once(client: FlaskClient) -> None:
    bad = sample(CANDIDATES)
    bad["posts"][2]["post"] = "director"
    code, zh, en = rejected(client, CANDIDATES, bad, "/posts/2/post")
    assert code == "duplicate_post"
    assert "职务“主任”重复列出" in zh and "the post director is listed twice" in en


def test_a_candidate_needs_an_age_or_a_birth_date(client: FlaskClient) -> None:
    bad = sample(CANDIDATES)
    del bad["posts"][1]["candidates"][0]["age"]
    code, zh, en = rejected(client, CANDIDATES, bad, "/posts/1/candidates/0/age")
    assert (code, zh, en) == ("age_missing", "请填写陈志强的年龄或出生日期", "give the age or the birth date of 陈志强")


def test_age_and_birth_date_agree(client: FlaskClient) -> None:
    bad = sample(CANDIDATES)
    bad["posts"][1]["candidates"][1]["age"] = 50  # 李建国, born 8 March 1972: 54 on 13 November 2026
    code, zh, en = rejected(client, CANDIDATES, bad, "/posts/1/candidates/1/age")
    assert code == "age_mismatch"
    assert "按出生日期，李建国在2026年11月13日为54岁，不是50岁" in zh
    assert "by the birth date 李建国 is 54 on 13 November 2026, not 50" in en


def test_a_candidate_is_18_or_over(client: FlaskClient) -> None:
    bad = sample(CANDIDATES)
    bad["posts"][0]["candidates"][1]["birth"] = "2008-11-14"  # 18 the day after the announcement
    code, zh, en = rejected(client, CANDIDATES, bad, "/posts/0/candidates/1/birth")
    assert code == "under_age" and "王一鸣在2026年11月13日未满十八周岁" in zh and "under 18" in en


def test_candidate_dates_follow_the_announcement(client: FlaskClient) -> None:
    bad = sample(CANDIDATES) | {"objection_deadline": "2026-11-12"}
    code, zh, en = rejected(client, CANDIDATES, bad, "/objection_deadline")
    assert code == "objection_deadline_order" and "应在公告日期（2026年11月13日）之后" in zh
    assert "must be after the date of the announcement (13 November 2026)" in en


def test_candidates_are_in_surname_stroke_order_and_posts_by_rank(client: FlaskClient) -> None:
    ctx = kinds.get(CANDIDATES).model.model_validate(sample(CANDIDATES)).context()
    assert [p["post"] for p in ctx["posts"]] == ["director", "deputy_director", "member"]
    names = {p["post"]: [c["name"] for c in p["candidates"]] for p in ctx["posts"]}
    # 李 (7 strokes, 一 first) before 陈 (7, 乛 first); 刘 (6) before 张 (7); the shorter 王芳 before 王一鸣;
    # 欧阳 sorts by 欧 (8 strokes), before 郑 (8) by the order of strokes.
    assert names == {"director": ["李建国", "陈志强"], "deputy_director": ["刘文斌", "张丽华"],
                     "member": ["马小军", "王芳", "王一鸣", "欧阳晓燕", "郑春梅"]}
    assert ctx["posts"][2]["candidates"][2]["age"] == 38  # from the birth date, on the announcement date
    assert_in_order(accepted(client, CANDIDATES, sample(CANDIDATES)), [
        "一、主任候选人", "李建国", "陈志强", "二、副主任候选人", "刘文斌", "张丽华",
        "三、委员候选人", "马小军", "王芳", "王一鸣", "欧阳晓燕", "郑春梅"])


def test_preliminary_candidates_have_their_own_title(client: FlaskClient) -> None:
    text = accepted(client, CANDIDATES, sample(CANDIDATES) | {"stage": "preliminary"})
    assert "柳溪村村民委员会成员初步候选人名单公告" in text and "经登记参加选举的村民直接提名" in text


# announcement.proxies --------------------------------------------------------------------------------------

PROXIES = "announcement.proxies"


def test_a_proxy_is_a_close_relative(client: FlaskClient) -> None:
    bad = sample(PROXIES)
    bad["proxies"][1]["relation"] = "朋友"
    code, zh, en = rejected(client, PROXIES, bad, "/proxies/1/relation")
    assert code == "not_close_relative"
    assert "受委托人必须是委托人的近亲属（配偶、父母、子女、兄弟姐妹、祖父母、外祖父母、孙子女、外孙子女）" in zh
    assert "a proxy must be a close relative of the voter" in en


@pytest.mark.parametrize(("word", "code"), [("女儿", "child"), ("外婆", "maternal_grandparent"), ("Spouse", "spouse"),
                                            ("兄弟姐妹", "sibling"), ("外孙子女", "maternal_grandchild")])
def test_relations_are_read_from_the_words_clerks_type(word: str, code: str) -> None:
    payload = sample(PROXIES)
    payload["proxies"][0]["relation"] = word
    assert kinds.get(PROXIES).model.model_validate(payload).proxies[0].relation == code


def test_a_voter_authorises_only_one_proxy(client: FlaskClient) -> None:
    bad = sample(PROXIES)
    bad["proxies"].append({"voter": "夏小", "proxy": "夏东升", "relation": "兄弟姐妹"})
    code, zh, en = rejected(client, PROXIES, bad, "/proxies/8/voter")
    assert code == "two_proxies"
    assert "夏小已委托周桂英，一名选民只能委托一人代为投票" in zh
    assert "夏小 has already authorised 周桂英: a voter may authorise only one proxy" in en


@pytest.mark.parametrize(("cap", "ok"), [(3, True), (2, False)])
def test_no_proxy_votes_for_more_than_the_cap(client: FlaskClient, cap: int, ok: bool) -> None:
    payload = sample(PROXIES) | {"cap_per_proxy": cap}  # 江国华 votes for his three children
    if ok:
        assert "每一受委托人接受委托投票不得超过3人" in accepted(client, PROXIES, payload)
        return
    code, zh, en = rejected(client, PROXIES, payload, "/proxies/7/proxy")
    assert code == "over_cap"
    assert "江国华接受委托超过2人" in zh and "江国华 would vote for more than 2 voters" in en


def test_the_cap_is_at_most_three(client: FlaskClient) -> None:
    code, _, _ = rejected(client, PROXIES, sample(PROXIES) | {"cap_per_proxy": 4}, "/cap_per_proxy")
    assert code == "less_than_equal"


def test_a_voter_who_authorised_someone_cannot_be_a_proxy(client: FlaskClient) -> None:
    bad = sample(PROXIES)
    bad["proxies"].append({"voter": "何小梅", "proxy": "何欣伟", "relation": "兄弟姐妹"})  # 何欣伟 is away
    code, zh, en = rejected(client, PROXIES, bad, "/proxies/8/proxy")
    assert code == "proxy_is_principal"
    assert "何欣伟本人已委托他人投票，不能再接受何小梅的委托" in zh
    assert "何欣伟 has authorised someone else to vote for them, so cannot vote for 何小梅" in en


def test_a_voter_is_not_their_own_proxy(client: FlaskClient) -> None:
    bad = sample(PROXIES)
    bad["proxies"][0]["proxy"] = bad["proxies"][0]["voter"]
    code, zh, _ = rejected(client, PROXIES, bad, "/proxies/0/proxy")
    assert code == "self_proxy" and zh == "何欣伟不能委托自己"
