"""Print runs of ballots: the face, counterfoil and digits rendered once, then imposed for every copy."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import kinds
from .errors import FieldError, InvalidContent
from .render import environment, impose
from .render.pdf import page_count
from .render.pool import RenderPool

if TYPE_CHECKING:
    from .documents import Rendered


def print_run(
    kind: kinds.Kind,
    model: Any,
    ctx: dict[str, Any],
    lang: str,
    *,
    pool: RenderPool,
    timeout: float,
    serial_start: int | None,
    max_pages: int | None = None,
) -> Rendered:
    """The print-ready PDF: a proof sheet (样票), or ``copies`` final ballots with serials from ``serial_start``."""
    from .documents import Rendered, check_pages, file_name

    opts = model.print
    check_pages(-(-(ctx["copies"] if opts.final else opts.per_sheet) // opts.per_sheet), max_pages)
    stub = bool(opts.counterfoil)
    face_w, face_h = impose.face_size(opts.paper, opts.per_sheet, stub)
    ctx = {**ctx, "face_w": round(face_w, 2), "face_h": round(face_h, 2), "stub_w": impose.STUB_MM}
    env = environment.environment("html", lang)
    html = [env.get_template(kind.html_template).render(ctx)]
    if stub:
        html += [env.get_template("_ballot_stub.html").render(ctx), env.get_template("_ballot_digits.html").render()]
    pdfs = pool.render_each(html, timeout)
    if page_count(pdfs[0]) > 1:
        raise InvalidContent(
            zh=f"候选人名单在{opts.paper}纸每张{opts.per_sheet}票的版面上排不下；请换用更大的纸或减少每张票数",
            en=f"the ballot does not fit on {opts.paper} paper at {opts.per_sheet} per sheet; choose larger paper "
            "or fewer ballots per sheet",
            errors=[
                FieldError("/print/per_sheet", "ballot_too_long", "选票内容超出版面", "the ballot overflows its slot")
            ],
        )
    copies = ctx["copies"] if opts.final else opts.per_sheet
    numbered = stub and opts.final and serial_start is not None
    data = impose.impose(
        face=pdfs[0],
        quantity=copies,
        paper=opts.paper,
        per_sheet=opts.per_sheet,
        counterfoil=pdfs[1] if stub else None,
        digits=pdfs[2] if numbered else None,
        serial_start=serial_start or 1,
    )
    serials = (serial_start, serial_start + copies - 1) if numbered and serial_start is not None else None
    return Rendered(data, "pdf", kind.id, file_name(kind, ctx, "pdf", lang), copies=copies, serials=serials)
