"""The one exception tree of the service; each error knows its HTTP status and its problem+json form.

    ElectionDocsError                 500  something we did not expect (a bug)
    ├── BadRequest                    400  the body is not JSON, or not an object
    ├── Unauthorized                  401  no API key, or one that is wrong or revoked
    ├── Forbidden                     403  a key without the scope (or region) the request needs
    ├── NotFound                      404  unknown kind, file or route
    ├── NotAcceptable                 406  no format we can produce matches Accept
    ├── Conflict                      409  the thing is not in a state that allows this (retry a done village)
    ├── UnsupportedMediaType          415  a body type we do not read
    ├── PayloadTooLarge               413  over a configured size or row limit
    ├── InvalidContent                422  the content breaks a field check or an election rule
    ├── TemplateFailure               500  a template that cannot render (names the file and the tag)
    ├── RenderTimeout                 503  a render that ran past its time bound (with Retry-After)
    └── ServiceBusy                   503  too many renders in flight (with Retry-After)

Problem documents follow RFC 9457: ``type`` is a stable URI per error, ``title`` and ``detail`` are
in the request's language, and validation errors list every bad field under ``errors`` with its
JSON-pointer ``path``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

TYPE_BASE = "https://election-docs.invalid/problems/"


@dataclass
class FieldError:
    """One bad field: where it is (JSON pointer), what is wrong in both languages, and a code."""

    path: str
    code: str
    zh: str
    en: str

    def as_dict(self, lang: str) -> dict[str, str]:
        """The field error as it appears in a problem document."""
        return {"path": self.path, "code": self.code, "message": self.zh if lang == "zh" else self.en}


@dataclass
class ElectionDocsError(Exception):
    """Base of every error the service raises on purpose."""

    zh: str = "服务内部错误"
    en: str = "internal error"
    errors: list[FieldError] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    status: ClassVar[int] = 500
    slug: ClassVar[str] = "internal"
    title_zh: ClassVar[str] = "服务内部错误"
    title_en: ClassVar[str] = "Internal error"

    def __post_init__(self) -> None:
        Exception.__init__(self, self.en)

    def headers(self) -> dict[str, str]:
        """Response headers this error adds (WWW-Authenticate for the auth errors)."""
        return {}

    def problem(self, lang: str, instance: str | None = None) -> dict[str, Any]:
        """The RFC 9457 problem document for this error."""
        body: dict[str, Any] = {
            "type": TYPE_BASE + self.slug,
            "title": self.title_zh if lang == "zh" else self.title_en,
            "status": self.status,
            "detail": self.zh if lang == "zh" else self.en,
        }
        if instance:
            body["instance"] = instance
        if self.errors:
            body["errors"] = [e.as_dict(lang) for e in self.errors]
        body.update(self.extra)
        return body


class BadRequest(ElectionDocsError):
    """The request body cannot be read as a JSON object."""

    status = 400
    slug = "bad-request"
    title_zh = "请求格式错误"
    title_en = "Bad request"


@dataclass
class Unauthorized(ElectionDocsError):
    """No usable API key: none sent, or one that is unknown or revoked (RFC 6750 ``invalid_token``)."""

    token_sent: bool = False

    status = 401
    slug = "unauthorized"
    title_zh = "需要有效的 API 密钥"
    title_en = "A valid API key is needed"

    def headers(self) -> dict[str, str]:
        """The challenge: a Bearer token, and why the one sent (if any) was refused."""
        challenge = 'Bearer realm="election-docs"'
        if self.token_sent:
            challenge += ', error="invalid_token"'
        return {"WWW-Authenticate": challenge}


@dataclass
class Forbidden(ElectionDocsError):
    """The caller is known but lacks the scope the request needs (RFC 6750 ``insufficient_scope``)."""

    scope: str = ""

    status = 403
    slug = "forbidden"
    title_zh = "权限不足"
    title_en = "Forbidden"

    def headers(self) -> dict[str, str]:
        """The scope that would have been enough."""
        if not self.scope:
            return {}
        return {"WWW-Authenticate": f'Bearer realm="election-docs", error="insufficient_scope", scope="{self.scope}"'}


class NotFound(ElectionDocsError):
    """The thing asked for does not exist."""

    status = 404
    slug = "not-found"
    title_zh = "未找到"
    title_en = "Not found"


class NotAcceptable(ElectionDocsError):
    """The client accepts no format this kind produces."""

    status = 406
    slug = "not-acceptable"
    title_zh = "无法提供所要求的格式"
    title_en = "Not acceptable"


class Conflict(ElectionDocsError):
    """The request does not fit the current state of what it acts on."""

    status = 409
    slug = "conflict"
    title_zh = "状态不允许此操作"
    title_en = "Conflict"


class UnsupportedMediaType(ElectionDocsError):
    """The request body has a media type the service does not read."""

    status = 415
    slug = "unsupported-media-type"
    title_zh = "不支持的请求内容类型"
    title_en = "Unsupported media type"


class PayloadTooLarge(ElectionDocsError):
    """The request is over a configured limit."""

    status = 413
    slug = "payload-too-large"
    title_zh = "请求内容超过限制"
    title_en = "Payload too large"


class InvalidContent(ElectionDocsError):
    """The content is well-formed but breaks a field check or an election rule."""

    status = 422
    slug = "invalid-content"
    title_zh = "内容校验未通过"
    title_en = "Invalid content"


class TemplateFailure(ElectionDocsError):
    """A template could not be rendered; names the kind, the file and the text around the bad tag."""

    status = 500
    slug = "template-error"
    title_zh = "模板错误"
    title_en = "Template error"


class RenderTimeout(ElectionDocsError):
    """A render ran past its time bound."""

    status = 503
    slug = "render-timeout"
    title_zh = "生成超时"
    title_en = "Render timed out"

    def headers(self) -> dict[str, str]:
        """A client may try again later (a smaller document, or when the service is less busy)."""
        return {"Retry-After": "30"}


class ServiceBusy(ElectionDocsError):
    """More renders are in flight than the service takes at once; try again shortly."""

    status = 503
    slug = "busy"
    title_zh = "服务繁忙"
    title_en = "Service busy"

    def headers(self) -> dict[str, str]:
        """Clients should wait a few seconds before trying again."""
        return {"Retry-After": "5"}
