"""Spreadsheet and JSON uploads turned into a kind's payload, with errors that name the row and column.

    bytes ─ sniff ─┬─ JSON  → the payload itself
                   ├─ XLSX  → table sheet + 其他信息 sheet
                   └─ CSV   → UTF-8 (BOM) or GB18030, the table only
    → payload(s): one per village when the table has a village column
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from .. import kinds
from ..errors import BadRequest, FieldError, InvalidContent, PayloadTooLarge
from ..kinds.base import KindModel
from ..validation import MAX_DEPTH, depth
from . import columns
from .safety import MAX_COLUMNS, Limits, bad_file, check_xlsx

CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE compound file: an encrypted XLSX, or an old .xls
FIELDS_SHEET = "其他信息"
TABLE_SHEET = "名单"


@dataclass
class Imported:
    """What an upload holds: the payload of each village (one if none), and where each row came from."""

    payloads: dict[str, dict[str, Any]]  # village ("" when the upload names none) -> payload
    rows: dict[str, list[int]] = field(default_factory=dict)  # village -> spreadsheet row of each table item
    table: str | None = None
    headers: dict[str, str] = field(default_factory=dict)  # field -> the header the upload used


def _bad(zh: str, en: str, code: str = "unreadable") -> BadRequest:
    return bad_file(zh, en, code)


def decode_text(data: bytes) -> str:
    """CSV text: UTF-8 (with or without BOM), else GB18030 (a superset of GBK and GB2312)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _bad("文件编码无法识别，请另存为 UTF-8 或 GB18030 编码的 CSV", "the file is neither UTF-8 nor GB18030",
               "encoding")


def cell_text(value: Any) -> str:
    """A spreadsheet cell as the text a form field would hold."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(timespec="minutes")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _too_many_rows(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(
        zh=f"文件超过{limit}行上限，请分批上传",
        en=f"the file has more than {limit} rows; upload it in parts",
        errors=[FieldError("/file", "too_many_rows", f"最多{limit}行", f"at most {limit} rows")],
    )


def _checked(rows: Iterator[list[str]], limits: Limits) -> list[list[str]]:
    """Rows read one at a time, stopping past the row limit or at a cell longer than the cell limit."""
    out: list[list[str]] = []
    for number, full_row in enumerate(rows, start=1):
        if number > limits.rows + 1:  # the header is not a row of data
            raise _too_many_rows(limits.rows)
        row = list(full_row)
        while row and not row[-1]:  # a sparse sheet pads every row to its widest column
            row.pop()
        if len(row) > MAX_COLUMNS:
            raise _bad(f"第{number}行有{len(row)}列，超过{MAX_COLUMNS}列上限", f"row {number} has {len(row)} columns, "
                       f"over the limit of {MAX_COLUMNS}", "too_many_columns")
        for col, text in enumerate(row, start=1):
            if len(text) > limits.cell_chars:
                raise BadRequest(
                    zh=f"第{number}行第{col}列的内容超过{limits.cell_chars}个字符",
                    en=f"row {number}, column {col} holds more than {limits.cell_chars} characters",
                    errors=[FieldError(f"/file/{number}/{col}", "cell_too_long", f"最多{limits.cell_chars}个字符",
                                       f"at most {limits.cell_chars} characters")],
                )
        out.append(row)
    return out


def _xlsx_sheets(data: bytes, limits: Limits) -> list[tuple[str, list[list[str]]]]:
    from openpyxl import load_workbook

    check_xlsx(data, limits)
    # openpyxl is a parser of untrusted bytes: whatever it fails with on a damaged part (KeyError, a parse
    # error, TypeError on a malformed attribute …), the answer is the same 400
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        raise _bad("Excel 文件已损坏，无法打开", f"the Excel file is damaged: {type(exc).__name__}",
                   "broken_xlsx") from None
    try:
        sheets = []
        for ws in book.worksheets:
            # the <dimension> a file declares is not trusted: padding every row (and every missing row) out to a
            # claimed A1:XFD1048576 turns a 4 KB file into minutes of work
            ws.reset_dimensions()
            rows = ([cell_text(c) for c in row] for row in ws.iter_rows(values_only=True))
            sheets.append((ws.title, _checked(rows, limits)))
        return sheets
    except (BadRequest, PayloadTooLarge):
        raise
    except Exception as exc:
        raise _bad("Excel 文件已损坏，无法读取", f"the Excel file is damaged: {type(exc).__name__}",
                   "broken_xlsx") from None
    finally:
        book.close()


def read_rows(
    filename: str, data: bytes, limits: Limits | None = None
) -> tuple[list[list[str]], dict[str, str] | None]:
    """The table rows (header first) and, from an XLSX, the 其他信息 sheet as {path: value}."""
    limits = limits or Limits()
    if not data.strip():
        raise _bad("上传的文件是空的", "the uploaded file is empty", "empty")
    if data.startswith(CFB):
        raise _bad(
            "文件受密码保护或是旧版 .xls 格式：请在 Excel 中取消密码，另存为 .xlsx 后再上传",
            "the file is password-protected or an old .xls: remove the password and save as .xlsx",
            "encrypted",
        )
    if data.startswith(b"PK\x03\x04") or filename.lower().endswith(".xlsx"):
        sheets = _xlsx_sheets(data, limits)
        extra = None
        table: list[list[str]] = []
        for title, rows in sheets:
            if title == FIELDS_SHEET:
                extra = {r[0]: r[2] if len(r) > 2 else "" for r in rows[1:] if r and r[0]}
            elif not table:
                table = rows
        return _trim(table), extra
    if b"\x00" in data:
        raise _bad("文件中含有空字节（NUL），不是文本格式的 CSV：请在 Excel 中另存为“CSV UTF-8”",
                   "the file holds NUL bytes, so it is not a CSV text file: save it as CSV UTF-8", "binary")
    text = decode_text(data)
    try:
        return _trim(_checked(csv.reader(io.StringIO(text)), limits)), None
    except csv.Error as exc:
        raise _bad(f"CSV 文件格式有误：{exc}", f"the CSV is malformed: {exc}", "broken_csv") from None


def _trim(rows: list[list[str]]) -> list[list[str]]:
    rows = [[c.strip() for c in r] for r in rows]
    while rows and not any(rows[-1]):
        rows.pop()
    return rows


def merge(into: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of ``into`` with ``over`` laid on top, objects merged key by key."""
    out = json.loads(json.dumps(into))
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = json.loads(json.dumps(value))
    return out


