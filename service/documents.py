"""The pipeline: input → validated model → domain rules → render context → DOCX or PDF bytes."""

from __future__ import annotations

import hashlib
import html
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from jinja2 import Template, TemplateError
from lxml import etree
from pydantic import ValidationError

from . import ballots, i18n, kinds
from .custom import CustomTemplate
from .errors import FieldError, InvalidContent, PayloadTooLarge, TemplateFailure
from .render import docx, environment, pdf, sheet, stamp
from .render.paging import chunks, paginate
from .render.pdf import page_count
from .render.pool import RenderPool, weasyprint_log
from .validation import invalid, unprintable

log = logging.getLogger(__name__)
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
    template: str | None = None  # the custom template used, if any (its id, version and SHA-256)

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
    bad = list(unprintable(payload))
    if bad:
        raise InvalidContent(
            zh=f"有{len(bad)}处内容未通过校验", en=f"{len(bad)} field(s) failed validation", errors=bad
        )
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


def check_pages(pages: int, max_pages: int | None) -> None:
    """413 for a document longer than the page limit."""
    if max_pages is not None and pages > max_pages:
        raise PayloadTooLarge(
            zh=f"文书有{pages}页，超过上限{max_pages}页；请分村或分批生成",
            en=f"the document has {pages} pages, over the limit of {max_pages}; split it by village or in batches",
            errors=[FieldError("", "too_many_pages", f"最多{max_pages}页", f"at most {max_pages} pages")],
        )


def chunk_contexts(
    kind: kinds.Kind,
    model: kinds.KindModel,
    ctx: dict[str, Any],
    lang: str,
    pages_per_chunk: int,
    max_pages: int | None = None,
) -> Iterator[dict[str, Any]]:
    """The context of each HTML chunk: the whole context, or for long tables one per chunk of pages."""
    if not model.table_rows:
        yield ctx
        return
    if model.columns:
        yield from _sheet_contexts(model, ctx, lang, pages_per_chunk, max_pages)
        return
    rows = ctx[model.table_rows]
    pages = paginate(rows, model.row_lines, model.first_page_rows, model.rows_per_page, model.last_page_reserve)
    check_pages(len(pages), max_pages)
    numbered = [{"number": i + 1, "rows": page} for i, page in enumerate(pages)]
    for part in chunks(numbered, pages_per_chunk):
        yield {
            **ctx,
            "pages": part,
            "page_count": len(pages),
            "first_chunk": part[0]["number"] == 1,
            "last_chunk": part[-1]["number"] == len(pages),
        }


def html_chunks(
    kind: kinds.Kind,
    model: kinds.KindModel,
    ctx: dict[str, Any],
    lang: str,
    pages_per_chunk: int,
    template: Template | None = None,
    max_pages: int | None = None,
) -> Iterable[str]:
    """The HTML of a document, as one string or, for long tables, one string per chunk of pages."""
    template = template or environment.environment("html", lang).get_template(kind.html_template)
    parts = (template.render(c) for c in chunk_contexts(kind, model, ctx, lang, pages_per_chunk, max_pages))
    return parts if model.columns else list(parts)  # fast sheets stream: later chunks overlap earlier renders


def sheet_parts(
    kind: kinds.Kind, model: kinds.KindModel, ctx: dict[str, Any], lang: str, pages_per_chunk: int,
    max_pages: int | None = None,
) -> Iterator[pdf.StampedPart]:
    """A roster's fast sheets in chunks: WeasyPrint lays out each chunk's first and last sheet and one frame,
    the service draws the rest and writes in every grid (render/sheet.py, render/stamp.py)."""
    template = environment.environment("html", lang).get_template(kind.html_template)
    for c in _sheet_contexts(model, ctx, lang, pages_per_chunk, max_pages):
        heads = [head for _, head, _ in c["sheet_columns"]]
        meta = tuple(_block_text(template, "meta", c))
        pages = tuple(
            sheet.stamped_page(page, c["page_count"], model.columns, heads, sheet.SheetTexts(
                meta, " ".join(_block_text(template, "subtotal", {**c, "page": page})),
                " ".join(_block_text(template, "foot", {**c, "page": page}))))
            for page in c["pages"]
        )
        boxes = stamp.atlas(b for page in pages for b in page.blocks)
        frame = any(page.blank for page in pages)
        yield pdf.StampedPart(template.render({**c, "stamped": True, "frame": frame, "atlas": boxes}), boxes, pages)


_TAG = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"[ \t\r\n\f]+")  # what HTML collapses (not U+3000, the ideographic space)


def _block_text(template: Template, name: str, ctx: dict[str, Any]) -> list[str]:
    """The text a block of a sheet template prints, as HTML shows it: one string per <span>, or one for all."""
    render = template.blocks.get(name) or template.environment.get_template("_roster.html").blocks[name]
    markup = "".join(render(template.new_context(ctx)))
    items = re.findall(r"<span>(.*?)</span>", markup, re.S) or [markup]
    return [_SPACES.sub(" ", html.unescape(_TAG.sub("", item))).strip() for item in items]


