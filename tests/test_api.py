"""The HTTP API: kinds, schemas, samples, documents, negotiation and problem+json errors."""

from __future__ import annotations

import hashlib
from urllib.parse import unquote

import pytest
from flask.testing import FlaskClient

from service import kinds

KIND = "announcement.election-committee"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def sample() -> dict:
    return kinds.get(KIND).sample()


def test_kinds_lists_every_kind_with_links(client: FlaskClient) -> None:
    body = client.get("/api/v1/kinds").get_json()
    ids = [k["id"] for k in body["kinds"]]
    assert ids == sorted(ids) and KIND in ids and "roster.voters" in ids
    entry = next(k for k in body["kinds"] if k["id"] == KIND)
    assert entry["family"] == "announcement"
    assert entry["title"] == {
        "zh": "村民选举委员会成员名单公告",
        "en": "Announcement of the Villagers' Election Committee",
    }
    assert entry["formats"] == ["pdf", "docx"]
    assert client.get(entry["links"]["schema"]).status_code == 200
    assert client.get(entry["links"]["sample"]).get_json() == sample()


def test_schema_is_generated_from_the_model(client: FlaskClient) -> None:
    resp = client.get(f"/api/v1/kinds/{KIND}/schema")
    assert resp.mimetype == "application/schema+json"
    schema = resp.get_json()
    assert set(schema["required"]) >= {"place", "number", "members", "signature"}
    assert schema["properties"]["members"]["minItems"] == 3


def test_unknown_kind_is_404_problem(client: FlaskClient) -> None:
    for resp in (client.get("/api/v1/kinds/ballot.nothing/schema"), client.post("/api/v1/documents/nope", json={})):
        assert resp.status_code == 404
        assert resp.mimetype == "application/problem+json"
        assert resp.get_json()["type"].endswith("/not-found")


def test_document_headers_name_hash_and_type(client: FlaskClient) -> None:
    resp = client.post(f"/api/v1/documents/{KIND}?format=docx", json=sample())
    assert resp.status_code == 200 and resp.mimetype == DOCX
    assert resp.headers["X-Content-SHA256"] == hashlib.sha256(resp.data).hexdigest()
    cd = resp.headers["Content-Disposition"]
    assert cd.startswith('attachment; filename="announcement.election-committee.docx"')
    assert unquote(cd.split("filename*=UTF-8''")[1]) == "村民选举委员会成员名单公告-柳溪村.docx"
    assert resp.headers["Content-Language"] == "zh-CN"


def test_same_input_gives_the_same_bytes(client: FlaskClient) -> None:
    a = client.post(f"/api/v1/documents/{KIND}?format=docx", json=sample()).data
    b = client.post(f"/api/v1/documents/{KIND}?format=docx", json=sample()).data
    assert a == b


@pytest.mark.parametrize(
    ("accept", "mimetype"),
    [
        ("application/pdf", "application/pdf"),
        (DOCX, DOCX),
        ("*/*", "application/pdf"),
        (f"application/pdf;q=0.5, {DOCX}", DOCX),
    ],
)
def test_format_from_accept(client: FlaskClient, accept: str, mimetype: str) -> None:
    resp = client.post(f"/api/v1/documents/{KIND}", json=sample(), headers={"Accept": accept})
    assert resp.status_code == 200 and resp.mimetype == mimetype


def test_unacceptable_accept_is_406(client: FlaskClient) -> None:
    resp = client.post(f"/api/v1/documents/{KIND}", json=sample(), headers={"Accept": "text/html"})
    assert resp.status_code == 406 and resp.mimetype == "application/problem+json"


def test_bad_format_or_lang_parameter_is_400_with_path(client: FlaskClient) -> None:
    for query, path in (("format=odt", "/query/format"), ("lang=fr", "/query/lang")):
        body = client.post(f"/api/v1/documents/{KIND}?{query}", json=sample()).get_json()
        assert body["status"] == 400 and body["errors"][0]["path"] == path


