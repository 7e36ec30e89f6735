"""Custom templates: upload (checked and linted), list, activate, roll back, preview — per kind and region."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, json, request, url_for

from .. import documents, errors, kinds, principal
from ..custom import FORMATS, check, files, store
from ..errors import FieldError
from . import bp
from .documents import document_response, negotiate_lang, render_options


def _json(data: Any, status: int = 200) -> Response:
    return Response(json.dumps(data, ensure_ascii=False), status=status, mimetype="application/json")


def _described(row: dict[str, Any]) -> dict[str, Any]:
    tid = row["id"]
    return {
        **row,
        "renders": FORMATS[row["format"]],
        "links": {
            "self": url_for("api.get_template", template_id=tid),
            "preview": url_for("api.preview_template", template_id=tid),
            "activate": url_for("api.activate_template", template_id=tid),
            "rollback": url_for("api.rollback_template", template_id=tid),
        },
    }


def _require(scope: str) -> principal.Principal:
    who = principal.current()
    if not who.can(scope):
        raise errors.Forbidden(zh=f"需要 {scope} 权限", en=f"this needs the {scope} scope")
    return who


def _seen(template_id: int, scope: str) -> tuple[principal.Principal, dict[str, Any]]:
    """The caller (holding ``scope``) and a template it sees; one it does not see is 404, as if absent."""
    who = _require(scope)
    row = store.get(current_app.extensions["db"], template_id)
    if not who.sees(row["region"]):
        raise errors.NotFound(zh=f"没有编号为{template_id}的模板", en=f"there is no template {template_id}")
    return who, row


def _limits() -> files.Limits:
    cfg = current_app.config
    return files.Limits(
        cfg["TEMPLATE_MAX_BYTES"], cfg["TEMPLATE_MAX_UNZIPPED"], cfg["TEMPLATE_MAX_RATIO"], cfg["TEMPLATE_MAX_ENTRIES"]
    )


@bp.post("/templates")
def upload_template() -> Response:
    """Upload a Word or HTML template for a kind: checked, linted, stored as the next version (inactive)."""
    who = _require("admin")
    if request.mimetype != "multipart/form-data":
        raise errors.UnsupportedMediaType(
            zh="请以 multipart/form-data 上传 kind 和 file", en="upload kind and file as multipart/form-data"
        )
    kind_id = request.form.get("kind", "")
    if not kind_id:
        raise errors.BadRequest(
            zh="缺少 kind（文书种类）", en="kind is missing", errors=[FieldError("/kind", "missing", "缺少", "missing")]
        )
    kind = kinds.get(kind_id)
    upload = request.files.get("file")
    if upload is None:
        raise errors.BadRequest(
            zh="请在 file 字段上传 .docx 或 .html 模板",
            en="upload a .docx or .html template in the file field",
            errors=[FieldError("/file", "missing", "缺少文件", "no file")],
        )
    region = store.check_region(request.form.get("region") or who.region)
    if not who.sees(region or None):
        raise errors.Forbidden(
            zh=f"无权管理地区 {region or '（全部）'} 的模板",
            en=f"you may not manage templates of region {region or '(everywhere)'}",
        )
    limit = current_app.config["TEMPLATE_MAX_BYTES"]
    data = upload.stream.read(limit + 1)  # never more than one byte past the limit in memory
    if len(data) > limit:  # refused here already: nothing that large goes to a worker
        check.examine(kind, upload.filename or "", data, _limits())
    try:
        checked = current_app.extensions["render_pool"].call(
            check.examine_in_worker,
            kind.id,
            upload.filename or "",
            data,
            _limits(),
            timeout=current_app.config["RENDER_TIMEOUT"],
        )
    except errors.RenderTimeout:
        raise check.refuse(
            kind,
            [
                FieldError(
                    "/file",
                    "too_slow",
                    "检查模板超时，请简化模板",
                    "checking the template took longer than RENDER_TIMEOUT: simplify it",
                )
            ],
        ) from None
    row = store.add(
        current_app.extensions["db"],
        kind=kind.id,
        fmt=checked.format,
        region=region,
        filename=upload.filename or f"{kind.id}.{checked.format}",
        content=data,
        lint=checked.record(),
        note=request.form.get("note", ""),
        by=who.name,
    )
    resp = _json(_described(row), 201)
    resp.headers["Location"] = url_for("api.get_template", template_id=row["id"])
    return resp


@bp.get("/templates")
def list_templates() -> Response:
    """The stored versions the caller sees, newest first; ?kind= and ?region= (empty = everywhere) narrow it."""
    who = _require("render")
    kind = request.args.get("kind") or None
    if kind:
        kinds.get(kind)
    region = store.check_region(request.args["region"], "/query/region") if "region" in request.args else None
    rows = store.listing(current_app.extensions["db"], kind, region)
    return _json({"templates": [_described(r) for r in rows if who.sees(r["region"])]})


@bp.get("/templates/<int:template_id>")
def get_template(template_id: int) -> Response:
    """One stored version: kind, format, region, version, SHA-256, lint result, whether it is active."""
    return _json(_described(_seen(template_id, "render")[1]))


@bp.post("/templates/<int:template_id>/activate")
def activate_template(template_id: int) -> Response:
    """Make this version the one renders of its kind and region use."""
    who, _ = _seen(template_id, "admin")
    return _json(_described(store.activate(current_app.extensions["db"], template_id, who.name)))


@bp.post("/templates/<int:template_id>/rollback")
def rollback_template(template_id: int) -> Response:
    """Re-activate the version before the active one of this template's kind and region (or the built-in)."""
    who, row = _seen(template_id, "admin")
    active = store.rollback(current_app.extensions["db"], template_id, who.name)
    return _json(
        {
            "kind": row["kind"],
            "format": row["format"],
            "region": row["region"],
            "active": _described(active) if active else None,
            "builtin": active is None,
        }
    )


@bp.get("/templates/<int:template_id>/preview")
def preview_template(template_id: int) -> Response:
    """The kind's sample rendered with this version (active or not): PDF for HTML templates, DOCX for Word."""
    _, row = _seen(template_id, "render")
    fmt = FORMATS[row["format"]]
    asked = request.args.get("format")
    if asked and asked != fmt:
        raise errors.BadRequest(
            zh=f"这个模板只能生成 {fmt}",
            en=f"this template renders {fmt} only",
            errors=[FieldError("/query/format", "enum", f"只能是 {fmt}", f"must be {fmt}")],
        )
    lang = negotiate_lang()
    kind = kinds.get(row["kind"])
    engine = current_app.extensions["db"]
    sample = documents.validate(kind, kind.sample())
    doc = documents.render(kind, sample, fmt, lang, custom=store.template(engine, template_id), **render_options())
    resp = document_response(doc, lang)
    resp.headers["X-Template"] = doc.template or ""
    return resp
