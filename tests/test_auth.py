"""Keys and roles: Bearer keys with scopes and regions on every API URL, the keys CLI, the audit log, admin pages."""

from __future__ import annotations

import copy
import io
import logging
import os
import re
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, text

from service import accounts, auth, cli, create_app, keys
from service.db import api_keys, ballot_prints, produced
from service.render.pool import RenderPool

ROOT = Path(__file__).resolve().parents[1]
BALLOT = "ballot.villagers-committee"
ONE_PAGE = "announcement.election-committee"
COUNT = {
    "rule_set": "villagers-committee",
    "electorate": 1200,
    "ballots_issued": 1010,
    "ballots_returned": 1008,
    "ballots_invalid": 12,
    "posts": [{"post": "director", "seats": 1, "candidates": [{"name": "张建国", "votes": 612}]}],
}


@pytest.fixture
def app(tmp_path: Path, render_pool: RenderPool) -> Flask:
    """An app with auth on, as in production."""
    app = create_app({"TESTING": True, "AUTH_REQUIRED": True, "INSTANCE_DIR": str(tmp_path / "instance")})
    app.extensions["render_pool"] = render_pool
    return app


def key(app: Flask, name: str, *scopes: str, region: str | None = None) -> dict[str, str]:
    """A new key's Authorization header."""
    return {"Authorization": "Bearer " + keys.create(app.extensions["db"], name, scopes, region)}


def example_url(rule: Any) -> str:
    """A URL of a route, with plausible values for its variables."""
    values = {name: "roster.voters" if name == "kind_id" else "1" for name in rule.arguments}
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: values[m.group(1)], rule.rule)


def api_routes(app: Flask) -> list[tuple[str, str]]:
    """Every (method, URL) of the API, from the app's own URL map, so new endpoints are covered by themselves."""
    return [
        (method, example_url(rule))
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/")
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
    ]


# --- who may call what ---------------------------------------------------------------------------------------


def test_every_api_route_needs_a_key(app: Flask, client: FlaskClient) -> None:
    routes = api_routes(app)
    assert {("POST", "/api/v1/documents/roster.voters"), ("GET", "/api/v1/audit"), ("POST", "/api/v1/results")} <= set(
        routes
    )
    for method, url in routes:
        resp = client.open(url, method=method, json={})
        assert resp.status_code == 401, (method, url)
        assert resp.headers["WWW-Authenticate"] == 'Bearer realm="election-docs"'
        assert resp.mimetype == "application/problem+json"
        assert resp.get_json()["type"].endswith("/unauthorized")


@pytest.mark.parametrize("url", ["//api/v1/audit", "/api//v1/audit", "/%2Fapi/v1/audit", "/api/v1/x/../../v1/audit"])
def test_odd_spellings_do_not_dodge_the_check(client: FlaskClient, url: str) -> None:
    resp = client.get(url)
    assert resp.status_code in (301, 308, 401, 404), url
    assert "entries" not in resp.text


def test_401_speaks_the_callers_language(client: FlaskClient) -> None:
    zh = client.get("/api/v1/kinds").get_json()
    en = client.get("/api/v1/kinds", headers={"Accept-Language": "en"}).get_json()
    assert "API 密钥" in zh["detail"] and zh["title"] == "需要有效的 API 密钥"
    assert "Authorization: Bearer" in en["detail"] and en["title"] == "A valid API key is needed"


@pytest.mark.parametrize("header", ["Bearer ed_notakey", "Bearer ", "Basic dXNlcjpwYXNz", "ed_notakey"])
def test_bad_key_is_401(client: FlaskClient, header: str) -> None:
    resp = client.get("/api/v1/kinds", headers={"Authorization": header})
    assert resp.status_code == 401
    assert resp.headers["WWW-Authenticate"] == 'Bearer realm="election-docs", error="invalid_token"'


def test_revoked_key_is_401(app: Flask, client: FlaskClient) -> None:
    headers = key(app, "office", "render")
    assert client.get("/api/v1/kinds", headers=headers).status_code == 200
    assert keys.revoke(app.extensions["db"], "office")
    assert client.get("/api/v1/kinds", headers=headers).status_code == 401
    assert not keys.revoke(app.extensions["db"], "office")  # already revoked


