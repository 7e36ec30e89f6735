"""The county spreadsheet — one row per voter with its 乡镇 and 村, as offices keep it — read into villages.

    bytes ─ CSV (UTF-8, UTF-8 BOM, GB18030/GBK) or XLSX ─ header row ─ rows, streamed one at a time
    → [{"township", "village", "place": {"township", "village"}, "voters": [voter, ...]}, ...]
      sorted by township then village; voters in file order, each a dict roster.voters takes

A county holds ~270,000 rows, so each row is checked by plain functions (the Voter model's rules:
ID check digit, name characters, lengths, the category's labels) instead of one pydantic model per voter,
which would take ten times as long. Every bad cell is reported with its row and column, up to a cap.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import Any

from ..domain import idcard
from ..errors import BadRequest, FieldError, InvalidContent, PayloadTooLarge
from ..imports import CFB, columns, decode_text
from ..kinds import fields as kind_fields
from ..kinds.roster.voters import CATEGORY_LABELS, Voter
from . import xlsx

TOWNSHIP = "__township__"
TOWNSHIP_HEADERS = ("乡镇", "镇", "乡", "街道", "乡镇（街道）", "乡（镇、街道）", "乡镇街道", "镇街", "镇（乡、街道）",
                    "所在乡镇", "乡镇名称", "township")
VILLAGE_HEADERS = (*columns.VILLAGE_HEADERS, "社区", "行政村", "村委会", "村（居）", "村居", "村（社区）名", "村社区")
HEADER_SEARCH_ROWS = 10  # a title line or two above the header is common
MAX_LISTED_ERRORS = 200  # a problem document lists this many bad cells; the count says how many in all
MAX_NAME, MAX_TEXT = 40, 200  # kinds.fields.Name and OptionalText


class _Bad(ValueError):
    def __init__(self, code: str, zh: str, en: str) -> None:
        super().__init__(en)
        self.code, self.zh, self.en = code, zh, en


def _bad_file(code: str, zh: str, en: str) -> BadRequest:
    return BadRequest(zh=zh, en=en, errors=[FieldError("/file", code, zh, en)])


# --- one check per voter column: the cell's text in, the value roster.voters takes out ---------------------


def _name(text: str) -> str:
    if len(text) > MAX_NAME:
        raise _Bad("too_long", f"姓名最多{MAX_NAME}个字", f"a name has at most {MAX_NAME} characters")
    if not kind_fields.NAME_CHARS.match(text):
        raise _Bad("name_chars", "姓名不能含有控制字符或<>{}\\", "a name may not contain control characters or <>{}\\")
    return text


def _id_number(text: str) -> str:
    try:
        return idcard.validate(text)
    except idcard.IdNumberError as exc:
        raise _Bad(exc.code, exc.message_zh, exc.message_en) from None


def _sex(text: str) -> str:
    value = kind_fields.SEX.get(text.lower())
    if value is None:
        raise _Bad("sex", "性别应为“男”或“女”", "sex must be 男 or 女")
    return value


_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?")


def _birth(text: str) -> str:
    match = _DATE.fullmatch(text)
    try:
        if match is None:
            raise ValueError(text)
        return date(*(int(g) for g in match.groups())).isoformat()
    except ValueError:
        raise _Bad("date", "出生日期应写成 1980-05-01 这样", "a birth date is written like 1980-05-01") from None


def _category_check() -> Callable[[str], str]:
    (field,) = (f for f in columns.fields(Voter) if f.path == "category")
    known = {text: value for value, label in field.choices for text in (label, value)}
    known.update((label, value) for value, label in CATEGORY_LABELS.items())

    def check(text: str) -> str:
        value = known.get(text)
        if value is None:
            raise _Bad("category", "登记类别应为：" + "、".join(CATEGORY_LABELS.values()),
                       "the category must be one of: " + ", ".join(CATEGORY_LABELS.values()))
        return value

    return check


def _text(text: str) -> str:
    if len(text) > MAX_TEXT:
        raise _Bad("too_long", f"最多{MAX_TEXT}个字", f"at most {MAX_TEXT} characters")
    return text


CHECKS: dict[str, Callable[[str], str]] = {
    "name": _name, "id_number": _id_number, "sex": _sex, "birth": _birth, "category": _category_check(),
    "group": _text, "note": _text,
}


# --- the file's rows ---------------------------------------------------------------------------------


def _csv_rows(data: bytes) -> Iterator[list[str]]:
    yield from csv.reader(io.StringIO(decode_text(data), newline=""))


# What a damaged workbook raises while it is read (lxml's XMLSyntaxError is a SyntaxError; a bad shared string
# index an IndexError; a truncated part a zlib.error or EOFError).
_DAMAGED = (zipfile.BadZipFile, KeyError, IndexError, ValueError, OSError, EOFError, SyntaxError, zlib.error)


def _damaged(exc: BaseException) -> BadRequest:
    return _bad_file("broken_xlsx", "Excel 文件已损坏，无法打开", f"the Excel file is damaged: {exc}")


def _guarded(rows: Iterator[list[str]]) -> Iterator[list[str]]:
    try:
        yield from rows
    except _DAMAGED as exc:
        raise _damaged(exc) from None


def _xlsx_rows(data: bytes) -> Iterator[tuple[str, Iterator[list[str]]]]:
    try:
        book = zipfile.ZipFile(io.BytesIO(data))
        parts = xlsx.sheets(book)
    except _DAMAGED as exc:
        raise _damaged(exc) from None
    for title, part in parts:
        yield title, _guarded(xlsx.rows(book, part))


def _header_map() -> dict[str, str]:
    out = columns.header_map(Voter)
    out = {h: t for h, t in out.items() if t != columns.VILLAGE}
    for head in VILLAGE_HEADERS:
        out[columns.normalize_header(head)] = columns.VILLAGE
    for head in TOWNSHIP_HEADERS:
        out[columns.normalize_header(head)] = TOWNSHIP
    return {h: t for h, t in out.items() if t in CHECKS or t in ("", TOWNSHIP, columns.VILLAGE)}


HEADERS = _header_map()


def _find_header(rows: Iterator[list[str]], first: list[list[str]]) -> tuple[int, list[str]] | None:
    """The header's row number and cells, when one of the first rows names 乡镇 and 村 (the first row kept)."""
    for number, row in enumerate(rows, start=1):
        if not first:
            first.append(row)
        targets = {HEADERS.get(columns.normalize_header(c)) for c in row}
        if TOWNSHIP in targets and columns.VILLAGE in targets:
            return number, row
        if number >= HEADER_SEARCH_ROWS:
            break
    return None


