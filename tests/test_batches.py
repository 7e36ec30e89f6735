"""Batch jobs: the kit, the plan, and a job's whole life through the API with the embedded runner."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import re
import threading
import time
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy import select, update

from batch_kit import kit, villages
from kit import pdf_text
from service import accounting, create_app, errors, keys
from service.batches import kit as kits
from service.batches import plan, store
from service.batches.runner import Runner
from service.db import batches, produced
from service.render.pool import RenderPool

SECRET = "webhook-secret-for-tests-0123456789"


def make_app(tmp_path: Path, pool: RenderPool, **settings: Any) -> Flask:
    """An app whose embedded runner renders villages one at a time through the session's pool."""
    config = {
        "TESTING": True,
        "INSTANCE_DIR": str(tmp_path / "instance"),
        "BATCH_RUNNER": "on",
        "BATCH_WORKERS": 1,
        "BATCH_POLL_SECONDS": 0.2,
        "WEBHOOK_SECRET": SECRET,
        "WEBHOOK_BACKOFF": 0.1,
        **settings,
    }
    app = create_app(config)
    app.extensions["render_pool"] = pool

    return app


@pytest.fixture
def batch_app(tmp_path: Path, render_pool: RenderPool) -> Iterator[Flask]:
    app = make_app(tmp_path, render_pool)
    yield app
    app.extensions["batch_runner"].stop()


