"""The database: SQLite by default, PostgreSQL by URL; tables are SQLAlchemy Core, created on start."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
    create_engine,
    event,
)
from sqlalchemy.exc import DBAPIError

metadata = MetaData()

produced = Table(
    "produced_documents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(80), nullable=False, index=True),
    Column("format", String(8), nullable=False),
    Column("lang", String(8), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("size", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, default=lambda: datetime.now(UTC)),
)


ballot_prints = Table(
    "ballot_prints",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("election_id", String(120), nullable=False, index=True),
    Column("kind", String(80), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("serial_first", Integer),  # NULL when the ballots carry no counterfoil
    Column("serial_last", Integer),
    Column("status", String(12), nullable=False),  # reserved, printed, failed — a range is never given out twice
    Column("sha256", String(64)),
    Column("requested_by", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, default=lambda: datetime.now(UTC)),
    # two reservations racing for the same next range collide here and the loser retries
    UniqueConstraint("election_id", "serial_first", name="uq_ballot_serials"),
)


users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(80), nullable=False, unique=True),
    Column("password_hash", String(255), nullable=False),
    Column("role", String(12), nullable=False),  # admin or clerk
    Column("created_at", DateTime(timezone=True), nullable=False, default=lambda: datetime.now(UTC)),
)


def connect(url: str) -> Engine:
    """An engine for the URL, with the tables created; SQLite gets WAL so readers never block a writer."""
    engine = create_engine(url, future=True, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _pragmas(conn: Any, _record: Any) -> None:
            cur = conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

    for attempt in range(5):
        try:
            metadata.create_all(engine)
            break
        except DBAPIError:
            # gunicorn workers start together: another one created a table between the check and the CREATE
            if attempt == 4:
                raise
            time.sleep(0.1 * (attempt + 1))
    return engine
