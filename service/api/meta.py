"""/healthz, /openapi.json and the readable API docs page at /docs."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, json, render_template

from .. import kinds
from ..render import fonts
from .openapi import spec

bp = Blueprint("meta", __name__)


@bp.get("/healthz")
def healthz() -> Response:
    """Fonts present and both renderers usable; 503 when not."""
    checks: dict[str, Any] = {"fonts": fonts.missing_fonts() or "ok"}
    try:
        from ..documents import produce

        kind = kinds.all_kinds()[0]
        for fmt in ("docx", "pdf"):
            produce(
                kind.id,
                kind.sample(),
                fmt,
                "zh",
                pool=current_app.extensions["render_pool"],
                timeout=current_app.config["RENDER_TIMEOUT"],
            )
            checks[fmt] = "ok"
    except Exception as exc:  # a health check reports failures, it does not raise them
        checks["render"] = f"{type(exc).__name__}: {exc}"
    ok = checks["fonts"] == "ok" and checks.get("pdf") == "ok" and checks.get("docx") == "ok"
    body = {"status": "ok" if ok else "unhealthy", "checks": checks}
    return Response(json.dumps(body, ensure_ascii=False), status=200 if ok else 503, mimetype="application/json")


@bp.get("/openapi.json")
def openapi() -> Response:
    """The OpenAPI 3.1 description of the API."""
    return Response(json.dumps(spec(), ensure_ascii=False), mimetype="application/json")




@bp.get("/docs")
def docs() -> str:
    """A readable page describing every endpoint and kind, rendered from the OpenAPI description."""
    s = spec()
    return render_template("api_docs.html", info=s["info"], paths=s["paths"], kinds=kinds.all_kinds())
