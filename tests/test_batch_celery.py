"""The Celery path: a real redis-server (conftest's redis_url: a missing one fails, never skips) and a real
celery worker render the villages with the same task code."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

from batch_kit import ROOT, kit, villages
from service import create_app
from service.batches import store


def test_celery_worker_renders_the_villages(tmp_path: Path, redis_url: str) -> None:
    instance = tmp_path / "instance"
    env = {
        **os.environ,
        "ELECTION_DOCS_INSTANCE_DIR": str(instance),
        "ELECTION_DOCS_RENDER_WORKERS": "1",
        "ELECTION_DOCS_REDIS_URL": redis_url,
    }
    app = create_app(
        {
            "TESTING": True,
            "INSTANCE_DIR": str(instance),
            "BATCH_RUNNER": "on",
            "BATCH_BACKEND": "celery",
            "REDIS_URL": redis_url,
            "BATCH_POLL_SECONDS": 0.2,
        }
    )
    with open(tmp_path / "celery.log", "wb") as log:
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "service.batches.tasks",
                "worker",
                "--pool",
                "threads",
                "--concurrency",
                "1",
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        client = app.test_client()
        the_kit = {**kit(), "documents": [{"kind": "roster.voters"}]}
        job_id = client.post("/api/v1/batches", json={"kit": the_kit, "villages": villages(2, 4)}).get_json()["id"]
        deadline = time.time() + 300
        while store.get(app.extensions["db"], job_id)["state"] in store.ACTIVE:  # type: ignore[index]
            assert worker.poll() is None, (tmp_path / "celery.log").read_text()[-3000:]
            assert time.time() < deadline, (tmp_path / "celery.log").read_text()[-3000:]
            time.sleep(0.3)
        status = client.get(f"/api/v1/batches/{job_id}").get_json()
        assert status["state"] == "done", status
        rows = store.villages(app.extensions["db"], job_id)
        assert all(r["owner"].endswith(f":{worker.pid}:celery") for r in rows), rows  # the worker did them
        root = Path(app.config["BATCH_DIR"]) / job_id
        files = store.files(app.extensions["db"], job_id)
        assert len(files) == 2 * 3 + 1
        for f in files:
            assert hashlib.sha256((root / f["path"]).read_bytes()).hexdigest() == f["sha256"]
        assert "election_docs.render_village" in (tmp_path / "celery.log").read_text()
    finally:
        app.extensions["batch_runner"].stop()
        worker.terminate()
        worker.wait(60)
