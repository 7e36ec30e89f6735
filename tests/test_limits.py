"""Every limit is a setting with a default, and each answers with a clear 4xx or a 503 with Retry-After."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service import config, create_app, kinds
from service.render.pool import RenderPool

LIMITS = ["MAX_CONTENT_LENGTH", "MAX_ROWS", "MAX_PAGES", "MAX_RENDERS_IN_FLIGHT", "MAX_UPLOAD_UNPACKED",
          "MAX_CELL_CHARS", "RENDER_TIMEOUT", "RENDER_WORKERS"]


@pytest.mark.parametrize("name", LIMITS)
def test_each_limit_is_a_documented_setting(name: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    default, kind, description = config.SETTINGS[name]
    assert default > 0 and description
    assert f"`ELECTION_DOCS_{name}`" in (Path(__file__).parents[1] / "README.md").read_text("utf-8")
    monkeypatch.setenv(f"ELECTION_DOCS_{name}", "7")
    assert config.load({"INSTANCE_DIR": str(tmp_path)})[name] == kind(7)
    monkeypatch.setenv(f"ELECTION_DOCS_{name}", "0")
    with pytest.raises(RuntimeError, match=name):
        config.load({"INSTANCE_DIR": str(tmp_path)})


def test_a_table_over_the_page_limit_is_refused_before_rendering(app: Flask, client: FlaskClient) -> None:
    app.config["MAX_PAGES"] = 2
    data = kinds.get("roster.voters").sample()
    data["voters"] = data["voters"] * 60
    resp = client.post("/api/v1/documents/roster.voters?format=pdf", json=data)
    assert resp.status_code == 413 and resp.mimetype == "application/problem+json"
    problem = resp.get_json()
    assert problem["errors"][0]["code"] == "too_many_pages" and "2" in problem["detail"]


def test_a_print_run_over_the_page_limit_is_refused(app: Flask, client: FlaskClient) -> None:
    app.config["MAX_PAGES"] = 10
    data = kinds.get("ballot.villagers-committee").sample()
    data["print"].update(final=True, requested_by="李明")
    resp = client.post("/api/v1/documents/ballot.villagers-committee?format=pdf", json=data)
    assert resp.status_code == 413, resp.get_json()
    assert client.get("/api/v1/ballot-prints?format=json").get_json()["total_printed"] == 0  # nothing recorded


def test_renders_over_the_in_flight_limit_get_503_with_retry_after(tmp_path: Path, render_pool: RenderPool) -> None:
    app = create_app({"TESTING": True, "INSTANCE_DIR": str(tmp_path), "MAX_RENDERS_IN_FLIGHT": 1})
    app.extensions["render_pool"] = render_pool
    client = app.test_client()
    sample = kinds.get("announcement.election-committee").sample()
    slots = app.extensions["render_slots"]
    assert slots.acquire(blocking=False)  # one render in flight (held here as a slow request would hold it)
    try:
        resp = client.post("/api/v1/documents/announcement.election-committee?format=docx", json=sample)
        assert resp.status_code == 503 and resp.mimetype == "application/problem+json"
        assert int(resp.headers["Retry-After"]) > 0
        assert resp.get_json()["type"].endswith("/busy")
        resp = client.get("/api/v1/ballot-prints?format=docx")
        assert resp.status_code == 503
    finally:
        slots.release()
    resp = client.post("/api/v1/documents/announcement.election-committee?format=docx", json=sample)
    assert resp.status_code == 200  # the slot was given back


@pytest.mark.parametrize("depth", [65, 5_000, 100_000])
def test_deeply_nested_json_is_a_400(client: FlaskClient, depth: int) -> None:
    body = '{"a": ' * depth + "1" + "}" * depth
    for url in ("/api/v1/documents/roster.voters", "/api/v1/results"):
        resp = client.post(url, data=body, content_type="application/json")
        assert resp.status_code == 400, resp.get_data(as_text=True)[:300]
        assert "64" in resp.get_json()["detail"]


@pytest.mark.parametrize("char", ["\x00", "\x0b", "\x1f", "\ufffe", "\uffff"])
@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_a_control_character_in_a_field_is_a_422_naming_it(client: FlaskClient, char: str, fmt: str) -> None:
    data = kinds.get("announcement.election-committee").sample()
    data["contact"] = f"电话{char}123"
    resp = client.post(
        f"/api/v1/documents/announcement.election-committee?format={fmt}",
        data=json.dumps(data),
        content_type="application/json",
    )
    assert resp.status_code == 422
    (error,) = resp.get_json()["errors"]
    assert error["path"] == "/contact" and error["code"] == "control_character"
    assert f"U+{ord(char):04X}" in error["message"]
