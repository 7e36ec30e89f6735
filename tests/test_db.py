"""The database: tables created on start, also when several server processes start together."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from sqlalchemy import inspect

from service import db


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
