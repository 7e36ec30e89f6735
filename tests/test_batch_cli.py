"""``election-docs batch``: a county's kits into a folder, with a progress bar, resumable after it is killed."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import yaml

from batch_kit import ROOT, kit, villages


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
    deadline = time.time() + 240
    try:
        while True:  # kill it once one village is done
            assert proc.poll() is None, (tmp_path / "cli.log").read_text()[-3000:]
            assert time.time() < deadline
            done = _done_files(out / ".batch.sqlite3") if (out / ".batch.sqlite3").exists() else []
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


def _done_files(database: Path) -> list[str]:
    """The files of the villages done so far, read-only (the CLI may still be creating its tables)."""
    try:
        with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as conn:
            return [
                r[0]
                for r in conn.execute(
                    "SELECT f.path FROM batch_files f JOIN batch_villages v ON v.id = f.village_id"
                    " WHERE v.state = 'done'"
                )
            ]
    except sqlite3.OperationalError:
        return []
