"""Kill a batch worker with SIGKILL in the middle of a job, start it again: the job finishes without redoing
the villages already done, every checksum right, and no ballot serial given out twice."""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from batch_kit import ROOT, kit, villages
from service import accounting, create_app
from service.batches import store


def start_worker(instance: Path) -> subprocess.Popen[bytes]:
    """``election-docs worker`` in its own process group (its PDF workers die with it); its log in the instance."""
    env = {
        **os.environ,
        "ELECTION_DOCS_INSTANCE_DIR": str(instance),
        "ELECTION_DOCS_RENDER_WORKERS": "1",
        "ELECTION_DOCS_BATCH_WORKERS": "1",
        "ELECTION_DOCS_BATCH_LEASE_SECONDS": "3",
        "ELECTION_DOCS_BATCH_POLL_SECONDS": "0.2",
    }
    with open(instance / "worker.log", "ab") as log:
        return subprocess.Popen(
            [sys.executable, "-c", "from service.cli import main; main()", "worker"],
            cwd=ROOT,
            env=env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )


def until(what: Any, timeout: float, worker: subprocess.Popen[bytes], log: Path) -> Any:
    deadline = time.time() + timeout
    while time.time() < deadline:
        got = what()
        if got:
            return got
        if worker.poll() is not None:
            raise AssertionError(f"the worker exited: {log.read_text()[-3000:]}")
        time.sleep(0.05)
    raise AssertionError("timed out")


def test_sigkill_mid_job_then_resume(tmp_path: Path) -> None:
    instance = tmp_path / "instance"
    app = create_app({"TESTING": True, "INSTANCE_DIR": str(instance), "BATCH_RUNNER": "off"})
    engine = app.extensions["db"]
    client = app.test_client()
    the_kit = {**kit(), "documents": [{"kind": "roster.voters"}]}
    job_id = client.post("/api/v1/batches", json={"kit": the_kit, "villages": villages(3, 5)}).get_json()["id"]
    root = Path(app.config["BATCH_DIR"]) / job_id

    worker = start_worker(instance)
    try:
        # kill it once a village is done and the next one holds its ballot serials, mid-render
        def mid_ballots() -> list[dict[str, Any]] | None:
            rows = store.villages(engine, job_id)
            done = [v for v in rows if v["state"] == "done"]
            busy = [v for v in rows if v["state"] == "running" and json.loads(v["reservations"] or "[]")]
            return rows if done and busy else None

        rows = until(mid_ballots, 240, worker, instance / "worker.log")
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
    killed = next(v for v in rows if v["state"] == "running")
    done_ids = {v["id"] for v in rows if v["state"] == "done"}
    done_files = {
        f["path"]: (root / f["path"]).stat().st_mtime_ns
        for f in store.files(engine, job_id)
        if f["village_id"] in done_ids
    }
    assert done_files
    (stale,) = json.loads(killed["reservations"])

    worker = start_worker(instance)
    try:
        until(lambda: store.get(engine, job_id)["state"] not in store.ACTIVE, 300, worker, instance / "worker.log")
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(60)
    job = store.get(engine, job_id)
    assert job is not None and job["state"] == "done"
    after = {v["id"]: v for v in store.villages(engine, job_id)}
    assert all(v["state"] == "done" for v in after.values())
    assert all(after[i]["attempts"] == 1 for i in done_ids)  # done villages were not taken again
    assert after[killed["id"]]["attempts"] == 2
    for path, mtime in done_files.items():
        assert (root / path).stat().st_mtime_ns == mtime, path  # ... nor their files rewritten
    for f in store.files(engine, job_id):
        data = (root / f["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == f["sha256"], f["path"]
    assert not list(root.rglob("*.part"))

    # the killed attempt's serials stay used (marked failed); the new attempt took the next range
    for village in after.values():
        election = f"2026-vc-{village['township']}-{village['village']}"
        prints = accounting.report(engine, election)
        ranges = sorted((p["serial_first"], p["serial_last"]) for p in prints)
        assert all(a[1] < b[0] for a, b in itertools.pairwise(ranges)), ranges  # never overlapping
        printed = [p for p in prints if p["status"] == "printed"]
        assert len(printed) == 1
        ballot = next(
            f
            for f in store.files(engine, job_id)
            if f["village_id"] == village["id"] and f["kind"].startswith("ballot.")
        )
        assert (ballot["serial_first"], ballot["serial_last"], ballot["sha256"]) == (
            printed[0]["serial_first"],
            printed[0]["serial_last"],
            printed[0]["sha256"],
        )
        if village["id"] == killed["id"]:
            assert (prints[0]["id"], prints[0]["status"]) == (stale, "failed")
            assert printed[0]["serial_first"] == prints[0]["serial_last"] + 1
    app.extensions["db"].dispose()
