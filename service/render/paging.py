"""Page long tables before layout, so each PDF chunk is a few pages and the page count is known up front."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")


def paginate(
    rows: Sequence[T], lines_of: Callable[[T], int], first: int, full: int, last_reserve: int
) -> list[list[T]]:
    """Split rows into pages of at most ``first`` (page 1) or ``full`` lines, leaving ``last_reserve`` on the last.

    A row is never split across pages. When the signature block does not fit under the last row, it gets
    a page of its own (an empty list), as a clerk would do by hand.
    """
    pages: list[list[T]] = [[]]
    used = 0
    for row in rows:
        need = max(1, lines_of(row))
        capacity = first if len(pages) == 1 else full
        if pages[-1] and used + need > capacity:
            pages.append([])
            used = 0
        pages[-1].append(row)
        used += need
    capacity = first if len(pages) == 1 else full
    if used + last_reserve > capacity:
        pages.append([])
    return pages


def chunks(items: Sequence[T], size: int) -> list[Sequence[T]]:
    """Consecutive slices of at most ``size`` items."""
    return [items[i : i + size] for i in range(0, len(items), size)] or [items]
