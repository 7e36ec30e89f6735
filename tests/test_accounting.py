"""Serial ranges stay unique when print runs are reserved at the same time."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from service import accounting, db


def test_concurrent_reservations_never_overlap(tmp_path: Path) -> None:
    engine = db.connect(f"sqlite:///{tmp_path / 'a.sqlite3'}")

    def reserve(i: int) -> tuple[int, int | None]:
        return accounting.reserve(engine, election_id="e1", kind="ballot.x", quantity=7, requested_by=f"t{i}",
                                  numbered=True, attempts=50)

    with ThreadPoolExecutor(8) as pool:
        firsts = sorted(first for _, first in pool.map(reserve, range(40)))
    assert firsts == [1 + 7 * i for i in range(40)]  # 40 ranges of 7, back to back, none shared
    rows = accounting.report(engine, "e1")
    assert len(rows) == 40 and all(r["status"] == "reserved" for r in rows)


def test_unnumbered_prints_take_no_serials(tmp_path: Path) -> None:
    engine = db.connect(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    _, first = accounting.reserve(engine, election_id="e1", kind="ballot.x", quantity=5, requested_by="x",
                                  numbered=False)
    assert first is None
    _, first = accounting.reserve(engine, election_id="e1", kind="ballot.x", quantity=5, requested_by="x",
                                  numbered=True)
    assert first == 1
