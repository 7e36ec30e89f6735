"""Render one village: the one task both runners (embedded threads, Celery workers) execute.

claim → void what a killed attempt left → validate every item → for each item: (reserve serials) render,
write .part + rename, record sha256 and pages (finish the reservation) → the village's print PDF → done
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from .. import accounting, audit, documents, kinds
from ..errors import ElectionDocsError
from ..principal import Principal
from ..render.pool import RenderPool
from . import artifacts, concat, store
from .kit import Kit
from .plan import Item, folder, plan

log = logging.getLogger(__name__)


@dataclass
class Env:
    """What a worker needs: the database, the files' root, the PDF pool and the bounds."""

    engine: Engine
    root: Path  # BATCH_DIR
    pool: RenderPool
    timeout: float
    pages_per_chunk: int
    lease: float
    owner: str
    flat: bool = False  # the CLI: one job, its files straight in root
    stopping: threading.Event | None = None  # set when the runner shuts down: give the village back


class Lost(Exception):
    """The claim on the village lapsed (another worker has it) or its job was cancelled: stop quietly."""


def job_dir(env: Env, job_id: str) -> Path:
    """The folder of a job's files."""
    return env.root if env.flat else env.root / job_id


def run_village(env: Env, village_id: int) -> str:
    """Render a claimed village to the end; its final state (done, failed, cancelled, or lost)."""
    row = store.village(env.engine, village_id)
    job = store.get(env.engine, row["batch_id"])
    assert job is not None
    stop = threading.Event()
    renewed = threading.Event()
    renewed.set()

    def keep_lease() -> None:
        while not stop.wait(env.lease / 3):
            if not store.renew(env.engine, village_id, env.owner, env.lease):
                renewed.clear()
                return

    heart = threading.Thread(target=keep_lease, daemon=True, name=f"lease-{village_id}")
    heart.start()
    try:
        return _render(env, job, row, renewed)
    except Lost:
        return "lost"
    finally:
        stop.set()
        heart.join()


def _void_earlier_attempt(env: Env, job_id: str, row: dict[str, Any]) -> None:
    """A killed attempt's ballot reservations stay used (never reissued) and are marked failed; its
    unfinished .part files go."""
    if row["attempts"] > 1:
        for part in (job_dir(env, job_id) / folder(json.loads(row["data"]))).glob("*.part"):
            part.unlink(missing_ok=True)
    for print_id in json.loads(row["reservations"] or "[]"):
        accounting.finish(env.engine, print_id, None)
    store.set_reservations(env.engine, row["id"], [])
    store.clear_files(env.engine, row["id"])


def _check(env: Env, job_id: str, village_id: int, renewed: threading.Event) -> None:
    """Stop when the claim was lost, the runner stops (the village goes back to the queue), or the job was
    cancelled (the village is marked cancelled)."""
    if not renewed.is_set():
        raise Lost
    if env.stopping is not None and env.stopping.is_set():
        store.release(env.engine, village_id, env.owner)
        raise Lost
    job = store.get(env.engine, job_id)
    if job is None or job["state"] == "cancelled":
        store.settle(env.engine, village_id, env.owner, "cancelled")
        raise Lost


def _problem(item: Item, exc: ElectionDocsError) -> dict[str, Any]:
    body = exc.problem("zh")
    body["en"] = exc.en
    return {"file": item.path, "kind": item.kind, **body}


