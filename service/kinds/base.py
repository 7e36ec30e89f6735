"""The base of every kind's model: registration, the render context, and paging for long tables."""

from __future__ import annotations

from typing import Any, ClassVar

from ..render.sheet import Column, SheetLayout
from ..render.stamp import Block
from .fields import Strict

REGISTRY: dict[str, type[KindModel]] = {}


class KindModel(Strict):
    """A kind's validated input. Subclasses declare ``kind_id``, ``title_zh`` and ``title_en``.

    ``context()`` applies the kind's domain rules (ordering, totals) and returns what the templates see.
    Kinds with long tables name the list in ``table_rows``; the PDF renderer pages it itself.
    """

    kind_id: ClassVar[str] = ""
    title_zh: ClassVar[str] = ""
    title_en: ClassVar[str] = ""
    landscape: ClassVar[bool] = False
    table_rows: ClassVar[str | None] = None  # the context key of the rows the PDF pages itself
    rows_per_page: ClassVar[int] = 20  # on a full page, for one-line rows
    first_page_rows: ClassVar[int] = 16  # the first page also carries the title block
    last_page_reserve: ClassVar[int] = 4  # rows' worth of room the signature lines need

    columns: ClassVar[tuple[Column, ...]] = ()  # set by rosters printed as fast sheets
    sheet: ClassVar[SheetLayout] = SheetLayout()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.kind_id:
            REGISTRY[cls.kind_id] = cls

    def context(self) -> dict[str, Any]:
        """The render context: the validated fields, plus what the kind's rules derive."""
        return self.model_dump(mode="python")

    def cells(self, row: Any, lang: str) -> list[str]:
        """The printed text of each column of a table row, in a language (rosters with ``columns``)."""
        raise NotImplementedError

    def stamp_blocks(self, ctx: dict[str, Any]) -> list[Block] | None:
        """The boxes whose text the PDF stamps after layout (render/stamp.py); None: WeasyPrint lays out all."""
        return None

    def row_lines(self, row: Any) -> int:
        """How many printed lines a table row takes; kinds with wrapping columns override this."""
        return 1
