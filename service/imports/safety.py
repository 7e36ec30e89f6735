"""Hostile-file checks on an uploaded XLSX before any XML parser sees it, and the limits they enforce.

An XLSX is a ZIP of XML parts. Before openpyxl opens one we check, from the ZIP's directory alone, that it
unpacks to a bounded size (a zip bomb is a few KB that unpacks to gigabytes), and then, part by part, that no
XML part declares a DTD: Office never writes one, and a DTD is how billion-laughs entity expansion and XXE
(external entities reading local files) get in.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..config import SETTINGS
from ..errors import BadRequest, FieldError, PayloadTooLarge

MAX_COLUMNS = 256  # no kind has more than a few dozen columns; a sheet 16,384 wide is an attack
MAX_PARTS = 10_000  # a real workbook has tens of parts; thousands of tiny ones is a parser-time attack
_DTD_MARKS = tuple(
    mark.encode(enc) for mark in ("<!DOCTYPE", "<!ENTITY") for enc in ("ascii", "utf-16-le", "utf-16-be")
)


@dataclass(frozen=True)
class Limits:
    """The bounds of one upload (settings MAX_UPLOAD_UNPACKED, MAX_ROWS and MAX_CELL_CHARS)."""

    unpacked: int = SETTINGS["MAX_UPLOAD_UNPACKED"][0]
    rows: int = SETTINGS["MAX_ROWS"][0]
    cell_chars: int = SETTINGS["MAX_CELL_CHARS"][0]

    @classmethod
    def of(cls, config: Mapping[str, Any]) -> Limits:
        """The limits an app's configuration sets."""
        return cls(config["MAX_UPLOAD_UNPACKED"], config["MAX_ROWS"], config["MAX_CELL_CHARS"])


def bad_file(zh: str, en: str, code: str) -> BadRequest:
    """A 400 about the uploaded file as a whole."""
    return BadRequest(zh=zh, en=en, errors=[FieldError("/file", code, zh, en)])


def check_xlsx(data: bytes, limits: Limits) -> None:
    """Refuse a damaged ZIP, a zip bomb or an XML part with a DTD; read at most ``limits.unpacked`` bytes."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise bad_file("Excel 文件已损坏或不完整，无法打开", "the Excel file is damaged or truncated",
                       "broken_xlsx") from None
    with archive:
        parts = archive.infolist()
        declared = sum(p.file_size for p in parts)
        if len(parts) > MAX_PARTS or declared > limits.unpacked:
            mb = limits.unpacked // 1024 // 1024
            raise PayloadTooLarge(
                zh=f"Excel 文件解压后超过{mb}MB上限（可能是“压缩炸弹”），请拆分后上传",
                en=f"the Excel file unpacks to more than {mb} MB (a zip bomb?); split it and upload again",
                errors=[FieldError("/file", "unpacked_too_large", f"解压后最多{mb}MB", f"at most {mb} MB unpacked")],
            )
        for part in parts:
            if not part.filename.endswith((".xml", ".rels", ".vml")):
                continue
            try:
                # zipfile stops at the size the directory declares (and fails on a CRC mismatch), so a lying
                # directory cannot unpack more than the total checked above
                text = archive.read(part)
            except (zipfile.BadZipFile, NotImplementedError, RuntimeError, ValueError, OSError, EOFError):
                raise bad_file("Excel 文件已损坏或受密码保护，无法读取", "the Excel file is damaged or encrypted",
                               "broken_xlsx") from None
            hay = text.upper()  # XML keywords are upper case, but an attacker's need not be
            if any(mark in hay for mark in _DTD_MARKS):
                raise bad_file(
                    "Excel 文件中含有 XML 文档类型定义（DTD），这不是 Excel 保存的文件，已拒绝",
                    "the Excel file holds an XML DTD, which Excel never writes; refused",
                    "xml_dtd",
                )
