"""Logging in and out, and the accounts page (admins only)."""

from __future__ import annotations

from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from .. import accounts
from . import bp, lang, require_admin, t


def _safe_next(target: str | None) -> str:
    """Only a path on this site (no //host or scheme), so the login form cannot redirect elsewhere."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("web.home")


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response | tuple[str, int]:
    """The login form."""
    error = None
    if request.method == "POST":
        user = accounts.authenticate(
            current_app.extensions["db"], request.form.get("username", ""), request.form.get("password", "")
        )
        if user is not None:
            keep = {k: session[k] for k in ("lang",) if k in session}
            session.clear()  # a fresh session (and CSRF token) after login
            session.update(keep, uid=user["id"])
            return redirect(_safe_next(request.args.get("next")), code=303)
        error = t("用户名或密码不正确")
    return render_template("web/login.html", error=error), 401 if error else 200


@bp.post("/logout")
def logout() -> Response:
    """End the session."""
    session.clear()
    return redirect(url_for("web.login"), code=303)


@bp.get("/set-lang/<language>")
def set_lang(language: str) -> Response:
    """Switch the page language (the guard already stored ?lang=)."""
    if language in ("zh", "en"):
        session["lang"] = language
    return redirect(_safe_next(request.args.get("next")), code=303)


@bp.get("/accounts")
def account_list() -> str:
    """Every account (admins only)."""
    require_admin()
    return render_template("web/accounts.html", accounts=accounts.all_accounts(current_app.extensions["db"]))


@bp.post("/accounts")
def account_create() -> Response | tuple[str, int]:
    """Create an account (admins only)."""
    require_admin()
    engine = current_app.extensions["db"]
    try:
        accounts.create(engine, request.form.get("username", ""), request.form.get("password", ""),
                        request.form.get("role", "clerk"))
    except accounts.AccountError as exc:
        return render_template("web/accounts.html", accounts=accounts.all_accounts(engine),
                               error=exc.zh if lang() == "zh" else exc.en), 400
    flash(t("已创建账户"))
    return redirect(url_for("web.account_list"), code=303)


@bp.post("/accounts/<int:user_id>/delete")
def account_delete(user_id: int) -> Response:
    """Delete an account (admins only; not one's own)."""
    require_admin()
    if user_id == g.user["id"]:
        flash(t("不能删除自己"))
    else:
        accounts.delete(current_app.extensions["db"], user_id)
    return redirect(url_for("web.account_list"), code=303)
