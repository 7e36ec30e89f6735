"""The county spreadsheet of a batch: CSV in every encoding the import takes and XLSX, read into villages."""

from __future__ import annotations

import importlib.util
import io
import tempfile
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from openpyxl import Workbook, load_workbook

from service import fake
from service.batches.county import MAX_LISTED_ERRORS, read_county
from service.domain import idcard
from service.errors import BadRequest, InvalidContent, PayloadTooLarge

ROOT = Path(__file__).resolve().parents[1]
ID1 = idcard.make("33012219800501001")  # male
ID2 = idcard.make("33012219850312002")  # female
ID3 = idcard.make("11010519491231002")  # ends in X
BAD_ID = ID1[:17] + ("0" if ID1[17] != "0" else "1")

HEADER = ["乡镇", "村", "姓名", "公民身份号码", "村民小组", "登记类别", "备注"]
ROWS = [
    ["青山镇", "石桥村", "王建国", ID1, "第一村民小组", "户籍在本村并居住", ""],
    ["白云乡", "东湾村", "李秀英", ID2, "第二村民小组", "户籍在本村不居住", "外出务工"],
    ["青山镇", "石桥村", "欧阳堃", ID3.lower(), "第一村民小组", "", ""],
    ["", "", "", "", "", "", ""],  # a blank line in the middle is skipped
    ["青山镇", "柳溪村", "𠮷田", ID1, "", "非户籍居住一年以上", ""],  # a character outside the BMP (GB18030 4-byte)
]


