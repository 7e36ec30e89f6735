"""The audit log: who produced what (kind, format, language, SHA-256, time, key or user, region), newest first."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select

from .db import produced
from .principal import Principal, current


def record(
    engine: Engine,
    kind: str,
    fmt: str,
    lang: str,
    sha256: str,
    size: int,
    detail: dict[str, Any] | None = None,
    principal: Principal | None = None,
) -> None:
    """Log one produced thing under the current caller (or ``principal``)."""
    who = principal or current()
    with engine.begin() as conn:
        conn.execute(
            produced.insert().values(
                kind=kind,
                format=fmt,
                lang=lang,
                sha256=sha256,
                size=size,
                principal=who.name,
                region=who.region,
                detail=detail,
            )
        )


def entries(
    engine: Engine,
    viewer: Principal,
    *,
    kind: str | None = None,
    since: datetime | None = None,
    principal: str | None = None,
    before: int | None = None,
    limit: int = 100,
) -> list[dict[str, Any]]:
    """One page of the log, newest first: rows with an id below ``before``, as far as ``viewer`` may see."""
    query = select(produced).order_by(produced.c.id.desc()).limit(limit)
    if kind:
        query = query.where(produced.c.kind.startswith(kind, autoescape=True))  # "ballot." finds every ballot
    if since is not None:
        query = query.where(produced.c.created_at >= since)
    if principal:
        query = query.where(produced.c.principal == principal)
    if before is not None:
        query = query.where(produced.c.id < before)
    if viewer.region is not None:  # a region-limited admin sees what callers of its own region produced
        query = query.where(produced.c.region.startswith(viewer.region, autoescape=True))
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(query).mappings()]
