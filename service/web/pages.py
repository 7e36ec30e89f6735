"""Home, a kind's page, the check of an upload or form, its preview images and downloads."""

from __future__ import annotations

import io
import json
from typing import Any

from flask import abort, current_app, g, redirect, render_template, request, send_file, url_for
from werkzeug.wrappers import Response

from .. import documents, errors, imports, kinds
from ..api.documents import produce
from ..archive import zip_documents
from ..imports import columns
from . import bp, jobs, lang, t


@bp.get("/")
def home() -> str:
    """The kinds grouped by family, filtered by ?q=."""
    q = request.args.get("q", "").strip().lower()
    title = 0 if lang() == "zh" else 1
    groups: dict[str, list[kinds.Kind]] = {names[title]: [] for names in kinds.FAMILIES.values()}  # their order
    for kind in kinds.all_kinds():
        if q and q not in f"{kind.title_zh} {kind.title_en} {kind.id}".lower():
            continue
        groups.setdefault(kinds.FAMILIES[kind.family][title], []).append(kind)
    return render_template("web/home.html", groups={f: ks for f, ks in groups.items() if ks}, q=q)


@bp.get("/kinds/<kind_id>/template.xlsx")
def kind_template(kind_id: str) -> Response:
    """The kind's Excel template for staff (the API's copy needs an API key, which a browser does not send)."""
    from ..api.kinds import template_response

    return template_response(kinds.get(kind_id), lang())


def form_fields(kind: kinds.Kind, language: str = "zh") -> tuple[list[columns.Field], list[columns.Field]]:
    """The form of a kind: its scalar fields (nested objects flattened), and its lists as text boxes (the tables,
    and any other list: one line per item for a list of texts, JSON for the rest); labels in ``language``."""
    lays = columns.layouts(kind.model)
    everything = columns.other_fields(kind.model, lays)
    tables = [columns.Field(lay.table, lay.sheet if lay.sheet != imports.TABLE_SHEET else columns.label(
        lay.table, kind.model.model_fields[lay.table].description), shape="json") for lay in lays]
    scalars = [f for f in everything if f.shape == "scalar"]
    boxes = tables + [f for f in everything if f.shape != "scalar"]
    return [columns.translated(f, language) for f in scalars], [columns.translated(f, language) for f in boxes]


def where(kind: kinds.Kind, path: str) -> str:
    """What a row-less error is about, for people: the field's label (选举名称), else its path."""
    if path == "/file" or path.startswith("/file/"):
        return t("上传的文件")
    for lay in columns.layouts(kind.model):
        if path == lay.pointer or path.startswith(lay.pointer + "/"):
            return columns.tr(lay.sheet if lay.sheet != imports.TABLE_SHEET else columns.label(
                lay.table, kind.model.model_fields[lay.table].description), lang())
    found = imports.pointer_label(columns.fields(kind.model, lists=True), path)
    return columns.tr(found, lang()) if found else path


def _kind_page(kind: kinds.Kind, problems: list[dict[str, Any]] | None = None, status: int = 200) -> tuple[str, int]:
    language = lang()
    scalars, boxes = form_fields(kind, language)
    try:
        sample = kind.sample()
    except FileNotFoundError:
        sample = {}
    layouts = [lay.translated(language) for lay in columns.layouts(kind.model)]
    return render_template("web/kind.html", kind=kind, scalars=scalars, boxes=boxes, sample=sample,
                           layouts=layouts, problems=problems or [], form=request.form, get=_get), status


def _get(data: Any, path: str) -> Any:
    for part in path.split("."):
        data = data.get(part) if isinstance(data, dict) else None
    return "" if data is None else data


@bp.get("/kinds/<kind_id>")
def kind_page(kind_id: str) -> tuple[str, int]:
    """A kind's page: template, upload, form."""
    return _kind_page(kinds.get(kind_id))


def _form_payload(kind: kinds.Kind) -> dict[str, Any]:
    scalars, boxes = form_fields(kind)
    payload: dict[str, Any] = {}
    for f in scalars:
        value = request.form.get(f.path, "").strip()
        if value:
            imports.set_path(payload, f.path, value)
    for f in boxes:
        text = request.form.get(f"list:{f.path}", "").strip()
        if text:
            try:
                imports.set_path(payload, f.path, f.parse(text))
            except json.JSONDecodeError as exc:
                zh, en = f"不是有效的 JSON：第{exc.lineno}行", f"not valid JSON at line {exc.lineno}"
                raise errors.BadRequest(zh=f"“{f.label}”{zh}", en=f"{columns.tr(f.label, 'en')}: {en}", errors=[
                    errors.FieldError("/" + f.path.replace(".", "/"), "broken_json", zh, en)]) from None
    return payload


