"""The whole check of an upload: file checks first (nothing parses a file that fails them), then the lint."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from .. import kinds
from ..errors import FieldError, InvalidContent, PayloadTooLarge
from . import files, lint


@dataclass
class Checked:
    """An upload that passed: its format, the text of an HTML template, and the lint's record."""

    format: str
    warnings: list[str] = field(default_factory=list)
    variables: list[str] = field(default_factory=list)

    def record(self) -> dict[str, Any]:
        """What is stored with the version."""
        return {"ok": True, "errors": [], "warnings": self.warnings, "variables": self.variables}


def template_format(filename: str, data: bytes) -> str:
    """docx or html, from the file name and its first bytes; 422 for anything else."""
    suffix = PurePosixPath(filename.lower()).suffix
    if suffix == ".docx" or (not suffix and data[:2] == b"PK"):
        return "docx"
    if suffix in (".html", ".htm"):
        return "html"
    raise InvalidContent(
        zh="模板应为 Word（.docx）或 HTML（.html）文件",
        en="a template must be a Word (.docx) or HTML (.html) file",
        errors=[FieldError("/file", "format", "应为 .docx 或 .html", "must be .docx or .html")],
    )


def refuse(kind: kinds.Kind, errors: list[FieldError]) -> InvalidContent:
    """The 422 that lists every problem of an upload."""
    return InvalidContent(
        zh=f"模板未通过检查（{kind.id}），共{len(errors)}处问题，未保存",
        en=f"the template failed its checks ({kind.id}): {len(errors)} problem(s); nothing was stored",
        errors=errors,
    )


def examine_in_worker(kind_id: str, filename: str, data: bytes, limits: files.Limits) -> Checked:
    """examine(), run in a pool worker: docxtpl's patching and the parse are regular-expression and parser
    work on untrusted input, so they get the same time bound as a render."""
    kind = kinds.get(kind_id)
    try:
        return examine(kind, filename, data, limits)
    except RecursionError:
        raise refuse(
            kind,
            [FieldError("/file", "too_deep", "模板嵌套过深", "the template nests too deeply to be checked")],
        ) from None


def examine(kind: kinds.Kind, filename: str, data: bytes, limits: files.Limits) -> Checked:
    """Check an uploaded template for a kind; 413 or 422 listing every problem if it does not pass."""
    big = files.too_large(len(data), limits)
    if big is not None:
        raise PayloadTooLarge(zh=big.zh, en=big.en, errors=[big])
    fmt = template_format(filename, data)
    if fmt == "docx":
        parts, problems = files.read_docx(data, limits)
        if problems:
            raise refuse(kind, problems)
        problems = files.check_docx_parts(parts)
        if problems:  # lxml and docxtpl must never see a part that failed these
            raise refuse(kind, problems)
        found = lint.lint_docx(kind, data, parts)
        warnings: list[str] = []
    else:
        if getattr(kind.model, "imposed", False):
            raise refuse(
                kind,
                [
                    FieldError(
                        "/kind",
                        "imposed",
                        "选票的版面由服务排定，只能上传 Word 模板",
                        "ballot faces are laid out by the service: upload a Word template instead",
                    )
                ],
            )
        text, problems, warnings = files.check_html(data)
        if not text:
            raise refuse(kind, problems)
        found = lint.lint_html(kind, text)
        found.errors[:0] = problems
    if found.errors:
        raise refuse(kind, found.errors)
    return Checked(fmt, warnings + found.warnings, sorted(found.variables))