def test_not_json_is_415_and_malformed_json_is_400(client: FlaskClient) -> None:
    resp = client.post(f"/api/v1/documents/{KIND}", data="a=b", content_type="application/x-www-form-urlencoded")
    assert resp.status_code == 415 and resp.mimetype == "application/problem+json"
    resp = client.post(f"/api/v1/documents/{KIND}", data='{"place": ', content_type="application/json")
    assert resp.status_code == 400 and resp.get_json()["title"] == "请求格式错误"
    resp = client.post(f"/api/v1/documents/{KIND}", json=[1, 2])
    assert resp.status_code == 400


def test_invalid_content_is_422_with_every_path_in_both_languages(client: FlaskClient) -> None:
    data = sample()
    data["members"][0]["name"] = "  "
    data["signature"]["date"] = "2026-13-45"
    del data["number"]
    body = client.post(f"/api/v1/documents/{KIND}", json=data).get_json()
    assert body["status"] == 422 and body["type"].endswith("/invalid-content")
    paths = {e["path"]: e["message"] for e in body["errors"]}
    assert paths == {
        "/number": "缺少必填项",
        "/members/0/name": "至少应有1个字符",
        "/signature/date": "日期格式不正确，应如2026-11-21",
    }
    english = client.post(f"/api/v1/documents/{KIND}?lang=en", json=data).get_json()
    assert english["title"] == "Invalid content"
    assert {e["path"] for e in english["errors"]} == set(paths)
    assert all(e["message"].isascii() for e in english["errors"])


def test_too_few_rows_is_422(client: FlaskClient) -> None:
    data = sample()
    data["members"] = data["members"][:2]
    body = client.post(f"/api/v1/documents/{KIND}", json=data).get_json()
    assert body["errors"] == [{"path": "/members", "code": "too_short", "message": "至少应有3项"}]


def test_bad_id_number_names_the_field(client: FlaskClient) -> None:
    data = kinds.get("roster.voters").sample()
    data["voters"][5]["id_number"] = "330122195808207826"  # last digit should be 5
    body = client.post("/api/v1/documents/roster.voters?format=docx", json=data).get_json()
    assert body["errors"] == [
        {"path": "/voters/5/id_number", "code": "id_check_digit", "message": "公民身份号码校验码不正确"}
    ]


def test_body_over_the_size_limit_is_413(app, client: FlaskClient) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 1000
    resp = client.post(f"/api/v1/documents/{KIND}", data="x" * 5000, content_type="application/json")
    assert resp.status_code == 413 and resp.mimetype == "application/problem+json"


def test_rows_over_the_limit_are_413_with_path(app, client: FlaskClient) -> None:
    app.config["MAX_ROWS"] = 10
    body = client.post("/api/v1/documents/roster.voters", json=kinds.get("roster.voters").sample()).get_json()
    assert body["status"] == 413 and body["errors"][0]["path"] == "/voters"


def test_unknown_route_and_method_are_problems(client: FlaskClient) -> None:
    assert client.get("/api/v1/nothing").mimetype == "application/problem+json"
    resp = client.get(f"/api/v1/documents/{KIND}")
    assert resp.status_code == 405 and resp.mimetype == "application/problem+json"


def test_produced_documents_are_recorded(app, client: FlaskClient) -> None:
    from sqlalchemy import select

    from service.db import produced

    resp = client.post(f"/api/v1/documents/{KIND}?format=docx&lang=en", json=sample())
    with app.extensions["db"].connect() as conn:
        rows = conn.execute(select(produced)).all()
    assert [(r.kind, r.format, r.lang, r.sha256) for r in rows] == [
        (KIND, "docx", "en", resp.headers["X-Content-SHA256"])
    ]


def test_openapi_and_docs(client: FlaskClient) -> None:
    spec = client.get("/openapi.json").get_json()
    assert spec["openapi"].startswith("3.1")
    assert "/api/v1/documents/{kind_id}" in spec["paths"]
    assert "roster_voters" in spec["components"]["schemas"]
    page = client.get("/docs").get_data(as_text=True)
    assert "POST /api/v1/documents/{kind_id}" in page and "选民登记花名册" in page


def test_healthz_reports_fonts_and_renderers(client: FlaskClient) -> None:
    resp = client.get("/healthz")
    body = resp.get_json()
    assert resp.status_code == 200, body
    assert body == {"status": "ok", "checks": {"fonts": "ok", "docx": "ok", "pdf": "ok"}}