def set_path(payload: dict[str, Any], path: str, value: Any) -> None:
    """Set a dotted path in a nested dict."""
    *parents, last = path.split(".")
    node = payload
    for p in parents:
        node = node.setdefault(p, {})
    node[last] = value


def load(kind: kinds.Kind, filename: str, data: bytes, base: dict[str, Any] | None = None,
         max_bytes: int | None = None, limits: Limits | None = None) -> Imported:
    """An upload of a kind read into payloads; ``base`` holds the fields a form filled in."""
    if max_bytes is not None and len(data) > max_bytes:
        raise PayloadTooLarge(zh=f"文件超过{max_bytes // 1024 // 1024}MB上限", en="the file is over the size limit")
    payload: dict[str, Any] = {}
    if filename.lower().endswith(".json") or data.lstrip()[:1] in (b"{", b"["):
        try:
            body = json.loads(decode_text(data))
        except json.JSONDecodeError as exc:
            raise _bad(f"JSON 文件格式有误：第{exc.lineno}行", f"the JSON is malformed at line {exc.lineno}",
                       "broken_json") from None
        except RecursionError:
            raise _bad("JSON 文件嵌套过深", "the JSON is nested too deeply", "broken_json") from None
        if not isinstance(body, dict):
            raise _bad("JSON 文件应为一个对象", "the JSON file must hold one object", "broken_json")
        if depth(body) > MAX_DEPTH:
            raise _bad("JSON 文件嵌套过深", "the JSON is nested too deeply", "broken_json")
        return Imported({"": merge(body, base or {})})
    table_name = columns.table_field(kind.model)
    rows, extra = read_rows(filename, data, limits)
    top = {f.path: f for f in columns.fields(kind.model, skip=table_name)}
    for path, value in (extra or {}).items():
        if value != "":
            options = {t: v for v, label in (top[path].choices if path in top else ()) for t in (label, str(v))}
            set_path(payload, path, options.get(value, _parse_extra(value)))
    payload = merge(payload, base or {})  # what the form says wins over the 其他信息 sheet
    if table_name is None:
        return Imported({"": payload})
    item = columns.table_item(kind.model)
    assert item is not None
    if not rows:
        if extra is not None:
            return Imported({"": payload}, table=table_name)
        raise _bad("文件中没有内容", "the file holds no rows", "empty")
    header, body_rows = rows[0], rows[1:]
    known = columns.header_map(item)
    targets: list[str] = []
    headers: dict[str, str] = {}
    problems: list[FieldError] = []
    for i, head in enumerate(header):
        target = known.get(columns.normalize_header(head))
        if target is None:
            if head:
                problems.append(FieldError(f"/file/1/{i + 1}", "unknown_column",
                                           f"第1行：不认识的列名“{head}”", f"row 1: unknown column “{head}”"))
            target = ""
        targets.append(target)
        if target:
            headers[target] = head
    if problems:
        raise InvalidContent(zh="表头有不认识的列", en="the header has unknown columns", errors=problems)
    choices = {
        f.path: {text: value for value, label in f.choices for text in (label, str(value))}
        for f in columns.fields(item)
    }
    out = Imported({}, table=table_name, headers=headers)
    for number, row in enumerate(body_rows, start=2):
        if not any(row):
            continue
        record: dict[str, Any] = {}
        village = ""
        for target, value in zip(targets, row, strict=False):
            if not target or value == "":
                continue
            if target == columns.VILLAGE:
                village = value
                continue
            set_path(record, target, choices.get(target, {}).get(value, value))
        doc = out.payloads.setdefault(village, json.loads(json.dumps(payload)))
        if village:
            doc.setdefault("place", {})["village"] = village
        doc.setdefault(table_name, []).append(record)
        out.rows.setdefault(village, []).append(number)
    if not out.payloads:
        raise _bad("文件只有表头，没有数据行", "the file has a header but no rows", "empty")
    return out


