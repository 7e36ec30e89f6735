"""Hostile uploads: each is a 4xx problem with a clear Chinese and English message, nothing is unpacked or
expanded beyond its limit, and the service is healthy afterwards."""

from __future__ import annotations

import io
import re
import resource
import time
import zipfile
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from corpus import FULL
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from service import kinds
from service.imports import template

KIND = "roster.voters"
CJK = re.compile(r"[\u4e00-\u9fff]")
GOOD_ID = "330122195808207825"


def workbook() -> bytes:
    """The kind's own Excel template: a genuine XLSX to make hostile variants of."""
    return template.workbook(kinds.get(KIND))


def with_part(name: str, content: bytes, source: bytes | None = None) -> bytes:
    """A copy of an XLSX with one part replaced (or added)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(source or workbook())) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            if info.filename != name:
                dst.writestr(info, src.read(info))
        dst.writestr(name, content)
    return out.getvalue()


def zip_bomb(unpacked_mb: int) -> bytes:
    """A few hundred KB that unpack to ``unpacked_mb`` MB, in the shape of an XLSX."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            chunk = b"<row>" + b"0" * (1024 * 1024 - 5)
            for _ in range(unpacked_mb):
                part.write(chunk)
    return out.getvalue()


SHEET = (
    '<?xml version="1.0" encoding="UTF-8"?>\n{dtd}'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    '<row r="1"><c r="A1" t="inlineStr"><is><t>{text}</t></is></c></row></sheetData></worksheet>'
)
LAUGHS = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
BILLION_LAUGHS = SHEET.format(dtd=f'<!DOCTYPE lolz [<!ENTITY l0 "lol">{LAUGHS}]>', text="&l9;")
XXE = SHEET.format(dtd='<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>', text="&e;")
XXE_PARAMETER = SHEET.format(dtd='<!DOCTYPE x [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x.dtd"> %p;]>', text="x")
LOWER_DOCTYPE = SHEET.format(dtd='<!doctype x [<!entity e "boom">]>', text="&e;")


def claimed_sheet(rows: str) -> bytes:
    """A sheet that claims the largest size Excel allows (A1:XFD1048576) around a few real cells."""
    return with_part(
        "xl/worksheets/sheet1.xml",
        SHEET.replace("<sheetData>", '<dimension ref="A1:XFD1048576"/><sheetData>')
        .format(dtd="", text="姓名")
        .replace("</sheetData>", rows + "</sheetData>")
        .encode(),
    )


def million_rows() -> Iterator[bytes]:
    """A CSV of a million rows, made as it is read."""
    yield "姓名,公民身份号码\n".encode()
    for i in range(1_000_000):
        yield f"村民{i},{GOOD_ID}\n".encode()


