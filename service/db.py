"""The database: SQLite by default, PostgreSQL by URL; tables are SQLAlchemy Core, created on start."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
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
    inspect,
    text,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.schema import CreateColumn

metadata = MetaData()

# The audit log: one row for everything the service produced (documents, final ballot prints, results), by whom.
produced = Table(
    "produced_documents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(80), nullable=False, index=True),  # a kind id, or results.<rule set>
    Column("format", String(8), nullable=False),  # pdf, docx or json
    Column("lang", String(8), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("size", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, default=lambda: datetime.now(UTC), index=True),
    Column("principal", String(200), nullable=False, server_default="anonymous", index=True),  # key:…, user:…
    Column("region", String(9)),  # the caller's region, NULL = not limited
    Column("detail", JSON),  # what else identifies it: a ballot print's election and serial range, a count's round
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
    Column("requested_by", String(200), nullable=False),  # the applicant the request names (printed on the record)
    Column("created_at", DateTime(timezone=True), nullable=False, default=lambda: datetime.now(UTC)),
    Column("principal", String(200), nullable=False, server_default="anonymous"),  # the key or user that printed
    Column("region", String(9)),  # the caller's region: a region-limited key sees only its own prints
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


api_keys = Table(
    "api_keys",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(80), nullable=False, unique=True),  # unique for ever: the audit log names keys by it
    Column("key_hash", String(64), nullable=False, unique=True),  # SHA-256 of the key; the key itself is never kept
    Column("prefix", String(16), nullable=False),  # the key's first characters, to recognise it in a list
    Column("scopes", String(40), nullable=False),  # comma-separated: render, batch, admin
    Column("region", String(9)),  # county (6 digits) or township (9 digits); NULL = everywhere
    Column("created_by", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, default=lambda: datetime.now(UTC)),
    Column("revoked_at", DateTime(timezone=True)),
)


def _add_missing_columns(engine: Engine) -> None:
    """Columns added to a table since an installation created it (create_all only makes missing tables)."""
    found = inspect(engine)
    for table in metadata.sorted_tables:
        have = {c["name"] for c in found.get_columns(table.name)}
        for column in table.columns:
            if column.name in have:
                continue
            ddl = CreateColumn(column).compile(dialect=engine.dialect)
            try:
                with engine.begin() as conn:
                    conn.execute(text(f"ALTER TABLE {table.name} ADD COLUMN {ddl}"))
            except DBAPIError:  # another process starting at the same moment added it first
                if column.name not in {c["name"] for c in inspect(engine).get_columns(table.name)}:
                    raise


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

    metadata.create_all(engine)
    _add_missing_columns(engine)
    return engine
