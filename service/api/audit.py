"""GET /audit: the audit log for admins, filtered by kind, time and caller, a page at a time."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Response, current_app, json, request, url_for

from .. import audit, errors
from ..errors import FieldError
from ..principal import current
from . import bp

MAX_LIMIT = 1000


def _int_arg(name: str, default: int | None, low: int, high: int) -> int | None:
    value = request.args.get(name)
    if value is None or value == "":
        return default
    if not value.isdigit() or not low <= int(value) <= high:
        raise errors.BadRequest(
            zh=f"{name} 应为 {low} 到 {high} 之间的整数",
            en=f"{name} must be a whole number from {low} to {high}",
            errors=[FieldError(f"/query/{name}", "range", f"应为 {low}–{high}", f"must be {low}–{high}")],
        )
    return int(value)


def utc(when: datetime) -> datetime:
    """A stored time in UTC (SQLite gives it back without a zone; it was written in UTC)."""
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(UTC)


def _since() -> datetime | None:
    value = request.args.get("since")
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise errors.BadRequest(
            zh="since 应为 ISO 8601 日期或时间，如 2026-11-21 或 2026-11-21T08:00:00+08:00",
            en="since must be an ISO 8601 date or time, e.g. 2026-11-21 or 2026-11-21T08:00:00+08:00",
            errors=[FieldError("/query/since", "format", "应为 ISO 8601 时间", "must be an ISO 8601 time")],
        ) from None
    return utc(when)


@bp.get("/audit")
def audit_log() -> Response:
    """Who produced what, newest first; ``next`` links the following page."""
    limit = _int_arg("limit", 100, 1, MAX_LIMIT)
    before = _int_arg("before", None, 1, 2**62)
    kind, who = request.args.get("kind") or None, request.args.get("principal") or None
    assert limit is not None
    rows = audit.entries(
        current_app.extensions["db"], current(), kind=kind, since=_since(), principal=who, before=before, limit=limit
    )
    following = None
    if len(rows) == limit:
        args: dict[str, object] = {k: v for k, v in request.args.items() if k != "before"}
        following = url_for("api.audit_log", **{**args, "before": rows[-1]["id"]})
    body = {
        "entries": [{**r, "created_at": utc(r["created_at"]).isoformat()} for r in rows],
        "next": following,
    }
    return Response(json.dumps(body, ensure_ascii=False), mimetype="application/json")