HOSTILE: dict[str, tuple[str, Callable[[], bytes], int, str]] = {
    # name: (file name, the bytes, status, code of the field error)
    "zip bomb as .xlsx": ("名单.xlsx", lambda: zip_bomb(600 if FULL else 80), 413, "unpacked_too_large"),
    "billion laughs in an xlsx": (
        "名单.xlsx",
        lambda: with_part("xl/worksheets/sheet1.xml", BILLION_LAUGHS.encode()),
        400,
        "xml_dtd",
    ),
    "XXE in an xlsx": ("名单.xlsx", lambda: with_part("xl/worksheets/sheet1.xml", XXE.encode()), 400, "xml_dtd"),
    "XXE parameter entity": ("名单.xlsx", lambda: with_part("xl/workbook.xml", XXE_PARAMETER.encode()), 400, "xml_dtd"),
    "lower-case doctype": ("名单.xlsx", lambda: with_part("xl/styles.xml", LOWER_DOCTYPE.encode()), 400, "xml_dtd"),
    "UTF-16 doctype": (
        "名单.xlsx",
        lambda: with_part("xl/worksheets/sheet1.xml", XXE.encode("utf-16")),
        400,
        "xml_dtd",
    ),
    "truncated xlsx": ("名单.xlsx", lambda: workbook()[: len(workbook()) // 2], 400, "broken_xlsx"),
    "xlsx with a broken part": (
        "名单.xlsx",
        lambda: with_part("xl/workbook.xml", b"<workbook><sheets"),
        400,
        "broken_xlsx",
    ),
    "xlsx without its parts": ("名单.xlsx", lambda: with_part("x.txt", b"x", zip_bomb(0)), 400, "broken_xlsx"),
    "password-protected (OLE) xlsx": (
        "名单.xlsx",
        lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096,
        400,
        "encrypted",
    ),
    "sparse sheet, row 1,048,576": (
        "名单.xlsx",
        lambda: claimed_sheet('<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'),
        413,
        "too_many_rows",
    ),
    "16,384 columns": (
        "名单.xlsx",
        lambda: claimed_sheet('<row r="2"><c r="XFD2" t="inlineStr"><is><t>x</t></is></c></row>'),
        400,
        "too_many_columns",
    ),
    "a million rows": ("名单.csv", lambda: b"".join(million_rows())[: 15 * 1024 * 1024], 413, "too_many_rows"),
    "invalid encoding": ("名单.csv", lambda: b"\xff\xfe\xfd\x80\x81" * 2000, 400, "encoding"),
    "NUL bytes in a csv": ("名单.csv", lambda: f"姓名,公民身份号码\n张\0三,{GOOD_ID}\n".encode(), 400, "binary"),
    "UTF-16 csv": ("名单.csv", lambda: f"姓名,公民身份号码\n张三,{GOOD_ID}\n".encode("utf-16"), 400, "binary"),
    "huge cell": ("名单.csv", lambda: f"姓名,公民身份号码\n{'张' * 20_000},{GOOD_ID}\n".encode(), 400, "cell_too_long"),
    "huge csv field": (
        "名单.csv",
        lambda: f'姓名,公民身份号码\n"{"张" * 200_000}",{GOOD_ID}\n'.encode(),
        400,
        "broken_csv",
    ),
    "huge xlsx cell": (
        "名单.xlsx",
        lambda: with_part("xl/worksheets/sheet1.xml", SHEET.format(dtd="", text="张" * 20_000).encode()),
        400,
        "cell_too_long",
    ),
    "png named .xlsx": ("名单.xlsx", lambda: b"\x89PNG\r\n\x1a\n" + b"\0" * 2000, 400, "broken_xlsx"),
    "zip named .csv": ("名单.csv", lambda: with_part("a.txt", b"hello", zip_bomb(0)), 400, "broken_xlsx"),
    "pdf named .csv": (
        "名单.csv",
        lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nstream\n\0\x01\x02",
        400,
        "binary",
    ),
    "deeply nested json": ("名单.json", lambda: b"[" * 200_000 + b"]" * 200_000, 400, "broken_json"),
    "empty": ("名单.csv", lambda: b"", 400, "empty"),
}
FORM = (
    '{"place": {"village": "柳溪村"}, "term": 12, "signature": {"body": "柳溪村村民选举委员会", "date": "2026-11-21"}}'
)


def upload(
    client: FlaskClient, name: str, data: bytes, lang: str = "zh", kind_id: str = KIND, form: str | None = FORM
) -> tuple[int, dict[str, Any], str]:
    """POST a multipart upload; the body is built in memory (the test client would leave a temp file open)."""
    fields: dict[str, Any] = {"file": FileStorage(io.BytesIO(data), name)}
    if form:
        fields["data"] = form
    boundary, body = encode_multipart(fields)
    resp = client.post(
        f"/api/v1/documents/{kind_id}?format=docx&lang={lang}",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    return resp.status_code, resp.get_json(silent=True) or {}, resp.mimetype


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_file_is_a_clear_4xx(client: FlaskClient, case: str) -> None:
    name, make, status, code = HOSTILE[case]
    data = make()
    started = time.monotonic()
    got, problem, mimetype = upload(client, name, data)
    assert time.monotonic() - started < 30  # refused early, not after unpacking or expanding it
    assert (got, mimetype) == (status, "application/problem+json"), (got, problem)
    assert code in [e["code"] for e in problem.get("errors", [])], problem
    assert CJK.search(str(problem["detail"])), problem
    got, problem, _ = upload(client, name, data, lang="en")
    assert got == status and not CJK.search(str(problem["detail"])), problem


def test_service_is_healthy_and_small_after_the_corpus(client: FlaskClient) -> None:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for name, make, status, _ in HOSTILE.values():
        assert upload(client, name, make())[0] == status
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 300, f"peak memory grew by {grown_mb:.0f} MB"  # the bomb alone would be 600+
    assert client.get("/healthz").status_code == 200


def test_row_limit_applies_to_an_xlsx(app: Flask, client: FlaskClient) -> None:
    app.config["MAX_ROWS"] = 100
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["姓名", "公民身份号码"])
    for i in range(150):
        sheet.append([f"村民{i}", GOOD_ID])
    buf = io.BytesIO()
    book.save(buf)
    status, problem, _ = upload(client, "名单.xlsx", buf.getvalue())
    assert status == 413 and "100" in str(problem["detail"])


@pytest.mark.parametrize("kind_id", [k.id for k in kinds.all_kinds() if k.family == "roster"][:: 1 if FULL else 2])
def test_the_kinds_own_template_still_round_trips(client: FlaskClient, kind_id: str) -> None:
    """The checks refuse nothing a real workbook holds: the template, downloaded and uploaded back, is read."""
    book = client.get(f"/api/v1/kinds/{kind_id}/template.xlsx")
    assert book.status_code == 200
    with zipfile.ZipFile(io.BytesIO(book.data)) as z:
        assert all(b"<!DOCTYPE" not in z.read(n) for n in z.namelist())
    status, problem, _ = upload(client, f"{kind_id}.xlsx", book.data, kind_id=kind_id, form=None)
    # the file passed every file check; one example row cannot always satisfy a kind's rules (three
    # scrutineers per station in roster.staff), and those are ordinary field errors, not file refusals
    assert status == 200 or (status == 422 and not any(e["path"].startswith("/file") for e in problem["errors"]))
