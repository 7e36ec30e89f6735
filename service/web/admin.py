"""The admins' pages for API keys (create, shown once; list; revoke) and the audit log."""

from __future__ import annotations

from flask import current_app, flash, g, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from .. import audit, keys
from ..principal import SCOPES, current
from . import bp, lang, require_admin, t

PAGE = 50


def _keys_page(new_key: str | None = None, error: str | None = None, status: int = 200) -> tuple[str, int]:
    page = render_template(
        "web/keys.html", keys=keys.all_keys(current_app.extensions["db"]), scopes=SCOPES, new_key=new_key, error=error
    )
    return page, status


@bp.get("/keys")
def key_list() -> tuple[str, int]:
    """Every API key (admins only); never the keys themselves."""
    require_admin()
    return _keys_page()


@bp.post("/keys")
def key_create() -> tuple[str, int]:
    """Create a key and show it on this one response (not in a redirect or flash: those pass through the cookie)."""
    require_admin()
    try:
        token = keys.create(
            current_app.extensions["db"],
            request.form.get("name", ""),
            request.form.getlist("scope"),
            request.form.get("region"),
            created_by=current().name,
        )
    except keys.KeyProblem as exc:
        return _keys_page(error=exc.zh if lang() == "zh" else exc.en, status=400)
    return _keys_page(new_key=token, status=201)


@bp.post("/keys/<name>/revoke")
def key_revoke(name: str) -> Response:
    """Revoke a key (admins only)."""
    require_admin()
    if keys.revoke(current_app.extensions["db"], name):
        flash(t("已吊销密钥") + f" {name}")
    return redirect(url_for("web.key_list"), code=303)


@bp.get("/audit")
def audit_page() -> str:
    """The audit log, newest first, filtered by kind and caller (admins only)."""
    require_admin()
    kind, who = request.args.get("kind", "").strip(), request.args.get("principal", "").strip()
    before = request.args.get("before", "")
    rows = audit.entries(
        current_app.extensions["db"],
        g.principal,
        kind=kind or None,
        principal=who or None,
        before=int(before) if before.isdigit() else None,
        limit=PAGE,
    )
    older = url_for("web.audit_page", kind=kind, principal=who, before=rows[-1]["id"]) if len(rows) == PAGE else None
    return render_template("web/audit.html", rows=rows, kind=kind, principal=who, older=older)
