"""The embedded runner: threads that claim villages and render them through the shared RenderPool (whose
worker processes use every core), finish jobs whose villages have all ended, and send their webhooks.

With BATCH_BACKEND=celery the same loop sends each claimable village to Celery instead of rendering it.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from ..render.pool import RenderPool
from . import artifacts, concat, store, webhook
from .work import Env, job_dir, run_village

log = logging.getLogger(__name__)
COUNTY_PRINT = "全部打印合集.pdf"
MANIFEST = "manifest.json"


def owner_name(tag: str = "") -> str:
    """A worker's name in the claims: host, process and thread."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{tag or threading.get_ident()}"


def render_claimed(env: Env, village_id: int) -> str:
    """Run a claimed village; an unexpected error fails the village, never the worker."""
    try:
        return run_village(env, village_id)
    except Exception as exc:
        log.exception("batch village %s failed", village_id)
        problem = {
            "type": "https://election-docs.invalid/problems/internal",
            "status": 500,
            "detail": f"{type(exc).__name__}: {str(exc)[:300]}",
        }
        store.settle(env.engine, village_id, env.owner, "failed", errors=[problem])
        return "failed"


def finish(env: Env, job_id: str, settings: dict[str, Any]) -> bool:
    """Build the county print PDF and the manifest of a job whose villages have all ended; mark it done
    (or failed, if a village failed) and send its webhook. Safe to run twice: everything is rewritten whole."""
    if not store.claim_finish(env.engine, job_id, env.owner, env.lease * 10):
        return False
    rows = store.villages(env.engine, job_id)
    root = job_dir(env, job_id)
    files = store.files(env.engine, job_id)
    prints = [f for f in files if f["kind"] == "print" and f["village_id"] is not None]
    prints_by_village = {f["village_id"]: f for f in prints}
    ordered = [prints_by_village[v["id"]] for v in rows if v["state"] == "done" and v["id"] in prints_by_village]
    job = store.get(env.engine, job_id)
    if ordered and job is not None and json.loads(job["kit"]).get("county_print", True):
        paths = [artifacts.resolve(root, f["path"]) for f in ordered]
        # streamed from the villages' files: a county's print PDF never sits in memory
        joined = concat.join([p for p in paths if p is not None], root / COUNTY_PRINT)
        store.record_file(
            env.engine,
            job_id,
            None,
            path=COUNTY_PRINT,
            kind="print.county",
            format="pdf",
            pages=joined.pages,
            sha256=joined.sha256,
            size=joined.size,
            serial_first=None,
            serial_last=None,
        )
    manifest = artifacts.manifest(store.files(env.engine, job_id))
    artifacts.write_atomic(root, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode())
    state = "done" if all(v["state"] == "done" for v in rows) else "failed"
    closed = store.close(env.engine, job_id, env.owner, state)
    if closed:
        deliver(env.engine, job_id, settings)
    return closed


def status(engine: Engine, job: dict[str, Any]) -> dict[str, Any]:
    """The job as the API shows it: state, progress, an estimate of the time left, errors per village."""
    rows = store.villages(engine, job["id"])
    done = [v for v in rows if v["state"] == "done"]
    failed = [v for v in rows if v["state"] == "failed"]
    total = job["villages_total"]
    pages_done = sum(v["pages"] or 0 for v in done)
    ended = len(done) + len(failed) + sum(1 for v in rows if v["state"] == "cancelled")
    eta = None
    if job["state"] in store.ACTIVE and job["started_at"] and done:
        elapsed = time.time() - job["started_at"]
        eta = round(elapsed / len(done) * (total - ended), 1)
    elif job["state"] not in store.ACTIVE:
        eta = 0.0
    return {
        "id": job["id"],
        "state": job["state"],
        "created_by": job["principal"],
        "region": job["region"],
        "progress": {
            "villages": {"done": len(done), "failed": len(failed), "total": total},
            # the page total is known once every village is rendered; until then it is projected from those done
            "pages": {
                "done": pages_done,
                "total": round(pages_done / len(done) * total) if done else None,
                "estimated": len(done) < total,
            },
            "eta_seconds": eta,
        },
        "villages": [
            {
                "key": v["position"],
                "township": v["township"],
                "village": v["village"],
                "state": v["state"],
                "pages": v["pages"],
                "attempts": v["attempts"],
                "errors": json.loads(v["errors"] or "[]"),
            }
            for v in rows
        ],
        "webhook": job["webhook_state"],
        "created_at": job["created_at"],
        "started_at": job["started_at"],
        "finished_at": job["finished_at"],
    }


