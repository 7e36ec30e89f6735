"""The pipeline: input → validated model → domain rules → render context → DOCX or PDF bytes."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from jinja2 import TemplateError
from pydantic import ValidationError

from . import ballots, i18n, kinds
from .errors import TemplateFailure
from .render import docx, environment, sheet
from .render.paging import chunks, paginate
from .render.pool import RenderPool
from .validation import invalid

MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@dataclass(frozen=True)
class Rendered:
    """A produced document and what a response needs to describe it."""

    data: bytes
    format: str
    kind: str
    filename: str
    copies: int = 1
    serials: tuple[int, int] | None = None

    @property
    def media_type(self) -> str:
        """The document's media type."""
        return MEDIA_TYPES[self.format]

    @property
    def sha256(self) -> str:
        """The hex SHA-256 of the bytes."""
        return hashlib.sha256(self.data).hexdigest()

    def content_disposition(self) -> str:
        """An RFC 6266 header with an ASCII fallback and the Chinese name in RFC 5987 form."""
        ascii_name = f"{self.kind}.{self.format}"
        return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(self.filename)}"


def validate(kind: kinds.Kind, payload: Any) -> kinds.KindModel:
    """The validated model of a payload, or InvalidContent listing every bad field."""
    try:
        return kind.model.model_validate(payload)
    except ValidationError as exc:
        raise invalid(exc) from None


def context(kind: kinds.Kind, model: kinds.KindModel, lang: str) -> dict[str, Any]:
    """The render context: the model's own context plus the kind's title and the language."""
    ctx = model.context()
    ctx.update(kind_id=kind.id, doc_title=kind.title(lang), lang=lang, landscape=model.landscape)
    return ctx


def file_name(kind: kinds.Kind, ctx: dict[str, Any], fmt: str, lang: str) -> str:
    """A meaningful file name: the title and, where known, the village (or the township of a roll-up)."""
    place = ctx.get("place") or {}
    where = (place.get("village") or place.get("township")) if isinstance(place, dict) else None
    stem = kind.title(lang) + (f"-{where}" if isinstance(where, str) and where else "")
    return "".join(c for c in stem if c not in '\\/:*?"<>|\r\n') + "." + fmt


def html_chunks(
    kind: kinds.Kind, model: kinds.KindModel, ctx: dict[str, Any], lang: str, pages_per_chunk: int
) -> Iterable[str]:
    """The HTML of a document, as one string or, for long tables, one string per chunk of pages."""
    template = environment.environment("html", lang).get_template(kind.html_template)
    if not model.table_rows:
        return [template.render(ctx)]
    if model.columns:
        return _sheet_chunks(template, model, ctx, lang, pages_per_chunk)
    rows = ctx[model.table_rows]
    pages = paginate(rows, model.row_lines, model.first_page_rows, model.rows_per_page, model.last_page_reserve)
    numbered = [{"number": i + 1, "rows": page} for i, page in enumerate(pages)]
    out = []
    for part in chunks(numbered, pages_per_chunk):
        out.append(
            template.render(
                {
                    **ctx,
                    "pages": part,
                    "page_count": len(pages),
                    "first_chunk": part[0]["number"] == 1,
                    "last_chunk": part[-1]["number"] == len(pages),
                }
            )
        )
    return out


def _sheet_chunks(
    template: Any, model: kinds.KindModel, ctx: dict[str, Any], lang: str, pages_per_chunk: int
) -> Iterator[str]:
    """HTML chunks of a roster laid out as fast sheets (see render/sheet.py)."""
    assert model.table_rows
    rows = [model.cells(row, lang) for row in ctx[model.table_rows]]
    pages = sheet.layout(model.columns, rows, model.sheet)
    heads = [i18n.gettext(c.header, lang) for c in model.columns]
    for page in pages:
        page["grid"] = sheet.grid_svg(model.columns, page["bounds"])
    common = {
        **ctx,
        "sheet_columns": list(zip(model.columns, heads, sheet.column_styles(model.columns), strict=True)),
        "line_mm": sheet.LINE_MM,
        "page_count": len(pages),
    }
    return (template.render({**common, "pages": part}) for part in chunks(pages, pages_per_chunk))


def produce(kind_id: str, payload: Any, fmt: str, lang: str, **options: Any) -> Rendered:
    """Validate a payload and render it as a document of the given format and language."""
    kind = kinds.get(kind_id)
    return render(kind, validate(kind, payload), fmt, lang, **options)


def render(
    kind: kinds.Kind,
    model: kinds.KindModel,
    fmt: str,
    lang: str,
    *,
    pool: RenderPool,
    timeout: float,
    pages_per_chunk: int = 40,
    serial_start: int | None = None,
) -> Rendered:
    """Render a validated model. Ballots are imposed: ``serial_start`` numbers their counterfoils (the caller
    reserves the range)."""
    ctx = context(kind, model, lang)
    try:
        if fmt == "docx":
            data = docx.render_docx(kind.id, kind.docx_template, environment.environment("docx", lang), ctx)
        elif getattr(model, "imposed", False):
            return ballots.print_run(kind, model, ctx, lang, pool=pool, timeout=timeout, serial_start=serial_start)
        else:
            data = pool.render(html_chunks(kind, model, ctx, lang, pages_per_chunk), timeout)
    except TemplateError as exc:
        raise TemplateFailure(
            zh=f"模板 {kind.id} 出错：{exc.message}",
            en=f"template {kind.id} failed: {exc.message}",
            extra={"kind": kind.id, "error": str(exc.message)},
        ) from exc
    return Rendered(data, fmt, kind.id, file_name(kind, ctx, fmt, lang))