def _open(filename: str, data: bytes) -> tuple[int, list[str], Iterator[list[str]]]:
    """The header (row number, cells) of the first sheet that has one, and an iterator over the rows after it."""
    if not data.strip():
        raise _bad_file("empty", "上传的文件是空的", "the uploaded file is empty")
    if data.startswith(CFB):
        raise _bad_file("encrypted", "文件受密码保护或是旧版 .xls 格式：请在 Excel 中取消密码，另存为 .xlsx 后再上传",
                        "the file is password-protected or an old .xls: remove the password and save as .xlsx")
    if data.startswith(b"PK\x03\x04") or filename.lower().endswith(".xlsx"):
        sources: Iterable[tuple[str, Iterator[list[str]]]] = _xlsx_rows(data)
    else:
        sources = [("", _csv_rows(data))]
    first: list[list[str]] = []
    for _, rows in sources:
        try:
            found = _find_header(rows, first)
        except csv.Error as exc:
            raise _bad_file("broken_csv", f"CSV 文件格式有误：{exc}", f"the CSV is malformed: {exc}") from None
        if found is not None:
            return found[0], found[1], rows
    raise _missing_columns(first[0] if first else ())


def _missing_columns(present: Iterable[str] = (), row: int = 1) -> InvalidContent:
    have = {HEADERS.get(columns.normalize_header(c)) for c in present}
    missing = [label for target, label in ((TOWNSHIP, "乡镇"), (columns.VILLAGE, "村"), ("name", "姓名"))
               if target not in have]
    zh = f"找不到“{'”“'.join(missing)}”列：县里的名单每行一位选民，要有乡镇、村和姓名列"
    en = f"no {', '.join(missing)} column: a county file has one row per voter with 乡镇 (township), 村 and 姓名"
    return InvalidContent(zh=zh, en=en, errors=[FieldError(f"/file/{row}", "missing_column", zh, en)])


# --- the reader ----------------------------------------------------------------------------------------


def _limits(max_rows: int | None, max_village_rows: int | None) -> tuple[int, int]:
    """The county and village row limits: the arguments, else the app's settings, else their defaults."""
    from flask import current_app, has_app_context

    from ..config import SETTINGS

    cfg: Any = current_app.config if has_app_context() else {k: v[0] for k, v in SETTINGS.items()}
    return (max_rows or cfg.get("COUNTY_MAX_ROWS", SETTINGS["COUNTY_MAX_ROWS"][0]),
            max_village_rows or cfg.get("MAX_ROWS", SETTINGS["MAX_ROWS"][0]))


