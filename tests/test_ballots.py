"""Ballots: the rules checked before printing, stroke order, layout, n-up page counts, serials and accounting."""

from __future__ import annotations

import copy
import io
import re
from typing import Any

import pdfplumber
import pytest
from flask import Flask
from flask.testing import FlaskClient

from images import assert_matches_reference, page_image
from kit import face_texts, pdf_text, squash
from service import kinds

KIND = "ballot.villagers-committee"
URL = f"/api/v1/documents/{KIND}?format=pdf"


def sample(**print_options: Any) -> dict[str, Any]:
    data = copy.deepcopy(kinds.get(KIND).sample())
    data["print"].update(print_options)
    return data


def final(**options: Any) -> dict[str, Any]:
    return sample(final=True, requested_by="石门镇选举工作办公室", **options)


def problem(client: FlaskClient, data: dict[str, Any]) -> dict[str, Any]:
    resp = client.post(URL + "&lang=en", json=data)
    assert resp.status_code == 422, resp.get_data(as_text=True)
    return resp.get_json()


def codes(body: dict[str, Any]) -> dict[str, str]:
    return {e["path"]: e["code"] for e in body["errors"]}


# --- rules checked before anything prints -------------------------------------------------------------


def test_too_few_candidates_for_a_post_cites_the_profile(client: FlaskClient) -> None:
    data = sample()
    data["posts"][2]["candidates"] = data["posts"][2]["candidates"][:3]  # 3 seats, 3 candidates
    body = problem(client, data)
    assert codes(body) == {"/posts/2/candidates": "candidate_margin"}
    assert "4 to 6" in body["errors"][0]["message"]  # default profile: members +1 to +3


def test_too_many_candidates_for_director(client: FlaskClient) -> None:
    data = sample()
    data["posts"][0]["candidates"].append({"name": "赵一"})  # 1 seat, 3 candidates; the profile allows 2
    assert codes(problem(client, data)) == {"/posts/0/candidates": "candidate_margin"}


@pytest.mark.parametrize(
    ("committee", "seats", "ok"),
    [
        ("villagers", 2, False),
        ("villagers", 3, True),
        ("villagers", 7, True),
        ("villagers", 8, False),
        ("residents", 4, False),
        ("residents", 5, True),
        ("residents", 9, True),
    ],
)
def test_total_seats_follow_the_law(client: FlaskClient, committee: str, seats: int, ok: bool) -> None:
    data = sample()
    data["committee"] = committee
    members = seats - 2
    data["posts"][2] = {
        "post": "member",
        "seats": max(members, 1),
        "candidates": [{"name": n} for n in "甲乙丙丁戊己庚辛壬癸子丑"[: max(members, 1) + 1]],
    }
    if members < 1:
        data["posts"] = data["posts"][:1] + ([data["posts"][1]] if seats == 2 else [])
    resp = client.post(URL, json=data)
    if ok:
        assert resp.status_code == 200, resp.get_data(as_text=True)
    else:
        assert "total_seats" in codes(resp.get_json()).values()


def test_same_person_twice_in_a_post(client: FlaskClient) -> None:
    data = sample()
    data["posts"][2]["candidates"][1] = {"name": "马国庆"}
    assert "duplicate_candidate" in codes(problem(client, data)).values()


def test_namesakes_need_a_distinguishing_note(client: FlaskClient) -> None:
    data = sample()
    data["posts"][2]["candidates"][1] = {"name": "马国庆", "note": "第二村民小组"}
    assert codes(problem(client, data)) == {"/posts/2/candidates/1/note": "same_name_without_note"}
    data["posts"][2]["candidates"][0]["note"] = "第一村民小组"
    resp = client.post(URL, json=data)
    assert resp.status_code == 200
    text = squash(pdf_text(resp.data))
    assert "马国庆第一村民小组" in text and "马国庆第二村民小组" in text


def test_final_print_needs_a_final_list(client: FlaskClient) -> None:
    data = final()
    data["candidates_final"] = False
    assert codes(problem(client, data)) == {"/print/final": "list_not_final"}


def test_a_list_too_long_for_the_paper_is_refused_not_clipped(client: FlaskClient) -> None:
    data = sample(paper="A5", per_sheet=4)
    body = problem(client, data)
    assert codes(body) == {"/print/per_sheet": "ballot_too_long"}
    assert "does not fit" in body["detail"]


# --- order -----------------------------------------------------------------------------------------------


def test_candidates_stand_in_surname_stroke_order(client: FlaskClient) -> None:
    text = re.sub(r"\s+", "", pdf_text(client.post(URL, json=sample()).data))
    # 马3 王4 刘6 李7 张7 (李 starts with 横, 张 with 折); 林8 周8 (林 starts with 横, 周 with 撇)
    assert text.index("马国庆") < text.index("王芳") < text.index("刘志强") < text.index("李红梅") < text.index("张建")
    assert text.index("林国栋") < text.index("周德明")
    assert text.index("王秀英") < text.index("欧阳春华")