def wait(client: FlaskClient, job_id: str, timeout: float = 300) -> dict[str, Any]:
    """The job's status once it has ended."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        body = client.get(f"/api/v1/batches/{job_id}").get_json()
        if body["state"] not in ("queued", "running"):
            return body
        time.sleep(0.3)
    raise AssertionError(f"job {job_id} did not end: {body}")


class Hook(BaseHTTPRequestHandler):
    """A webhook receiver on loopback: answers 500 to the first call (so the sender must retry), then 200."""

    calls: ClassVar[list[tuple[dict[str, str], bytes]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Hook.calls.append((dict(self.headers), body))
        self.send_response(500 if len(Hook.calls) == 1 else 200)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def hook_server() -> Iterator[str]:
    Hook.calls = []
    server = HTTPServer(("127.0.0.1", 0), Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    server.shutdown()
    server.server_close()


# ---- the kit and the plan: plain functions ----


def test_kit_errors_carry_paths() -> None:
    with pytest.raises(errors.InvalidContent) as exc:
        kits.load(
            {
                "documents": [{"kind": "roster.voters"}, {"kind": "no.such", "format": "odt"}],
                "ballots": [{"kind": "roster.voters"}],
            }
        )
    paths = {e.path for e in exc.value.errors}
    assert {"/kit/documents/1/kind", "/kit/documents/1/format", "/kit/ballots/0/kind"} <= paths
    with pytest.raises(errors.BadRequest):
        kits.load("documents: [unclosed")
    yaml_kit = kits.load("documents:\n  - kind: roster.voters\n    copies: 3\ndefaults:\n  term: 12\n")
    assert yaml_kit.documents[0].copies == 3 and yaml_kit.defaults == {"term": 12}


def test_plan_merges_defaults_under_village_data() -> None:
    the_kit = kits.load(kit())
    village = {"township": "石门镇", "village": "柳溪村", **villages(1, 7)[0], "data": {"term": 11}}
    items = plan.plan(the_kit, village, requested_by="key:clerk")
    assert [i.path for i in items] == [
        "石门镇/柳溪村/01-选民名单公告.pdf",
        "石门镇/柳溪村/02-选民登记花名册.pdf",
        "石门镇/柳溪村/03-选民登记花名册.docx",
        "石门镇/柳溪村/04-村民委员会选举票.pdf",
    ]
    notice, roster, _, ballot = items
    assert roster.payload["term"] == 11  # the village's own data wins over the defaults
    assert roster.payload["signature"] == {"body": "柳溪村村民选举委员会", "date": "2026-10-30"}
    assert "posts" not in roster.payload and "number" not in roster.payload  # each kind gets only its fields
    assert notice.payload["number"] == "柳溪村选字第3号"
    assert set(notice.payload["voters"][0]) <= {"name", "group", "category"}  # no ID numbers on a posted notice
    assert roster.copies == 2 and ballot.ballot
    assert ballot.payload["print"] == {
        "colour": "#b00000",
        "paper": "A4",
        "per_sheet": 2,
        "voters": 7,
        "spare_percent": 10,
        "counterfoil": True,
        "final": True,
        "requested_by": "key:clerk",
    }
    assert ballot.payload["election_id"] == "2026-vc-石门镇-柳溪村"


def test_path_segments_cannot_escape() -> None:
    assert plan.segment("../..") == "_"
    assert plan.folder({"township": "a/../b", "village": ".."}) == "a_.._b/_"


# ---- the API ----


def test_bad_submissions_are_problems(client: FlaskClient) -> None:
    r = client.post("/api/v1/batches", json={"kit": {"documents": [{"kind": "x"}]}, "villages": villages(1)})
    assert r.status_code == 422 and r.mimetype == "application/problem+json"
    assert r.get_json()["errors"][0]["path"] == "/kit/documents/0/kind"
    r = client.post("/api/v1/batches", json={"kit": kit(), "villages": [{"voters": []}]})
    assert r.status_code == 422 and r.get_json()["errors"][0]["path"] == "/villages/0/place"
    twice = villages(1) * 2
    r = client.post("/api/v1/batches", json={"kit": kit(), "villages": twice})
    assert r.status_code == 422 and r.get_json()["errors"][0]["code"] == "duplicate_village"
    # a webhook that could not be signed is refused up front (no WEBHOOK_SECRET in this app)
    r = client.post("/api/v1/batches", json={"kit": kit(webhook_url="http://127.0.0.1:9/x"), "villages": villages(1)})
    assert r.status_code == 422 and r.get_json()["errors"][0]["path"] == "/webhook_url"
    assert client.get("/api/v1/batches/nope").status_code == 404


def test_job_lifecycle_manifest_files_zip_webhook(batch_app: Flask, hook_server: str) -> None:
    client = batch_app.test_client()
    body = {"kit": kit(), "villages": villages(2, 5), "webhook_url": hook_server}
    r = client.post("/api/v1/batches", json=body, headers={"Idempotency-Key": "county-2026-a"})
    assert r.status_code == 202
    job_id = r.get_json()["id"]
    assert r.headers["Location"] == f"/api/v1/batches/{job_id}"
    again = client.post("/api/v1/batches", json=body, headers={"Idempotency-Key": "county-2026-a"})
    assert again.status_code == 202 and again.get_json()["id"] == job_id
    assert again.headers["Idempotent-Replayed"] == "true"
    other = client.post(
        "/api/v1/batches", json={**body, "villages": villages(1)}, headers={"Idempotency-Key": "county-2026-a"}
    )
    assert other.status_code == 409  # the same key for another submission is a mistake, not a retry

    status = wait(client, job_id)
    assert status["state"] == "done", status
    assert status["progress"]["villages"] == {"done": 2, "failed": 0, "total": 2}
    assert [v["village"] for v in status["villages"]] == ["柳溪村", "石门村"]  # 石门镇 before 青山镇? sorted by code
    manifest = client.get(f"/api/v1/batches/{job_id}/manifest").get_json()
    root = Path(batch_app.config["BATCH_DIR"]) / job_id
    by_path = {f["path"]: f for f in manifest["files"]}
    assert len(by_path) == 2 * 5 + 1  # 4 documents and a print PDF per village, and the county print PDF
    for f in manifest["files"]:
        data = (root / f["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == f["sha256"] and len(data) == f["size"]
        if f["format"] == "pdf":
            assert len(PdfReader(io.BytesIO(data)).pages) == f["pages"]
    assert not list(root.rglob("*.part"))
    for v in status["villages"]:
        folder = f"{'石门镇' if v['village'] == '柳溪村' else '青山镇'}/{v['village']}"
        parts = [by_path[p] for p in by_path if p.startswith(folder + "/0") and not p.endswith("00-打印合集.pdf")]
        copies = {"roster.voters": 2}
        want = 1 + sum(f["pages"] * copies.get(f["kind"], 1) for f in parts if f["format"] == "pdf")
        assert by_path[f"{folder}/00-打印合集.pdf"]["pages"] == want == v["pages"]
        ballot = by_path[f"{folder}/04-村民委员会选举票.pdf"]
        assert ballot["serials"] == [1, 6]  # 5 voters + 10 % spare, rounded up; each village its own election
        separator = pdf_text((root / folder / "00-打印合集.pdf").read_bytes()).split("\n")
        assert v["village"] in "".join(separator[:6])
        assert "选民登记花名册 × 2" in "".join(separator) and "流水号1至6" in "".join(separator)
    county = by_path["全部打印合集.pdf"]
    assert county["pages"] == sum(v["pages"] for v in status["villages"]) == status["progress"]["pages"]["total"]
    # the ballot register agrees with the files
    for v in ("柳溪村", "石门村"):
        township = "石门镇" if v == "柳溪村" else "青山镇"
        prints = accounting.report(batch_app.extensions["db"], f"2026-vc-{township}-{v}")
        assert [(p["status"], p["serial_first"], p["serial_last"]) for p in prints] == [("printed", 1, 6)]
        assert prints[0]["sha256"] == by_path[f"{township}/{v}/04-村民委员会选举票.pdf"]["sha256"]

    # every file of the villages is in the audit log under the submitter, with the job and the path
    with batch_app.extensions["db"].connect() as conn:
        audited = [dict(r._mapping) for r in conn.execute(select(produced))]
    assert sorted(a["detail"]["path"] for a in audited if a["detail"]["batch"] == job_id) == sorted(
        p for p in by_path if "打印合集" not in p
    )
    assert {a["principal"] for a in audited} == {"anonymous"}
    one = "石门镇/柳溪村/02-选民登记花名册.pdf"
    with client.get(f"/api/v1/batches/{job_id}/files/{one}") as r:  # send_file's open file closes with it
        assert r.status_code == 200 and hashlib.sha256(r.data).hexdigest() == by_path[one]["sha256"]
        assert r.headers["X-Content-SHA256"] == by_path[one]["sha256"]
    for bad in ("../instance/secret_key", "%2e%2e/%2e%2e/secret_key", "石门镇/柳溪村/nope.pdf"):
        assert client.get(f"/api/v1/batches/{job_id}/files/{bad}").status_code == 404

    with client.get(f"/api/v1/batches/{job_id}/zip") as r:
        assert r.status_code == 200 and r.mimetype == "application/zip"
        zipped = r.data
    with zipfile.ZipFile(io.BytesIO(zipped)) as zf:
        assert zf.testzip() is None
        names = set(zf.namelist())
        assert names == {*by_path, "manifest.json"}
        assert hashlib.sha256(zf.read(one)).hexdigest() == by_path[one]["sha256"]

    deadline = time.time() + 20
    while len(Hook.calls) < 2 and time.time() < deadline:
        time.sleep(0.1)
    assert len(Hook.calls) == 2  # refused once, then delivered
    headers, raw = Hook.calls[-1]
    want = "sha256=" + hmac.new(SECRET.encode(), raw, hashlib.sha256).hexdigest()
    assert headers["X-Election-Docs-Signature"] == want
    sent = json.loads(raw)
    assert sent["id"] == job_id and sent["state"] == "done" and sent["event"] == "batch.finished"
    time.sleep(0.3)
    assert client.get(f"/api/v1/batches/{job_id}").get_json()["webhook"] == "sent"


def test_keys_scope_and_region_limit_batches(tmp_path: Path, render_pool: RenderPool) -> None:
    app = make_app(tmp_path, render_pool, BATCH_RUNNER="off", AUTH_REQUIRED=True)
    engine = app.extensions["db"]
    county = {"Authorization": "Bearer " + keys.create(engine, "qingshan", ["batch"], "330122", created_by="t")}
    other = {"Authorization": "Bearer " + keys.create(engine, "other", ["batch"], "330123", created_by="t")}
    renders = {"Authorization": "Bearer " + keys.create(engine, "renders", ["render"], None, created_by="t")}
    admin = {"Authorization": "Bearer " + keys.create(engine, "admin", ["admin"], None, created_by="t")}
    client = app.test_client()
    body = {"kit": kit(), "villages": villages(1)}
    assert client.post("/api/v1/batches", json=body).status_code == 401
    assert client.post("/api/v1/batches", json=body, headers=renders).status_code == 403  # needs the batch scope
    r = client.post("/api/v1/batches", json=body, headers=county)
    job_id = r.get_json()["id"]
    assert r.get_json()["region"] == "330122" and r.get_json()["created_by"] == "key:qingshan"
    assert client.get(f"/api/v1/batches/{job_id}", headers=county).status_code == 200
    for path in ("", "/manifest", "/zip"):
        assert client.get(f"/api/v1/batches/{job_id}{path}", headers=other).status_code == 404, path
    assert client.post(f"/api/v1/batches/{job_id}/cancel", headers=other).status_code == 404
    assert client.get(f"/api/v1/batches/{job_id}", headers=admin).status_code == 200  # no region: sees all
    # the same Idempotency-Key from two callers makes two jobs
    a = client.post("/api/v1/batches", json=body, headers={**county, "Idempotency-Key": "k"}).get_json()["id"]
    b = client.post("/api/v1/batches", json=body, headers={**admin, "Idempotency-Key": "k"}).get_json()["id"]
    assert a != b
    r = client.post("/api/v1/batches", json={**body, "kit": kit(region="330123")}, headers=county)
    assert r.status_code == 422 and r.get_json()["errors"][0]["path"] == "/kit/region"


def test_cancel_stops_a_job(tmp_path: Path, render_pool: RenderPool) -> None:
    app = make_app(tmp_path, render_pool, BATCH_RUNNER="off")
    client = app.test_client()
    job_id = client.post("/api/v1/batches", json={"kit": kit(), "villages": villages(3)}).get_json()["id"]
    r = client.post(f"/api/v1/batches/{job_id}/cancel")
    assert r.status_code == 200 and r.get_json()["state"] == "cancelled"
    assert {v["state"] for v in r.get_json()["villages"]} == {"cancelled"}
    assert client.post(f"/api/v1/batches/{job_id}/cancel").status_code == 200  # cancelling twice is harmless
    runner = Runner(app.config, app.extensions["db"], lambda: render_pool).start()
    time.sleep(1.0)
    runner.stop()
    assert client.get(f"/api/v1/batches/{job_id}/manifest").get_json()["files"] == []  # nothing was rendered
    assert not (Path(app.config["BATCH_DIR"]) / job_id).exists()


def test_failed_village_is_reported_and_retried(batch_app: Flask) -> None:
    client = batch_app.test_client()
    bad, good = villages(2, 4)
    bad["voters"][1] = {**bad["voters"][1], "id_number": "330122195808207820"}  # wrong check digit
    body = {"kit": {**kit(), "ballots": []}, "villages": [bad, good]}
    job_id = client.post("/api/v1/batches", json=body).get_json()["id"]
    status = wait(client, job_id)
    assert status["state"] == "failed"
    by_village = {v["village"]: v for v in status["villages"]}
    failed = by_village[bad["place"]["village"]]
    assert failed["state"] == "failed" and by_village[good["place"]["village"]]["state"] == "done"
    # the roster (PDF and Word) failed; the notice, which prints no ID numbers, would have been fine
    assert [p["file"] for p in failed["errors"]] == [
        "石门镇/柳溪村/02-选民登记花名册.pdf",
        "石门镇/柳溪村/03-选民登记花名册.docx",
    ]
    assert all(p["errors"][0]["path"] == "/voters/1/id_number" for p in failed["errors"])
    manifest = client.get(f"/api/v1/batches/{job_id}/manifest").get_json()
    assert any(f["path"] == "全部打印合集.pdf" for f in manifest["files"])  # the county PDF of the villages done
    key = failed["key"]
    assert client.post(f"/api/v1/batches/{job_id}/villages/{key + 5}/retry").status_code == 404
    done_key = by_village[good["place"]["village"]]["key"]
    assert client.post(f"/api/v1/batches/{job_id}/villages/{done_key}/retry").status_code == 409
    r = client.post(f"/api/v1/batches/{job_id}/villages/{key}/retry")
    assert r.status_code == 202 and r.get_json()["state"] == "running"
    status = wait(client, job_id)
    again = {v["village"]: v for v in status["villages"]}[bad["place"]["village"]]
    assert again["attempts"] == 2 and again["state"] == "failed"  # the data is still wrong


def test_openapi_lists_every_batch_route(app: Flask, client: FlaskClient) -> None:
    spec = client.get("/openapi.json").get_json()
    rules = {re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", r.rule) for r in app.url_map.iter_rules() if "/batches" in r.rule}
    assert len(rules) == 7 and rules <= set(spec["paths"])
    text = json.dumps(spec)
    for ref in set(re.findall(r'"\$ref": "#/components/schemas/([^"]+)"', text)):
        assert ref in spec["components"]["schemas"], ref


def test_multipart_submission_reads_a_gb18030_county_file_and_a_yaml_kit(client: FlaskClient) -> None:
    # as county offices keep it: a GB18030 CSV from Excel, one row per voter, the township and village in columns
    rows = [
        "乡镇,村,姓名,身份证号码,村民小组",
        "石门镇,柳溪村,汪兰萱,330122195808207825,第一组",
        "青山镇,白沙村,赵文,330122195212137619,第二组",
        "石门镇,柳溪村,龚爱,330122198108208388,第一组",
    ]
    csv = "\r\n".join(rows).encode("gb18030")
    kit_yaml = "name: 青山县\ndocuments:\n  - kind: roster.voters\n    copies: 2\ndefaults:\n  term: 12\n"
    r = client.post(
        "/api/v1/batches",
        data={"file": (io.BytesIO(csv), "county.csv"), "kit": (io.BytesIO(kit_yaml.encode()), "kit.yaml")},
        content_type="multipart/form-data",
        headers={"Idempotency-Key": "k1"},
    )
    assert r.status_code == 202, r.get_json()
    body = r.get_json()
    assert [(v["township"], v["village"]) for v in body["villages"]] == [("石门镇", "柳溪村"), ("青山镇", "白沙村")]
    assert body["state"] == "queued" and body["progress"]["villages"]["total"] == 2
    village = json.loads(store.village(client.application.extensions["db"], 1)["data"])
    assert [v["name"] for v in village["voters"]] == ["汪兰萱", "龚爱"]
    # a bad cell of the county file is a problem that names its row
    bad = csv.replace(b"330122195212137619", b"330122195212137610")
    r = client.post(
        "/api/v1/batches",
        data={"file": (io.BytesIO(bad), "county.csv"), "kit": kit_yaml},
        content_type="multipart/form-data",
    )
    assert r.status_code == 422 and r.get_json()["errors"][0]["path"].startswith("/file/3/"), r.get_json()
    # the kit as a text field works too; a broken one is a problem with its path
    r = client.post(
        "/api/v1/batches",
        data={"file": (io.BytesIO(csv), "county.csv"), "kit": "documents: 3"},
        content_type="multipart/form-data",
    )
    assert r.status_code == 422 and r.get_json()["errors"][0]["path"] == "/kit/documents"


def test_cancel_while_a_village_renders(batch_app: Flask) -> None:
    client = batch_app.test_client()
    body = {"kit": {**kit(), "ballots": []}, "villages": villages(3, 4)}
    job_id = client.post("/api/v1/batches", json=body).get_json()["id"]
    deadline = time.time() + 120
    while not any(v["state"] == "running" for v in client.get(f"/api/v1/batches/{job_id}").get_json()["villages"]):
        assert time.time() < deadline
        time.sleep(0.05)
    assert client.post(f"/api/v1/batches/{job_id}/cancel").get_json()["state"] == "cancelled"
    while True:
        status = client.get(f"/api/v1/batches/{job_id}").get_json()
        if not any(v["state"] == "running" for v in status["villages"]):
            break
        assert time.time() < deadline + 120
        time.sleep(0.1)
    states = [v["state"] for v in status["villages"]]
    assert status["state"] == "cancelled" and set(states) <= {"done", "cancelled"} and "cancelled" in states
    paths = [f["path"] for f in client.get(f"/api/v1/batches/{job_id}/manifest").get_json()["files"]]
    assert "全部打印合集.pdf" not in paths  # a cancelled job is not finished
    assert client.post(f"/api/v1/batches/{job_id}/villages/3/retry").status_code == 202  # it can be taken up again


def test_a_webhook_cut_off_by_a_crash_is_sent_again(tmp_path: Path, render_pool: RenderPool, hook_server: str) -> None:
    app = make_app(tmp_path, render_pool, BATCH_RUNNER="off", WEBHOOK_ATTEMPTS=3)
    engine = app.extensions["db"]
    job_id, _ = store.create(
        engine,
        kit=kit(),
        villages=[],
        principal="anonymous",
        region=None,
        idempotency_key=None,
        webhook_url=hook_server,
    )
    with engine.begin() as conn:  # what a process killed while sending leaves behind
        conn.execute(
            update(batches)
            .where(batches.c.id == job_id)
            .values(state="done", webhook_state="sending", finished_at=time.time() - 3600)
        )
    runner = Runner(app.config, engine, lambda: render_pool)
    runner.housekeeping(runner.env("t"))
    deadline = time.time() + 20
    while store.get(engine, job_id)["webhook_state"] != "sent":  # type: ignore[index]
        assert time.time() < deadline
        time.sleep(0.1)
    assert len(Hook.calls) == 2 and json.loads(Hook.calls[-1][1])["id"] == job_id


def test_batch_uploads_have_their_own_size_limit(tmp_path: Path, render_pool: RenderPool) -> None:
    body = {"kit": kit(), "villages": villages(2, 20)}
    assert len(json.dumps(body, ensure_ascii=False).encode()) > 5000
    app = make_app(tmp_path, render_pool, BATCH_RUNNER="off", MAX_CONTENT_LENGTH=2000, BATCH_MAX_UPLOAD=10**6)
    client = app.test_client()
    assert client.post("/api/v1/batches", json=body).status_code == 202  # a county is bigger than a document
    assert client.post("/api/v1/documents/roster.voters", json=body).status_code == 413
    app = make_app(tmp_path / "b", render_pool, BATCH_RUNNER="off", BATCH_MAX_UPLOAD=2000)
    r = app.test_client().post("/api/v1/batches", json=body)
    assert r.status_code == 413 and r.mimetype == "application/problem+json"