def test_open_urls(client: FlaskClient) -> None:
    assert client.get("/openapi.json").status_code == 200
    assert client.get("/docs").status_code == 200
    with client.get("/static/web.css") as css:
        assert css.status_code == 200
    health = client.get("/healthz")  # open: 200, or 503 with the failing check when the machine is overloaded
    assert health.status_code in (200, 503) and health.get_json()["checks"]["fonts"] == "ok"


def test_scopes(app: Flask, client: FlaskClient) -> None:
    render, batch, admin = key(app, "r", "render"), key(app, "b", "batch"), key(app, "a", "admin")
    assert client.get("/api/v1/kinds", headers=render).status_code == 200
    assert client.get("/api/v1/kinds", headers=admin).status_code == 200  # admin holds every scope
    wrong = client.get("/api/v1/kinds", headers={**batch, "Accept-Language": "en"})
    assert wrong.status_code == 403
    assert wrong.get_json()["detail"] == "this key does not have the render scope"
    assert wrong.headers["WWW-Authenticate"].endswith('error="insufficient_scope", scope="render"')
    assert client.get("/api/v1/audit", headers=render).status_code == 403
    assert client.get("/api/v1/audit", headers=admin).status_code == 200
    # the batch and template APIs are mapped by where they live: a key passes or fails before the route is looked up
    assert client.get("/api/v1/batches/x", headers=render).status_code == 403
    assert client.get("/api/v1/batches/x", headers=batch).status_code == 404
    assert client.get("/api/v1/templates", headers=batch).status_code == 403
    assert client.get("/api/v1/templates", headers=admin).status_code == 404


def test_scope_map() -> None:
    assert auth.scope_for("/healthz") is None and auth.scope_for("/docs") is None
    assert auth.scope_for("/api/v1/documents/roster.voters") == "render"
    assert auth.scope_for("/api/v1/batches") == "batch"
    assert auth.scope_for("/api/v1/batches/7/files/a.pdf") == "batch"
    assert auth.scope_for("/api/v1/templates/3/activate") == "admin"
    assert auth.scope_for("/api/v1/kindsX") == "admin"  # a prefix matches whole segments only
    assert auth.scope_for("/api/v2/whatever") == "admin"  # unknown API URLs stay closed until someone decides


def test_auth_is_off_in_tests_unless_asked(tmp_path: Path) -> None:
    off = create_app({"TESTING": True, "INSTANCE_DIR": str(tmp_path / "a")})
    assert off.test_client().get("/api/v1/kinds").status_code == 200


def test_auth_is_on_by_default_and_says_how_to_make_a_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("ELECTION_DOCS_INSTANCE_DIR", str(tmp_path / "b"))
    with caplog.at_level(logging.WARNING, logger="service.auth"):
        app = create_app()
    assert app.config["AUTH_REQUIRED"] is True
    assert "election-docs keys create --name NAME --scope render" in caplog.text
    assert app.test_client().get("/api/v1/kinds").status_code == 401
    caplog.clear()
    keys.create(app.extensions["db"], "first", ["render"])
    with caplog.at_level(logging.WARNING, logger="service.auth"):
        create_app()
    assert "keys create" not in caplog.text
    monkeypatch.setenv("ELECTION_DOCS_AUTH_REQUIRED", "false")
    assert create_app().config["AUTH_REQUIRED"] is False
    monkeypatch.setenv("ELECTION_DOCS_AUTH_REQUIRED", "maybe")
    with pytest.raises(RuntimeError, match="AUTH_REQUIRED must be true or false"):
        create_app()


def test_region_limited_keys_see_their_own_prints(app: Flask, client: FlaskClient) -> None:
    county = key(app, "county", "render", region="330122")
    township = key(app, "township", "render", region="330122001")
    elsewhere = key(app, "elsewhere", "render", "admin", region="330183")
    data = copy.deepcopy(app_sample(client, county, BALLOT))
    data["print"].update(final=True, requested_by="石门镇选举工作办公室", quantity=4, counterfoil=True)
    assert client.post(f"/api/v1/documents/{BALLOT}?format=pdf", json=data, headers=township).status_code == 200

    def prints(headers: dict[str, str]) -> list[dict[str, Any]]:
        return list(client.get("/api/v1/ballot-prints", headers=headers).get_json()["prints"])

    (row,) = prints(county)  # a county sees its townships' prints
    assert (row["principal"], row["region"]) == ("key:township", "330122001")
    assert row["requested_by"] == "石门镇选举工作办公室"  # the applicant the request names
    assert len(prints(township)) == 1
    assert prints(elsewhere) == []
    assert client.get("/api/v1/audit", headers=elsewhere).get_json()["entries"] == []
    with pytest.raises(keys.KeyProblem, match="6-digit county or 9-digit township"):
        keys.create(app.extensions["db"], "bad", ["render"], "3301")


