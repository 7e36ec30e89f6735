"""The staff web app: log in, pick a kind, upload or fill in, see errors by row and column, preview, download.

Every page needs a logged-in account; every POST carries the session's CSRF token. Pages are plain HTML
forms, so the basic path works without JavaScript. The wording is Chinese, translated through gettext like the
documents (service/translations/en/web.po): write ``t("中文")`` in templates and views. Field labels come
from the kinds' models (Chinese) and reach English through fields.po (``columns.translated``).
"""

from __future__ import annotations

import hmac
import secrets
from typing import Any

from flask import Blueprint, abort, current_app, g, redirect, request, session, url_for
from werkzeug.wrappers import Response

from .. import accounts, auth, i18n

bp = Blueprint("web", __name__, template_folder="../templates")

PUBLIC = {"web.login", "web.set_lang"}


def csrf_token() -> str:
    """The session's CSRF token, made on first use."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return str(session["csrf"])


def lang() -> str:
    """The page language: chosen with ?lang= (kept in the session), else Accept-Language, else Chinese."""
    chosen = session.get("lang")
    return i18n.negotiate(chosen if chosen in i18n.LANGS else None, request.headers.get("Accept-Language"))


def t(message: str, **values: object) -> str:
    """A message of the pages in the page language; ``%(name)s`` placeholders are filled from ``values``."""
    text = i18n.gettext(message, lang())
    return text % values if values else text


@bp.before_request
def _guard() -> Response | None:
    if request.args.get("lang") in i18n.LANGS:
        session["lang"] = request.args["lang"]
    if request.method == "POST":
        sent = request.form.get("csrf_token", "")
        if not sent or not hmac.compare_digest(sent, session.get("csrf", "")):
            abort(400, "CSRF token missing or wrong")
    g.user = accounts.get(current_app.extensions["db"], session["uid"]) if "uid" in session else None
    if g.user is None and request.endpoint not in PUBLIC:
        return redirect(url_for("web.login", next=request.full_path if request.args else request.path))
    if g.user is not None:
        g.principal = auth.user_principal(g.user)  # what the staff user produces is logged under their name
    return None


@bp.app_context_processor
def _globals() -> dict[str, Any]:
    return {"t": t, "lang": lang(), "csrf_token": csrf_token, "user": g.get("user")}


def require_admin() -> None:
    """403 unless the account is an admin."""
    if not g.user or g.user["role"] != "admin":
        abort(403)


from . import admin, pages, staff  # noqa: E402,F401  (routes register themselves on bp)
