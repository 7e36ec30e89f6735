"""The database: SQLite by default, PostgreSQL by URL; tables are SQLAlchemy Core, created on start."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
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


# Batch printing (service/batches): times are epoch seconds (floats compare the same in SQLite and PostgreSQL).
batches = Table(
    "batches",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("state", String(12), nullable=False, index=True),  # queued, running, done, failed, cancelled
    Column("kit", Text, nullable=False),  # the kit as JSON
    Column("principal", String(200), nullable=False),
    Column("region", String(12)),
    Column("idempotency_key", String(200)),
    Column("fingerprint", String(64)),  # sha256 of the submission: a reused key with other content is refused
    Column("webhook_url", String(2000)),
    Column("webhook_state", String(12)),  # pending, sending, sent, failed; NULL without a webhook
    Column("webhook_attempts", Integer, nullable=False, default=0),
    Column("villages_total", Integer, nullable=False),
    Column("owner", String(80)),  # who is finishing the job (county PDF, manifest), with its lease
    Column("lease_until", Float),
    Column("created_at", Float, nullable=False),
    Column("started_at", Float),
    Column("finished_at", Float),
    UniqueConstraint("principal", "idempotency_key", name="uq_batch_idempotency"),
)

batch_villages = Table(
    "batch_villages",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("batch_id", String(32), ForeignKey("batches.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("position", Integer, nullable=False),  # 1.. in township, village order; the village's key in the API
    Column("township", String(200), nullable=False),
    Column("village", String(200), nullable=False),
    Column("data", Text, nullable=False),  # the village as JSON (place, voters, its own fields)
    Column("state", String(12), nullable=False, index=True),  # queued, running, done, failed, cancelled
    Column("owner", String(80)),  # the worker rendering it; its claim holds until lease_until
    Column("lease_until", Float),
    Column("dispatched_at", Float),  # when it was last sent to a Celery worker
    Column("attempts", Integer, nullable=False, default=0),
    Column("reservations", Text),  # JSON list of ballot_prints ids reserved by the current attempt
    Column("errors", Text),  # JSON list of problems
    Column("pages", Integer),
    Column("started_at", Float),
    Column("finished_at", Float),
    UniqueConstraint("batch_id", "position", name="uq_batch_village"),
)

batch_files = Table(
    "batch_files",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("batch_id", String(32), ForeignKey("batches.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("village_id", Integer, ForeignKey("batch_villages.id", ondelete="CASCADE")),  # NULL: county-wide
    Column("path", String(600), nullable=False),
    Column("kind", String(80), nullable=False),
    Column("format", String(8), nullable=False),
    Column("pages", Integer),
    Column("sha256", String(64), nullable=False),
    Column("size", Integer, nullable=False),
    Column("serial_first", Integer),
    Column("serial_last", Integer),
    UniqueConstraint("batch_id", "path", name="uq_batch_file"),
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


# Custom templates uploaded by staff. The file bytes live in the row, not in INSTANCE_DIR: every service process
# and host sees the same templates through the one database (PostgreSQL deployments share no folder), a version
# and its bytes are committed together (no orphan or missing file), and a database backup holds them all.
# Templates are small (TEMPLATE_MAX_BYTES), and renders read them through a cache keyed by SHA-256.
custom_templates = Table(
    "custom_templates",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(80), nullable=False),
    Column("format", String(8), nullable=False),  # docx (for Word documents) or html (for PDFs)
    Column("region", String(12), nullable=False),  # county or township code; "" = everywhere
    Column("version", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("size", Integer, nullable=False),
    Column("filename", String(255), nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("lint", JSON, nullable=False),  # what the lint checked and found (warnings only: errors refuse)
    Column("note", String(500), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("uploaded_by", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, default=lambda: datetime.now(UTC)),
    Column("activated_by", String(200)),
    Column("activated_at", DateTime(timezone=True)),
    # two uploads racing for the same next version collide here and the loser retries
    UniqueConstraint("kind", "format", "region", "version", name="uq_template_version"),
    # at most one active version per kind, format and region, enforced by the database itself
    Index(
        "uq_template_active",
        "kind",
        "format",
        "region",
        unique=True,
        sqlite_where=Column("active").is_(True),
        postgresql_where=Column("active").is_(True),
    ),
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
    _add_missing_columns(engine)
    return engine