@bp.post("/kinds/<kind_id>")
def check(kind_id: str) -> Response | tuple[str, int]:
    """Read the upload and the form, validate; errors by row and column, or on to the preview."""
    kind = kinds.get(kind_id)
    language = lang()
    upload = request.files.get("file")
    imported = imports.Imported({})
    try:
        base = _form_payload(kind)
        if upload is not None and upload.filename:
            imported = imports.load(
                kind, upload.filename, upload.read(), base, limits=imports.Limits.of(current_app.config)
            )
        elif base:
            imported = imports.Imported({"": base})
        else:
            raise errors.BadRequest(zh="请选择文件或填写内容", en="choose a file or fill in the form")
        models = imports.validate(kind, imported)
    except errors.ElectionDocsError as exc:
        if exc.status >= 500 or exc.status == 413:
            raise
        problems = []
        for e in exc.errors or [errors.FieldError("", exc.slug, exc.zh, exc.en)]:
            row, column = (None, None)
            for village in imported.payloads:
                row, column = imports.row_column(imported, village, e.path)
                if row:
                    column = imported.column_in(e.path, language) or column
                    break
            message = e.zh if language == "zh" else e.en
            if row:  # the table shows row and column; drop them from the sentence
                message = message.split("：" if language == "zh" else ": ", 1)[-1]
            problems.append({"row": row, "column": column or where(kind, e.path), "path": e.path, "message": message})
        return _kind_page(kind, problems, 422 if exc.status == 422 else 400)
    payloads = {v: imported.payloads[v] for v in models}  # what the user sent; validated again on download
    token = jobs.save(current_app.config["INSTANCE_DIR"], g.user["id"], kind.id, payloads,
                      max_age_hours=current_app.config["UPLOAD_TTL_HOURS"])
    return redirect(url_for("web.job", token=token), code=303)


def _job(token: str) -> tuple[Any, dict[str, Any], kinds.Kind]:
    found = jobs.load(current_app.config["INSTANCE_DIR"], token, g.user["id"])
    if found is None:
        abort(404)
    folder, job = found
    return folder, job, kinds.get(job["kind"])


def _render(kind: kinds.Kind, payload: dict[str, Any], fmt: str) -> documents.Rendered:
    return produce(kind, documents.validate(kind, payload), fmt, lang())


@bp.get("/jobs/<token>")
def job(token: str) -> str:
    """The checked upload: preview of the first document, and downloads."""
    folder, record, kind = _job(token)
    pdf = folder / f"first-{lang()}.pdf"
    if not pdf.exists():
        pdf.write_bytes(_render(kind, record["payloads"][0], "pdf").data)
    (folder / lang()).mkdir(exist_ok=True)
    pages = jobs.previews(pdf, folder / lang())
    return render_template("web/job.html", kind=kind, token=token, villages=record["villages"], pages=len(pages))


@bp.get("/jobs/<token>/preview-<int:page>.png")
def preview(token: str, page: int) -> Response:
    """One preview image."""
    folder, _, _ = _job(token)
    images = sorted((folder / lang()).glob("page-*.png"))
    if not 1 <= page <= len(images):
        abort(404)
    resp = Response(images[page - 1].read_bytes(), mimetype="image/png")
    resp.headers["Cache-Control"] = "private, no-store"
    return resp


@bp.get("/jobs/<token>/download")
def download(token: str) -> Response:
    """The document as PDF or DOCX (?format=), one village by ?village=, or all of them as a ZIP."""
    _, record, kind = _job(token)
    fmt = request.args.get("format", "pdf")
    if fmt not in documents.MEDIA_TYPES:
        abort(400)
    villages: list[str] = record["villages"]
    wanted = request.args.get("village")
    if len(villages) > 1 and wanted is None:
        data = zip_documents(_render(kind, p, fmt) for p in record["payloads"])
        name = f"{kind.title(lang())}.zip"
        return send_file(io.BytesIO(data), mimetype="application/zip", as_attachment=True, download_name=name)
    index = villages.index(wanted) if wanted in villages else 0
    doc = _render(kind, record["payloads"][index], fmt)
    resp = Response(doc.data, mimetype=doc.media_type)
    resp.headers["Content-Disposition"] = doc.content_disposition()
    return resp
