"""The job store on SQLite and PostgreSQL: idempotency, claims and leases, finishing, cancel, retry, webhooks."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import update

from batch_kit import kit, villages
from service import db, errors
from service.batches import store
from service.db import batch_villages, batches


def test_store_on_both_databases(database_url: str) -> None:
    engine = db.connect(database_url)
    try:
        vs = [{"township": "石门镇", "village": v["place"]["village"], **v} for v in villages(3)]
        job, created = store.create(
            engine,
            kit=kit(),
            villages=vs,
            principal="key:a",
            region="330122",
            idempotency_key="k",
            webhook_url="http://127.0.0.1:9/x",
            fingerprint="f1",
        )
        assert created
        assert store.create(
            engine,
            kit=kit(),
            villages=vs,
            principal="key:a",
            region="330122",
            idempotency_key="k",
            webhook_url=None,
            fingerprint="f1",
        ) == (job, False)
        with pytest.raises(errors.Conflict):
            store.create(
                engine,
                kit=kit(),
                villages=vs,
                principal="key:a",
                region=None,
                idempotency_key="k",
                webhook_url=None,
                fingerprint="f2",
            )
        first, second, third = (v["id"] for v in store.villages(engine, job))

        # one claim wins; the job starts; only the owner may renew or settle
        assert store.claim(engine, first, "w1", 60) and not store.claim(engine, first, "w2", 60)
        assert store.get(engine, job)["state"] == "running"  # type: ignore[index]
        assert not store.renew(engine, first, "w2", 60) and store.renew(engine, first, "w1", 60)
        assert not store.settle(engine, first, "w2", "done")
        # a lapsed lease (its worker was killed) lets another worker take the village over
        with engine.begin() as conn:
            conn.execute(update(batch_villages).where(batch_villages.c.id == first).values(lease_until=time.time() - 1))
        assert store.claim_next(engine, "w2", 60) == first
        assert not store.renew(engine, first, "w1", 60)  # the old owner learns it lost the village
        assert store.village(engine, first)["attempts"] == 2
        store.record_file(
            engine,
            job,
            first,
            path="石门镇/a.pdf",
            kind="roster.voters",
            format="pdf",
            pages=2,
            sha256="0" * 64,
            size=10,
            serial_first=None,
            serial_last=None,
        )
        store.record_file(
            engine,
            job,
            first,
            path="石门镇/a.pdf",
            kind="roster.voters",
            format="pdf",
            pages=3,
            sha256="1" * 64,
            size=11,
            serial_first=None,
            serial_last=None,
        )
        assert [(f["pages"], f["size"]) for f in store.files(engine, job)] == [(3, 11)]  # one record per path
        assert store.settle(engine, first, "w2", "done", pages=3)

        assert store.claim_next(engine, "w1", 60) == second
        assert store.settle(engine, second, "w1", "failed", errors=[{"detail": "x"}])
        assert store.ready_to_finish(engine) == []  # the third village is still waiting
        assert store.claim_next(engine, "w1", 60) == third and store.settle(engine, third, "w1", "done", pages=1)
        assert store.ready_to_finish(engine) == [job]
        assert store.claim_finish(engine, job, "f", 60) and not store.claim_finish(engine, job, "g", 60)
        assert store.close(engine, job, "f", "failed")
        assert store.get(engine, job)["state"] == "failed"  # type: ignore[index]

        # retry reopens the job; the webhook goes out again when it ends
        assert store.pending_webhooks(engine) == [job] and store.take_webhook(engine, job)
        assert not store.take_webhook(engine, job)  # one sender
        assert not store.retry(engine, job, 1)  # a done village is not retried
        assert store.retry(engine, job, 2) and store.get(engine, job)["state"] == "running"  # type: ignore[index]
        assert store.get(engine, job)["webhook_state"] == "pending"  # type: ignore[index]
        assert store.candidates(engine) == [second]

        # cancel: the waiting village is cancelled at once, and nothing is claimable
        assert store.cancel(engine, job) and not store.cancel(engine, job)
        assert store.village(engine, second)["state"] == "cancelled" and store.candidates(engine) == []

        # a webhook left "sending" by a dead process comes back once its job ended long enough ago
        with engine.begin() as conn:
            conn.execute(
                update(batches)
                .where(batches.c.id == job)
                .values(state="done", webhook_state="sending", finished_at=time.time() - 10)
            )
        assert store.revive_webhooks(engine, time.time() - 60) == 0
        assert store.revive_webhooks(engine, time.time()) == 1
    finally:
        engine.dispose()