# --- layout and printing --------------------------------------------------------------------------------


@pytest.mark.parametrize(("paper", "per_sheet"), [("A4", 1), ("A4", 2), ("A5", 1)])
def test_proof_sheet_matches_its_reference_image(client: FlaskClient, paper: str, per_sheet: int) -> None:
    resp = client.post(URL, json=sample(paper=paper, per_sheet=per_sheet))
    assert resp.status_code == 200
    assert_matches_reference(f"{KIND}-{paper}-{per_sheet}up", page_image(resp.data))


@pytest.mark.parametrize(("per_sheet", "quantity", "pages"), [(1, 5, 5), (2, 5, 3), (4, 5, 2), (4, 8, 2)])
def test_page_count_of_n_up_prints(client: FlaskClient, per_sheet: int, quantity: int, pages: int) -> None:
    data = final(per_sheet=per_sheet, quantity=quantity, counterfoil=False)
    if per_sheet == 4:  # a quarter of A4 holds a members-only ballot: 3 seats, 4 candidates
        data["posts"] = [{**data["posts"][2], "candidates": data["posts"][2]["candidates"][:4]}]
    resp = client.post(URL, json=data)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    with pdfplumber.open(io.BytesIO(resp.data)) as pdf:
        assert len(pdf.pages) == pages
    assert resp.headers["X-Ballot-Copies"] == str(quantity)


def test_quantity_is_voters_plus_spare(client: FlaskClient) -> None:
    resp = client.post(URL, json=final(voters=1180, spare_percent=5, counterfoil=False))
    assert resp.headers["X-Ballot-Copies"] == "1239"  # 1180 × 1.05 = 1239




def test_no_number_on_the_face_and_serials_on_the_counterfoils(client: FlaskClient) -> None:
    resp = client.post(URL, json=final(quantity=6, per_sheet=2, counterfoil=True))
    assert resp.status_code == 200
    faces, stubs = face_texts(resp.data, 2)
    assert len(set(faces)) == 1, "every face is the same: nothing tells one ballot from another"
    assert not re.search(r"\d", faces[0]), faces[0]
    serials = [re.sub(r"\D", "", s) for s in stubs]
    first, last = (int(x) for x in resp.headers["X-Ballot-Serials"].split("-"))
    assert [int(s) for s in serials] == list(range(first, last + 1))


# --- accounting -----------------------------------------------------------------------------------------


def test_reprints_never_reuse_a_serial_range(app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    a = client.post(URL, json=final(quantity=10, counterfoil=True))
    b = client.post(URL, json=final(quantity=4, counterfoil=True))
    assert (a.headers["X-Ballot-Serials"], b.headers["X-Ballot-Serials"]) == ("1-10", "11-14")

    from service import ballots

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("printer fell over")

    monkeypatch.setattr(ballots, "print_run", broken)
    assert client.post(URL, json=final(quantity=5, counterfoil=True)).status_code == 500
    monkeypatch.undo()
    c = client.post(URL, json=final(quantity=3, counterfoil=True))
    assert c.headers["X-Ballot-Serials"] == "20-22"  # 15-19 went to the failed print and stay used

    other = final(quantity=2, counterfoil=True)
    other["election_id"] = "330122-shimen-dongshan-2026-vc"
    assert client.post(URL, json=other).headers["X-Ballot-Serials"] == "1-2"  # serials count per election

    report = client.get("/api/v1/ballot-prints?election=330122-shimen-liuxi-2026-vc").get_json()
    rows = [(p["serial_first"], p["serial_last"], p["status"], p["requested_by"]) for p in report["prints"]]
    assert rows == [
        (1, 10, "printed", "石门镇选举工作办公室"),
        (11, 14, "printed", "石门镇选举工作办公室"),
        (15, 19, "failed", "石门镇选举工作办公室"),
        (20, 22, "printed", "石门镇选举工作办公室"),
    ]
    assert report["total_printed"] == 17
    assert report["prints"][0]["sha256"] == a.headers["X-Content-SHA256"]


def test_proofs_are_not_recorded(client: FlaskClient) -> None:
    client.post(URL, json=sample())
    assert client.get("/api/v1/ballot-prints").get_json()["prints"] == []


def test_report_renders_as_a_table(client: FlaskClient) -> None:
    client.post(URL, json=final(quantity=10, counterfoil=True))
    resp = client.get("/api/v1/ballot-prints?format=pdf")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    text = pdf_text(resp.data)
    assert "选票印制登记表" in text and "0000001—0000010" in text and "已印制" in text
