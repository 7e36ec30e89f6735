"""POST /documents/<id>: a JSON body or an uploaded spreadsheet in, a DOCX or PDF (or a ZIP of them) out."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any
from urllib.parse import quote

from flask import Response, current_app, json, request

from .. import accounting, archive, audit, documents, errors, i18n, imports, kinds, principal
from ..custom import store
from ..errors import FieldError
from ..kinds.ballot.common import BallotModel
from ..principal import current
from ..validation import MAX_DEPTH, depth
from . import bp

_BY_MEDIA_TYPE = {mt: fmt for fmt, mt in documents.MEDIA_TYPES.items()}


def render_options() -> dict[str, Any]:
    """This app's PDF workers and render bounds, as ``documents.render`` takes them."""
    return {
        "pool": current_app.extensions["render_pool"],
        "timeout": current_app.config["RENDER_TIMEOUT"],
        "pages_per_chunk": current_app.config["PAGES_PER_CHUNK"],
        "max_pages": current_app.config["MAX_PAGES"],
    }


def negotiate_format() -> str:
    """The format from ?format=, else from Accept; PDF when the client takes anything."""
    fmt = request.args.get("format")
    if fmt is not None:
        if fmt not in documents.MEDIA_TYPES:
            raise errors.BadRequest(
                zh="format 只能是 pdf 或 docx",
                en="format must be pdf or docx",
                errors=[FieldError("/query/format", "enum", "只能是 pdf 或 docx", "must be pdf or docx")],
            )
        return fmt
    if not request.accept_mimetypes:
        return "pdf"
    best = request.accept_mimetypes.best_match(list(_BY_MEDIA_TYPE))
    if best is None:
        raise errors.NotAcceptable(zh="只能提供 PDF 或 DOCX 文件", en="only PDF or DOCX can be produced")
    return _BY_MEDIA_TYPE.get(best, "pdf")


def negotiate_lang() -> str:
    """The document language: ?lang=zh|en, else Accept-Language, else zh."""
    lang = request.args.get("lang")
    if lang is not None and lang not in i18n.LANGS:
        raise errors.BadRequest(
            zh="lang 只能是 zh 或 en",
            en="lang must be zh or en",
            errors=[FieldError("/query/lang", "enum", "只能是 zh 或 en", "must be zh or en")],
        )
    return i18n.negotiate(lang, request.headers.get("Accept-Language"))


def read_json_body() -> dict[str, Any]:
    """The request body as a JSON object, with 415 and 400 for the wrong type, bad JSON or deep nesting."""
    if not request.is_json:
        raise errors.UnsupportedMediaType(zh="请求体应为 application/json", en="the body must be application/json")
    too_deep = errors.BadRequest(zh=f"请求体嵌套超过{MAX_DEPTH}层", en=f"the body nests deeper than {MAX_DEPTH} levels")
    try:
        body = request.get_json(silent=True)
    except RecursionError:
        raise too_deep from None
    if body is None:
        raise errors.BadRequest(zh="请求体不是有效的 JSON", en="the body is not valid JSON")
    if depth(body) > MAX_DEPTH:
        raise too_deep
    if not isinstance(body, dict):
        raise errors.BadRequest(
            zh="请求体应为 JSON 对象",
            en="the body must be a JSON object",
            errors=[FieldError("", "type", "应为对象", "must be an object")],
        )
    return body


def check_rows(value: Any, limit: int, path: str = "") -> None:
    """413 for any list longer than the configured row limit, naming where it is."""
    if isinstance(value, list):
        if len(value) > limit:
            raise errors.PayloadTooLarge(
                zh=f"{path or '/'} 有{len(value)}行，超过上限{limit}行",
                en=f"{path or '/'} has {len(value)} rows, over the limit of {limit}",
                errors=[FieldError(path, "too_many_rows", f"最多{limit}行", f"at most {limit} rows")],
            )
        for i, item in enumerate(value):
            check_rows(item, limit, f"{path}/{i}")
    elif isinstance(value, dict):
        for key, item in value.items():
            check_rows(item, limit, f"{path}/{key}")


def read_upload(kind: kinds.Kind) -> imports.Imported:
    """A multipart upload's ``file`` (XLSX, CSV or JSON), with the optional ``data`` JSON of the other fields."""
    upload = request.files.get("file")
    if upload is None:
        raise errors.BadRequest(
            zh="请在 file 字段上传 XLSX、CSV 或 JSON 文件",
            en="upload an XLSX, CSV or JSON file in the file field",
            errors=[FieldError("/file", "missing", "缺少文件", "no file")],
        )
    base = None
    if request.form.get("data"):
        try:
            base = json.loads(request.form["data"])
        except ValueError:
            raise errors.BadRequest(zh="data 字段不是有效的 JSON", en="the data field is not valid JSON") from None
        if not isinstance(base, dict):
            raise errors.BadRequest(zh="data 字段应为 JSON 对象", en="the data field must be a JSON object")
    return imports.load(
        kind,
        upload.filename or "",
        upload.read(),
        base,
        limits=imports.Limits.of(current_app.config),
    )


@contextmanager
def render_slot() -> Iterator[None]:
    """Hold one of the process's MAX_RENDERS_IN_FLIGHT render slots, or refuse with 503 and Retry-After."""
    slots = current_app.extensions["render_slots"]
    if not slots.acquire(blocking=False):
        limit = current_app.config["MAX_RENDERS_IN_FLIGHT"]
        raise errors.ServiceBusy(
            zh=f"同时生成的文书已达上限（{limit}份），请稍后重试",
            en=f"{limit} documents are already being rendered; try again shortly",
        )
    try:
        yield
    finally:
        slots.release()


