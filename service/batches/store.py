"""Jobs, villages and files in the database: the durable state every runner (thread or Celery worker) shares.

A village is claimed with a lease: a worker that dies (SIGKILL) stops renewing it, and once it lapses
another worker takes the village over. A village is ``done`` only after every one of its files is recorded.
"""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

from sqlalchemy import Engine, and_, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from ..db import batch_files, batch_villages, batches
from ..errors import Conflict

ACTIVE = ("queued", "running")


def create(
    engine: Engine,
    *,
    kit: dict[str, Any],
    villages: list[dict[str, Any]],
    principal: str,
    region: str | None,
    idempotency_key: str | None,
    webhook_url: str | None,
    fingerprint: str | None = None,
) -> tuple[str, bool]:
    """A new job with its villages (in the order given), or the existing one for the same idempotency key;
    ``(id, created)``. Conflict when the key was used for a different submission."""
    if idempotency_key:
        found = _by_key(engine, principal, idempotency_key, fingerprint)
        if found:
            return found, False
    job_id = uuid.uuid4().hex
    now = time.time()
    try:
        with engine.begin() as conn:
            conn.execute(
                batches.insert().values(
                    id=job_id,
                    state="queued",
                    kit=json.dumps(kit, ensure_ascii=False),
                    principal=principal,
                    region=region,
                    idempotency_key=idempotency_key,
                    fingerprint=fingerprint,
                    webhook_url=webhook_url,
                    webhook_state="pending" if webhook_url else None,
                    webhook_attempts=0,
                    villages_total=len(villages),
                    created_at=now,
                )
            )
            if villages:
                conn.execute(
                    batch_villages.insert(),
                    [
                        {
                            "batch_id": job_id,
                            "position": i,
                            "township": v["township"],
                            "village": v["village"],
                            "data": json.dumps(v, ensure_ascii=False),
                            "state": "queued",
                            "attempts": 0,
                        }
                        for i, v in enumerate(villages, 1)
                    ],
                )
    except IntegrityError:
        found = _by_key(engine, principal, idempotency_key or "", fingerprint)
        if found:  # the same submission raced us: answer with its job
            return found, False
        raise
    return job_id, True


def _by_key(engine: Engine, principal: str, key: str, fingerprint: str | None) -> str | None:
    with engine.connect() as conn:
        row = conn.execute(
            select(batches.c.id, batches.c.fingerprint).where(
                batches.c.principal == principal, batches.c.idempotency_key == key
            )
        ).first()
    if row is None:
        return None
    if fingerprint and row.fingerprint and row.fingerprint != fingerprint:
        raise Conflict(
            zh="这个 Idempotency-Key 已用于另一份不同的提交",
            en="this Idempotency-Key was used for a different submission",
        )
    return str(row.id)


def get(engine: Engine, job_id: str) -> dict[str, Any] | None:
    """The job's row, or None."""
    with engine.connect() as conn:
        row = conn.execute(select(batches).where(batches.c.id == job_id)).first()
    return dict(row._mapping) if row else None


def villages(engine: Engine, job_id: str) -> list[dict[str, Any]]:
    """The job's villages in order, without their data."""
    cols = [c for c in batch_villages.c if c.name != "data"]
    with engine.connect() as conn:
        rows = conn.execute(
            select(*cols).where(batch_villages.c.batch_id == job_id).order_by(batch_villages.c.position)
        )
        return [dict(r._mapping) for r in rows]


def village(engine: Engine, village_id: int) -> dict[str, Any]:
    """One village's row, its data included."""
    with engine.connect() as conn:
        return dict(conn.execute(select(batch_villages).where(batch_villages.c.id == village_id)).one()._mapping)


def files(engine: Engine, job_id: str) -> list[dict[str, Any]]:
    """The job's recorded files, in path order."""
    with engine.connect() as conn:
        rows = conn.execute(select(batch_files).where(batch_files.c.batch_id == job_id).order_by(batch_files.c.path))
        return [dict(r._mapping) for r in rows]


def _claimable(now: float) -> Any:
    return or_(
        batch_villages.c.state == "queued",
        and_(batch_villages.c.state == "running", batch_villages.c.lease_until < now),
    )


def candidates(engine: Engine, limit: int = 50, job_id: str | None = None) -> list[int]:
    """Villages that a worker may take now (queued, or running under a lapsed lease) of active jobs, oldest
    job first."""
    now = time.time()
    query = (
        select(batch_villages.c.id)
        .join(batches, batches.c.id == batch_villages.c.batch_id)
        .where(batches.c.state.in_(ACTIVE), _claimable(now))
        .order_by(batches.c.created_at, batch_villages.c.position)
        .limit(limit)
    )
    if job_id:
        query = query.where(batches.c.id == job_id)
    with engine.connect() as conn:
        return [r[0] for r in conn.execute(query)]