def _parse_extra(value: str) -> Any:
    """A 其他信息 value: JSON for lists and objects, else the text."""
    if value[:1] in "[{":
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    return value


def locate(imported: Imported, village: str, errors: list[FieldError]) -> list[FieldError]:
    """Validation errors with the spreadsheet row and column in their message (the path is kept)."""
    table, rows = imported.table, imported.rows.get(village, [])
    out = []
    for e in errors:
        parts = e.path.split("/")
        if table and len(parts) >= 3 and parts[1] == table and parts[2].isdigit() and int(parts[2]) < len(rows):
            row = rows[int(parts[2])]
            column = imported.headers.get(".".join(parts[3:]), ".".join(parts[3:]))
            zh, en = f"第{row}行“{column}”列：{e.zh}", f"row {row}, column “{column}”: {e.en}"
            out.append(FieldError(e.path, e.code, zh, en))
        else:
            out.append(e)
    return out


def row_column(imported: Imported, village: str, path: str) -> tuple[int | None, str | None]:
    """The spreadsheet row and column header of a JSON pointer into the payload, when it is in the table."""
    parts = path.split("/")
    rows = imported.rows.get(village, [])
    if imported.table and len(parts) >= 3 and parts[1] == imported.table and parts[2].isdigit():
        index = int(parts[2])
        if index < len(rows):
            name = ".".join(parts[3:])
            return rows[index], imported.headers.get(name, name)
    return None, None


def validate(kind: kinds.Kind, imported: Imported) -> dict[str, KindModel]:
    """Each village's validated model, or one InvalidContent listing every error with row and column."""
    from ..documents import validate as validate_one

    models: dict[str, KindModel] = {}
    problems: list[FieldError] = []
    for village, payload in imported.payloads.items():
        try:
            models[village] = validate_one(kind, payload)
        except InvalidContent as exc:
            problems.extend(locate(imported, village, exc.errors))
    if problems:
        raise InvalidContent(zh=f"有{len(problems)}处内容未通过校验", en=f"{len(problems)} field(s) failed validation",
                             errors=problems)
    return models