def _render(env: Env, job: dict[str, Any], row: dict[str, Any], renewed: threading.Event) -> str:
    job_id, village_id = job["id"], row["id"]
    _void_earlier_attempt(env, job_id, row)
    kit = Kit.model_validate(json.loads(job["kit"]))
    village = json.loads(row["data"])
    items = plan(kit, village, requested_by=job["principal"])
    models: list[tuple[Item, Any]] = []
    problems: list[dict[str, Any]] = []
    for item in items:
        try:
            models.append((item, documents.validate(kinds.get(item.kind), item.payload)))
        except ElectionDocsError as exc:
            problems.append(_problem(item, exc))
    if problems:
        store.settle(env.engine, village_id, env.owner, "failed", errors=problems)
        return "failed"
    root = job_dir(env, job_id)
    who = Principal(job["principal"], frozenset(), job["region"])  # who submitted the job, for the records
    print_parts: list[bytes | Path] = []  # the files just written, each given once per copy
    contents: list[dict[str, Any]] = []  # what follows the separator sheet, listed on it
    reservations: list[int] = []
    for item, model in models:
        _check(env, job_id, village_id, renewed)
        try:
            doc, serials = _produce(env, item, model, village_id, reservations, who)
        except ElectionDocsError as exc:
            store.settle(env.engine, village_id, env.owner, "failed", errors=[_problem(item, exc)])
            return "failed"
        written = artifacts.write_atomic(root, item.path, doc.data)
        n = artifacts.pages(doc.data) if item.fmt == "pdf" else None
        store.record_file(
            env.engine,
            job_id,
            village_id,
            path=item.path,
            kind=item.kind,
            format=item.fmt,
            pages=n,
            sha256=doc.sha256,
            size=len(doc.data),
            serial_first=serials[0],
            serial_last=serials[1],
        )
        detail = {"batch": job_id, "path": item.path}
        if serials[0] is not None:
            detail |= {"election_id": model.election_id, "serials": list(serials), "copies": doc.copies}
        audit.record(env.engine, item.kind, item.fmt, item.lang, doc.sha256, len(doc.data), detail, who)
        if item.fmt == "pdf":
            print_parts += [written] * item.copies  # the same object: the joiner reads it once
            title = kinds.get(item.kind).title(item.lang)
            contents.append({"title": title, "copies": item.copies, "serials": serials if serials[0] else None})
    _check(env, job_id, village_id, renewed)
    place = village["place"]
    sep = artifacts.separator(
        env.pool,
        env.timeout,
        items[0].lang if items else "zh",
        county=place.get("county") or "",
        township=village["township"],
        village=village["village"],
        position=row["position"],
        total=job["villages_total"],
        voters=len(village.get("voters") or []),
        contents=contents,
    )
    path = print_path(village)
    target = artifacts.resolve(root, path)
    assert target is not None, path
    joined = concat.join([sep, *print_parts], target)
    pages = joined.pages
    store.record_file(
        env.engine,
        job_id,
        village_id,
        path=path,
        kind="print",
        format="pdf",
        pages=pages,
        sha256=joined.sha256,
        size=joined.size,
        serial_first=None,
        serial_last=None,
    )
    if not store.settle(env.engine, village_id, env.owner, "done", pages=pages):
        return "lost"
    return "done"


def print_path(village: dict[str, Any]) -> str:
    """Where a village's merged print PDF goes (first in its folder)."""
    return f"{folder(village)}/00-打印合集.pdf"


def _produce(
    env: Env, item: Item, model: Any, village_id: int, reservations: list[int], who: Principal
) -> tuple[documents.Rendered, tuple[int | None, int | None]]:
    """Render an item; a final ballot reserves its serials first and finishes the reservation after."""
    kind = kinds.get(item.kind)
    opts = getattr(model, "print", None)
    render = partial(
        documents.render,
        kind,
        model,
        item.fmt,
        item.lang,
        pool=env.pool,
        timeout=env.timeout,
        pages_per_chunk=env.pages_per_chunk,
    )
    if not (item.ballot and opts is not None and opts.final):
        return render(), (None, None)

    def hold(print_id: int) -> None:
        reservations.append(print_id)
        store.set_reservations(env.engine, village_id, reservations)  # before rendering: a kill leaves it voidable

    doc, _ = accounting.print_final(env.engine, kind.id, model, who, render, on_reserved=hold)
    return doc, doc.serials or (None, None)
