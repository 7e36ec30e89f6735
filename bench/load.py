"""Load and soak against election-docs under gunicorn on loopback: a mix of DOCX and PDF from many clients.

    .venv/bin/python bench/load.py --clients 50 --duration 60           # load: errors 0, p50/p99 per format
    .venv/bin/python bench/load.py --clients 8 --renders 10000 --soak   # soak: RSS after 10,000 vs after 1,000

Without --url it starts its own gunicorn (bench/server.py) on a free port. ``--key`` (or ELECTION_DOCS_API_KEY)
is sent as ``Authorization: Bearer``. Prints one JSON summary; exits 1 on any error or, with --soak, when memory
after the last render is more than --growth (10 %) above memory after the first thousand.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "bench"), str(ROOT)]

from server import descendants, gunicorn  # noqa: E402

# Kinds across the families, each rendered from its sample, alternately as DOCX and PDF.
KINDS = ["announcement.election-committee", "roster.voters", "table.tally", "report.result-form",
         "ballot.villagers-committee", "plan.implementation"]
FORMATS = ["docx", "pdf"]


@dataclass
class Stats:
    """What the clients saw, shared between threads."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    done: int = 0

    def record(self, fmt: str, seconds: float, error: str | None) -> int:
        with self.lock:
            self.done += 1
            if error:
                self.errors.append(error)
            else:
                self.latencies[fmt].append(seconds)
            return self.done


def rss_kb(root_pid: int) -> int:
    """Resident memory of a process and all its descendants (gunicorn master, workers, render workers), in KB."""
    total = 0
    for pid in [root_pid, *descendants(root_pid)]:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of some values."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))] if ordered else 0.0


class Client(threading.Thread):
    """One client: a keep-alive connection, requests one after another until told to stop."""

    def __init__(self, index: int, base: str, key: str, plan: list[tuple[str, str]], bodies: dict[str, bytes],
                 stats: Stats, stop: threading.Event, limit: int | None, on_count: Any = None) -> None:
        super().__init__(daemon=True)
        self.index, self.base, self.key, self.plan, self.bodies = index, urlsplit(base), key, plan, bodies
        self.stats, self.stop, self.limit, self.on_count = stats, stop, limit, on_count

    def connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(self.base.hostname or "127.0.0.1", self.base.port or 80, timeout=600)

    def run(self) -> None:
        conn, n = self.connect(), self.index
        headers = {"Content-Type": "application/json"}
        if self.key:
            headers["Authorization"] = f"Bearer {self.key}"
        while not self.stop.is_set():
            kind, fmt = self.plan[n % len(self.plan)]
            n += 1
            start = time.perf_counter()
            error = None
            try:
                conn.request("POST", f"/api/v1/documents/{kind}?format={fmt}", self.bodies[kind], headers)
                resp = conn.getresponse()
                body = resp.read()
                if resp.status != 200 or len(body) < 1000:
                    error = f"{kind} {fmt}: {resp.status} {body[:200]!r}"
            except (OSError, http.client.HTTPException) as exc:
                error = f"{kind} {fmt}: {type(exc).__name__}: {exc}"
                conn.close()
                conn = self.connect()
            done = self.stats.record(fmt, time.perf_counter() - start, error)
            if self.on_count:
                self.on_count(done)
            if self.limit is not None and done >= self.limit:
                self.stop.set()


def run(base: str, key: str, clients: int, duration: float | None, renders: int | None, pid: int | None,
        checkpoint: int) -> dict[str, Any]:
    """Drive the server; returns the summary."""
    from service import kinds

    bodies = {k: json.dumps(kinds.get(k).sample(), ensure_ascii=False).encode() for k in KINDS}
    stats, stop = Stats(), threading.Event()
    memory: dict[str, int] = {}

    def on_count(done: int) -> None:
        if pid and done == checkpoint:
            memory[f"rss_kb_after_{checkpoint}"] = rss_kb(pid)

    plan = [(k, f) for k in KINDS for f in FORMATS]
    threads = [Client(i, base, key, plan, bodies, stats, stop, renders, on_count) for i in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    if duration is not None:
        stop.wait(duration)
        stop.set()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    if pid:
        memory[f"rss_kb_after_{stats.done}"] = rss_kb(pid)
    return {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "requests": stats.done,
        "per_second": round(stats.done / elapsed, 2),
        "errors": len(stats.errors),
        "first_errors": stats.errors[:5],
        "formats": {
            fmt: {
                "count": len(lat),
                "p50_ms": round(percentile(lat, 50) * 1000),
                "p99_ms": round(percentile(lat, 99) * 1000),
                "max_ms": round(max(lat) * 1000),
            }
            for fmt, lat in sorted(stats.latencies.items())
        },
        **memory,
    }


def warm(base: str, key: str, workers: int) -> None:
    """Two PDFs per server worker before timing: starting a worker's renderers is not what we measure."""
    from service import kinds

    bodies = {KINDS[0]: json.dumps(kinds.get(KINDS[0]).sample()).encode()}
    stats, stop = Stats(), threading.Event()
    plan = [(KINDS[0], "pdf")]
    clients = [Client(i, base, key, plan, bodies, stats, stop, 2 * workers) for i in range(2 * workers)]
    for c in clients:
        c.start()
    for c in clients:
        c.join()
    if stats.errors:
        raise RuntimeError(f"warm-up failed: {stats.errors[:3]}")


def main() -> int:
    """Parse arguments, start a server unless --url is given, run, print the summary."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default=os.environ.get("ELECTION_DOCS_URL", ""), help="a running server")
    parser.add_argument("--key", default=os.environ.get("ELECTION_DOCS_API_KEY", ""), help="API key (Bearer)")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load (ignored with --renders)")
    parser.add_argument("--renders", type=int, help="stop after this many requests instead of after --duration")
    parser.add_argument("--soak", action="store_true", help="compare memory after --checkpoint and at the end")
    parser.add_argument("--checkpoint", type=int, default=1000)
    parser.add_argument("--growth", type=float, default=0.10, help="largest allowed memory growth in soak")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers when starting our own")
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker")
    parser.add_argument("--render-workers", type=int, default=0, help="ELECTION_DOCS_RENDER_WORKERS (0: default)")
    parser.add_argument("--json", type=Path, help="also write the summary here")
    args = parser.parse_args()
    duration = None if args.renders else args.duration

    def go(base: str, pid: int | None, key: str) -> dict[str, Any]:
        warm(base, key, args.workers)
        return run(base, key, args.clients, duration, args.renders, pid, args.checkpoint)

    if args.url:
        summary = go(args.url, int(os.environ["SERVER_PIDS"]) if os.environ.get("SERVER_PIDS") else None, args.key)
    else:
        env = {"ELECTION_DOCS_RENDER_WORKERS": str(args.render_workers)} if args.render_workers else {}
        with gunicorn(args.workers, args.threads, env) as (port, pid, key):
            summary = go(f"http://127.0.0.1:{port}", pid, args.key or key)
    ok = summary["errors"] == 0
    if args.soak:
        first, last = (v for k, v in summary.items() if k.startswith("rss_kb_after_"))
        summary["memory_growth"] = round(last / first - 1, 3)
        ok = ok and summary["memory_growth"] <= args.growth
    summary["ok"] = ok
    text = json.dumps(summary, ensure_ascii=False, indent=1)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", "utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
