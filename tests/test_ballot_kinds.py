"""The party committee, secretary, further-round and nomination ballots: their rules, orders and faces."""

from __future__ import annotations

import copy
import io
import re
from typing import Any

import pytest
from docx import Document
from flask.testing import FlaskClient

from images import assert_matches_reference, page_image
from kit import docx_text, face_texts, pdf_text, squash
from service import kinds
from service.kinds.ballot import runoff
from service.rules import Setting, Source, load_profile

COMMITTEE, SECRETARY, RUNOFF, NOMINATION = (
    "ballot.party-committee",
    "ballot.party-secretary",
    "ballot.runoff",
    "ballot.recommendation",
)
KINDS = [COMMITTEE, SECRETARY, RUNOFF, NOMINATION]


def sample(kind: str, **print_options: Any) -> dict[str, Any]:
    data = copy.deepcopy(kinds.get(kind).sample())
    data["print"].update(print_options)
    return data


def final(kind: str, **options: Any) -> dict[str, Any]:
    return sample(kind, final=True, requested_by="石门镇选举工作办公室", **options)


def post(client: FlaskClient, kind: str, data: dict[str, Any], fmt: str = "pdf", lang: str = "zh") -> bytes:
    resp = client.post(f"/api/v1/documents/{kind}?format={fmt}&lang={lang}", json=data)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return resp.data


def problem(client: FlaskClient, kind: str, data: dict[str, Any]) -> dict[str, Any]:
    resp = client.post(f"/api/v1/documents/{kind}?format=pdf&lang=en", json=data)
    assert resp.status_code == 422, resp.get_data(as_text=True)
    return resp.get_json()


def codes(body: dict[str, Any]) -> dict[str, str]:
    return {e["path"]: e["code"] for e in body["errors"]}


def message(body: dict[str, Any], path: str) -> str:
    return next(e["message"] for e in body["errors"] if e["path"] == path)


def text(pdf: bytes) -> str:
    return squash(pdf_text(pdf))




# --- every kind ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("kind", KINDS)
def test_no_figure_on_any_face_and_serials_on_the_counterfoils(client: FlaskClient, kind: str, lang: str) -> None:
    resp = client.post(
        f"/api/v1/documents/{kind}?format=pdf&lang={lang}", json=final(kind, quantity=4, per_sheet=2, counterfoil=True)
    )
    assert resp.status_code == 200, resp.get_data(as_text=True)
    faces, stubs = face_texts(resp.data, 2)
    assert len(set(faces)) == 1, "every face is the same: nothing tells one ballot from another"
    assert faces[0] and not re.search(r"\d", faces[0]), faces[0]
    first, last = (int(x) for x in resp.headers["X-Ballot-Serials"].split("-"))
    assert [int(re.sub(r"\D", "", s)) for s in stubs] == list(range(first, last + 1))


@pytest.mark.parametrize("kind", KINDS)
def test_the_word_face_has_no_figure_either(client: FlaskClient, kind: str) -> None:
    assert not re.search(r"\d", docx_text(post(client, kind, sample(kind), "docx")))


@pytest.mark.parametrize("kind", KINDS)
def test_a_proof_by_default_and_a_final_print_only_from_a_final_list(client: FlaskClient, kind: str) -> None:
    resp = client.post(f"/api/v1/documents/{kind}?format=pdf", json=sample(kind))
    assert resp.status_code == 200 and "样票" in text(resp.data)
    assert client.get("/api/v1/ballot-prints").get_json()["prints"] == []  # proofs are not recorded
    data = final(kind)
    data["candidates_final"] = False
    assert codes(problem(client, kind, data)) == {"/print/final": "list_not_final"}


@pytest.mark.parametrize("kind", KINDS)
def test_a_figure_typed_into_the_face_is_refused(client: FlaskClient, kind: str) -> None:
    data = sample(kind)
    data["election"] = "柳溪村2026年换届选举"
    body = problem(client, kind, data)
    assert codes(body) == {"/election": "figure_on_face"}
    assert "Chinese characters" in message(body, "/election")


