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
from datetime import date, datetime, time
from typing import Any

from .. import kinds
from ..errors import BadRequest, FieldError, InvalidContent, PayloadTooLarge
from ..kinds.base import KindModel
from ..validation import MAX_DEPTH, depth
from . import columns
from .safety import MAX_COLUMNS, Limits, bad_file, check_xlsx
from .table import Imported, pointer_label, read_table

__all__ = ["Imported", "load", "pointer_label", "validate"]

CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE compound file: an encrypted XLSX, or an old .xls
FIELDS_SHEET = "其他信息"
TABLE_SHEET = "名单"
NOTES_SHEET = "填写说明"


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
) -> tuple[list[tuple[str, list[list[str]]]], dict[str, str] | None]:
    """The table sheets as (title, rows with the header first) and, from an XLSX, the 其他信息 sheet as
    {path: value}; a CSV is one table without a title."""
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
        extra = None
        tables = []
        for title, rows in _xlsx_sheets(data, limits):
            if title in (FIELDS_SHEET, columns.tr(FIELDS_SHEET, "en")):  # the English template's names too
                extra = {r[0]: r[2] if len(r) > 2 else "" for r in rows[1:] if r and r[0]}
            elif title not in (NOTES_SHEET, columns.tr(NOTES_SHEET, "en")) and (rows := _trim(rows)):
                tables.append((title, rows))
        return tables, extra
    if b"\x00" in data:
        raise _bad("文件中含有空字节（NUL），不是文本格式的 CSV：请在 Excel 中另存为“CSV UTF-8”",
                   "the file holds NUL bytes, so it is not a CSV text file: save it as CSV UTF-8", "binary")
    text = decode_text(data)
    try:
        rows = _trim(_checked(csv.reader(io.StringIO(text)), limits))
    except csv.Error as exc:
        raise _bad(f"CSV 文件格式有误：{exc}", f"the CSV is malformed: {exc}", "broken_csv") from None
    return ([("", rows)] if rows else []), None


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
    lays = columns.layouts(kind.model)
    tables, extra = read_rows(filename, data, limits)
    top = {f.path: f for f in columns.other_fields(kind.model, lays)}
    for path, value in (extra or {}).items():
        if value != "":
            set_path(payload, path, _parse_extra(top[path], value) if path in top else value)
    payload = merge(payload, base or {})  # what the form says wins over the 其他信息 sheet
    if not lays:
        if tables and extra is None:
            raise _bad("这种文书没有名单表格，不能用 CSV 上传：请用 Excel 模板（填在“其他信息”工作表）或 JSON",
                       "this kind has no table, so a CSV cannot fill it: use the Excel template or JSON", "no_table")
        return Imported({"": payload})
    if not tables:
        if extra is not None:
            return Imported({"": payload}, table=lays[0].table)
        raise _bad("文件中没有内容", "the file holds no rows", "empty")
    if len(lays) == 1:
        return read_table(lays[0], tables[0][1], payload)
    return _read_tables(lays, tables, payload)


def _which(lays: list[columns.Layout], title: str, header: list[str]) -> columns.Layout:
    """The table a sheet holds: by its title, else the one that knows every header."""
    for lay in lays:
        if title in (lay.sheet, columns.tr(lay.sheet, "en")):
            return lay
    for lay in lays:
        known = columns.layout_headers(lay)
        if all(columns.normalize_header(h) in known for h in header if h):
            return lay
    names = "、".join(f"“{lay.sheet}”" for lay in lays)
    raise _bad(f"看不出“{title or 'CSV'}”是哪一张表：表头应与模板中{names}之一相同",
               f"cannot tell which table “{title or 'CSV'}” is: its header should be one of the template's {names}",
               "unknown_table")


def _read_tables(lays: list[columns.Layout], tables: list[tuple[str, list[list[str]]]],
                 payload: dict[str, Any]) -> Imported:
    """Several tables (a count's posts, its combined ballot) laid into one payload per village."""
    out: Imported | None = None
    for title, rows in tables:
        if len(rows) < 2:  # a sheet left with its header only: that table is not used
            continue
        lay = _which(lays, title, rows[0])
        more = read_table(lay, rows, payload if out is None else {})
        if out is None:
            out = more
            continue
        for village, doc in more.payloads.items():
            out.payloads[village] = merge(out.payloads.get(village) or payload, doc)
            out.rows.setdefault(village, {}).update(more.rows.get(village, {}))
        out.headers.update(more.headers)
        out.english.update(more.english)
        out.choices.update(more.choices)
    return out or Imported({"": payload}, table=lays[0].table)


def _parse_extra(f: columns.Field, value: str) -> Any:
    """A 其他信息 value: a choice by its label, lines for a list of texts, JSON for other lists and objects."""
    try:
        return f.parse(value)
    except json.JSONDecodeError as exc:
        raise _bad(f"“其他信息”工作表中“{f.label}”不是有效的 JSON（{exc.msg}）",
                   f"“{columns.tr(f.label, 'en')}” on the {columns.tr(FIELDS_SHEET, 'en')} sheet is not valid JSON "
                   f"({exc.msg})", "broken_json") from None


def locate(imported: Imported, village: str, errors: list[FieldError]) -> list[FieldError]:
    """Validation errors with the spreadsheet row and column in their message (the path is kept)."""
    out = []
    for e in errors:
        row, column = imported.row_column(village, e.path)
        column_en = imported.column_in(e.path, "en")
        if e.code == "literal_error" and (names := imported.choices.get(imported.pattern(e.path))):
            english = " / ".join(columns.tr(name, "en") for name in names.split(" / "))
            e = FieldError(e.path, e.code, f"只能填：{names}", f"must be one of: {english}")
        if row is None:
            out.append(e)
        elif column is None:
            out.append(FieldError(e.path, e.code, f"第{row}行：{e.zh}", f"row {row}: {e.en}"))
        else:
            out.append(FieldError(e.path, e.code, f"第{row}行“{column}”列：{e.zh}",
                                  f"row {row}, column “{column_en}”: {e.en}"))
    return out


def row_column(imported: Imported, village: str, path: str) -> tuple[int | None, str | None]:
    """The spreadsheet row and column header of a JSON pointer into the payload, when it is in the table."""
    return imported.row_column(village, path)


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
