"""The Excel template of a kind: Chinese headers and example rows, a sheet for the other fields, and notes."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from .. import kinds
from . import FIELDS_SHEET, NOTES_SHEET, TABLE_SHEET, columns


def _get(data: Any, path: str) -> Any:
    for part in path.split("."):
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


def example_rows(lay: columns.Layout, sample: dict[str, Any]) -> list[list[str]]:
    """Rows from the sample: its first item, or for a grouped table the first inner item of each group (of each
    list of the first item, when an item holds several)."""
    items = sample.get(lay.table) or [{}]
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


def notes(kind: kinds.Kind, lay: columns.Layout | None) -> list[list[str]]:
    """The 填写说明 sheet: how to fill the other two, what a CSV holds, and every column's values."""
    lines = [[f"{kind.title_zh}：填写说明"]]
    if lay and lay.inner:
        key = lay.outer[0].label
        inner = "、".join(name for _, name in lay.inner)
        person = lay.inner[0][1] if len(lay.inner) == 1 else "成员"
        lines.append([f"“{TABLE_SHEET}”工作表：每行一名{person}。前几列（{'、'.join(f.label for f in lay.outer)}）"
                      f"说明这一行属于哪一组；同一{key}的各行只需在第一行填写这几列，下面的行可以留空或合并单元格。"])
        if lay.selector:
            lines.append([f"“名单”列填写这一行属于{inner}中的哪一个；留空表示与上一行相同。"])
    elif lay:
        lines.append([f"“{TABLE_SHEET}”工作表：第一行是表头，以下每行一条。表头可用常见写法（如“身份证号”“公民身份号码”）。"
                      "加一列“村”可以一次填写多个村，每村生成一份文书。"])
    lines.append([f"“{FIELDS_SHEET}”工作表：{'名单以外的' if lay else ''}各项，在“内容”列填写；“字段”列不要改动。"])
    if lay:
        lines.append([f"另存为 CSV 时只保存“{TABLE_SHEET}”一张表：“{FIELDS_SHEET}”中的各项请在网页的表单中填写"
                      "（接口调用时放在 data 字段）。"])
    else:
        lines.append(["这种文书没有名单表格，不能用 CSV 上传：请上传本 Excel 文件或 JSON。"])
    lines.append([])
    lines.append(["列或项目", "必填", "可填的值或写法"])
    described = [(f, True) for _, f in (lay.columns() if lay else ())]
    described += [(f, False) for f in columns.fields(kind.model, skip=(lay.table if lay else None,), lists=True)]
    for f, _ in described:
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


def workbook(kind: kinds.Kind) -> bytes:
    """The template as XLSX bytes; every cell is text so ID numbers keep their 18 digits."""
    try:
        sample = kind.sample()
    except FileNotFoundError:  # a kind still without its sample gets headers only
        sample = {}
    book = Workbook()
    bold = Font(bold=True)
    lay = columns.layout(kind.model)
    ws = book.active
    assert ws is not None
    if lay:
        ws.title = TABLE_SHEET
        cols = [f for _, f in lay.columns()]
        ws.append([c.label for c in cols])
        for row in example_rows(lay, sample):
            ws.append(row)
        _widths(ws, [max(10, 2.2 * len(c.label) + 2) for c in cols])
        for i in range(1, len(cols) + 1):
            ws.cell(1, i).font = bold
            ws.column_dimensions[ws.cell(1, i).column_letter].number_format = "@"  # rows typed in later too
            for r in range(2, ws.max_row + 1):
                ws.cell(r, i).number_format = "@"
        ws.freeze_panes = "A2"
        extra = book.create_sheet(FIELDS_SHEET)
    else:
        ws.title = FIELDS_SHEET
        extra = ws
    extra.append(["字段", "项目", "内容"])
    for f in columns.fields(kind.model, skip=(lay.table if lay else None,), lists=True):
        extra.append([f.path, f.label + ("（必填）" if f.required else ""), f.text(_get(sample, f.path))])
    for c in extra[1]:
        c.font = bold
    _widths(extra, [22, 30, 50])
    for row in extra.iter_rows(min_row=2, min_col=3, max_col=3):
        row[0].number_format = "@"
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    help_sheet = book.create_sheet(NOTES_SHEET)
    for line in notes(kind, lay):
        help_sheet.append(line)
    help_sheet["A1"].font = Font(bold=True, size=14)
    _widths(help_sheet, [24, 8, 60])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()