def read_county(filename: str, data: bytes, *, max_rows: int | None = None,
                max_village_rows: int | None = None) -> list[dict[str, Any]]:
    """Every village of a county file with its voters; errors name the row and column of every bad cell."""
    county_limit, village_limit = _limits(max_rows, max_village_rows)
    header_row, header, rows = _open(filename, data)
    targets = [HEADERS.get(columns.normalize_header(h)) for h in header]
    problems = [
        FieldError(f"/file/{header_row}/{i}", "unknown_column", f"第{header_row}行：不认识的列名“{h}”",
                   f"row {header_row}: unknown column “{h}”")
        for i, (h, t) in enumerate(zip(header, targets, strict=True), start=1) if t is None and h.strip()
    ]
    seen: dict[str, int] = {}
    for i, t in enumerate(targets, start=1):
        if t and t in seen:
            problems.append(FieldError(f"/file/{header_row}/{i}", "duplicate_column",
                                       f"第{header_row}行：“{header[i - 1]}”与第{seen[t]}列是同一项",
                                       f"row {header_row}: “{header[i - 1]}” repeats column {seen[t]}"))
        seen.setdefault(t or "", i)
    if problems:
        raise InvalidContent(zh="表头有不认识或重复的列", en="the header has unknown or repeated columns",
                             errors=problems)
    if "name" not in seen:
        raise _missing_columns(header, header_row)
    township_at, village_at = seen[TOWNSHIP] - 1, seen[columns.VILLAGE] - 1
    voter_columns = [(i, t, CHECKS[t], header[i].strip()) for i, t in enumerate(targets) if t in CHECKS]
    width = len(header)
    villages: dict[tuple[str, str], list[dict[str, str]]] = {}
    errors: list[FieldError] = []
    error_count = count = 0

    def bad(number: int, col: int, code: str, zh: str, en: str) -> None:
        nonlocal error_count
        error_count += 1
        if len(errors) < MAX_LISTED_ERRORS:
            head = header[col].strip()
            errors.append(FieldError(f"/file/{number}/{col + 1}", code, f"第{number}行“{head}”列：{zh}",
                                     f"row {number}, column “{head}”: {en}"))

    try:
        for number, row in enumerate(rows, start=header_row + 1):
            if len(row) < width:
                row = row + [""] * (width - len(row))
            township, village = row[township_at].strip(), row[village_at].strip()
            if not (township and village):
                if not any(c.strip() for c in row):
                    continue
                for col, value in ((township_at, township), (village_at, village)):
                    if not value:
                        bad(number, col, "required", "不能为空", "may not be empty")
                continue
            count += 1
            if count > county_limit:
                raise PayloadTooLarge(zh=f"名单超过{county_limit}行的上限", en=f"the file has over {county_limit} rows",
                                      errors=[FieldError(f"/file/{number}", "too_many_rows",
                                                         f"第{number}行：超过{county_limit}行的上限",
                                                         f"row {number}: over the limit of {county_limit} rows")])
            voter: dict[str, str] = {}
            for col, target, check, _ in voter_columns:
                text = row[col].strip()
                if text:
                    try:
                        voter[target] = check(text)
                    except _Bad as exc:
                        bad(number, col, exc.code, exc.zh, exc.en)
                elif target == "name":
                    bad(number, col, "required", "不能为空", "may not be empty")
            villages.setdefault((township, village), []).append(voter)
    except csv.Error as exc:
        raise _bad_file("broken_csv", f"CSV 文件格式有误：{exc}", f"the CSV is malformed: {exc}") from None
    if error_count:
        listed = f"（列出前{len(errors)}处）" if error_count > len(errors) else ""
        raise InvalidContent(zh=f"有{error_count}处内容未通过校验{listed}",
                             en=f"{error_count} cell(s) failed validation", errors=errors,
                             extra={"error_count": error_count})
    if not villages:
        raise _bad_file("empty", "文件只有表头，没有数据行", "the file has a header but no rows")
    for (township, village), voters in villages.items():
        if len(voters) > village_limit:
            raise PayloadTooLarge(zh=f"{township}{village}有{len(voters)}名选民，超过每村{village_limit}行的上限",
                                  en=f"{township} {village} has {len(voters)} voters, over {village_limit} a village")
    return [
        {"township": t, "village": v, "place": {"township": t, "village": v}, "voters": voters}
        for (t, v), voters in sorted(villages.items())
    ]
