"""``election-docs batch``: a county's kits into a folder, with a progress bar, resumable after it is killed."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select

from batch_kit import ROOT, kit, villages
from service import db
from service.batches import store
from service.db import batches


def run_cli(out: Path, county: Path, kit_file: Path) -> subprocess.Popen[bytes]:
    with open(out.parent / "cli.log", "ab") as log:
        return subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from service.cli import main; main()",
                "batch",
                str(county),
                "--kit",
                str(kit_file),
                "--out",
                str(out),
                "--workers",
                "1",
            ],
            cwd=ROOT,
            env=dict(os.environ),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def test_cli_batch_is_resumable_after_a_kill(tmp_path: Path) -> None:
    out = tmp_path / "out"
    county = tmp_path / "villages.json"
    county.write_text(json.dumps(villages(3, 4), ensure_ascii=False), "utf-8")
    kit_file = tmp_path / "kit.yaml"
    kit_file.write_text(
        yaml.safe_dump({**kit(), "ballots": [], "documents": [{"kind": "roster.voters"}]}, allow_unicode=True), "utf-8"
    )
    proc = run_cli(out, county, kit_file)
    database = f"sqlite:///{out / '.batch.sqlite3'}"
    deadline = time.time() + 240
    try:
        while True:  # kill it once one village is done
            assert proc.poll() is None, (tmp_path / "cli.log").read_text()[-3000:]
            assert time.time() < deadline
            if (out / ".batch.sqlite3").exists():
                engine = db.connect(database)
                done = _done_files(engine)
                engine.dispose()
                if done:
                    break
            time.sleep(0.2)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # interrupted hard: no chance to tidy up
        proc.wait()
    kept = {p: (out / p).stat().st_mtime_ns for p in done}
    assert not (out / "manifest.json").exists()

    proc = run_cli(out, county, kit_file)
    assert proc.wait(300) == 0, (tmp_path / "cli.log").read_text()[-3000:]
    log = (tmp_path / "cli.log").read_text()
    assert "resuming" in log and "3 of 3 villages done" in log and "villages" in log  # the progress bar's label
    for path, mtime in kept.items():
        assert (out / path).stat().st_mtime_ns == mtime, path  # what the first run finished was kept
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert manifest["count"] == 3 * 2 + 1
    for f in manifest["files"]:
        assert hashlib.sha256((out / f["path"]).read_bytes()).hexdigest() == f["sha256"]
    assert (out / "石门镇" / "柳溪村" / "01-选民登记花名册.pdf").is_file()


def _done_files(engine: Any) -> list[str]:
    """The files of the villages done so far."""
    with engine.connect() as conn:
        (job,) = [r[0] for r in conn.execute(select(batches.c.id))] or [None]
    if job is None:
        return []
    done = {v["id"] for v in store.villages(engine, job) if v["state"] == "done"}
    return [f["path"] for f in store.files(engine, job) if f["village_id"] in done]