@pytest.mark.parametrize("kind", KINDS)
def test_proof_sheet_matches_its_reference_image(client: FlaskClient, kind: str) -> None:
    pdf = post(client, kind, sample(kind, paper="A4", per_sheet=1))
    assert_matches_reference(f"{kind}-A4-1up", page_image(pdf))


# --- ballot.party-committee ----------------------------------------------------------------------------


def committee(seats: int, count: int) -> dict[str, Any]:
    data = sample(COMMITTEE)
    data["seats"] = seats
    data["candidates"] = [{"name": n} for n in "甲乙丙丁戊己庚辛壬癸"[:count]]
    return data


@pytest.mark.parametrize(("seats", "needed"), [(3, 4), (5, 6), (7, 9)])
def test_committee_candidates_exceed_seats_by_a_fifth_rounded_up(client: FlaskClient, seats: int, needed: int) -> None:
    body = problem(client, COMMITTEE, committee(seats, needed - 1))
    assert codes(body) == {"/candidates": "candidate_margin"}
    msg = message(body, "/candidates")
    assert f"at least {needed}" in msg and "《中国共产党基层组织选举工作条例》" in msg
    kinds.get(COMMITTEE).model.model_validate(committee(seats, needed))  # exactly enough passes


def test_committee_candidates_stand_in_surname_stroke_order(client: FlaskClient) -> None:
    face = text(post(client, COMMITTEE, sample(COMMITTEE)))
    # 马3 王4 李7 张7 (李 starts with 横, 张 with 折) 林8 周8 (林 starts with 横, 周 with 撇);
    # the sample gives them as 周 林 王 马 李 张
    order = ["马国庆", "王秀英", "李红梅", "张建", "林国栋", "周德明"]
    assert [face.index(n) for n in order] == sorted(face.index(n) for n in order)


def test_committee_namesakes_need_a_note_and_notes_take_no_figures(client: FlaskClient) -> None:
    data = sample(COMMITTEE)
    data["candidates"][1] = {"name": "周德明", "note": "第二村民小组"}
    assert codes(problem(client, COMMITTEE, data)) == {"/candidates/1/note": "same_name_without_note"}
    data["candidates"][0]["note"] = "第1村民小组"
    assert codes(problem(client, COMMITTEE, data)) == {"/candidates/0/note": "figure_on_face"}


def test_committee_write_ins_can_be_left_out(client: FlaskClient) -> None:
    data = sample(COMMITTEE)
    data["write_ins"] = 0
    face = text(post(client, COMMITTEE, data))
    assert "另选人" not in face and "可以另选他人" not in face
    assert "三、画“○”的人数等于或少于应选名额的为有效票" in face  # the notes renumber


def test_committee_write_ins_at_most_one_per_seat(client: FlaskClient) -> None:
    data = sample(COMMITTEE)
    data["write_ins"] = 6
    body = problem(client, COMMITTEE, data)
    assert codes(body) == {"/write_ins": "write_ins_over_seats"}
    assert "at most one per seat" in message(body, "/write_ins")


def test_committee_title_names_the_branch_once(client: FlaskClient) -> None:
    data = sample(COMMITTEE)
    data["branch"] = "中共柳溪村支部委员会"  # the clerk typed the committee's name: the title adds 委员会 itself
    assert text(post(client, COMMITTEE, data)).startswith("中共柳溪村支部委员会委员选票")


# --- ballot.party-secretary ----------------------------------------------------------------------------


def test_secretary_candidates_keep_the_approved_order(client: FlaskClient) -> None:
    data = sample(SECRETARY)
    data["posts"][0] = {
        "post": "deputy_secretary",
        "seats": 2,
        "candidates": [{"name": "周德明"}, {"name": "马国庆"}],
    }  # 周8 before 马3: not stroke order
    data["posts"][1]["candidates"] = [{"name": "李红梅"}]
    face = text(post(client, SECRETARY, data))
    assert (
        face.index("书记应选一名")
        < face.index("李红梅")
        < face.index("副书记应选二名")
        < face.index("周德明")
        < face.index("马国庆")
    )
    docx = squash(docx_text(post(client, SECRETARY, data, "docx")))
    assert docx.index("周德明") < docx.index("马国庆")


