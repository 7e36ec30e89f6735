"""Fixtures: an app built with create_app({...}) inside a temporary instance folder, and its client; real
Redis and PostgreSQL servers of our own, started from Debian's packages for the session (never mocked)."""

from __future__ import annotations

import glob
import logging
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service import create_app
from service.render.pool import RenderPool

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def render_pool() -> Iterator[RenderPool]:
    """One pool of PDF workers for the whole test session (starting workers costs about a second)."""
    pool = RenderPool(2)
    yield pool
    pool.close()


@pytest.fixture
def app(tmp_path: Path, render_pool: RenderPool) -> Flask:
    """An app whose database and outputs live in a temporary folder."""
    app = create_app({"TESTING": True, "INSTANCE_DIR": str(tmp_path / "instance")})
    app.extensions["render_pool"] = render_pool
    return app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client of the app."""
    return app.test_client()


@pytest.fixture
def no_weasyprint_warnings(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Fail a test if WeasyPrint logs a warning in this process that the test did not expect."""
    caplog.set_level(logging.WARNING, logger="weasyprint")
    yield
    noisy = [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint") and r.levelno >= logging.WARNING]
    assert not noisy, noisy


# --- real servers: Debian's redis-server and PostgreSQL, private to the test session ------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _binary(name: str, package: str) -> str:
    """The path of a server program; a missing one fails the test (scripts/test installs the package)."""
    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None)
    if found is None:
        pytest.fail(f"{name} is not installed: run scripts/test, which installs Debian's {package}", pytrace=False)
    return found


def _wait_for(ready: Callable[[], bool], what: str, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if ready():
            return
        time.sleep(0.1)
    pytest.fail(f"{what} did not start in {seconds:.0f} s:\n{log.read_text(errors='replace')[-2000:]}", pytrace=False)


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """redis://… of a redis-server of our own: a free port on loopback, a temporary folder, no persistence."""
    binary = _binary("redis-server", "redis-server")
    folder = Path(tempfile.mkdtemp(prefix="election-docs-redis-"))
    port = _free_port()
    log = folder / "redis.log"
    args = [binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder), "--save", "",
            "--appendonly", "no", "--daemonize", "no", "--logfile", str(log)]
    server = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)

    def ping() -> bool:
        if server.poll() is not None:
            pytest.fail(f"redis-server exited:\n{log.read_text(errors='replace')[-2000:]}", pytrace=False)
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    try:
        _wait_for(ping, "redis-server", log)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)


def _as_postgres_user(args: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: as root, run the command as the postgres user Debian's package made."""
    if os.geteuid() != 0:
        return args
    runuser = shutil.which("runuser")
    try:
        import pwd

        pwd.getpwnam("postgres")
    except KeyError:
        pytest.fail("running as root and there is no postgres user to run PostgreSQL as: install Debian's postgresql",
                    pytrace=False)
    if runuser is None:
        pytest.fail("running as root and runuser (util-linux) is missing", pytrace=False)
    return [runuser, "-u", "postgres", "--", *args]


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """postgresql+psycopg://… of a PostgreSQL cluster of our own (initdb in a temporary folder, a free port,
    trust on loopback only, no fsync); the URL names the ``postgres`` database — tests make their own."""
    initdb, pg_ctl = _binary("initdb", "postgresql"), _binary("pg_ctl", "postgresql")
    folder = Path(tempfile.mkdtemp(prefix="election-docs-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    data, log = folder / "data", folder / "postgres.log"
    port = _free_port()
    init = subprocess.run(
        _as_postgres_user([initdb, "-D", str(data), "-U", "postgres", "--auth=trust", "--encoding=UTF8",
                           "--no-locale", "--no-sync"]),
        capture_output=True, text=True, check=False,
    )
    if init.returncode:
        shutil.rmtree(folder, ignore_errors=True)
        pytest.fail(f"initdb failed:\n{init.stdout[-1000:]}{init.stderr[-2000:]}", pytrace=False)
    options = (f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
               "-c full_page_writes=off -c max_connections=50")
    start = subprocess.run(
        _as_postgres_user([pg_ctl, "-D", str(data), "-l", str(log), "-o", options, "-w", "-t", "60", "start"]),
        capture_output=True, text=True, check=False,
    )
    try:
        if start.returncode:
            pytest.fail(f"PostgreSQL did not start:\n{start.stderr}\n{log.read_text(errors='replace')[-2000:]}",
                        pytrace=False)
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(_as_postgres_user([pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop"]),
                       capture_output=True, check=False)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database, once on SQLite and once on PostgreSQL (a fresh database in the session's cluster)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.sqlite3'}"
        return
    from sqlalchemy import create_engine, make_url, text

    server = make_url(request.getfixturevalue("postgres_url"))
    name = f"test_{uuid.uuid4().hex[:16]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield server.set(database=name).render_as_string(hide_password=False)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()