def _sheet_contexts(
    model: kinds.KindModel, ctx: dict[str, Any], lang: str, pages_per_chunk: int, max_pages: int | None
) -> Iterator[dict[str, Any]]:
    """The contexts of a roster laid out as fast sheets (see render/sheet.py), one per chunk of pages."""
    assert model.table_rows
    rows = [model.cells(row, lang) for row in ctx[model.table_rows]]
    pages = sheet.layout(model.columns, rows, model.sheet)
    check_pages(len(pages), max_pages)
    heads = [i18n.gettext(c.header, lang) for c in model.columns]
    for page in pages:
        page["grid"] = sheet.grid_svg(model.columns, page["bounds"])
    common = {
        **ctx,
        "sheet_columns": list(zip(model.columns, heads, sheet.column_styles(model.columns), strict=True)),
        "line_mm": sheet.LINE_MM,
        "page_count": len(pages),
        "stamped": False,  # sheet_parts sets it, with the frame and the atlas
        "frame": False,
        "atlas": {},
    }
    return ({**common, "pages": part} for part in chunks(pages, pages_per_chunk))


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
    custom: CustomTemplate | None = None,
    max_pages: int | None = None,
) -> Rendered:
    """Render a validated model. Ballots are imposed: ``serial_start`` numbers their counterfoils (the caller
    reserves the range). A ``custom`` template renders in a worker process, Jinja included, under ``timeout``.
    A PDF over ``max_pages`` is refused with 413, before rendering where the pages are known in advance."""
    ctx = context(kind, model, lang)
    if custom is not None:
        data, warnings = pool.call(render_custom, kind.id, model, fmt, lang, custom, pages_per_chunk, timeout=timeout)
        for message in warnings:  # re-logged here, as the pool does for built-in renders
            weasyprint_log.warning("%s", message)
        if fmt == "pdf" and max_pages is not None:
            check_pages(page_count(data), max_pages)
        return Rendered(data, fmt, kind.id, file_name(kind, ctx, fmt, lang), template=custom.label)
    try:
        if fmt == "docx":
            data = docx.render_docx(kind.id, kind.docx_template, environment.environment("docx", lang), ctx)
        elif getattr(model, "imposed", False):
            return ballots.print_run(
                kind, model, ctx, lang, pool=pool, timeout=timeout, serial_start=serial_start, max_pages=max_pages
            )
        else:
            data = _render_pdf(kind, model, ctx, lang, pool, timeout, pages_per_chunk, max_pages)
            if max_pages is not None:
                check_pages(page_count(data), max_pages)
    except TemplateError as exc:
        raise TemplateFailure(
            zh=f"模板 {kind.id} 出错：{exc.message}",
            en=f"template {kind.id} failed: {exc.message}",
            extra={"kind": kind.id, "error": str(exc.message)},
        ) from exc
    return Rendered(data, fmt, kind.id, file_name(kind, ctx, fmt, lang))


def stamped_parts(
    kind: kinds.Kind, model: kinds.KindModel, ctx: dict[str, Any], lang: str, pages_per_chunk: int,
    max_pages: int | None = None,
) -> Iterable[pdf.StampedPart] | None:
    """A document whose long tables are stamped after layout (render/stamp.py), or None for one that is not."""
    if model.columns:
        return sheet_parts(kind, model, ctx, lang, pages_per_chunk, max_pages)
    blocks = model.stamp_blocks(ctx)
    if not blocks:
        return None
    boxes = stamp.atlas(blocks)
    template = environment.environment("html", lang).get_template(kind.html_template)
    return [pdf.StampedPart(template.render({**ctx, "stamped": True, "atlas": boxes}), boxes, blocks=tuple(blocks))]


def _render_pdf(
    kind: kinds.Kind, model: kinds.KindModel, ctx: dict[str, Any], lang: str, pool: RenderPool, timeout: float,
    pages_per_chunk: int, max_pages: int | None,
) -> bytes:
    """A built-in template's PDF: long tables stamped where they can be, everything else laid out as HTML."""
    try:
        parts = stamped_parts(kind, model, ctx, lang, pages_per_chunk, max_pages)
        if parts is not None:
            return pool.render(parts, timeout)
    except stamp.Unstampable as exc:  # a character that shapes with its neighbours: lay the text out too
        log.info("%s: text not stamped (%s)", kind.id, exc)
    return pool.render(html_chunks(kind, model, ctx, lang, pages_per_chunk, max_pages=max_pages), timeout)


def render_custom(
    kind_id: str, model: kinds.KindModel, fmt: str, lang: str, custom: CustomTemplate, pages_per_chunk: int
) -> tuple[bytes, list[str]]:
    """Render with an uploaded template, in a pool worker: the bytes and the warnings WeasyPrint logged."""
    kind = kinds.get(kind_id)
    ctx = context(kind, model, lang)
    name = f"{kind.id} v{custom.version} ({custom.sha256[:12]})"
    try:
        if fmt == "docx":
            env = environment.custom_environment("docx", lang)
            return docx.render_custom_docx(kind.id, custom.content, custom.sha256, env, ctx), []
        env = environment.custom_environment("html", lang)
        environment.add_custom_source(f"custom-{custom.sha256}.html", custom.content.decode("utf-8-sig"))
        template = env.get_template(f"custom-{custom.sha256}.html")
        datas, warnings = [], []
        for part in html_chunks(kind, model, ctx, lang, pages_per_chunk, template):
            data, logged = pdf.html_to_pdf(part)
            datas.append(data)
            warnings += logged
        return pdf.join_pdfs(datas), warnings
    except (TemplateError, RecursionError, etree.XMLSyntaxError) as exc:
        if isinstance(exc, TemplateError):
            message = exc.message or ""
        elif isinstance(exc, RecursionError):  # a macro that calls itself for ever, say
            message = "recursion too deep"
        else:  # a tag that opens in one paragraph and closes in another cut the Word XML
            message = f"the filled Word XML is damaged ({exc}); use {{%p %}} or {{%tr %}} for tags that span paragraphs"
        raise TemplateFailure(
            zh=f"自定义模板 {name} 出错：{message}",
            en=f"custom template {name} failed: {message}",
            extra={"kind": kind.id, "template_id": custom.id, "error": str(message)},
        ) from None