def test_secretary_is_elected_with_as_many_candidates_as_seats(client: FlaskClient) -> None:
    data = sample(SECRETARY)
    data["posts"][1]["candidates"].append({"name": "林国栋"})  # secretary: 1 seat, 2 candidates
    body = problem(client, SECRETARY, data)
    assert codes(body) == {"/posts/1/candidates": "candidate_margin"}
    assert "asks for 1" in message(body, "/posts/1/candidates")


def test_one_secretary_each_post_once_and_nobody_for_both(client: FlaskClient) -> None:
    data = sample(SECRETARY)
    data["posts"][1] = {"post": "secretary", "seats": 2, "candidates": [{"name": "周德明"}, {"name": "林国栋"}]}
    body = problem(client, SECRETARY, data)
    assert codes(body) == {"/posts/1/seats": "one_secretary"}
    assert "one secretary" in message(body, "/posts/1/seats")

    data = sample(SECRETARY)
    data["posts"][0]["post"] = "secretary"
    assert codes(problem(client, SECRETARY, data)) == {"/posts/1/post": "post_twice"}

    data = sample(SECRETARY)
    data["posts"][0]["candidates"] = [{"name": "周德明"}]
    body = problem(client, SECRETARY, data)
    assert codes(body) == {"/posts/0/candidates/0/name": "candidate_in_two_posts"}
    assert "both secretary and deputy secretary" in message(body, "/posts/0/candidates/0/name")


def test_secretary_only_ballot_has_its_own_title_and_no_two_posts_note(client: FlaskClient) -> None:
    data = sample(SECRETARY)
    data["posts"] = data["posts"][1:]
    face = text(post(client, SECRETARY, data))
    assert face.startswith("中共柳溪村支部委员会书记选票") and "两栏" not in face


# --- ballot.runoff -------------------------------------------------------------------------------------


def test_runoff_orders_by_previous_votes_then_strokes_whatever_the_input_order(client: FlaskClient) -> None:
    data = sample(RUNOFF)
    cands = data["posts"][0]["candidates"]
    for order in (cands, cands[::-1], [cands[2], cands[0], cands[1]]):
        data["posts"][0]["candidates"] = order
        face = text(post(client, RUNOFF, data))
        # 张建 517; 王芳 and 刘志强 402 each, so by strokes: 王4 before 刘6
        assert face.index("张建") < face.index("王芳") < face.index("刘志强")


def test_runoff_never_prints_the_previous_votes(client: FlaskClient) -> None:
    data = sample(RUNOFF)
    pdf = pdf_text(post(client, RUNOFF, data))
    docx = docx_text(post(client, RUNOFF, data, "docx"))
    for votes in ("517", "402", "五百一十七", "四百零二"):
        assert votes not in pdf and votes not in docx
    assert "previous_votes" not in kinds.get(RUNOFF).model.model_validate(data).context()["posts"][0]["columns"][0]


def test_runoff_needs_more_candidates_than_remaining_seats(client: FlaskClient) -> None:
    data = sample(RUNOFF)
    data["posts"][0]["candidates"] = data["posts"][0]["candidates"][:1]
    body = problem(client, RUNOFF, data)
    assert codes(body) == {"/posts/0/candidates": "further_round_candidates"}
    msg = message(body, "/posts/0/candidates")
    assert "at least 2" in msg and "《中华人民共和国村民委员会组织法》" in msg


def test_runoff_needs_previous_votes(client: FlaskClient) -> None:
    data = sample(RUNOFF)
    del data["posts"][0]["candidates"][0]["previous_votes"]
    assert codes(problem(client, RUNOFF, data)) == {"/posts/0/candidates/0/previous_votes": "missing"}


def test_runoff_posts_belong_to_the_rule_set(client: FlaskClient) -> None:
    data = sample(RUNOFF)
    data["rule_set"] = "party-branch"  # a Party election has committee_member, not member
    body = problem(client, RUNOFF, data)
    assert codes(body) == {"/posts/0/post": "post_not_in_rule_set"}
    assert "committee_member" in message(body, "/posts/0/post")