def deliver(engine: Engine, job_id: str, settings: dict[str, Any]) -> None:
    """Send a finished job's webhook on a thread of its own (the retries wait between tries)."""
    if not store.take_webhook(engine, job_id):
        return
    job = store.get(engine, job_id)
    assert job is not None

    def send() -> None:
        body = status(engine, job)
        body.pop("villages")
        body["event"] = "batch.finished"
        sent, tries = webhook.send(
            job["webhook_url"],
            body,
            settings["WEBHOOK_SECRET"],
            settings["WEBHOOK_ATTEMPTS"],
            settings["WEBHOOK_BACKOFF"],
        )
        store.webhook_result(engine, job_id, sent, tries)

    threading.Thread(target=send, daemon=True, name=f"webhook-{job_id[:8]}").start()


class Runner:
    """Threads that claim and render villages (local) or dispatch them (celery), and finish jobs."""

    def __init__(
        self, settings: dict[str, Any], engine: Engine, pool: Callable[[], RenderPool], flat: bool = False
    ) -> None:
        self.settings = settings
        self.flat = flat
        self.engine = engine
        self.pool = pool
        self.stopped = threading.Event()
        self.woken = threading.Event()
        self.threads: list[threading.Thread] = []

    def env(self, tag: str) -> Env:
        """The worker environment of one thread."""
        s = self.settings
        return Env(
            self.engine,
            Path(s["BATCH_DIR"]),
            self.pool(),
            s["RENDER_TIMEOUT"],
            s["BATCH_PAGES_PER_CHUNK"],
            s["BATCH_LEASE_SECONDS"],
            owner_name(tag),
            self.flat,
            self.stopped,
        )

    def start(self) -> Runner:
        """Start the threads: one per BATCH_WORKERS (local), or one dispatcher (celery)."""
        count = self.settings["BATCH_WORKERS"] if self.settings["BATCH_BACKEND"] == "local" else 1
        for i in range(count):
            t = threading.Thread(target=self._loop, args=(f"t{i}",), daemon=True, name=f"batch-runner-{i}")
            t.start()
            self.threads.append(t)
        return self

    def wake(self) -> None:
        """A job was created or reopened: look now rather than at the next poll."""
        self.woken.set()

    def stop(self, timeout: float = 30) -> None:
        """Stop claiming; wait for the villages being rendered to end."""
        self.stopped.set()
        self.woken.set()
        for t in self.threads:
            t.join(timeout)

    def _loop(self, tag: str) -> None:
        while not self.stopped.is_set():
            try:
                busy = self.step(tag)
            except Exception:
                log.exception("batch runner step failed")
                busy = False
            if not busy:
                self.woken.wait(self.settings["BATCH_POLL_SECONDS"])
                self.woken.clear()

    def step(self, tag: str) -> bool:
        """One round: render (or dispatch) a village, else finish ready jobs; whether there was work."""
        env = self.env(tag)
        if self.settings["BATCH_BACKEND"] == "celery":
            from . import tasks

            tasks.dispatch(self.engine, self.settings["BATCH_LEASE_SECONDS"], self.settings["CELERY_BROKER_URL"])
            self.housekeeping(env)
            return False  # the dispatcher polls: Celery workers do the rendering
        village_id = store.claim_next(self.engine, env.owner, env.lease)
        if village_id is not None:
            render_claimed(env, village_id)
            return True
        self.housekeeping(env)
        return False

    def housekeeping(self, env: Env) -> None:
        """Finish jobs whose villages have all ended; send webhooks a restart left unsent."""
        for job_id in store.ready_to_finish(self.engine):
            finish(replace(env), job_id, self.settings)
        s = self.settings
        # a sender gives up after its tries: attempts × (10 s timeout) plus the backoff waits, doubled for safety
        longest = 2 * (s["WEBHOOK_ATTEMPTS"] * 10 + s["WEBHOOK_BACKOFF"] * 2 ** s["WEBHOOK_ATTEMPTS"])
        store.revive_webhooks(self.engine, time.time() - longest)
        for job_id in store.pending_webhooks(self.engine):
            deliver(self.engine, job_id, self.settings)
