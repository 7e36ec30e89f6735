"""DOCX rendering with docxtpl: templates are patched and compiled once, then each render only fills them."""

from __future__ import annotations

import io
import re
import threading
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import Environment, Template, TemplateError
from lxml import etree

from ..errors import TemplateFailure

# Parts that may hold template tags: the body, headers, footers, footnotes and the document properties.
_TEMPLATED = re.compile(r"^(word/(document|header\d*|footer\d*|footnotes)\.xml|docProps/core\.xml)$")
_MEDIA = re.compile(r"^word/media/image\d+\.png$")
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # fixed zip timestamps: the same input gives the same bytes


def template_context(src_xml: str, lineno: int | None) -> str:
    """The visible text around a line of a patched part, tags stripped (like docxtpl's docx_context)."""
    if not lineno:
        return ""
    lines = src_xml.splitlines()[max(lineno - 4, 0) : lineno + 3]
    return " ".join(t for t in (re.sub(r"<[^>]+>", "", x).strip() for x in lines) if t)[:300]


def template_failure(kind: str, path: Path, exc: TemplateError, src: str) -> TemplateFailure:
    """A TemplateFailure naming the kind, the file, the error and the text around the bad tag."""
    near = template_context(src, getattr(exc, "lineno", None))
    return TemplateFailure(
        zh=f"模板 {path.name} 出错：{exc.message}；位置附近：{near}",
        en=f"template {path.name} failed: {exc.message}; near: {near}",
        extra={"kind": kind, "template": str(path.name), "near": near, "error": str(exc.message)},
    )


def patched(tpl: DocxTemplate, xml: str) -> str:
    """A part's XML as docxtpl's rendering sees it ({%p %}, {%tr %}, split runs resolved), one paragraph a line."""
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", tpl.patch_xml(xml))


def templated_part(name: str) -> bool:
    """Whether a part of a .docx may hold template tags."""
    return bool(_TEMPLATED.match(name))


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, _FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


@dataclass
class _Part:
    source: str  # the patched XML, kept to point into it on errors
    template: Template


class CompiledDocx:
    """One Word template, unpacked and compiled for one Jinja environment."""

    def __init__(self, kind: str, path: Path | bytes, env: Environment, name: str = "") -> None:
        """Unpack a template file (a path, or the bytes of an uploaded one named ``name``) and compile it."""
        self.kind, self.env = kind, env
        self.path = path if isinstance(path, Path) else Path(name or f"{kind}.docx")
        source = path if isinstance(path, Path) else io.BytesIO(path)
        self._docxtpl = DocxTemplate(source)  # used for its XML patching and listing helpers
        self.parts: dict[str, _Part] = {}
        self.media: dict[str, bytes] = {}  # pictures a render may replace (charts drawn from the data)
        base = io.BytesIO()
        # The parts that never change are compressed once here; a render only appends the filled ones.
        with zipfile.ZipFile(source) as zf, zipfile.ZipFile(base, "w", zipfile.ZIP_DEFLATED) as out:
            for info in zf.infolist():
                data = zf.read(info)
                if _TEMPLATED.match(info.filename) and b"{" in data:
                    self._compile(info.filename, data.decode("utf-8"))
                elif _MEDIA.match(info.filename):
                    self.media[info.filename] = data
                else:
                    out.writestr(_entry(info.filename), data)
        self.base = base.getvalue()

    def _compile(self, name: str, xml: str) -> None:
        src = patched(self._docxtpl, xml)
        try:
            self.parts[name] = _Part(src, self.env.from_string(src))
        except TemplateError as exc:
            raise template_failure(self.kind, self.path, exc, src) from exc

    def _render_part(self, part: _Part, context: Mapping[str, Any]) -> bytes:
        try:
            xml = part.template.render(context)
        except TemplateError as exc:
            raise template_failure(self.kind, self.path, exc, part.source) from exc
        xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)
        xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        xml = self._docxtpl.resolve_listing(xml)
        data = xml.encode("utf-8")
        etree.fromstring(data)  # a part that is not well-formed XML must never reach a user
        return data

    def render(self, context: Mapping[str, Any]) -> bytes:
        """The filled document as .docx bytes. A context's ``docx_media`` (part name → PNG bytes, filled while
        the parts render, e.g. charts drawn in the document's language) replaces the template's placeholder
        pictures of the same name; the picture's size and place stay as the template has them."""
        rendered = {name: self._render_part(part, context) for name, part in self.parts.items()}
        drawn = context.get("docx_media") or {}
        rendered.update({name: drawn.get(name, data) for name, data in self.media.items()})
        out = io.BytesIO(self.base)
        out.seek(0, io.SEEK_END)
        with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as zf:
            for name, data in rendered.items():
                zf.writestr(_entry(name), data)
        return out.getvalue()


_cache: dict[tuple[str, int], CompiledDocx] = {}
_custom: dict[tuple[str, int], CompiledDocx] = {}  # uploaded templates by SHA-256, never by name
_CUSTOM_KEPT = 64
_lock = threading.Lock()


def compiled(kind: str, path: Path, env: Environment) -> CompiledDocx:
    """The compiled template for a file and environment, built on first use and kept."""
    key = (str(path), id(env))
    with _lock:
        if key not in _cache:
            _cache[key] = CompiledDocx(kind, path, env)
        return _cache[key]


def render_docx(kind: str, path: Path, env: Environment, context: Mapping[str, Any]) -> bytes:
    """Render a Word template with a context."""
    return compiled(kind, path, env).render(context)


def render_custom_docx(kind: str, data: bytes, sha256: str, env: Environment, context: Mapping[str, Any]) -> bytes:
    """Render an uploaded Word template (compiled once per SHA-256 and environment) with a context."""
    key = (sha256, id(env))
    with _lock:
        tpl = _custom.get(key)
        if tpl is None:
            if len(_custom) >= _CUSTOM_KEPT:
                _custom.pop(next(iter(_custom)))  # the oldest: uploads are few, but unbounded growth is not ok
            tpl = _custom[key] = CompiledDocx(kind, data, env, name=f"{kind}-{sha256[:12]}.docx")
    return tpl.render(context)
