"""Serial ranges stay unique when print runs are reserved at the same time, on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from itertools import pairwise

import pytest
from sqlalchemy import Engine

from service import accounting, db


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """The tables in an empty database (each test runs once per database the service supports)."""
    engine = db.connect(database_url)
    yield engine
    engine.dispose()


def test_concurrent_reservations_never_overlap(engine: Engine) -> None:
    def reserve(i: int) -> tuple[int, int | None]:
        return accounting.reserve(engine, election_id="e1", kind="ballot.x", quantity=7, requested_by=f"t{i}",
                                  numbered=True, attempts=50)

    with ThreadPoolExecutor(8) as pool:
        firsts = sorted(first for _, first in pool.map(reserve, range(40)))
    assert firsts == [1 + 7 * i for i in range(40)]  # 40 ranges of 7, back to back, none shared
    rows = accounting.report(engine, "e1")
    assert len(rows) == 40 and all(r["status"] == "reserved" for r in rows)


def test_concurrent_reservations_of_different_sizes_never_overlap(engine: Engine) -> None:
    def reserve(i: int) -> tuple[int, int | None]:
        return accounting.reserve(engine, election_id="e2", kind="ballot.x", quantity=1 + i % 5, requested_by="t",
                                  numbered=True, attempts=100)

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(reserve, range(30)))
    ranges = sorted((r["serial_first"], r["serial_last"]) for r in accounting.report(engine, "e2"))
    assert ranges[0][0] == 1
    assert all(b[0] == a[1] + 1 for a, b in pairwise(ranges))  # contiguous, no overlap
    assert ranges[-1][1] == sum(1 + i % 5 for i in range(30))


def test_unnumbered_prints_take_no_serials(engine: Engine) -> None:
    _, first = accounting.reserve(engine, election_id="e1", kind="ballot.x", quantity=5, requested_by="x",
                                  numbered=False)
    assert first is None
    _, first = accounting.reserve(engine, election_id="e1", kind="ballot.x", quantity=5, requested_by="x",
                                  numbered=True)
    assert first == 1


def test_finish_records_the_hash_and_a_failure_keeps_its_range(engine: Engine) -> None:
    ok, _ = accounting.reserve(engine, election_id="e3", kind="ballot.x", quantity=3, requested_by="x", numbered=True)
    bad, _ = accounting.reserve(engine, election_id="e3", kind="ballot.x", quantity=3, requested_by="x", numbered=True)
    accounting.finish(engine, ok, "ab" * 32)
    accounting.finish(engine, bad, None)
    rows = {r["id"]: r for r in accounting.report(engine, "e3")}
    assert (rows[ok]["status"], rows[ok]["sha256"]) == ("printed", "ab" * 32)
    assert (rows[bad]["status"], rows[bad]["serial_first"]) == ("failed", 4)
    _, first = accounting.reserve(engine, election_id="e3", kind="ballot.x", quantity=1, requested_by="x",
                                  numbered=True)
    assert first == 7  # the failed print's serials are never given out again
