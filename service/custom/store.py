"""Versions of custom templates in the database: upload, activate, roll back, and the one a render uses."""

from __future__ import annotations

import hashlib
import re
import threading
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, and_, func, select, update
from sqlalchemy.exc import IntegrityError

from ..db import custom_templates as t
from ..errors import BadRequest, FieldError, NotFound
from . import CustomTemplate

REGION = re.compile(r"^\d{6}(\d{3})?$")  # a county (6 digits) or township (9 digits) code
_COLUMNS = [c for c in t.c if c.name != "content"]
_contents: dict[str, bytes] = {}  # SHA-256 → bytes of templates this process has rendered with
_contents_lock = threading.Lock()


def check_region(region: str | None, path: str = "/region") -> str:
    """A region code as stored ("" = everywhere), or 400."""
    if region in (None, ""):
        return ""
    assert region is not None
    if not REGION.match(region):
        raise BadRequest(
            zh="region 应为6位县级或9位乡级区划代码",
            en="region must be a 6-digit county or 9-digit township code",
            errors=[FieldError(path, "pattern", "应为6位或9位数字", "must be 6 or 9 digits")],
        )
    return region


def _public(row: Any) -> dict[str, Any]:
    d = dict(row._mapping)
    d["region"] = d["region"] or None
    for key in ("created_at", "activated_at"):
        if d.get(key) is not None:
            d[key] = d[key].isoformat()
    return d


def add(
    engine: Engine,
    *,
    kind: str,
    fmt: str,
    region: str,
    filename: str,
    content: bytes,
    lint: dict[str, Any],
    note: str,
    by: str,
) -> dict[str, Any]:
    """Store a checked template as the next version of its kind, format and region (not active yet)."""
    sha = hashlib.sha256(content).hexdigest()
    for _ in range(5):
        try:
            with engine.begin() as conn:
                last = conn.execute(
                    select(func.max(t.c.version)).where(t.c.kind == kind, t.c.format == fmt, t.c.region == region)
                ).scalar()
                inserted = conn.execute(
                    t.insert().values(
                        kind=kind,
                        format=fmt,
                        region=region,
                        version=(last or 0) + 1,
                        sha256=sha,
                        size=len(content),
                        filename=filename[:255],
                        content=content,
                        lint=lint,
                        note=note[:500],
                        active=False,
                        uploaded_by=by,
                    )
                ).inserted_primary_key
            assert inserted is not None
            return get(engine, inserted[0])
        except IntegrityError:
            continue  # another upload took this version number: take the next
    raise RuntimeError("could not allocate a template version")


def get(engine: Engine, template_id: int) -> dict[str, Any]:
    """One version's record (without its bytes), or 404."""
    if not 0 < template_id < 2**63:  # past what the database's integers hold: it cannot exist
        raise NotFound(zh=f"没有编号为{template_id}的模板", en=f"there is no template {template_id}")
    with engine.connect() as conn:
        row = conn.execute(select(*_COLUMNS).where(t.c.id == template_id)).first()
    if row is None:
        raise NotFound(zh=f"没有编号为{template_id}的模板", en=f"there is no template {template_id}")
    return _public(row)


def listing(engine: Engine, kind: str | None = None, region: str | None = None) -> list[dict[str, Any]]:
    """Every version, newest first, optionally of one kind and one region ("" = everywhere)."""
    query = select(*_COLUMNS).order_by(t.c.kind, t.c.format, t.c.region, t.c.version.desc())
    if kind:
        query = query.where(t.c.kind == kind)
    if region is not None:
        query = query.where(t.c.region == region)
    with engine.connect() as conn:
        return [_public(r) for r in conn.execute(query)]


def _group(row: dict[str, Any]) -> Any:
    return and_(t.c.kind == row["kind"], t.c.format == row["format"], t.c.region == (row["region"] or ""))


def activate(engine: Engine, template_id: int, by: str) -> dict[str, Any]:
    """Make a version the active one of its kind, format and region (the one before it stops being active)."""
    row = get(engine, template_id)
    with engine.begin() as conn:
        conn.execute(update(t).where(_group(row), t.c.active.is_(True)).values(active=False))
        conn.execute(
            update(t).where(t.c.id == template_id).values(active=True, activated_by=by, activated_at=datetime.now(UTC))
        )
    return get(engine, template_id)


def rollback(engine: Engine, template_id: int, by: str) -> dict[str, Any] | None:
    """Re-activate the version before the active one of this template's kind, format and region; with no
    earlier version the built-in template is used again (None)."""
    row = get(engine, template_id)
    with engine.begin() as conn:
        current = conn.execute(select(t.c.version).where(_group(row), t.c.active.is_(True))).scalar()
        if current is None:
            raise BadRequest(
                zh="该模板所在的种类和地区没有已启用的版本，无需回退",
                en="no version of this template's kind and region is active: nothing to roll back",
            )
        previous = conn.execute(
            select(t.c.id).where(_group(row), t.c.version < current).order_by(t.c.version.desc()).limit(1)
        ).scalar()
        conn.execute(update(t).where(_group(row), t.c.active.is_(True)).values(active=False))
        if previous is not None:
            conn.execute(
                update(t).where(t.c.id == previous).values(active=True, activated_by=by, activated_at=datetime.now(UTC))
            )
    return get(engine, previous) if previous is not None else None


def regions_of(region: str | None) -> list[str]:
    """The regions whose templates apply to ``region``, most specific first: township, county, everywhere."""
    if not region:
        return [""]
    return [region, region[:6], ""] if len(region) == 9 else [region, ""]


def active_for(engine: Engine, kind: str, fmt: str, region: str | None) -> CustomTemplate | None:
    """The template a render of ``kind`` in ``fmt`` (docx or html) for ``region`` uses: the most specific
    active one (township over county over everywhere), or None for the built-in one."""
    candidates = regions_of(region)
    with engine.connect() as conn:
        rows = conn.execute(
            select(t.c.id, t.c.region, t.c.version, t.c.sha256).where(
                t.c.kind == kind, t.c.format == fmt, t.c.active.is_(True), t.c.region.in_(candidates)
            )
        ).all()
    if not rows:
        return None
    best = min(rows, key=lambda r: candidates.index(r.region))
    return CustomTemplate(best.id, kind, fmt, best.region, best.version, best.sha256, content(engine, best.id))


def content(engine: Engine, template_id: int) -> bytes:
    """The bytes of a version, read once per process and kept by SHA-256 (a version's bytes never change)."""
    with engine.connect() as conn:
        sha = conn.execute(select(t.c.sha256).where(t.c.id == template_id)).scalar()
        if sha is None:
            raise NotFound(zh=f"没有编号为{template_id}的模板", en=f"there is no template {template_id}")
        with _contents_lock:
            if sha in _contents:
                return _contents[sha]
        data: bytes = conn.execute(select(t.c.content).where(t.c.id == template_id)).scalar_one()
    with _contents_lock:
        if len(_contents) >= 64:
            _contents.pop(next(iter(_contents)))
        _contents[sha] = data
    return data


def template(engine: Engine, template_id: int) -> CustomTemplate:
    """A stored version as a render needs it (for previews, active or not)."""
    row = get(engine, template_id)
    return CustomTemplate(
        row["id"],
        row["kind"],
        row["format"],
        row["region"] or "",
        row["version"],
        row["sha256"],
        content(engine, template_id),
    )
