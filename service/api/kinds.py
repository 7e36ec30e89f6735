"""GET /kinds, /kinds/<id>/schema, /kinds/<id>/sample and /kinds/<id>/template.xlsx."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from flask import Response, json, url_for

from .. import kinds
from ..imports import template
from . import bp

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _json(data: Any, mimetype: str = "application/json") -> Response:
    return Response(json.dumps(data, ensure_ascii=False), mimetype=mimetype)


@bp.get("/kinds")
def list_kinds() -> Response:
    """Every kind with its family, titles, formats and links."""
    return _json(
        {
            "kinds": [
                {
                    "id": k.id,
                    "family": k.family,
                    "family_title": {"zh": kinds.FAMILIES[k.family][0], "en": kinds.FAMILIES[k.family][1]},
                    "title": {"zh": k.title_zh, "en": k.title_en},
                    "formats": ["pdf", "docx"],
                    "languages": ["zh", "en"],
                    "links": {
                        "schema": url_for("api.kind_schema", kind_id=k.id),
                        "sample": url_for("api.kind_sample", kind_id=k.id),
                        "template": url_for("api.kind_template", kind_id=k.id),
                        "documents": url_for("api.create_document", kind_id=k.id),
                    },
                }
                for k in kinds.all_kinds()
            ]
        }
    )


@bp.get("/kinds/<kind_id>/schema")
def kind_schema(kind_id: str) -> Response:
    """The JSON Schema of a kind's input."""
    return _json(kinds.get(kind_id).schema(), "application/schema+json")


@bp.get("/kinds/<kind_id>/sample")
def kind_sample(kind_id: str) -> Response:
    """The kind's sample input."""
    return _json(kinds.get(kind_id).sample())


@bp.get("/kinds/<kind_id>/template.xlsx")
def kind_template(kind_id: str) -> Response:
    """The kind's Excel template: headers (Chinese, or English with ?lang=en), one example row, and a sheet for
    the other fields."""
    from .documents import negotiate_lang

    return template_response(kinds.get(kind_id), negotiate_lang())


def template_response(kind: kinds.Kind, lang: str) -> Response:
    """The Excel template of a kind in a language, as a download."""
    resp = Response(template.workbook(kind, lang), mimetype=XLSX)
    name = f"{kind.title_zh}-模板.xlsx" if lang == "zh" else f"{kind.title_en} - template.xlsx"
    resp.headers["Content-Disposition"] = f"attachment; filename=\"{kind.id}.xlsx\"; filename*=UTF-8''{quote(name)}"
    return resp
