"""Every kind's Excel template filled from its sample gives the sample's document; grouped tables (posts and
their candidates) read from XLSX and CSV, with errors by row and column."""

from __future__ import annotations

import io
import json
import re
from typing import Any

import pytest
from flask.testing import FlaskClient
from openpyxl import load_workbook

from service import documents, imports, kinds
from service.errors import BadRequest, InvalidContent
from service.imports import columns, template

GROUPED = ["announcement.candidates", "ballot.party-secretary", "ballot.runoff", "ballot.villagers-committee",
           "table.team-structure", "table.tally"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _get(data: Any, path: str) -> Any:
    for part in path.split("."):
        data = data.get(part) if isinstance(data, dict) else None
    return data


def fill(template: bytes, kind: kinds.Kind, data: dict[str, Any], lang: str = "zh") -> bytes:
    """The template filled the way a clerk would: the group's columns only on its first row, the rest below."""
    book = load_workbook(io.BytesIO(template))
    lays = [lay.translated(lang) for lay in columns.layouts(kind.model)]
    for lay in lays:
        ws = book[lay.sheet]
        by_label = {f.label: (pattern, f) for pattern, f in lay.columns()}
        header = [c.value for c in ws[1]]
        assert set(header) == set(by_label), "the template's headers are the layout's labels"
        ws.delete_rows(2, ws.max_row)
        for item in _get(data, lay.table) or []:
            members = [(path, m) for path, _ in lay.inner for m in _get(item, path) or []] or [("", {})]
            for j, (path, inner) in enumerate(members):
                row = []
                for head in header:
                    pattern, f = by_label[head]
                    if pattern.endswith(f"/{columns.SLOT}"):
                        value = path if j == 0 or path != members[j - 1][0] else None
                    elif f"/{columns.SLOT}/" in pattern:
                        value = _get(inner, f.path)
                    else:
                        value = _get(item, f.path) if j == 0 else None
                    row.append(f.text(value))
                ws.append(row)
    others = {f.path: columns.translated(f, lang) for f in columns.other_fields(kind.model, lays)}
    for row in book[columns.tr(imports.FIELDS_SHEET, lang)].iter_rows(min_row=2):
        f = others[str(row[0].value)]
        row[2].value = f.text(_get(data, f.path))
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("kind_id", [k.id for k in kinds.all_kinds()])
def test_every_template_filled_from_the_sample_gives_the_sample(client: FlaskClient, kind_id: str) -> None:
    kind = kinds.get(kind_id)
    resp = client.get(f"/api/v1/kinds/{kind_id}/template.xlsx")
    assert resp.status_code == 200 and resp.mimetype == XLSX
    sample = kind.sample()
    imported = imports.load(kind, "filled.xlsx", fill(resp.data, kind, sample))
    (model,) = imports.validate(kind, imported).values()
    assert model.model_dump(mode="json") == documents.validate(kind, sample).model_dump(mode="json")


@pytest.mark.parametrize("kind_id", [k.id for k in kinds.all_kinds()])
def test_every_english_template_filled_from_the_sample_gives_the_sample(client: FlaskClient, kind_id: str) -> None:
    kind = kinds.get(kind_id)
    resp = client.get(f"/api/v1/kinds/{kind_id}/template.xlsx?lang=en")
    assert resp.status_code == 200 and "template.xlsx" in resp.headers["Content-Disposition"]
    sample = kind.sample()
    imported = imports.load(kind, "filled.xlsx", fill(resp.data, kind, sample, "en"))
    (model,) = imports.validate(kind, imported).values()
    assert model.model_dump(mode="json") == documents.validate(kind, sample).model_dump(mode="json")


HAN = re.compile(r"[\u3400-\u9fff]")


@pytest.mark.parametrize("kind_id", [k.id for k in kinds.all_kinds()])
def test_english_template_has_no_chinese_but_the_examples(kind_id: str) -> None:
    kind = kinds.get(kind_id)
    book = load_workbook(io.BytesIO(template.workbook(kind, "en")))
    lays = columns.layouts(kind.model)
    assert book.sheetnames == [lay.translated("en").sheet for lay in lays] + ["Other fields", "Instructions"]
    words = [str(c.value) for ws in book.worksheets[:-1] for c in ws[1] if c.value]  # headers
    words += [str(r[1]) for r in book["Other fields"].iter_rows(min_row=2, values_only=True)]  # labels
    words += [str(c) for r in book["Instructions"].iter_rows(values_only=True) for c in r if c]
    assert words and not [w for w in words if HAN.search(w)]
    notes = "\n".join(words)
    assert kind.title_en in notes and ("Value" in notes) and ("CSV" in notes)


def test_english_headers_read_like_chinese_ones() -> None:
    chinese = imports.load(BALLOT, "c.csv", ballot_csv(*GOOD_ROWS), REST)
    english_csv = "\r\n".join(["Post,Seats,Name,note telling candidates of the same name apart",
                                *(r.replace("副主任", "Deputy director").replace("主任", "director")
                                  .replace("委员", "Member") for r in GOOD_ROWS)]).encode()
    english = imports.load(BALLOT, "c.csv", english_csv, REST)
    assert english.payloads == chinese.payloads


def test_an_english_error_names_the_english_column() -> None:
    voters = kinds.get("roster.voters")
    book = load_workbook(io.BytesIO(template.workbook(voters, "en")))
    ws = book["List"]
    header = [c.value for c in ws[1]]
    ws.cell(2, header.index("ID number") + 1).value = "330122195808207826"  # a wrong check digit
    ws.cell(2, header.index("Registration") + 1).value = "Elsewhere"
    buf = io.BytesIO()
    book.save(buf)
    with pytest.raises(InvalidContent) as caught:
        imports.validate(voters, imports.load(voters, "en.xlsx", buf.getvalue()))
    english = sorted(e.en for e in caught.value.errors)
    assert english[0].startswith("row 2, column “ID number”: ")
    assert english[1].startswith("row 2, column “Registration”: must be one of: Registered, resident / ")
    assert not HAN.search(english[1]), english


def test_a_chinese_header_is_named_in_english_too() -> None:
    rows = ("主任,1,周德明,", ",,林国栋,", "副主任,1,欧阳春华,", "委员,3,马国庆,", ",,张<建,", ",,李红梅,", ",,刘志强,")
    imported = imports.load(BALLOT, "候选人.csv", ballot_csv(*rows), REST)
    with pytest.raises(InvalidContent) as caught:
        imports.validate(BALLOT, imported)
    (err,) = caught.value.errors
    assert err.zh.startswith("第6行“姓名”列：") and err.en.startswith("row 6, column “Name (姓名)”: ")
    wrong = [r.replace("副主任", "书记") for r in GOOD_ROWS]
    with pytest.raises(InvalidContent) as caught:
        imports.validate(BALLOT, imports.load(BALLOT, "候选人.csv", ballot_csv(*wrong), REST))
    messages = [e.en for e in caught.value.errors]
    assert "row 4, column “Post (职务)”: must be one of: Director / Deputy director / Member" in messages, messages


@pytest.mark.parametrize("kind_id", GROUPED)
def test_grouped_upload_gives_the_same_document_as_json(client: FlaskClient, kind_id: str) -> None:
    kind = kinds.get(kind_id)
    sample = kind.sample()
    filled = fill(client.get(f"/api/v1/kinds/{kind_id}/template.xlsx").data, kind, sample)
    by_json = client.post(f"/api/v1/documents/{kind_id}?format=docx", json=sample)
    by_file = client.post(f"/api/v1/documents/{kind_id}?format=docx",
                          data={"file": (io.BytesIO(filled), "候选人.xlsx")}, content_type="multipart/form-data")
    assert by_json.status_code == by_file.status_code == 200, by_file.text
    assert by_file.headers["X-Content-SHA256"] == by_json.headers["X-Content-SHA256"]


def test_grouped_template_has_one_example_row_per_post() -> None:
    book = load_workbook(io.BytesIO(template.workbook(kinds.get("ballot.villagers-committee"))))
    rows = [[c or "" for c in r] for r in book["名单"].iter_rows(values_only=True) if any(r)]
    assert rows[:4] == [["职务", "应选名额", "姓名", "区分同名候选人的注记"], ["主任", "1", "周德明", ""],
                        ["副主任", "1", "欧阳春华", ""], ["委员", "3", "马国庆", ""]]
    notes = "\n".join(str(r[0]) for r in book["填写说明"].iter_rows(values_only=True) if r and r[0])
    assert "每行一名候选人" in notes and "CSV" in notes


BALLOT = kinds.get("ballot.villagers-committee")
REST = {k: v for k, v in BALLOT.sample().items() if k != "posts"}


def ballot_csv(*rows: str) -> bytes:
    """A candidate list as Chinese Windows Excel saves it."""
    return "\r\n".join(["职务,应选名额,姓名,备注", *rows]).encode("gb18030")


GOOD_ROWS = ("主任,1,周德明,", ",,林国栋,", "副主任,1,欧阳春华,", ",,王秀英,", "委员,3,马国庆,", "委员,,张建,",
             "委员,3,李红梅,", ",,刘志强,", ",,王芳,")


def test_csv_of_candidates_with_the_other_fields_from_the_form() -> None:
    imported = imports.load(BALLOT, "候选人.csv", ballot_csv(*GOOD_ROWS), REST)
    assert imported.rows[""]["/posts/2/candidates/1"] == 7
    (model,) = imports.validate(BALLOT, imported).values()
    assert model.model_dump() == documents.validate(BALLOT, BALLOT.sample()).model_dump()


def test_csv_without_the_other_fields_names_them() -> None:
    imported = imports.load(BALLOT, "候选人.csv", ballot_csv(*GOOD_ROWS))
    with pytest.raises(InvalidContent) as caught:
        imports.validate(BALLOT, imported)
    paths = {e.path for e in caught.value.errors}
    assert {"/election", "/election_id", "/place"} <= paths
    fields = columns.fields(BALLOT.model, skip=("posts",))
    assert imports.pointer_label(fields, "/election") == "选举名称"
    assert imports.pointer_label(fields, "/place/village") == "村（社区）名称"
    assert imports.pointer_label(fields, "/place") == "村（社区）名称"  # the missing object's required field


def test_errors_in_a_grouped_table_name_row_and_column() -> None:
    rows = ("主任,1,周德明,", ",,林国栋,", "副主任,1,欧阳春华,", "委员,3,马国庆,", ",,张<建,", ",,李红梅,", ",,刘志强,")
    imported = imports.load(BALLOT, "候选人.csv", ballot_csv(*rows), REST)
    with pytest.raises(InvalidContent) as caught:
        imports.validate(BALLOT, imported)
    (err,) = caught.value.errors
    assert err.path == "/posts/2/candidates/1/name" and err.zh.startswith("第6行“姓名”列：")
    # with the name fixed, 副主任 has one candidate for one seat: the post's first row and key column
    imported = imports.load(BALLOT, "候选人.csv", ballot_csv(*(r.replace("<", "") for r in rows)), REST)
    with pytest.raises(InvalidContent) as caught:
        imports.validate(BALLOT, imported)
    (err,) = caught.value.errors
    assert err.path == "/posts/1/candidates" and err.zh.startswith("第4行“职务”列：")


def test_a_group_with_two_seat_counts_is_an_error() -> None:
    with pytest.raises(InvalidContent) as caught:
        imports.load(BALLOT, "候选人.csv", ballot_csv("委员,3,马国庆,", "委员,4,张建,"), REST)
    (err,) = caught.value.errors
    assert err.code == "group_mismatch" and err.zh.startswith("第3行“应选名额”列：")


def test_the_first_row_needs_its_key() -> None:
    with pytest.raises(InvalidContent) as caught:
        imports.load(BALLOT, "候选人.csv", ballot_csv(",1,马国庆,"), REST)
    assert caught.value.errors[0].zh == "第2行：“职务”列不能为空"


def test_a_post_may_be_written_as_its_value() -> None:
    imported = imports.load(BALLOT, "c.csv", ballot_csv("director,1,周德明,", ",,林国栋,"), REST)
    assert imported.payloads[""]["posts"][0]["post"] == "director"


def test_villages_split_grouped_tables_too() -> None:
    data = "\r\n".join(["村,职务,应选名额,姓名", "柳溪村,主任,1,周德明", "石桥村,主任,1,林国栋", "柳溪村,,,王芳"])
    imported = imports.load(BALLOT, "c.csv", data.encode(), REST)
    assert [c["name"] for c in imported.payloads["柳溪村"]["posts"][0]["candidates"]] == ["周德明", "王芳"]
    assert imported.payloads["石桥村"]["place"]["village"] == "石桥村"


def test_a_count_from_a_csv_of_the_combined_ballot() -> None:
    tally = kinds.get("table.tally")
    sample = tally.sample()
    people = sample["count"]["combined"]["people"]
    rest = json.loads(json.dumps(sample))
    del rest["count"]["combined"]["people"]
    lines = ["姓名,公民身份号码,是否另选人,主任得票,副主任得票,委员得票"]
    lines += [",".join([p["name"], p.get("id_number", ""), "是" if p.get("write_in") else "",
                        *(str(p.get(k, "")) for k in ("director", "deputy_director", "member"))]) for p in people]
    imported = imports.load(tally, "计票.csv", "\r\n".join(lines).encode("gb18030"), rest)
    (model,) = imports.validate(tally, imported).values()
    assert model.model_dump() == documents.validate(tally, sample).model_dump()
    assert imported.row_column("", "/count/combined/people/1/member") == (3, "委员得票")


def test_a_csv_that_fits_no_table_says_so() -> None:
    with pytest.raises(BadRequest) as caught:
        imports.load(kinds.get("table.tally"), "t.csv", "姓名,血型\r\n周德明,A\r\n".encode())
    assert caught.value.errors[0].code == "unknown_table"
    assert "“职务和候选人”、“合并选票得票”、“此前已当选”" in caught.value.zh


def test_lists_of_texts_are_lines_in_a_cell() -> None:
    staff = kinds.get("roster.staff")
    f = {f.path: f for f in columns.fields(staff.model, lists=True)}["stations"]
    assert f.shape == "lines"
    assert f.parse("中心会场\n第一投票站\n") == ["中心会场", "第一投票站"]
    assert f.parse(json.dumps(["甲"], ensure_ascii=False)) == ["甲"]
    assert f.text(["中心会场", "第一投票站"]) == "中心会场\n第一投票站"


def test_a_broken_json_cell_names_row_and_column() -> None:
    kind = kinds.get("plan.implementation")
    with pytest.raises(InvalidContent) as caught:
        imports.load(kind, "t.csv", "类型,表头,表格各行\r\n表格,甲,\"[[\"\"乙\"\"\"\r\n".encode())
    (err,) = caught.value.errors
    assert err.zh.startswith("第2行“表格各行”列：不是有效的 JSON"), err.zh


def test_team_members_name_their_list() -> None:
    kind = kinds.get("table.team-structure")
    rows = ["村（社区）名称,名单,姓名,职务", "柳溪村,本届村民委员会,韩涛然,主任", ",,郭燕洋,副主任",
            ",本届村党组织委员会,韩涛然,书记", "石桥村,本届村民委员会,黄轩,主任", "柳溪村,上届村民委员会,周德明,主任"]
    imported = imports.load(kind, "t.csv", "\r\n".join(rows).encode("gb18030"))
    villages = imported.payloads[""]["villages"]
    assert [v["village"] for v in villages] == ["柳溪村", "石桥村"]
    assert [m["name"] for m in villages[0]["current"]["villagers_committee"]] == ["韩涛然", "郭燕洋"]
    assert villages[0]["current"]["party_committee"] == [{"name": "韩涛然", "post": "secretary"}]
    assert villages[0]["previous"]["villagers_committee"][0]["name"] == "周德明"
    assert "previous" not in villages[1]
    assert imported.row_column("", "/villages/0/current/villagers_committee/1/post") == (3, "职务")
    with pytest.raises(InvalidContent) as caught:
        imports.load(kind, "t.csv", "\r\n".join([rows[0], "柳溪村,村委会,韩涛然,主任"]).encode())
    assert caught.value.errors[0].zh.startswith("第2行“名单”列：只能填：本届村党组织委员会 / 本届村民委员会")


def test_merged_post_cells_and_a_wrong_post_in_xlsx() -> None:
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.append(["职务", "应选名额", "姓名"])
    for row in (["主任", 1, "周德明"], [None, None, "林国栋"], ["副主任", 1, "欧阳春华"], [None, None, "王秀英"],
                ["委员", 3, "马国庆"], [None, None, "张建"], [None, None, "李红梅"], [None, None, "刘志强"]):
        ws.append(row)
    ws.merge_cells("A2:A3")  # the way clerks lay out a post and its candidates
    ws.merge_cells("B2:B3")
    ws.merge_cells("A6:A9")
    ws.merge_cells("B6:B9")
    buf = io.BytesIO()
    book.save(buf)
    (model,) = imports.validate(BALLOT, imports.load(BALLOT, "c.xlsx", buf.getvalue(), REST)).values()
    assert [len(p.candidates) for p in model.posts] == [2, 2, 4]  # type: ignore[attr-defined]
    ws["A4"] = "副主人"
    buf = io.BytesIO()
    book.save(buf)
    with pytest.raises(InvalidContent) as caught:
        imports.validate(BALLOT, imports.load(BALLOT, "c.xlsx", buf.getvalue(), REST))
    (err,) = caught.value.errors
    assert err.zh == "第4行“职务”列：只能填：主任 / 副主任 / 委员"