def claim(engine: Engine, village_id: int, owner: str, lease: float) -> bool:
    """Take a village for ``owner`` until ``lease`` seconds from now; False when someone else holds it."""
    now = time.time()
    with engine.begin() as conn:
        got = conn.execute(
            update(batch_villages)
            .where(batch_villages.c.id == village_id, _claimable(now))
            .values(
                state="running",
                owner=owner,
                lease_until=now + lease,
                started_at=now,
                attempts=batch_villages.c.attempts + 1,
            )
        ).rowcount
        if got:
            job_id = conn.execute(
                select(batch_villages.c.batch_id).where(batch_villages.c.id == village_id)
            ).scalar_one()
            conn.execute(
                update(batches)
                .where(batches.c.id == job_id, batches.c.state == "queued")
                .values(state="running", started_at=now)
            )
    return bool(got)


def claim_next(engine: Engine, owner: str, lease: float) -> int | None:
    """Claim the first village anyone may take, or None when there is none."""
    for village_id in candidates(engine):
        if claim(engine, village_id, owner, lease):
            return village_id
    return None


def _owned(village_id: int, owner: str) -> tuple[Any, ...]:
    """The conditions of a claim still held: the village is running, and by this owner."""
    return (batch_villages.c.id == village_id, batch_villages.c.owner == owner, batch_villages.c.state == "running")


def renew(engine: Engine, village_id: int, owner: str, lease: float) -> bool:
    """Extend the claim; False when it was lost (the lease lapsed and another worker took the village)."""
    with engine.begin() as conn:
        return bool(
            conn.execute(
                update(batch_villages)
                .where(*_owned(village_id, owner))
                .values(lease_until=time.time() + lease)
            ).rowcount
        )


def set_reservations(engine: Engine, village_id: int, ids: list[int]) -> None:
    """The ballot reservations the current attempt holds (so a later attempt can void them)."""
    with engine.begin() as conn:
        conn.execute(
            update(batch_villages).where(batch_villages.c.id == village_id).values(reservations=json.dumps(ids))
        )


def clear_files(engine: Engine, village_id: int) -> None:
    """Forget the files a killed attempt may have recorded; the new attempt records its own."""
    with engine.begin() as conn:
        conn.execute(delete(batch_files).where(batch_files.c.village_id == village_id))


def record_file(engine: Engine, job_id: str, village_id: int | None, **row: Any) -> None:
    """Record one written file (replacing an older record of the same path)."""
    with engine.begin() as conn:
        conn.execute(delete(batch_files).where(batch_files.c.batch_id == job_id, batch_files.c.path == row["path"]))
        conn.execute(batch_files.insert().values(batch_id=job_id, village_id=village_id, **row))


def settle(
    engine: Engine,
    village_id: int,
    owner: str,
    state: str,
    *,
    pages: int | None = None,
    errors: list[dict[str, Any]] | None = None,
) -> bool:
    """End the owner's attempt at a village: done, failed or cancelled; False if the claim was lost."""
    with engine.begin() as conn:
        return bool(
            conn.execute(
                update(batch_villages)
                .where(*_owned(village_id, owner))
                .values(
                    state=state,
                    pages=pages,
                    errors=json.dumps(errors or [], ensure_ascii=False),
                    lease_until=None,
                    finished_at=time.time(),
                )
            ).rowcount
        )


def cancel(engine: Engine, job_id: str) -> bool:
    """Cancel an active job: waiting villages are cancelled now, running ones stop after their current file."""
    with engine.begin() as conn:
        got = conn.execute(
            update(batches)
            .where(batches.c.id == job_id, batches.c.state.in_(ACTIVE))
            .values(state="cancelled", finished_at=time.time())
        ).rowcount
        conn.execute(
            update(batch_villages)
            .where(batch_villages.c.batch_id == job_id, batch_villages.c.state == "queued")
            .values(state="cancelled")
        )
    return bool(got)


def retry(engine: Engine, job_id: str, position: int) -> bool:
    """Queue a failed (or cancelled) village again and reopen its job; False when it is not retryable."""
    with engine.begin() as conn:
        got = conn.execute(
            update(batch_villages)
            .where(
                batch_villages.c.batch_id == job_id,
                batch_villages.c.position == position,
                batch_villages.c.state.in_(("failed", "cancelled")),
            )
            .values(state="queued", owner=None, lease_until=None, errors=None, finished_at=None)
        ).rowcount
        if got:
            conn.execute(
                update(batches)
                .where(batches.c.id == job_id)
                .values(state="running", finished_at=None, owner=None, lease_until=None)
            )
            conn.execute(
                update(batches)
                .where(batches.c.id == job_id, batches.c.webhook_url.is_not(None))
                .values(webhook_state="pending", webhook_attempts=0)
            )
    return bool(got)


