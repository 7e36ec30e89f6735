"""The session's own Redis and PostgreSQL answer: the fixtures other tests build on start real servers."""

from __future__ import annotations

import socket

from sqlalchemy import create_engine, make_url, text


def test_redis_answers(redis_url: str) -> None:
    url = make_url(redis_url)
    assert url.host and url.port
    with socket.create_connection((url.host, url.port), timeout=5) as conn:
        conn.sendall(b"SET k v\r\nGET k\r\nCONFIG GET save\r\n")
        reply = b""
        while reply.count(b"\r\n") < 8:  # +OK, $1 v, and the two-item array of CONFIG GET
            chunk = conn.recv(4096)
            assert chunk, reply
            reply += chunk
    assert reply.startswith(b"+OK\r\n$1\r\nv\r\n")
    assert b"$4\r\nsave\r\n$0\r\n" in reply  # nothing is written to disk


def test_postgres_answers(postgres_url: str) -> None:
    engine = create_engine(postgres_url)
    try:
        with engine.connect() as conn:
            version = conn.execute(text("SHOW server_version_num")).scalar_one()
            fsync = conn.execute(text("SHOW fsync")).scalar_one()
    finally:
        engine.dispose()
    assert int(version) >= 130000  # DROP DATABASE … WITH (FORCE) needs 13
    assert fsync == "off"


def test_database_url_is_empty_and_private(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        with engine.begin() as conn:
            if engine.dialect.name == "postgresql":
                assert make_url(database_url).database != "postgres"
                tables = conn.execute(text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).scalar()
            else:
                tables = conn.execute(text("SELECT count(*) FROM sqlite_master WHERE type = 'table'")).scalar()
            assert tables == 0
            conn.execute(text("CREATE TABLE t (x integer)"))
    finally:
        engine.dispose()
