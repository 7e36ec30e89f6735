"""Uploads: CSV encodings, header variants, names outside GBK, ID checks by row and column, bad files."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from service import imports, kinds
from service.errors import BadRequest, InvalidContent, PayloadTooLarge
from service.imports import columns, template

VOTERS = kinds.get("roster.voters")
GOOD_ID = "330122195808207825"
BAD_ID = "330122195808207826"  # check digit off by one
BASE: dict[str, Any] = {
    "place": {"village": "柳溪村"},
    "term": 12,
    "signature": {"body": "柳溪村村民选举委员会", "date": "2026-11-21"},
}


def csv_bytes(rows: list[list[str]], encoding: str) -> bytes:
    """Rows as CSV in an encoding, the way Excel writes them (CRLF)."""
    return "\r\n".join(",".join(r) for r in rows).encode(encoding)


ROWS = [
    ["姓名", "公民身份号码", "村民小组"],
    ["汪兰萱", GOOD_ID, "第一村民小组"],
    ["龚爱", "330122198108208388", "第二村民小组"],
]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_csv_encodings_are_detected(encoding: str) -> None:
    imported = imports.load(VOTERS, "voters.csv", csv_bytes(ROWS, encoding), BASE)
    (payload,) = imported.payloads.values()
    assert [v["name"] for v in payload["voters"]] == ["汪兰萱", "龚爱"]
    assert payload["voters"][1]["group"] == "第二村民小组"
    assert payload["place"]["village"] == "柳溪村"
    model = imports.validate(VOTERS, imported)[""]
    assert model.voters[0].sex == "female"  # type: ignore[attr-defined]


def test_decode_prefers_utf8_then_gb18030() -> None:
    assert imports.decode_text("\ufeff姓名".encode()) == "姓名"
    assert imports.decode_text("姓名".encode("gb18030")) == "姓名"


@pytest.mark.parametrize(
    ("name_header", "id_header"),
    [("姓名", "身份证号"), ("名字", "公民身份号码"), (" 姓 名 ", "身份证号码"), ("姓名*", "公民身份证号码")],
)
def test_header_variants(name_header: str, id_header: str) -> None:
    data = csv_bytes([[name_header, id_header], ["赵文", "330122195212137619"]], "utf-8")
    payload = imports.load(VOTERS, "v.csv", data, BASE).payloads[""]
    assert payload["voters"] == [{"name": "赵文", "id_number": "330122195212137619"}]


def test_category_accepts_the_chinese_label() -> None:
    data = csv_bytes([["姓名", "登记类别"], ["赵文", "非户籍居住一年以上"]], "utf-8")
    payload = imports.load(VOTERS, "v.csv", data, BASE).payloads[""]
    assert payload["voters"][0]["category"] == "non_registered"


def test_name_outside_gbk_survives_gb18030() -> None:
    name = "刘䶮"  # U+4DAE, CJK extension A: in GB18030 (four bytes), not in GBK
    with pytest.raises(UnicodeEncodeError):
        name.encode("gbk")
    data = csv_bytes([["姓名", "身份证号"], [name, GOOD_ID]], "gb18030")
    model = imports.validate(VOTERS, imports.load(VOTERS, "v.csv", data, BASE))[""]
    assert model.voters[0].name == name  # type: ignore[attr-defined]


def test_bad_id_names_row_and_column() -> None:
    data = csv_bytes([["姓名", "身份证号"], ["赵文", "330122195212137619"], ["汪兰萱", BAD_ID]], "gb18030")
    imported = imports.load(VOTERS, "v.csv", data, BASE)
    with pytest.raises(InvalidContent) as caught:
        imports.validate(VOTERS, imported)
    (err,) = caught.value.errors
    assert err.path == "/voters/1/id_number"
    assert err.zh == "第3行“身份证号”列：公民身份号码校验码不正确"
    assert err.en.startswith("row 3, column “ID number (身份证号)”: ")
    assert imports.row_column(imported, "", err.path) == (3, "身份证号")


def test_unknown_column_is_an_error() -> None:
    with pytest.raises(InvalidContent) as caught:
        imports.load(VOTERS, "v.csv", csv_bytes([["姓名", "血型"], ["赵文", "A"]], "utf-8"), BASE)
    assert "血型" in caught.value.errors[0].zh


def test_villages_split_into_one_payload_each() -> None:
    data = csv_bytes(
        [["村", "姓名", "身份证号"], ["柳溪村", "赵文", "330122195212137619"], ["石桥村", "汪兰萱", GOOD_ID],
         ["柳溪村", "龚爱", "330122198108208388"]],
        "utf-8",
    )
    imported = imports.load(VOTERS, "v.csv", data, BASE)
    assert list(imported.payloads) == ["柳溪村", "石桥村"]
    assert imported.payloads["石桥村"]["place"]["village"] == "石桥村"
    assert [v["name"] for v in imported.payloads["柳溪村"]["voters"]] == ["赵文", "龚爱"]
    assert imported.rows["柳溪村"] == {"/voters/0": 2, "/voters/1": 4}


@pytest.mark.parametrize("data", [b"", b"   \r\n"])
def test_empty_file(data: bytes) -> None:
    with pytest.raises(BadRequest) as caught:
        imports.load(VOTERS, "v.csv", data, BASE)
    assert caught.value.errors[0].code == "empty"
    assert "空" in caught.value.zh


def test_header_only_file() -> None:
    with pytest.raises(BadRequest, match="header but no rows"):
        imports.load(VOTERS, "v.csv", "姓名,身份证号\r\n".encode(), BASE)


def test_broken_xlsx() -> None:
    with pytest.raises(BadRequest) as caught:
        imports.load(VOTERS, "v.xlsx", b"PK\x03\x04 this is not really a zip", BASE)
    assert caught.value.errors[0].code == "broken_xlsx"
    assert "损坏" in caught.value.zh


def test_password_protected_xlsx() -> None:
    # Excel saves a password-protected workbook as an OLE compound file (CFB), not as a ZIP.
    data = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504)
    with pytest.raises(BadRequest) as caught:
        imports.load(VOTERS, "v.xlsx", data, BASE)
    assert caught.value.errors[0].code == "encrypted"
    assert "密码" in caught.value.zh


def test_oversized_file() -> None:
    with pytest.raises(PayloadTooLarge) as caught:
        imports.load(VOTERS, "v.csv", b"x" * 2048, BASE, max_bytes=1024)
    assert caught.value.status == 413


def test_json_upload_is_the_payload() -> None:
    sample = VOTERS.sample()
    imported = imports.load(VOTERS, "v.json", json.dumps(sample, ensure_ascii=False).encode())
    assert imported.payloads[""] == sample


def test_table_field_of_each_roster() -> None:
    assert columns.table_field(VOTERS.model) == "voters"
    assert columns.table_field(kinds.get("roster.staff").model) == "staff"
    assert columns.table_field(kinds.get("announcement.results").model) is None


def test_template_round_trips() -> None:
    data = template.workbook(VOTERS)
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["名单", "其他信息", "填写说明"]
    header = [c.value for c in book["名单"][1]]
    assert header[:3] == ["姓名", "性别", "出生日期（只印年月）"] and "公民身份号码" in header
    assert book["名单"].cell(2, header.index("公民身份号码") + 1).value == VOTERS.sample()["voters"][0]["id_number"]
    fields = {r[0].value: r[2].value for r in book["其他信息"].iter_rows(min_row=2)}
    assert fields["place.village"] == "柳溪村"
    model = imports.validate(VOTERS, imports.load(VOTERS, "t.xlsx", data))[""]
    assert model.place.village == "柳溪村"  # type: ignore[attr-defined]
    assert len(model.voters) == 1  # type: ignore[attr-defined]


def test_xlsx_upload_with_edits() -> None:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "名单"
    ws.append(["序号", "姓名", "身份证号码"])
    ws.append([1, "赵文", "330122195212137619"])
    ws.append([2, "汪兰萱", BAD_ID])
    buf = io.BytesIO()
    book.save(buf)
    with pytest.raises(InvalidContent) as caught:
        imports.validate(VOTERS, imports.load(VOTERS, "v.xlsx", buf.getvalue(), BASE))
    assert [e.zh for e in caught.value.errors] == ["第3行“身份证号码”列：公民身份号码校验码不正确"]