def csv_bytes(header: list[str], rows: list[list[str]], encoding: str = "gb18030") -> bytes:
    """A CSV as Excel writes it, in ``encoding``."""
    lines = [",".join(header)] + [",".join(r) for r in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(rows: list[list[Any]], write_only: bool = False) -> bytes:
    """An XLSX with one sheet, as openpyxl writes it (text as inline strings, in both modes)."""
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet("名单") if write_only else book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def places(villages: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(v["township"], v["village"]) for v in villages]


def test_gb18030_county_file_gives_villages_sorted_with_voters_in_file_order() -> None:
    data = csv_bytes(HEADER, ROWS)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # really GB18030, not UTF-8 by accident
    villages = read_county("县选民名单.csv", data)
    assert places(villages) == sorted([("青山镇", "石桥村"), ("白云乡", "东湾村"), ("青山镇", "柳溪村")])
    by_place = {(v["township"], v["village"]): v for v in villages}
    stone = by_place["青山镇", "石桥村"]
    assert stone["place"] == {"township": "青山镇", "village": "石桥村"}
    assert [v["name"] for v in stone["voters"]] == ["王建国", "欧阳堃"]
    assert stone["voters"][0] == {"name": "王建国", "id_number": ID1, "group": "第一村民小组", "category": "resident"}
    assert stone["voters"][1]["id_number"] == ID3  # a lower-case x is normalized
    assert by_place["白云乡", "东湾村"]["voters"][0]["category"] == "registered_away"
    assert by_place["白云乡", "东湾村"]["voters"][0]["note"] == "外出务工"
    assert by_place["青山镇", "柳溪村"]["voters"] == [
        {"name": "𠮷田", "id_number": ID1, "category": "non_registered"}
    ]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_other_encodings_read_the_same(encoding: str) -> None:
    rows = [r for r in ROWS if "𠮷" not in r[2]]  # GBK has no 𠮷
    assert read_county("c.csv", csv_bytes(HEADER, rows, encoding)) == read_county("c.csv", csv_bytes(HEADER, rows))


def test_header_variants_and_a_title_line_above_the_header() -> None:
    header = ["序号", "街道", "村（社区）", "名字", "身份证号", "组别", "类别", "性别", "出生日期", "说明"]
    rows = [["1", "城关街道", "南门社区", "张三", ID1, "一组", "resident", "男", "1980/5/1", ""]]
    data = csv_bytes(["城关街道选民登记名单"], [[], header, *rows], "utf-8-sig")
    (village,) = read_county("c.csv", data)
    assert village["place"] == {"township": "城关街道", "village": "南门社区"}
    assert village["voters"] == [{"name": "张三", "id_number": ID1, "group": "一组", "category": "resident",
                                  "sex": "male", "birth": "1980-05-01"}]
    variants = [("镇", "村名"), ("乡", "社区"), ("乡镇（街道）", "村(社区)"), ("乡（镇、街道）", "村")]
    for township, village_head in variants:
        (got,) = read_county("c.csv", csv_bytes([township, village_head, "姓名"], [["甲镇", "乙村", "王五"]]))
        assert got["place"] == {"township": "甲镇", "village": "乙村"}


def test_xlsx_from_openpyxl_reads_like_the_csv() -> None:
    rows: list[list[Any]] = [HEADER, *ROWS]
    expected = read_county("c.csv", csv_bytes(HEADER, ROWS))
    assert read_county("c.xlsx", xlsx_bytes(rows)) == expected
    assert read_county("c.xlsx", xlsx_bytes(rows, write_only=True)) == expected


def test_xlsx_dates_numbers_and_skipped_cells() -> None:
    rows: list[list[Any]] = [
        ["乡镇", "村", "姓名", "出生日期", "村民小组", "备注"],
        ["青山镇", "石桥村", "王建国", date(1980, 5, 1), 3, None],
        ["青山镇", "石桥村", "李四", None, 2.5, "  有空格  "],
    ]
    (village,) = read_county("c.xlsx", xlsx_bytes(rows))
    assert village["voters"] == [
        {"name": "王建国", "birth": "1980-05-01", "group": "3"},
        {"name": "李四", "group": "2.5", "note": "有空格"},
    ]


def test_bad_cells_name_their_row_and_column() -> None:
    rows = [r[:] for r in ROWS]
    rows[1][3] = BAD_ID  # row 3 of the file
    rows[4][5] = "常住"  # row 6: no such category
    rows[2][2] = ""  # row 4: no name
    with pytest.raises(InvalidContent) as caught:
        read_county("c.csv", csv_bytes(HEADER, rows))
    problem = caught.value.problem("zh")
    assert problem["error_count"] == 3
    assert [(e["path"], e["code"]) for e in problem["errors"]] == [
        ("/file/3/4", "id_check_digit"), ("/file/4/3", "required"), ("/file/6/6", "category")
    ]
    assert problem["errors"][0]["message"] == "第3行“公民身份号码”列：公民身份号码校验码不正确"
    assert caught.value.problem("en")["errors"][0]["message"] == (
        "row 3, column “公民身份号码”: the ID number's check digit is wrong"
    )


def test_every_bad_row_is_counted_but_the_list_is_capped() -> None:
    rows = [["青山镇", "石桥村", f"选民{i}", BAD_ID, "", "", ""] for i in range(MAX_LISTED_ERRORS + 50)]
    with pytest.raises(InvalidContent) as caught:
        read_county("c.csv", csv_bytes(HEADER, rows))
    problem = caught.value.problem("zh")
    assert problem["error_count"] == MAX_LISTED_ERRORS + 50
    assert len(problem["errors"]) == MAX_LISTED_ERRORS
    assert problem["errors"][-1]["path"] == f"/file/{MAX_LISTED_ERRORS + 1}/4"
    assert f"列出前{MAX_LISTED_ERRORS}处" in problem["detail"]


def test_a_row_without_its_township_or_village_is_an_error() -> None:
    with pytest.raises(InvalidContent) as caught:
        read_county("c.csv", csv_bytes(HEADER, [["青山镇", "", "王五", "", "", "", ""]]))
    assert [e.path for e in caught.value.errors] == ["/file/2/2"]


@pytest.mark.parametrize("data", [b"", b"  \r\n", "乡镇,村,姓名\r\n".encode("gb18030")])
def test_empty_file(data: bytes) -> None:
    with pytest.raises(BadRequest) as caught:
        read_county("c.csv", data)
    assert caught.value.errors[0].code == "empty"


@pytest.mark.parametrize(
    ("header", "missing"),
    [
        (["村", "姓名"], "乡镇"), (["乡镇", "姓名"], "村"), (["姓名", "身份证号"], "乡镇”“村"),
        (["乡镇", "村", "备注"], "姓名"),
    ],
)
def test_missing_township_village_or_name_column(header: list[str], missing: str) -> None:
    with pytest.raises(InvalidContent) as caught:
        read_county("c.csv", csv_bytes(header, [["x"] * len(header)]))
    assert caught.value.errors[0].code == "missing_column"
    assert f"找不到“{missing}”列" in caught.value.zh


def test_unknown_and_repeated_columns() -> None:
    with pytest.raises(InvalidContent) as caught:
        read_county("c.csv", csv_bytes(["乡镇", "村", "姓名", "电话", "名字"], [["a", "b", "c", "d", "e"]]))
    assert [(e.path, e.code) for e in caught.value.errors] == [
        ("/file/1/4", "unknown_column"), ("/file/1/5", "duplicate_column")
    ]


def test_row_limits_from_the_arguments_and_from_settings(app: Flask) -> None:
    rows = [["青山镇", f"村{i % 3}", v["name"], v["id_number"], "", "", ""] for i, v in enumerate(fake.voters(30))]
    data = csv_bytes(HEADER, rows)
    assert sum(len(v["voters"]) for v in read_county("c.csv", data)) == 30
    with pytest.raises(PayloadTooLarge) as caught:
        read_county("c.csv", data, max_rows=29)
    assert caught.value.errors[0].path == "/file/31"
    with pytest.raises(PayloadTooLarge) as caught:
        read_county("c.csv", data, max_village_rows=9)
    assert "超过每村9行" in caught.value.zh
    app.config["COUNTY_MAX_ROWS"] = 20
    with app.app_context(), pytest.raises(PayloadTooLarge):
        read_county("c.csv", data)


def bench_county() -> Any:
    """bench/county.py, the invented county's generator (its XLSX keeps text in a shared string table, as Excel
    does; openpyxl writes inline strings)."""
    spec = importlib.util.spec_from_file_location("bench_county", ROOT / "bench" / "county.py")
    assert spec is not None and spec.loader is not None
    county = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(county)
    return county


def _without_shared_strings() -> bytes:
    """A workbook whose cells point into a shared string table that has been emptied."""
    with tempfile.TemporaryDirectory() as tmp:
        path = bench_county().write_xlsx(Path(tmp, "c.xlsx"), 1, 5)
        source = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as book:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/sharedStrings.xml":
                data = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>'
            book.writestr(item, data)
    return out.getvalue()


@pytest.mark.parametrize(
    "data",
    [b"PK\x03\x04 not really a zip", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", _without_shared_strings()],
    ids=["not-a-zip", "encrypted", "broken-shared-strings"],
)
def test_damaged_or_encrypted_xlsx(data: bytes) -> None:
    with pytest.raises(BadRequest) as caught:
        read_county("c.xlsx", data)
    assert caught.value.errors[0].code in {"broken_xlsx", "encrypted"}


def test_the_bench_county_reads_back_the_same_from_csv_and_xlsx(tmp_path: Path) -> None:
    county = bench_county()
    csv_file = county.write_csv(tmp_path / "county.csv", 4, 300)
    xlsx_file = county.write_xlsx(tmp_path / "county.xlsx", 4, 300)
    from_csv = read_county("county.csv", csv_file.read_bytes())
    assert len(from_csv) == 4 and sum(len(v["voters"]) for v in from_csv) == 300  # every ID's check digit is right
    assert read_county("county.xlsx", xlsx_file.read_bytes()) == from_csv
    book = load_workbook(xlsx_file, read_only=True)  # the hand-written workbook opens in openpyxl
    try:
        assert next(book.worksheets[0].iter_rows(values_only=True)) == county.HEADER
    finally:
        book.close()  # read-only mode keeps the file open: left to the collector, it warns in a later test


def test_a_malformed_csv_is_a_bad_request() -> None:
    huge = "乡镇,村,姓名\r\n\"" + "x" * 200_000 + "\",b,c\r\n"  # one field over the csv module's limit
    with pytest.raises(BadRequest) as caught:
        read_county("c.csv", huge.encode())
    assert caught.value.errors[0].code == "broken_csv"
