"""The one error handler: every error becomes application/problem+json in the request's language."""

from __future__ import annotations

import logging

from flask import Flask, Response, json, render_template, request
from werkzeug.exceptions import HTTPException

from .. import errors, i18n

log = logging.getLogger(__name__)

# Werkzeug's own errors (routing, body size, methods) mapped onto our tree.
_HTTP: dict[int, tuple[type[errors.ElectionDocsError], str, str]] = {
    400: (errors.BadRequest, "请求无法解析", "the request could not be read"),
    404: (errors.NotFound, "没有这个地址", "no such URL"),
    405: (errors.ElectionDocsError, "该地址不支持此请求方法", "this URL does not accept that method"),
    406: (errors.NotAcceptable, "无法提供所要求的格式", "no acceptable format"),
    413: (errors.PayloadTooLarge, "请求内容超过大小限制", "the request body is over the size limit"),
    415: (errors.UnsupportedMediaType, "不支持的请求内容类型", "unsupported media type"),
}


def request_lang() -> str:
    """The language of error messages: ?lang=, else Accept-Language, else Chinese."""
    lang = request.args.get("lang")
    return i18n.negotiate(lang if lang in i18n.LANGS else None, request.headers.get("Accept-Language"))


def problem_response(exc: errors.ElectionDocsError, status: int | None = None) -> Response:
    """The problem+json response of an error; the staff pages get the same problem as an HTML page."""
    body = exc.problem(request_lang(), instance=request.path)
    body["status"] = status or exc.status
    if request.blueprint == "web":
        return Response(render_template("web/error.html", problem=body), status=body["status"], mimetype="text/html")
    resp = Response(json.dumps(body, ensure_ascii=False), status=body["status"], mimetype="application/problem+json")
    resp.headers.update(exc.headers())
    return resp


def register(app: Flask) -> None:
    """Install the handlers on the app."""

    @app.errorhandler(errors.ElectionDocsError)
    def _ours(exc: errors.ElectionDocsError) -> Response:
        if exc.status >= 500:
            log.error("%s: %s", type(exc).__name__, exc.en, exc_info=exc)
        return problem_response(exc)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> Response:
        code = exc.code or 500
        cls, zh, en = _HTTP.get(code, (errors.ElectionDocsError, "请求失败", exc.description or "request failed"))
        return problem_response(cls(zh=zh, en=en), status=code)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        log.exception("unexpected error")
        return problem_response(errors.ElectionDocsError())