def app_sample(client: FlaskClient, headers: dict[str, str], kind: str) -> dict[str, Any]:
    """A kind's sample, fetched over the API."""
    resp = client.get(f"/api/v1/kinds/{kind}/sample", headers=headers)
    assert resp.status_code == 200
    data: dict[str, Any] = resp.get_json()
    return data


# --- the keys themselves -------------------------------------------------------------------------------------


def test_key_never_stored_in_clear(app: Flask) -> None:
    token = keys.create(app.extensions["db"], "office", ["render", "batch"])
    assert re.fullmatch(r"ed_[A-Za-z0-9_-]{43}", token)  # 256 random bits
    with app.extensions["db"].connect() as conn:
        (row,) = conn.execute(select(api_keys)).mappings()
    assert row["key_hash"] == keys.digest(token) and token not in str(dict(row))
    assert row["prefix"] == token[:9] and row["scopes"] == "batch,render"
    instance = Path(app.config["INSTANCE_DIR"])
    for file in instance.glob("election-docs.sqlite3*"):  # the database and its WAL
        assert token.encode() not in file.read_bytes(), file


def test_key_names_are_never_reused(app: Flask) -> None:
    keys.create(app.extensions["db"], "office", ["render"])
    keys.revoke(app.extensions["db"], "office")
    with pytest.raises(keys.KeyProblem, match="taken"):
        keys.create(app.extensions["db"], "office", ["render"])
    with pytest.raises(keys.KeyProblem, match="scope"):
        keys.create(app.extensions["db"], "other", ["root"])


