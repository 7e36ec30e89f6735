"""Scale-out: Celery with Redis runs the same village task as the embedded runner, on any machine.

Start workers with ``celery -A service.batches.tasks worker --pool threads`` (the PDF work happens in the
RenderPool's own processes; RENDER_WORKERS of them per worker) and the same ELECTION_DOCS_* settings
(DATABASE_URL and BATCH_DIR shared by every machine). The service's runner only dispatches.
"""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path
from typing import Any

from celery import Celery
from sqlalchemy import Engine

from .. import config, db
from ..render.pool import RenderPool
from . import runner, store
from .work import Env

log = logging.getLogger(__name__)
TASK = "election_docs.render_village"


@cache
def settings() -> dict[str, Any]:
    """This process's settings, from the environment (the worker has no Flask app)."""
    return config.load(None)


def make_app(broker: str) -> Celery:
    """The Celery app: acks after the task ran, so a killed worker's village is delivered again."""
    app = Celery("election_docs", broker=broker, set_as_current=False)
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_ignore_result=True,
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
    )
    app.task(name=TASK, ignore_result=True)(render_village)
    return app


@cache
def engine() -> Engine:
    """The worker process's database engine."""
    return db.connect(settings()["DATABASE_URL"])


@cache
def pool() -> RenderPool:
    """The worker process's PDF pool (RENDER_WORKERS processes)."""
    s = settings()
    return RenderPool(s["RENDER_WORKERS"], s["FONT_DIR"])


def render_village(village_id: int) -> str:
    """The task: claim the village (a duplicate delivery finds it taken or done) and render it."""
    s = settings()
    env = Env(
        engine(),
        Path(s["BATCH_DIR"]),
        pool(),
        s["RENDER_TIMEOUT"],
        s["BATCH_PAGES_PER_CHUNK"],
        s["BATCH_LEASE_SECONDS"],
        runner.owner_name("celery"),
    )
    if not store.claim(env.engine, village_id, env.owner, env.lease):
        return "skipped"
    result = runner.render_claimed(env, village_id)
    job_id = store.village(env.engine, village_id)["batch_id"]
    if job_id in store.ready_to_finish(env.engine):
        runner.finish(env, job_id, s)
    return result


@cache
def client(broker: str) -> Celery:
    """The sending side's Celery app."""
    return make_app(broker)


def dispatch(eng: Engine, lease: float, broker: str | None = None) -> int:
    """Send every claimable village not sent within a lease to the workers; how many were sent."""
    app = client(broker or settings()["CELERY_BROKER_URL"])
    sent = 0
    for village_id in store.dispatchable(eng, lease):
        app.send_task(TASK, args=[village_id])
        store.dispatched(eng, village_id)
        sent += 1
    return sent


def __getattr__(name: str) -> Celery:
    """``app``: what ``celery -A service.batches.tasks worker`` finds, made on first use (importing this module
    from the service must not read the worker's environment)."""
    if name in ("app", "celery"):
        return client(settings()["CELERY_BROKER_URL"])
    raise AttributeError(name)
