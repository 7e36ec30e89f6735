"""The database layer and staff accounts on both databases the service supports: SQLite and PostgreSQL."""

from __future__ import annotations

import multiprocessing
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, make_url, select

from service import accounting, accounts, create_app, db


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """The tables in an empty database."""
    engine = db.connect(database_url)
    yield engine
    engine.dispose()


def test_connect_creates_every_table_and_is_safe_to_repeat(engine: Engine, database_url: str) -> None:
    assert set(db.metadata.tables) <= set(inspect(engine).get_table_names())
    again = db.connect(database_url)  # a restart: create_all finds the tables and leaves them
    again.dispose()
    assert set(db.metadata.tables) <= set(inspect(engine).get_table_names())


def test_times_are_stored_with_their_zone(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(db.produced.insert().values(kind="roster.voters", format="pdf", lang="zh", sha256="0" * 64,
                                                 size=1))
        (created,) = conn.execute(select(db.produced.c.created_at)).scalars()
    now = datetime.now(UTC)
    if created.tzinfo is None:  # SQLite keeps no zone; the value written was UTC
        created = created.replace(tzinfo=UTC)
    assert abs((now - created).total_seconds()) < 120


def test_accounts_create_authenticate_list_and_delete(engine: Engine) -> None:
    zhang = accounts.create(engine, " zhang ", "secret-pass-1", "admin")
    li = accounts.create(engine, "李四", "secret-pass-2", "clerk")
    assert accounts.authenticate(engine, "zhang", "secret-pass-1")["id"] == zhang  # type: ignore[index]
    assert accounts.authenticate(engine, "zhang", "wrong-password") is None
    assert accounts.authenticate(engine, "nobody", "secret-pass-1") is None
    assert [a["username"] for a in accounts.all_accounts(engine)] == sorted(["zhang", "李四"])
    stored = accounts.get(engine, li)
    assert stored is not None and stored["role"] == "clerk" and "secret-pass-2" not in stored["password_hash"]
    accounts.delete(engine, li)
    assert accounts.get(engine, li) is None


def test_a_taken_username_is_refused_and_the_database_stays_usable(engine: Engine) -> None:
    accounts.create(engine, "zhang", "secret-pass-1", "admin")
    with pytest.raises(accounts.AccountError) as caught:
        accounts.create(engine, "zhang", "another-pass", "clerk")
    assert "已存在" in caught.value.zh
    assert accounts.create(engine, "wang", "secret-pass-3", "clerk") > 0  # the failed insert left no broken state


def test_the_app_runs_on_the_database(database_url: str, tmp_path: Path) -> None:
    """The service itself started on the database: tables created, a staff login, a ballot print recorded."""
    app = create_app({"TESTING": True, "INSTANCE_DIR": str(tmp_path / "instance"), "DATABASE_URL": database_url})
    engine = app.extensions["db"]
    try:
        assert engine.dialect.name == make_url(database_url).get_backend_name()
        accounts.create(engine, "zhang", "secret-pass-1", "admin")
        client = app.test_client()
        page = client.get("/login").text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert csrf is not None
        resp = client.post("/login", data={"username": "zhang", "password": "secret-pass-1",
                                           "csrf_token": csrf.group(1)})
        assert resp.status_code == 303
        assert client.get("/").status_code == 200
        _, first = accounting.reserve(engine, election_id="e1", kind="ballot.x", quantity=3, requested_by="zhang",
                                      numbered=True)
        assert first == 1
    finally:
        engine.dispose()


def _connect(url: str) -> str:
    try:
        db.connect(url)
    except Exception as exc:  # reported to the parent, which asserts on it
        return repr(exc)
    return "ok"


def test_workers_starting_together_on_a_new_database_all_boot(tmp_path: Path) -> None:
    """gunicorn starts its workers at once; each creates the tables (two used to race: 'table already exists')."""
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(4) as pool:
        for round_ in range(4):
            url = f"sqlite:///{tmp_path / f'race{round_}.sqlite3'}"
            assert pool.map(_connect, [url] * 4) == ["ok"] * 4
            assert set(db.metadata.tables) <= set(inspect(db.connect(url)).get_table_names())