def test_cli_creates_lists_and_revokes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, render_pool: RenderPool
) -> None:
    monkeypatch.setenv("ELECTION_DOCS_INSTANCE_DIR", str(tmp_path / "instance"))
    runner = CliRunner()
    made = runner.invoke(cli.main, ["keys", "create", "--name", "county-system", "--scope", "render"])
    assert made.exit_code == 0, made.output
    token = made.stdout.strip()
    assert token.startswith("ed_") and "shown only this once" in made.stderr
    app = create_app({"TESTING": True, "AUTH_REQUIRED": True})
    app.extensions["render_pool"] = render_pool
    client = app.test_client()
    assert client.get("/api/v1/kinds", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    listed = runner.invoke(cli.main, ["keys", "list"])
    assert "county-system\trender\t-\ted_" in listed.stdout and token not in listed.stdout
    assert runner.invoke(cli.main, ["keys", "create", "--name", "x", "--scope", "root"]).exit_code == 2
    assert runner.invoke(cli.main, ["keys", "revoke", "county-system"]).exit_code == 0
    assert runner.invoke(cli.main, ["keys", "revoke", "county-system"]).exit_code == 1
    assert client.get("/api/v1/kinds", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_flask_cli_creates_keys(app: Flask, client: FlaskClient) -> None:
    args = ["keys", "create", "--name", "f", "--scope", "admin", "--region", "330122"]
    made = app.test_cli_runner().invoke(args=args)
    assert made.exit_code == 0, made.output
    token = made.stdout.strip()
    assert client.get("/api/v1/audit", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_cli_in_a_real_process(app: Flask, client: FlaskClient) -> None:
    env = {**os.environ, "ELECTION_DOCS_INSTANCE_DIR": app.config["INSTANCE_DIR"]}
    out = subprocess.run(
        [str(ROOT / ".venv/bin/election-docs"), "keys", "create", "--name", "sub", "--scope", "render"],
        env=env, capture_output=True, text=True, timeout=120, check=True,
    )
    token = out.stdout.strip()
    assert client.get("/api/v1/kinds", headers={"Authorization": f"Bearer {token}"}).status_code == 200


# --- the audit log ---------------------------------------------------------------------------------------------


def audit_rows(app: Flask) -> list[dict[str, Any]]:
    """Every row of the audit log, oldest first."""
    with app.extensions["db"].connect() as conn:
        return [dict(r) for r in conn.execute(select(produced).order_by(produced.c.id)).mappings()]


def test_audit_of_a_document_a_final_print_and_results(app: Flask, client: FlaskClient) -> None:
    headers = key(app, "county-system", "render", region="330122")
    doc = client.post(f"/api/v1/documents/{ONE_PAGE}?format=docx&lang=en", json=app_sample(client, headers, ONE_PAGE),
                      headers=headers)
    assert doc.status_code == 200
    data = app_sample(client, headers, BALLOT)
    data["print"].update(final=True, requested_by="石门镇选举工作办公室", quantity=6, counterfoil=True)
    ballots = client.post(f"/api/v1/documents/{BALLOT}?format=pdf", json=data, headers=headers)
    assert ballots.headers["X-Ballot-Serials"] == "1-6"
    results = client.post("/api/v1/results", json=COUNT, headers=headers)
    assert results.status_code == 200
    first, second, third = audit_rows(app)
    assert (first["kind"], first["format"], first["lang"], first["sha256"], first["size"]) == (
        ONE_PAGE, "docx", "en", doc.headers["X-Content-SHA256"], len(doc.data)
    )
    assert all(r["principal"] == "key:county-system" and r["region"] == "330122" for r in (first, second, third))
    assert second["kind"] == BALLOT and second["sha256"] == ballots.headers["X-Content-SHA256"]
    assert second["detail"]["serials"] == [1, 6] and second["detail"]["election_id"] == data["election_id"]
    assert third["kind"] == "results.villagers-committee" and third["format"] == "json"
    assert third["sha256"] == results.headers["X-Content-SHA256"] and third["detail"]["round"] == "regular"
    with app.extensions["db"].connect() as conn:
        (printed,) = conn.execute(select(ballot_prints)).mappings()
    assert (printed["principal"], printed["region"], printed["status"]) == ("key:county-system", "330122", "printed")


def test_audit_api_filters_and_pages(app: Flask, client: FlaskClient) -> None:
    admin, render = key(app, "auditor", "admin"), key(app, "system", "render")
    for _ in range(3):
        assert client.post("/api/v1/results", json=COUNT, headers=render).status_code == 200
    sample = app_sample(client, admin, ONE_PAGE)
    assert client.post(f"/api/v1/documents/{ONE_PAGE}?format=docx", json=sample, headers=admin).status_code == 200
    assert client.get("/api/v1/audit", headers=render).status_code == 403
    everything = client.get("/api/v1/audit", headers=admin).get_json()
    assert [e["principal"] for e in everything["entries"]] == ["key:auditor"] + ["key:system"] * 3  # newest first
    assert everything["next"] is None
    assert everything["entries"][0]["created_at"].endswith("+00:00")
    by_kind = client.get("/api/v1/audit?kind=results.", headers=admin).get_json()["entries"]
    assert len(by_kind) == 3
    by_who = client.get("/api/v1/audit?principal=key:auditor", headers=admin).get_json()["entries"]
    assert [e["kind"] for e in by_who] == [ONE_PAGE]
    assert client.get("/api/v1/audit?since=2999-01-01", headers=admin).get_json()["entries"] == []
    since = {"since": "2000-01-01T08:00:00+08:00"}
    assert len(client.get("/api/v1/audit", query_string=since, headers=admin).get_json()["entries"]) == 4
    newest = datetime.fromisoformat(everything["entries"][0]["created_at"]).astimezone(timezone(timedelta(hours=8)))
    since = {"since": newest.isoformat()}  # the same moment in Beijing time: only the newest entry is that recent
    assert len(client.get("/api/v1/audit", query_string=since, headers=admin).get_json()["entries"]) == 1
    page = client.get("/api/v1/audit?limit=3&kind=results.", headers=admin).get_json()
    assert len(page["entries"]) == 3 and page["next"]
    rest = client.get(page["next"], headers=admin).get_json()
    assert rest == {"entries": [], "next": None}
    bad = client.get("/api/v1/audit?since=yesterday&lang=en", headers=admin)
    assert bad.status_code == 400 and bad.get_json()["errors"][0]["path"] == "/query/since"
    assert client.get("/api/v1/audit?limit=0", headers=admin).status_code == 400


def test_old_database_gets_the_new_columns(tmp_path: Path) -> None:
    from sqlalchemy import create_engine

    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    with create_engine(url).begin() as conn:
        conn.execute(text("CREATE TABLE produced_documents (id INTEGER PRIMARY KEY, kind VARCHAR(80) NOT NULL,"
                          " format VARCHAR(8) NOT NULL, lang VARCHAR(8) NOT NULL, sha256 VARCHAR(64) NOT NULL,"
                          " size INTEGER NOT NULL, created_at DATETIME NOT NULL)"))
        conn.execute(text("INSERT INTO produced_documents VALUES (1, 'k', 'pdf', 'zh', 'x', 1, '2026-01-01')"))
    app = create_app({"TESTING": True, "INSTANCE_DIR": str(tmp_path / "i"), "DATABASE_URL": url})
    assert audit_rows(app)[0]["principal"] == "anonymous"


# --- the staff pages ---------------------------------------------------------------------------------------------


def token(page: str) -> str:
    """The CSRF token of a page's form."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, page
    return found.group(1)


def login(client: FlaskClient, username: str, password: str) -> None:
    """Log in through the form."""
    resp = client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": token(client.get("/login").text)})
    assert resp.status_code == 303


def test_keys_page_creates_shows_once_and_revokes(app: Flask) -> None:
    accounts.create(app.extensions["db"], "zhang", "secret-pass-1", "admin")
    staff, api = app.test_client(), app.test_client()
    login(staff, "zhang", "secret-pass-1")
    page = staff.get("/keys")
    assert page.status_code == 200 and "还没有密钥" in page.text
    assert staff.post("/keys", data={"name": "x", "scope": "render"}).status_code == 400  # no CSRF token
    made = staff.post("/keys", data={"name": "township-office", "scope": ["render", "batch"], "region": "330122001",
                                     "csrf_token": token(page.text)})
    assert made.status_code == 201
    found = re.search(r'<code id="new-key">(ed_[^<]+)</code>', made.text)
    assert found
    new_key = found.group(1)
    assert "Set-Cookie" not in made.headers or new_key not in made.headers["Set-Cookie"]
    headers = {"Authorization": f"Bearer {new_key}"}
    assert api.get("/api/v1/kinds", headers=headers).status_code == 200
    listing = staff.get("/keys").text
    assert "township-office" in listing and "330122001" in listing and "batch,render" in listing
    assert new_key not in listing  # shown once only
    with app.extensions["db"].connect() as conn:
        assert conn.execute(select(api_keys.c.created_by)).scalar() == "user:zhang"
    refused = staff.post("/keys", data={"name": "bad", "scope": "render", "region": "12",
                                        "csrf_token": token(listing)})
    assert refused.status_code == 400 and "9位乡镇级代码" in refused.text
    revoked = staff.post("/keys/township-office/revoke", data={"csrf_token": token(listing)})
    assert revoked.status_code == 303
    assert "已吊销" in staff.get("/keys").text
    assert api.get("/api/v1/kinds", headers=headers).status_code == 401


def test_admin_pages_are_for_admins_and_staff_are_principals(app: Flask) -> None:
    accounts.create(app.extensions["db"], "li", "secret-pass-2", "clerk")
    accounts.create(app.extensions["db"], "zhang", "secret-pass-1", "admin")
    clerk = app.test_client()
    login(clerk, "li", "secret-pass-2")
    assert clerk.get("/keys").status_code == 403
    assert clerk.get("/audit").status_code == 403
    assert clerk.get("/api/v1/kinds").status_code == 401  # the session cookie is not an API key
    assert auth.user_principal({"username": "li", "role": "clerk"}).scopes == {"render", "batch"}
    assert auth.user_principal({"username": "zhang", "role": "admin"}).can("admin")
    api = key(app, "system", "render")
    assert app.test_client().post("/api/v1/results", json=COUNT, headers=api).status_code == 200
    admin = app.test_client()
    login(admin, "zhang", "secret-pass-1")
    page = admin.get("/audit?kind=results.")
    assert page.status_code == 200
    assert "results.villagers-committee" in page.text and "key:system" in page.text
    assert "没有记录" in admin.get("/audit?principal=user:nobody").text


def test_openapi_describes_the_keys(client: FlaskClient) -> None:
    spec = client.get("/openapi.json").get_json()
    scheme = spec["components"]["securitySchemes"]["bearer"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    assert spec["paths"]["/healthz"]["get"]["security"] == []
    api = [(path, op) for path, ops in spec["paths"].items() if path.startswith("/api/") for op in ops.values()]
    assert len(api) >= 7
    for path, op in api:
        assert op["security"] == [{"bearer": [auth.scope_for(path.split("{")[0])]}], path
        assert {"401", "403"} <= set(op["responses"]), path
    assert spec["paths"]["/api/v1/audit"]["get"]["security"] == [{"bearer": ["admin"]}]
    assert "Authorization: Bearer" in client.get("/docs").text


def test_staff_pages_work_with_auth_on_and_log_the_user(app: Flask) -> None:
    accounts.create(app.extensions["db"], "li", "secret-pass-2", "clerk")
    clerk = app.test_client()
    login(clerk, "li", "secret-pass-2")
    page = clerk.get("/kinds/roster.voters").text
    with clerk.get("/kinds/roster.voters/template.xlsx") as xlsx:  # the page's template link needs no API key
        assert 'href="/kinds/roster.voters/template.xlsx"' in page and xlsx.status_code == 200
    form = {"place.village": "柳溪村", "term": "12", "signature.body": "柳溪村村民选举委员会",
            "signature.date": "2026-11-21", "csrf_token": token(page)}
    csv = "姓名,公民身份号码\r\n赵文,330122195212137619\r\n".encode("gb18030")
    job = clerk.post("/kinds/roster.voters", data={**form, "file": (io.BytesIO(csv), "v.csv")},
                     content_type="multipart/form-data")
    assert job.status_code == 303
    docx = clerk.get(job.location + "/download?format=docx")
    assert docx.status_code == 200
    (row,) = audit_rows(app)
    assert (row["kind"], row["format"], row["principal"], row["region"]) == ("roster.voters", "docx", "user:li", None)


def test_keys_page_in_a_real_browser(tmp_path: Path, render_pool: RenderPool) -> None:
    """An admin makes a key in Chromium, a system uses it over HTTP, the admin revokes it."""
    import threading
    import urllib.error
    import urllib.request

    from playwright.sync_api import sync_playwright
    from test_browser import ARGS, CHROMIUM, shot
    from werkzeug.serving import make_server

    app = create_app({"TESTING": True, "AUTH_REQUIRED": True, "INSTANCE_DIR": str(tmp_path / "instance")})
    app.extensions["render_pool"] = render_pool
    accounts.create(app.extensions["db"], "zhang", "secret-pass-1", "admin")
    srv = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    server = f"http://127.0.0.1:{srv.server_port}"

    def kinds_status(key: str) -> int:
        req = urllib.request.Request(server + "/api/v1/kinds", headers={"Authorization": f"Bearer {key}"})
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                return int(resp.status)
        except urllib.error.HTTPError as exc:
            exc.close()
            return exc.code

    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            try:
                page = browser.new_page(locale="zh-CN", viewport={"width": 1100, "height": 900})
                page.goto(server + "/login")
                page.get_by_label("用户名").fill("zhang")
                page.get_by_label("密码").fill("secret-pass-1")
                page.get_by_role("button", name="登录").click()
                page.wait_for_url(server + "/")
                page.get_by_role("link", name="API 密钥").click()
                page.get_by_label("名称").fill("county-platform")
                page.get_by_label("batch — 批量生成任务").check()
                page.get_by_label("区域代码（可不填）").fill("330122")
                page.get_by_role("button", name="创建").click()
                new_key = page.locator("#new-key").inner_text()
                shot(page, "keys-created")
                assert new_key.startswith("ed_") and kinds_status(new_key) == 200
                row = page.get_by_role("row", name=re.compile("county-platform"))
                assert "batch,render" in row.inner_text() and "330122" in row.inner_text()
                page.get_by_role("button", name="吊销 county-platform").click()
                assert page.get_by_role("status").first.inner_text().startswith("已吊销密钥")
                assert new_key not in page.content()
                shot(page, "keys-revoked")
                assert kinds_status(new_key) == 401
            finally:
                browser.close()
    finally:
        srv.shutdown()
        thread.join(10)