def render_region(who: principal.Principal) -> str | None:
    """The region whose templates a render uses: ?region= (one the caller sees), else the caller's own."""
    asked = request.args.get("region")
    if not asked:
        return who.region
    region = store.check_region(asked, "/query/region")
    if not who.sees(region):
        raise errors.Forbidden(
            zh=f"无权使用地区 {region} 的模板", en=f"you may not use the templates of region {region}"
        )
    return region


def produce(
    kind: kinds.Kind, model: kinds.KindModel, fmt: str, lang: str, region: str | None = None
) -> documents.Rendered:
    """Render one validated model, with the active custom template of ``region`` if there is one; a final
    ballot print is recorded with its serials."""
    engine = current_app.extensions["db"]
    custom = store.active_for(engine, kind.id, "docx" if fmt == "docx" else "html", region)
    render = partial(documents.render, kind, model, fmt, lang, custom=custom, **render_options())
    final_ballots = isinstance(model, BallotModel) and fmt == "pdf" and model.print.final
    detail = None
    if isinstance(model, BallotModel) and final_ballots:
        opts = model.print
        doc, print_id = accounting.print_final(engine, kind.id, model, current(), render)
        detail = {
            "election_id": model.election_id,
            "ballot_print": print_id,
            "copies": doc.copies,
            "serials": list(doc.serials) if doc.serials else None,
            "requested_by": opts.requested_by,
        }
    else:
        doc = render()
    if doc.template:
        detail = {**(detail or {}), "template": doc.template}
    audit.record(engine, kind.id, fmt, lang, doc.sha256, len(doc.data), detail)
    return doc


def document_response(doc: documents.Rendered, lang: str, final_ballots: bool = False) -> Response:
    """The response carrying one produced document."""
    resp = Response(doc.data, mimetype=doc.media_type)
    resp.headers["Content-Disposition"] = doc.content_disposition()
    resp.headers["X-Content-SHA256"] = doc.sha256
    resp.headers["Content-Language"] = "zh-CN" if lang == "zh" else "en"
    if doc.template:
        resp.headers["X-Template"] = doc.template
    if doc.serials:
        resp.headers["X-Ballot-Serials"] = f"{doc.serials[0]}-{doc.serials[1]}"
    if final_ballots:
        resp.headers["X-Ballot-Copies"] = str(doc.copies)
    return resp


def zip_response(docs: list[documents.Rendered], stem: str) -> Response:
    """One ZIP of several documents (one per village)."""
    data = archive.zip_documents(docs)
    resp = Response(data, mimetype="application/zip")
    resp.headers["Content-Disposition"] = f"attachment; filename=\"{stem}.zip\"; filename*=UTF-8''{quote(stem)}.zip"
    return resp


@bp.post("/documents/<kind_id>")
def create_document(kind_id: str) -> Response:
    """Render a document from a JSON body, or from an uploaded file (one document per village, as a ZIP)."""
    kind = kinds.get(kind_id)  # 404 before anything else
    fmt, lang = negotiate_format(), negotiate_lang()
    region = render_region(current())
    limit = current_app.config["MAX_ROWS"]
    if request.mimetype == "multipart/form-data":
        imported = read_upload(kind)
        for payload in imported.payloads.values():
            check_rows(payload, limit)
        models = imports.validate(kind, imported)
        if len(models) > 1:
            with render_slot():
                return zip_response([produce(kind, m, fmt, lang, region) for m in models.values()], kind.title(lang))
        (model,) = models.values()
    else:
        body = read_json_body()
        check_rows(body, limit)
        model = documents.validate(kind, body)
    final_ballots = isinstance(model, BallotModel) and fmt == "pdf" and model.print.final
    with render_slot():
        doc = produce(kind, model, fmt, lang, region)
    return document_response(doc, lang, final_ballots)


@bp.get("/ballot-prints")
def ballot_prints() -> Response:
    """The printed-ballots report (JSON, or as a table in PDF or DOCX with ?format=)."""
    election = request.args.get("election") or None
    fmt, lang = request.args.get("format", "json"), negotiate_lang()
    if fmt != "json" and fmt not in documents.MEDIA_TYPES:
        raise errors.BadRequest(
            zh="format 只能是 json、pdf 或 docx",
            en="format must be json, pdf or docx",
            errors=[FieldError("/query/format", "enum", "只能是 json、pdf 或 docx", "must be json, pdf or docx")],
        )
    rows = [r for r in accounting.report(current_app.extensions["db"], election) if current().sees(r["region"])]
    if fmt == "json":
        body = {
            "election": election,
            "prints": [{**r, "created_at": r["created_at"].isoformat()} for r in rows],
            "total_printed": sum(r["quantity"] for r in rows if r["status"] == "printed"),
        }
        return Response(json.dumps(body, ensure_ascii=False), mimetype="application/json")
    payload = {
        "election_id": election or "",
        "prints": [
            {
                k: r[k]
                for k in (
                    "election_id",
                    "kind",
                    "quantity",
                    "serial_first",
                    "serial_last",
                    "status",
                    "sha256",
                    "requested_by",
                )
            }
            | {"created_at": r["created_at"].isoformat()}
            for r in rows
        ],
    }
    with render_slot():
        doc = documents.produce("table.ballot-prints", payload, fmt, lang, **render_options())
    audit.record(current_app.extensions["db"], "table.ballot-prints", fmt, lang, doc.sha256, len(doc.data))
    resp = Response(doc.data, mimetype=doc.media_type)
    resp.headers["Content-Disposition"] = doc.content_disposition()
    resp.headers["X-Content-SHA256"] = doc.sha256
    return resp
