"""The Excel template of a kind: headers and example rows, a sheet for the other fields, and notes.

Chinese by default; in English (``lang="en"``) every header, sheet name and note goes through the gettext
catalogs (fields.po, imports.po), and an upload of the English template reads like the Chinese one."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from .. import i18n, kinds
from . import FIELDS_SHEET, NOTES_SHEET, columns


def _get(data: Any, path: str) -> Any:
    for part in path.split("."):
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


def example_rows(lay: columns.Layout, sample: dict[str, Any]) -> list[list[str]]:
    """Rows from the sample: its first item, or for a grouped table the first inner item of each group (of each
    list of the first item, when an item holds several)."""
    items = _get(sample, lay.table) or [{}]
    if not lay.inner:
        return [[f.text(_get(items[0], f.path)) for f in lay.outer]]
    rows = []
    for item in items[:3] if len(lay.inner) == 1 else items[:1]:
        for path, name in lay.inner:
            inner = (_get(item, path) or [None])[0]
            if inner is not None:
                rows.append([f.text(_get(item, f.path)) for f in lay.outer] + ([name] if lay.selector else [])
                            + [f.text(_get(inner, f.path)) for f in lay.inner_fields])
    return rows


def _t(message: str, lang: str, **values: str) -> str:
    text = i18n.gettext(message, lang)
    return text % values if values else text


def _join(names: list[str], lang: str) -> str:
    return ("、" if lang == "zh" else ", ").join(names)


def _table_notes(lay: columns.Layout, lang: str) -> list[list[str]]:
    """``lay`` already in ``lang``."""
    if not lay.inner:
        return [[_t("“%(sheet)s”工作表：第一行是表头，以下每行一条。表头可用常见写法（如“身份证号”“公民身份号码”）。"
                    "加一列“村”可以一次填写多个村，每村生成一份文书。", lang, sheet=lay.sheet)]]
    values = {"sheet": lay.sheet, "key": lay.outer[0].label, "outer": _join([f.label for f in lay.outer], lang)}
    if len(lay.inner) == 1:
        line = _t("“%(sheet)s”工作表：每行一名%(who)s。前几列（%(outer)s）说明这一行属于哪一组；"
                  "同一%(key)s的各行只需在第一行填写这几列，下面的行可以留空或合并单元格。", lang,
                  who=lay.inner[0][1], **values)
    else:
        line = _t("“%(sheet)s”工作表：每行一人。前几列（%(outer)s）说明这一行属于哪一组；"
                  "同一%(key)s的各行只需在第一行填写这几列，下面的行可以留空或合并单元格。", lang, **values)
    lines = [[line]]
    if lay.selector:
        lines.append([_t("“%(column)s”列填写这一行属于%(lists)s中的哪一个；留空表示与上一行相同。", lang,
                         column=lay.selector.label, lists=_join([name for _, name in lay.inner], lang))])
    return lines


def notes(kind: kinds.Kind, lays: list[columns.Layout], lang: str = "zh") -> list[list[str]]:
    """The 填写说明 sheet: how to fill the others, what a CSV holds, and every column's values (``lays`` already in
    ``lang``)."""
    fields_sheet = columns.tr(FIELDS_SHEET, lang)
    lines = [[_t("%(title)s：填写说明", lang, title=kind.title(lang))]]
    for lay in lays:
        lines += _table_notes(lay, lang)
    if len(lays) > 1:
        sheets = _join([f"“{lay.sheet}”" for lay in lays], lang)
        lines.append([_t("%(sheets)s按实际情况填写用到的，用不到的工作表只留表头。", lang, sheets=sheets)])
    if lays:
        lines.append([_t("“%(sheet)s”工作表：表格以外的各项，在“内容”列填写；“字段”列不要改动。", lang,
                         sheet=fields_sheet)])
        lines.append([_t("另存为 CSV 时只保存一张表：“%(sheet)s”中的各项请在网页的表单中填写"
                         "（接口调用时放在 data 字段）。", lang, sheet=fields_sheet)])
    else:
        lines.append([_t("“%(sheet)s”工作表：各项，在“内容”列填写；“字段”列不要改动。", lang, sheet=fields_sheet)])
        lines.append([_t("这种文书没有名单表格，不能用 CSV 上传：请上传本 Excel 文件或 JSON。", lang)])
    lines.append([])
    lines.append([_t("列或项目", lang), columns.tr("必填", lang), _t("可填的值或写法", lang)])
    described = [f for lay in lays for _, f in lay.columns()] + [
        columns.translated(f, lang) for f in columns.other_fields(kind.model, lays)]
    for f in described:
        how = " / ".join(name for _, name in f.choices)
        if f.shape == "lines":
            how = _t("每项一行（单元格内按 Alt+Enter 换行）", lang)
        elif f.shape == "json":
            how = _t("JSON（可从接口的示例复制）", lang)
        lines.append([f.label, columns.tr("是", lang) if f.required else "", how])
    return lines


def _widths(ws: Worksheet, widths: list[float]) -> None:
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[ws.cell(1, i).column_letter].width = width


def _table_sheet(ws: Worksheet, lay: columns.Layout, sample: dict[str, Any]) -> None:
    ws.title = lay.sheet
    cols = [f for _, f in lay.columns()]
    ws.append([c.label for c in cols])
    for row in example_rows(lay, sample):
        if any(row):
            ws.append(row)
    _widths(ws, [max(10, 2.2 * len(c.label) + 2) for c in cols])
    for i in range(1, len(cols) + 1):
        ws.cell(1, i).font = Font(bold=True)
        ws.column_dimensions[ws.cell(1, i).column_letter].number_format = "@"  # rows typed in later too
        for r in range(2, ws.max_row + 1):
            ws.cell(r, i).number_format = "@"
    ws.freeze_panes = "A2"


def workbook(kind: kinds.Kind, lang: str = "zh") -> bytes:
    """The template as XLSX bytes, in a language; every cell is text so ID numbers keep their 18 digits."""
    try:
        sample = kind.sample()
    except FileNotFoundError:  # a kind still without its sample gets headers only
        sample = {}
    book = Workbook()
    lays = [lay.translated(lang) for lay in columns.layouts(kind.model)]
    first = book.active
    assert first is not None
    for i, lay in enumerate(lays):
        _table_sheet(first if i == 0 else book.create_sheet(), lay, sample)
    extra = book.create_sheet() if lays else first
    extra.title = columns.tr(FIELDS_SHEET, lang)
    extra.append([_t("字段", lang), _t("项目", lang), _t("内容", lang)])
    for f in columns.other_fields(kind.model, lays):
        f = columns.translated(f, lang)
        extra.append([f.path, f.label + (_t("（必填）", lang) if f.required else ""), f.text(_get(sample, f.path))])
    for c in extra[1]:
        c.font = Font(bold=True)
    _widths(extra, [22, 30, 50])
    for row in extra.iter_rows(min_row=2, min_col=3, max_col=3):
        row[0].number_format = "@"
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    help_sheet = book.create_sheet(columns.tr(NOTES_SHEET, lang))
    for line in notes(kind, lays, lang):
        help_sheet.append(line)
    help_sheet["A1"].font = Font(bold=True, size=14)
    _widths(help_sheet, [24, 8, 60])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()
