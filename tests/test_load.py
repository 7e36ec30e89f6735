"""Load, CI size: 10 clients for 5 s against gunicorn on loopback, DOCX and PDF mixed — no errors.

The full load (50 clients × 60 s) and the soak (memory after 10,000 renders within 10 % of after 1,000) are
``scripts/suite load`` and ``scripts/suite soak``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ten_clients_for_five_seconds_get_no_errors(tmp_path: Path) -> None:
    summary_file = tmp_path / "load.json"
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "load.py"), "--clients", "10", "--duration", "5", "--workers", "1",
         "--render-workers", "1", "--json", str(summary_file)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    summary = json.loads(summary_file.read_text("utf-8"))
    assert summary["errors"] == 0 and summary["ok"]
    assert set(summary["formats"]) == {"docx", "pdf"}
    assert summary["requests"] >= 10
    for fmt in summary["formats"].values():
        assert 0 < fmt["p50_ms"] <= fmt["p99_ms"]
