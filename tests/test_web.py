"""The staff web app: accounts, sessions, CSRF, roles, the upload API, templates and per-village ZIPs."""

from __future__ import annotations

import io
import json
import re
import zipfile
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook

from service import accounts, cli

GOOD_ID = "330122195808207825"
BAD_ID = "330122195808207826"
FORM = {
    "place.village": "柳溪村",
    "term": "12",
    "signature.body": "柳溪村村民选举委员会",
    "signature.date": "2026-11-21",
}


def token(page: str) -> str:
    """The CSRF token of a page's form."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, page
    return found.group(1)


def login(client: FlaskClient, username: str, password: str) -> Any:
    """Log in through the form."""
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": token(client.get("/login").text)})


@pytest.fixture
def admin(app: Flask) -> int:
    """An admin account."""
    return accounts.create(app.extensions["db"], "zhang", "secret-pass-1", "admin")


@pytest.fixture
def clerk(app: Flask) -> int:
    """A clerk account."""
    return accounts.create(app.extensions["db"], "li", "secret-pass-2", "clerk")


def test_pages_need_login(client: FlaskClient) -> None:
    resp = client.get("/kinds/roster.voters")
    assert resp.status_code == 302
    assert resp.location.startswith("/login?next=/kinds/roster.voters")


def test_login_logout(client: FlaskClient, admin: int) -> None:
    assert login(client, "zhang", "wrong-password").status_code == 401
    resp = login(client, "zhang", "secret-pass-1")
    assert resp.status_code == 303 and resp.location == "/"
    home = client.get("/")
    assert home.status_code == 200
    heads = re.findall(r"<h2>(.*?)</h2>", home.text)
    assert heads == ["公告", "花名册", "选票", "统计表", "报告"]
    assert "选民登记花名册" in home.text
    cookie = resp.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    client.post("/logout", data={"csrf_token": token(home.text)})
    assert client.get("/").status_code == 302


def test_password_is_hashed(app: Flask, admin: int) -> None:
    (row,) = accounts.all_accounts(app.extensions["db"])
    assert "secret-pass-1" not in row["password_hash"]
    assert row["password_hash"].startswith(("scrypt:", "pbkdf2:"))


def test_login_next_stays_on_site(client: FlaskClient, admin: int) -> None:
    page = client.get("/login").text
    resp = client.post("/login?next=//evil.example/x",
                       data={"username": "zhang", "password": "secret-pass-1", "csrf_token": token(page)})
    assert resp.location == "/"


def test_search(client: FlaskClient, admin: int) -> None:
    login(client, "zhang", "secret-pass-1")
    page = client.get("/?q=选民").text
    assert "选民登记花名册" in page and "选票</h2>" not in page


def test_csrf_rejected(client: FlaskClient, admin: int) -> None:
    client.get("/login")
    resp = client.post("/login", data={"username": "zhang", "password": "secret-pass-1"})
    assert resp.status_code == 400
    resp = client.post("/login", data={"username": "zhang", "password": "secret-pass-1", "csrf_token": "forged"})
    assert resp.status_code == 400
    login(client, "zhang", "secret-pass-1")
    resp = client.post("/logout", data={"csrf_token": "forged"})
    assert resp.status_code == 400
    assert resp.mimetype == "text/html" and "请求格式错误" in resp.text  # a page for people, not JSON
    assert client.get("/").status_code == 200  # still logged in


def test_only_admins_manage_accounts(client: FlaskClient, admin: int, clerk: int) -> None:
    login(client, "li", "secret-pass-2")
    denied = client.get("/accounts")
    assert denied.status_code == 403 and denied.mimetype == "text/html"
    page = client.get("/").text
    assert "账户管理" not in page
    resp = client.post("/accounts", data={"username": "x", "password": "12345678", "role": "admin",
                                          "csrf_token": token(page)})
    assert resp.status_code == 403
    client.post("/logout", data={"csrf_token": token(page)})
    login(client, "zhang", "secret-pass-1")
    page = client.get("/accounts").text
    assert "li" in page
    resp = client.post("/accounts", data={"username": "wang", "password": "12345678", "role": "clerk",
                                          "csrf_token": token(page)})
    assert resp.status_code == 303
    assert "wang" in client.get("/accounts").text
    resp = client.post(f"/accounts/{clerk}/delete", data={"csrf_token": token(page)})
    assert ">li<" not in client.get("/accounts").text


def test_create_admin_cli(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ELECTION_DOCS_INSTANCE_DIR", str(tmp_path / "inst"))
    result = CliRunner().invoke(cli.main, ["create-admin", "root"], input="long-password\nlong-password\n")
    assert result.exit_code == 0, result.output
    assert "admin root created" in result.output
    from service import create_app

    app = create_app({"INSTANCE_DIR": str(tmp_path / "inst")})
    user = accounts.authenticate(app.extensions["db"], "root", "long-password")
    assert user is not None and user["role"] == "admin"
    again = CliRunner().invoke(cli.main, ["create-admin", "root", "--password", "long-password"])
    assert again.exit_code == 1 and "已存在" in again.output
    short = CliRunner().invoke(cli.main, ["create-admin", "other", "--password", "short"])
    assert short.exit_code == 1


def test_template_xlsx(client: FlaskClient) -> None:
    resp = client.get("/api/v1/kinds/roster.voters/template.xlsx")
    assert resp.status_code == 200
    assert resp.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = load_workbook(io.BytesIO(resp.data))
    assert book["名单"].cell(1, 1).value == "姓名"
    assert book["名单"].max_row == 2
    assert client.get("/api/v1/kinds/no.such/template.xlsx").status_code == 404
    english = load_workbook(io.BytesIO(client.get("/api/v1/kinds/roster.voters/template.xlsx?lang=en").data))
    assert english["List"].cell(1, 1).value == "Name" and english["List"].cell(1, 4).value == "ID number"
    assert client.get("/api/v1/kinds/roster.voters/template.xlsx?lang=fr").status_code == 400
    spec = client.get("/openapi.json").get_json()
    assert "/api/v1/kinds/{kind_id}/template.xlsx" in spec["paths"]
    assert "multipart/form-data" in spec["paths"]["/api/v1/documents/{kind_id}"]["post"]["requestBody"]["content"]


def voters_csv(rows: list[list[str]]) -> bytes:
    return "\r\n".join(",".join(r) for r in rows).encode("gb18030")


def test_multipart_api_matches_json(client: FlaskClient) -> None:
    rows = [["姓名", "身份证号", "村民小组"], ["赵文", "330122195212137619", "第一村民小组"]]
    base = json.dumps({"place": {"village": "柳溪村"}, "term": 12,
                       "signature": {"body": "柳溪村村民选举委员会", "date": "2026-11-21"}})
    up = client.post("/api/v1/documents/roster.voters?format=docx",
                     data={"file": (io.BytesIO(voters_csv(rows)), "v.csv"), "data": base},
                     content_type="multipart/form-data")
    assert up.status_code == 200, up.text
    body = {"place": {"village": "柳溪村"}, "term": 12,
            "signature": {"body": "柳溪村村民选举委员会", "date": "2026-11-21"},
            "voters": [{"name": "赵文", "id_number": "330122195212137619", "group": "第一村民小组"}]}
    js = client.post("/api/v1/documents/roster.voters?format=docx", json=body)
    assert js.status_code == 200
    assert up.headers["X-Content-SHA256"] == js.headers["X-Content-SHA256"]


def test_multipart_api_errors(client: FlaskClient) -> None:
    rows = [["姓名", "身份证号"], ["赵文", BAD_ID]]
    resp = client.post("/api/v1/documents/roster.voters", data={"file": (io.BytesIO(voters_csv(rows)), "v.csv")},
                       content_type="multipart/form-data")
    assert resp.status_code == 422
    messages = [e["message"] for e in resp.json["errors"]]
    assert "第2行“身份证号”列：公民身份号码校验码不正确" in messages
    empty = client.post("/api/v1/documents/roster.voters", data={"file": (io.BytesIO(b""), "v.csv")},
                        content_type="multipart/form-data")
    assert empty.status_code == 400 and empty.mimetype == "application/problem+json"
    assert empty.json["errors"][0]["code"] == "empty"
    none = client.post("/api/v1/documents/roster.voters", data={"x": "1"}, content_type="multipart/form-data")
    assert none.status_code == 400


def test_oversized_upload_is_413(tmp_path: Any, render_pool: Any) -> None:
    from service import create_app

    app = create_app({"TESTING": True, "INSTANCE_DIR": str(tmp_path / "i"), "MAX_CONTENT_LENGTH": 1024})
    resp = app.test_client().post("/api/v1/documents/roster.voters",
                                  data={"file": (io.BytesIO(b"a" * 4096), "v.csv")},
                                  content_type="multipart/form-data")
    assert resp.status_code == 413
    assert resp.mimetype == "application/problem+json"


def test_one_document_per_village_as_zip(client: FlaskClient) -> None:
    rows = [["村", "姓名", "身份证号"], ["柳溪村", "赵文", "330122195212137619"], ["石桥村", "汪兰萱", GOOD_ID]]
    base = '{"term": 12, "signature": {"body": "石门镇人民政府", "date": "2026-11-21"}}'
    resp = client.post("/api/v1/documents/roster.voters?format=docx",
                       data={"file": (io.BytesIO(voters_csv(rows)), "v.csv"), "data": base},
                       content_type="multipart/form-data")
    assert resp.status_code == 200, resp.text
    assert resp.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(resp.data)) as zf:
        names = sorted(zf.namelist())
        assert names == ["选民登记花名册-柳溪村.docx", "选民登记花名册-石桥村.docx"]
        from docx import Document

        text = "\n".join(c.text for t in Document(io.BytesIO(zf.read(names[1]))).tables for r in t.rows
                         for c in r.cells)
        assert "汪兰萱" in text and "赵文" not in text


def test_web_upload_errors_then_preview_and_download(client: FlaskClient, admin: int) -> None:
    login(client, "zhang", "secret-pass-1")
    page = client.get("/kinds/roster.voters").text
    assert 'href="/kinds/roster.voters/template.xlsx"' in page  # the staff copy: the API's needs a key
    rows = [["姓名", "公民身份号码"], ["刘䶮", BAD_ID]]
    resp = client.post("/kinds/roster.voters",
                       data={**FORM, "csrf_token": token(page), "file": (io.BytesIO(voters_csv(rows)), "v.csv")},
                       content_type="multipart/form-data")
    assert resp.status_code == 422
    assert "<td>2</td><td>公民身份号码</td><td>公民身份号码校验码不正确</td>" in resp.text
    empty = client.post("/kinds/roster.voters", data={**FORM, "csrf_token": token(page),
                                                       "file": (io.BytesIO(b""), "v.csv")},
                        content_type="multipart/form-data")
    assert empty.status_code == 400 and "<td></td><td>上传的文件</td><td>上传的文件是空的</td>" in empty.text
    ballot = client.post("/kinds/ballot.villagers-committee", data={
        "csrf_token": token(page), "file": (io.BytesIO("职务,应选名额,姓名\r\n主任,1,周德明\r\n,,林国栋\r\n".encode()),
                                            "c.csv")}, content_type="multipart/form-data")
    assert ballot.status_code == 422  # a CSV of candidates alone: the fields outside the table are named
    assert "<td></td><td>选举名称</td>" in ballot.text and "其他信息" in ballot.text
    rows[1][1] = GOOD_ID
    resp = client.post("/kinds/roster.voters",
                       data={**FORM, "csrf_token": token(page), "file": (io.BytesIO(voters_csv(rows)), "v.csv")},
                       content_type="multipart/form-data")
    assert resp.status_code == 303
    job = client.get(resp.location)
    assert job.status_code == 200
    png = client.get(resp.location + "/preview-1.png")
    assert png.status_code == 200 and png.data.startswith(b"\x89PNG")
    pdf = client.get(resp.location + "/download?format=pdf")
    assert pdf.mimetype == "application/pdf"
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf.data)) as doc:
        assert "刘䶮" in doc.pages[0].extract_text()
    docx = client.get(resp.location + "/download?format=docx")
    assert docx.mimetype.endswith("wordprocessingml.document")


def test_web_english(client: FlaskClient, admin: int) -> None:
    login(client, "zhang", "secret-pass-1")
    page = client.get("/?lang=en").text
    assert "Document kinds" in page and "Voter Register" in page
    assert 'lang="en"' in page


def test_jobs_belong_to_their_owner(client: FlaskClient, app: Flask, admin: int, clerk: int) -> None:
    login(client, "zhang", "secret-pass-1")
    page = client.get("/kinds/roster.voters").text
    rows = [["姓名", "公民身份号码"], ["赵文", "330122195212137619"]]
    resp = client.post("/kinds/roster.voters",
                       data={**FORM, "csrf_token": token(page), "file": (io.BytesIO(voters_csv(rows)), "v.csv")},
                       content_type="multipart/form-data")
    other = app.test_client()
    login(other, "li", "secret-pass-2")
    assert other.get(resp.location + "/download").status_code == 404


def test_old_uploads_are_deleted(tmp_path: Any) -> None:
    import os
    import time

    from service.web import jobs

    instance = str(tmp_path)
    old = jobs.save(instance, 1, "roster.voters", {"柳溪村": {"x": 1}})
    folder = tmp_path / "uploads" / old
    past = time.time() - 25 * 3600
    os.utime(folder, (past, past))
    fresh = jobs.save(instance, 1, "roster.voters", {"柳溪村": {"x": 2}}, max_age_hours=24)
    assert not folder.exists()  # an upload holds voters' ID numbers: it does not outlive its day
    assert jobs.load(instance, fresh, 1) is not None


HAN = re.compile(r"[\u3400-\u9fff]")


@pytest.mark.parametrize("kind_id", ["roster.voters", "ballot.villagers-committee", "table.tally"])
def test_kind_page_in_english_labels_fields_in_english(client: FlaskClient, admin: int, kind_id: str) -> None:
    login(client, "zhang", "secret-pass-1")
    page = client.get(f"/kinds/{kind_id}?lang=en").text
    labels = re.findall(r"<(label|option|legend|summary|li)\b[^>]*>([^<]*)<", page)
    assert len(labels) > 10 and not [text for _, text in labels if HAN.search(text)]
    # what Chinese remains is example values (placeholder="e.g. 柳溪村") and the link back to Chinese
    shown = re.sub(r'(placeholder|value)="[^"]*"', "", page)
    assert set(re.findall(r">([^<]*[\u3400-\u9fff][^<]*)<", shown)) == {"中文"}
    link = re.search(r'href="(/kinds/[^"]+/template\.xlsx[^"]*)"', page)
    assert link and link.group(1) == f"/kinds/{kind_id}/template.xlsx?lang=en"
    book = load_workbook(io.BytesIO(client.get(link.group(1)).data))
    assert book.sheetnames[-2:] == ["Other fields", "Instructions"]
    assert not [c.value for c in book.worksheets[0][1] if c.value and HAN.search(str(c.value))]


def test_web_errors_in_english_name_the_english_column(client: FlaskClient, admin: int) -> None:
    login(client, "zhang", "secret-pass-1")
    page = client.get("/kinds/roster.voters?lang=en").text
    rows = [["Name", "ID number"], ["刘䶮", BAD_ID]]
    resp = client.post("/kinds/roster.voters",
                       data={**FORM, "csrf_token": token(page), "file": (io.BytesIO(voters_csv(rows)), "v.csv")},
                       content_type="multipart/form-data")
    assert resp.status_code == 422
    assert re.search(r"<td>2</td><td>ID number</td><td>[^<]*check digit[^<]*</td>", resp.text), resp.text
    rows[0] = ["姓名", "身份证号"]  # a Chinese file read in English: both names of the column
    resp = client.post("/kinds/roster.voters",
                       data={**FORM, "csrf_token": token(page), "file": (io.BytesIO(voters_csv(rows)), "v.csv")},
                       content_type="multipart/form-data")
    assert re.search(r"<td>2</td><td>ID number \(身份证号\)</td><td>[^<]*check digit[^<]*</td>", resp.text)
    ballot = client.post("/kinds/ballot.villagers-committee", data={
        "csrf_token": token(page), "file": (io.BytesIO(b"Post,Seats,Name\r\nDirector,1,Zhou\r\n,,Lin\r\n"), "c.csv")},
        content_type="multipart/form-data")
    assert ballot.status_code == 422  # the fields outside the table are named in English
    assert "<td></td><td>Election</td>" in ballot.text and "“Other fields” sheet" in ballot.text
