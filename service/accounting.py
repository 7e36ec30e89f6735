"""Ballot accounting: every final print is recorded, and a serial range is never given out twice."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, func, select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from .db import ballot_prints

if TYPE_CHECKING:
    from .documents import Rendered
    from .principal import Principal


def reserve(
    engine: Engine,
    *,
    election_id: str,
    kind: str,
    quantity: int,
    requested_by: str,
    numbered: bool,
    principal: str = "anonymous",
    region: str | None = None,
    attempts: int = 10,
) -> tuple[int, int | None]:
    """Record a print about to be made; with ``numbered``, take the next free serial range of the election."""
    for _ in range(attempts):
        try:
            with engine.begin() as conn:
                first = None
                if numbered:
                    last = conn.execute(
                        select(func.max(ballot_prints.c.serial_last)).where(ballot_prints.c.election_id == election_id)
                    ).scalar()
                    first = (last or 0) + 1
                row = conn.execute(
                    ballot_prints.insert().values(
                        election_id=election_id,
                        kind=kind,
                        quantity=quantity,
                        requested_by=requested_by,
                        principal=principal,
                        region=region,
                        serial_first=first,
                        serial_last=None if first is None else first + quantity - 1,
                        status="reserved",
                    )
                )
                assert row.inserted_primary_key is not None
                return int(row.inserted_primary_key[0]), first
        except IntegrityError:
            continue  # another print took that range first: read the new maximum and try again
        except OperationalError:
            time.sleep(0.05)  # SQLite was locked by another writer: wait a moment and try again
    raise RuntimeError("could not reserve a serial range")


def print_final(
    engine: Engine,
    kind_id: str,
    model: Any,
    who: Principal,
    render: Callable[..., Rendered],
    on_reserved: Callable[[int], None] | None = None,
) -> tuple[Rendered, int]:
    """A final print of a ballot model: reserve it (and its serials), render from the first serial, record the
    file's hash — or mark the print failed, its range still used. ``on_reserved`` runs before rendering."""
    opts = model.print
    print_id, first = reserve(
        engine,
        election_id=model.election_id,
        kind=kind_id,
        quantity=opts.copies(),
        requested_by=opts.requested_by,
        numbered=bool(opts.counterfoil),
        principal=who.name,
        region=who.region,
    )
    if on_reserved is not None:
        on_reserved(print_id)
    try:
        doc = render(serial_start=first)
    except BaseException:
        finish(engine, print_id, None)
        raise
    finish(engine, print_id, doc.sha256)
    return doc, print_id


def finish(engine: Engine, print_id: int, sha256: str | None) -> None:
    """Mark a print as made (with the file's hash) or, with no hash, as failed; its range stays used."""
    with engine.begin() as conn:
        conn.execute(
            update(ballot_prints)
            .where(ballot_prints.c.id == print_id)
            .values(status="printed" if sha256 else "failed", sha256=sha256)
        )


def report(engine: Engine, election_id: str | None = None) -> list[dict[str, Any]]:
    """The printed-ballots report, oldest first, optionally for one election."""
    query = select(ballot_prints).order_by(ballot_prints.c.id)
    if election_id:
        query = query.where(ballot_prints.c.election_id == election_id)
    with engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(query)]
