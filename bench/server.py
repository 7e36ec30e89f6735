"""Start election-docs under gunicorn on a free loopback port, wait until it is healthy, run a command, stop it.

    .venv/bin/python bench/server.py [--workers 2 --threads 4] -- COMMAND ...

The command sees ELECTION_DOCS_URL (http://127.0.0.1:PORT), SERVER_PIDS (gunicorn's master pid) and
ELECTION_DOCS_API_KEY (an admin key made with the real CLI in the server's temporary instance: auth stays on).
Used by scripts/suite for the load, soak and schemathesis suites, and by tests/test_load.py.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"


def descendants(root_pid: int) -> list[int]:
    """Every process below ``root_pid`` (children, their children …), read from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [root_pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_healthy(port: int, timeout: float, proc: subprocess.Popen[bytes]) -> None:
    """Poll /healthz until it answers 200 (the first call also warms one worker's PDF renderers)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"no healthy answer on port {port} within {timeout:g} s")


@contextlib.contextmanager
def gunicorn(workers: int = 2, threads: int = 4, env: dict[str, str] | None = None,
             timeout: float = 300) -> Iterator[tuple[int, int, str]]:
    """A running server: yields (port, master pid, an admin API key); its instance folder is temporary."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="election-docs-bench-") as instance:
        proc_env = {**os.environ, "ELECTION_DOCS_INSTANCE_DIR": instance, **(env or {})}
        key = subprocess.run(
            [str(ROOT / ".venv" / "bin" / "election-docs"), "keys", "create", "--name", "bench", "--scope", "admin"],
            cwd=ROOT, env={**proc_env, "ELECTION_DOCS_BATCH_RUNNER": "off"}, check=True, capture_output=True,
            text=True,
        ).stdout.strip()
        cmd = [str(GUNICORN), "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads),
               "--timeout", "300", "--log-level", "warning", "service:create_app()"]
        proc = subprocess.Popen(cmd, cwd=ROOT, env=proc_env)
        try:
            wait_healthy(port, timeout, proc)
            yield port, proc.pid, key
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def main() -> int:
    """Run a command against a fresh server."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give a command after --")
    with gunicorn(args.workers, args.threads) as (port, pid, key):
        env = {**os.environ, "ELECTION_DOCS_URL": f"http://127.0.0.1:{port}", "SERVER_PIDS": str(pid),
               "ELECTION_DOCS_API_KEY": os.environ.get("ELECTION_DOCS_API_KEY") or key}
        return subprocess.call(command, env=env)


if __name__ == "__main__":
    sys.exit(main())
