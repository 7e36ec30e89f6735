"""Who may call the API: a Bearer key with the scope the URL needs; staff users on the web pages by their role.

Every URL under /api/ needs a key. Open are /healthz (load balancers probe it), /openapi.json and /docs (they
describe the API, which is public, and hold no election data; a client needs them to learn how to authenticate),
and the staff pages' static files. The staff pages use their login session instead of keys, and the API does not
take that session cookie: a cookie would let any page the clerk visits drive the API (CSRF).
"""

from __future__ import annotations

import logging

from flask import Flask, current_app, g, request

from . import errors, keys
from .principal import SCOPES, Principal

log = logging.getLogger(__name__)

API = "/api/"

# The scope each part of the API needs, by URL prefix (so endpoints added later are covered by where they live).
# An API URL matching none of them needs admin: a new endpoint is closed until someone decides who may use it.
SCOPE_BY_PREFIX: tuple[tuple[str, str], ...] = (
    ("/api/v1/documents", "render"),
    ("/api/v1/kinds", "render"),
    ("/api/v1/results", "render"),
    ("/api/v1/ballot-prints", "render"),
    ("/api/v1/batches", "batch"),
    ("/api/v1/templates", "admin"),
    ("/api/v1/audit", "admin"),
)

ROLE_SCOPES = {"admin": frozenset(SCOPES), "clerk": frozenset({"render", "batch"})}

HOW_TO_CREATE = (
    "election-docs: no API key exists yet, so every /api/ call will be refused (401). Create one with\n"
    "    election-docs keys create --name NAME --scope render   (or: flask --app service keys create …)\n"
    "and send it as 'Authorization: Bearer <key>'. Admins can also create keys on the staff pages at /keys."
)


def scope_for(path: str) -> str | None:
    """The scope a URL needs; None when it is open."""
    if not path.startswith(API):
        return None
    for prefix, scope in SCOPE_BY_PREFIX:
        if path == prefix or path.startswith(prefix + "/"):
            return scope
    return "admin"


def user_principal(user: dict[str, object]) -> Principal:
    """The principal of a logged-in staff user: clerks render and batch, admins do everything."""
    return Principal(f"user:{user['username']}", ROLE_SCOPES.get(str(user["role"]), frozenset()))


def bearer_token() -> str | None:
    """The key sent in ``Authorization: Bearer``, or None."""
    header = request.headers.get("Authorization", "")
    kind, _, token = header.partition(" ")
    if kind.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def authenticate() -> None:
    """Before every request: find the caller of an API URL and check its scope (401 and 403 otherwise)."""
    rule = request.url_rule  # the route's own pattern: odd spellings of a URL cannot dodge the map
    scope = scope_for(rule.rule if rule is not None else request.path)
    if scope is None or not current_app.config["AUTH_REQUIRED"]:
        return
    sent = "Authorization" in request.headers
    token = bearer_token()
    principal = keys.principal_for(current_app.extensions["db"], token) if token else None
    if principal is None:
        raise errors.Unauthorized(
            zh="API 密钥缺失、错误或已吊销；请在 Authorization: Bearer 头中提供有效密钥",
            en="the API key is missing, wrong or revoked; send a valid one as Authorization: Bearer <key>",
            token_sent=sent,
        )
    if not principal.can(scope):
        raise errors.Forbidden(
            zh=f"此密钥没有 {scope} 权限", en=f"this key does not have the {scope} scope", scope=scope
        )
    g.principal = principal


def register(app: Flask) -> None:
    """Install the check, and say how to make the first key when auth is on and there is none."""
    app.before_request(authenticate)
    if app.config["AUTH_REQUIRED"] and not keys.any_active(app.extensions["db"]):
        log.warning(HOW_TO_CREATE)