def ready_to_finish(engine: Engine) -> list[str]:
    """Running jobs whose villages have all ended and that nobody is finishing now."""
    now = time.time()
    open_villages = (
        select(batch_villages.c.id)
        .where(batch_villages.c.batch_id == batches.c.id, batch_villages.c.state.in_(ACTIVE))
        .exists()
    )
    query = select(batches.c.id).where(
        batches.c.state.in_(ACTIVE), ~open_villages, or_(batches.c.lease_until.is_(None), batches.c.lease_until < now)
    )
    with engine.connect() as conn:
        return [r[0] for r in conn.execute(query)]


def claim_finish(engine: Engine, job_id: str, owner: str, lease: float) -> bool:
    """Take the job's finishing step (county PDF, manifest) for ``owner``."""
    now = time.time()
    with engine.begin() as conn:
        return bool(
            conn.execute(
                update(batches)
                .where(
                    batches.c.id == job_id,
                    batches.c.state.in_(ACTIVE),
                    or_(batches.c.lease_until.is_(None), batches.c.lease_until < now),
                )
                .values(owner=owner, lease_until=now + lease)
            ).rowcount
        )


def close(engine: Engine, job_id: str, owner: str, state: str) -> bool:
    """Mark the job done or failed, if ``owner`` still holds its finishing step and no village reopened."""
    with engine.begin() as conn:
        reopened = conn.execute(
            select(func.count()).where(batch_villages.c.batch_id == job_id, batch_villages.c.state.in_(ACTIVE))
        ).scalar_one()
        values: dict[str, Any] = {"owner": None, "lease_until": None}
        if not reopened:
            values.update(state=state, finished_at=time.time())
        got = conn.execute(
            update(batches)
            .where(batches.c.id == job_id, batches.c.owner == owner, batches.c.state.in_(ACTIVE))
            .values(**values)
        ).rowcount
    return bool(got) and not reopened


def pending_webhooks(engine: Engine) -> list[str]:
    """Ended jobs whose completion call has not been made."""
    with engine.connect() as conn:
        return [
            r[0]
            for r in conn.execute(
                select(batches.c.id).where(
                    batches.c.state.in_(("done", "failed")), batches.c.webhook_state == "pending"
                )
            )
        ]


def revive_webhooks(engine: Engine, finished_before: float) -> int:
    """Webhooks left ``sending`` by a process that died while sending (their job ended long enough ago that no
    live sender can still be trying) go back to ``pending``; how many."""
    with engine.begin() as conn:
        return int(
            conn.execute(
                update(batches)
                .where(batches.c.webhook_state == "sending", batches.c.finished_at < finished_before)
                .values(webhook_state="pending")
            ).rowcount
        )


def take_webhook(engine: Engine, job_id: str) -> bool:
    """Take a pending webhook for sending (only one sender per job)."""
    with engine.begin() as conn:
        return bool(
            conn.execute(
                update(batches)
                .where(batches.c.id == job_id, batches.c.webhook_state == "pending")
                .values(webhook_state="sending")
            ).rowcount
        )


def webhook_result(engine: Engine, job_id: str, sent: bool, attempts: int) -> None:
    """Record how the webhook went."""
    with engine.begin() as conn:
        conn.execute(
            update(batches)
            .where(batches.c.id == job_id)
            .values(webhook_state="sent" if sent else "failed", webhook_attempts=attempts)
        )


def dispatchable(engine: Engine, stale: float) -> list[int]:
    """Villages to send to Celery: claimable and not sent within ``stale`` seconds."""
    now = time.time()
    query = (
        select(batch_villages.c.id)
        .join(batches, batches.c.id == batch_villages.c.batch_id)
        .where(
            batches.c.state.in_(ACTIVE),
            _claimable(now),
            or_(batch_villages.c.dispatched_at.is_(None), batch_villages.c.dispatched_at < now - stale),
        )
        .order_by(batches.c.created_at, batch_villages.c.position)
    )
    with engine.connect() as conn:
        return [r[0] for r in conn.execute(query)]


def dispatched(engine: Engine, village_id: int) -> None:
    """Note that a village was just sent to Celery."""
    with engine.begin() as conn:
        conn.execute(update(batch_villages).where(batch_villages.c.id == village_id).values(dispatched_at=time.time()))


def release_all(engine: Engine, job_id: str) -> None:
    """Give back every running village of a job at once (its only worker is starting again: the CLI)."""
    with engine.begin() as conn:
        conn.execute(
            update(batch_villages)
            .where(batch_villages.c.batch_id == job_id, batch_villages.c.state == "running")
            .values(lease_until=0.0)
        )
        conn.execute(update(batches).where(batches.c.id == job_id).values(lease_until=None, owner=None))


def release(engine: Engine, village_id: int, owner: str) -> None:
    """Give a village back untouched (its worker is shutting down): the next worker starts it afresh."""
    with engine.begin() as conn:
        conn.execute(
            update(batch_villages)
            .where(*_owned(village_id, owner))
            .values(state="queued", owner=None, lease_until=None)
        )
