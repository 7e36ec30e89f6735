"""The Excel template of a kind: Chinese headers and example rows, a sheet for the other fields, and notes."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from .. import kinds
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


def _table_notes(lay: columns.Layout) -> list[list[str]]:
    if not lay.inner:
        return [[f"“{lay.sheet}”工作表：第一行是表头，以下每行一条。表头可用常见写法（如“身份证号”“公民身份号码”）。"
                 "加一列“村”可以一次填写多个村，每村生成一份文书。"]]
    key = lay.outer[0].label
    inner = "、".join(name for _, name in lay.inner)
    person = f"一名{lay.inner[0][1]}" if len(lay.inner) == 1 else "一人"
    lines = [[f"“{lay.sheet}”工作表：每行{person}。前几列（{'、'.join(f.label for f in lay.outer)}）"
              f"说明这一行属于哪一组；同一{key}的各行只需在第一行填写这几列，下面的行可以留空或合并单元格。"]]
    if lay.selector:
        lines.append([f"“名单”列填写这一行属于{inner}中的哪一个；留空表示与上一行相同。"])
    return lines


def notes(kind: kinds.Kind, lays: list[columns.Layout]) -> list[list[str]]:
    """The 填写说明 sheet: how to fill the others, what a CSV holds, and every column's values."""
    lines = [[f"{kind.title_zh}：填写说明"]]
    for lay in lays:
        lines += _table_notes(lay)
    if len(lays) > 1:
        sheets = "、".join(f"“{lay.sheet}”" for lay in lays)
        lines.append([f"{sheets}按实际情况填写用到的，用不到的工作表只留表头。"])
    lines.append([f"“{FIELDS_SHEET}”工作表：{'表格以外的' if lays else ''}各项，在“内容”列填写；“字段”列不要改动。"])
    if lays:
        lines.append([f"另存为 CSV 时只保存一张表：“{FIELDS_SHEET}”中的各项请在网页的表单中填写"
                      "（接口调用时放在 data 字段）。"])
    else:
        lines.append(["这种文书没有名单表格，不能用 CSV 上传：请上传本 Excel 文件或 JSON。"])
    lines.append([])
    lines.append(["列或项目", "必填", "可填的值或写法"])
    described = [f for lay in lays for _, f in lay.columns()] + columns.other_fields(kind.model, lays)
    for f in described:
        how = " / ".join(name for _, name in f.choices)
        if f.shape == "lines":
            how = "每项一行（单元格内按 Alt+Enter 换行）"
        elif f.shape == "json":
            how = "JSON（可从接口的示例复制）"
        lines.append([f.label, "是" if f.required else "", how])
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


def workbook(kind: kinds.Kind) -> bytes:
    """The template as XLSX bytes; every cell is text so ID numbers keep their 18 digits."""
    try:
        sample = kind.sample()
    except FileNotFoundError:  # a kind still without its sample gets headers only
        sample = {}
    book = Workbook()
    lays = columns.layouts(kind.model)
    first = book.active
    assert first is not None
    for i, lay in enumerate(lays):
        _table_sheet(first if i == 0 else book.create_sheet(), lay, sample)
    extra = book.create_sheet(FIELDS_SHEET) if lays else first
    extra.title = FIELDS_SHEET
    extra.append(["字段", "项目", "内容"])
    for f in columns.other_fields(kind.model, lays):
        extra.append([f.path, f.label + ("（必填）" if f.required else ""), f.text(_get(sample, f.path))])
    for c in extra[1]:
        c.font = Font(bold=True)
    _widths(extra, [22, 30, 50])
    for row in extra.iter_rows(min_row=2, min_col=3, max_col=3):
        row[0].number_format = "@"
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    help_sheet = book.create_sheet(NOTES_SHEET)
    for line in notes(kind, lays):
        help_sheet.append(line)
    help_sheet["A1"].font = Font(bold=True, size=14)
    _widths(help_sheet, [24, 8, 60])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()