def test_runoff_wording_follows_the_rule_set(client: FlaskClient) -> None:
    data = sample(RUNOFF)
    data["rule_set"] = "party-branch"
    data["posts"][0]["post"] = "committee_member"
    face = text(post(client, RUNOFF, data))
    assert "超过实到会有选举权的党员人数的一半" in face and "三分之一" not in face
    assert "对候选人投不赞成票的，可以另选他人" in face
    assert "党组织印章" in docx_text(post(client, RUNOFF, data, "docx"))


def test_a_profile_may_allow_an_equal_further_round_only_where_the_law_does(monkeypatch: pytest.MonkeyPatch) -> None:
    default = load_profile("default")
    settings = {rule_set: dict(values) for rule_set, values in default.settings.items()}
    equal = Setting(value=0, source=Source(law="某省党组织选举办法"))
    settings["party-branch"]["further_round_extra_candidates"] = equal
    settings["villagers-committee"]["further_round_extra_candidates"] = equal
    monkeypatch.setattr(runoff, "load_profile", lambda name: default.model_copy(update={"settings": settings}))
    assert runoff.further_round_minimum("equal", "party-branch", 2) == (2, "某省党组织选举办法")
    need, cite = runoff.further_round_minimum("equal", "villagers-committee", 2)
    assert need == 3 and cite.endswith("第十五条第一款")  # 组织法: candidates must exceed seats


# --- ballot.recommendation -----------------------------------------------------------------------------


def test_recommendation_takes_at_least_one_name_per_post(client: FlaskClient) -> None:
    data = sample(NOMINATION)
    data["posts"][1]["up_to"] = 0
    body = problem(client, NOMINATION, data)
    assert codes(body) == {"/posts/1/up_to": "recommend_at_least_one"}
    assert "at least one name" in message(body, "/posts/1/up_to")


def test_recommendation_has_a_blank_cell_per_name_and_its_limit_spelled(client: FlaskClient) -> None:
    data = sample(NOMINATION)
    face = text(post(client, NOMINATION, data))
    assert face.index("主任推荐不超过一名") < face.index("副主任推荐不超过一名") < face.index("委员推荐不超过三名")
    tables = Document(io.BytesIO(post(client, NOMINATION, data, "docx"))).tables
    assert [len(t.rows) - 1 for t in tables] == [1, 1, 3]  # director, deputy, members: header plus N blank rows
    assert all(c.text == "" for t in tables for row in t.rows[1:] for c in row.cells)


def test_recommendation_for_a_party_branch(client: FlaskClient) -> None:
    data = sample(NOMINATION)
    data["rule_set"] = "party-branch"
    data["posts"] = [{"post": "committee_member", "up_to": 5}, {"post": "secretary", "up_to": 1}]
    face = text(post(client, NOMINATION, data))
    assert face.startswith("党支部委员会成员候选人推荐票")
    assert face.index("书记推荐不超过一名") < face.index("委员推荐不超过五名")
    assert "被推荐人应为本党组织的正式党员" in face


# --- waiting for {% block seal %} and {% block legend %} in _ballot.html ---------------------------------


def test_party_ballots_carry_the_party_seal_and_nominations_no_mark_legend(client: FlaskClient) -> None:
    for kind in (COMMITTEE, SECRETARY):
        face = text(post(client, kind, sample(kind)))
        assert "党组织印章" in face and "选举委员会印章" not in face
    face = text(post(client, NOMINATION, sample(NOMINATION)))
    assert "在空格内写上被推荐人的姓名" in face and "赞成" not in face


def test_the_word_faces_already_carry_the_right_seal_and_legend(client: FlaskClient) -> None:
    for kind in (COMMITTEE, SECRETARY):
        assert "党组织印章" in docx_text(post(client, kind, sample(kind), "docx"))
    nomination = docx_text(post(client, NOMINATION, sample(NOMINATION), "docx"))
    assert "在空格内写上被推荐人的姓名" in nomination and "赞成" not in nomination
