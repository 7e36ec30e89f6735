"""The Excel template of a kind: Chinese headers and one example row, and a sheet for the other fields."""

from __future__ import annotations

import io
import json
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from .. import kinds
from . import FIELDS_SHEET, TABLE_SHEET, columns


def _get(data: Any, path: str) -> Any:
    for part in path.split("."):
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


def _text(value: Any, choices: tuple[tuple[str, str], ...] = ()) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return dict(choices).get(str(value), str(value))


def workbook(kind: kinds.Kind) -> bytes:
    """The template as XLSX bytes; every cell is text so ID numbers keep their 18 digits."""
    try:
        sample = kind.sample()
    except FileNotFoundError:  # a kind still without its sample gets headers only
        sample = {}
    book = Workbook()
    bold = Font(bold=True)
    table = columns.table_field(kind.model)
    item = columns.table_item(kind.model)
    ws = book.active
    assert ws is not None
    if table and item:
        ws.title = TABLE_SHEET
        cols = columns.fields(item)
        ws.append([c.label for c in cols])
        example = (sample.get(table) or [{}])[0]
        ws.append([_text(_get(example, c.path), c.choices) for c in cols])
        for i, c in enumerate(cols, start=1):
            ws.cell(1, i).font = bold
            ws.cell(2, i).number_format = "@"
            ws.column_dimensions[ws.cell(1, i).column_letter].width = max(10, 2.2 * len(c.label) + 2)
        extra = book.create_sheet(FIELDS_SHEET)
    else:
        ws.title = FIELDS_SHEET
        extra = ws
    extra.append(["字段", "项目", "内容"])
    for f in columns.fields(kind.model, skip=table):
        extra.append([f.path, f.label + ("（必填）" if f.required else ""), _text(_get(sample, f.path))])
    for name, info in kind.model.model_fields.items():  # lists other than the table, as JSON
        if name != table and name in sample and isinstance(sample[name], list):
            extra.append([name, columns.label(name, info.description), _text(sample[name])])
    for c in extra[1]:
        c.font = bold
    extra.column_dimensions["A"].width = 22
    extra.column_dimensions["B"].width = 30
    extra.column_dimensions["C"].width = 40
    for row in extra.iter_rows(min_row=2, min_col=3, max_col=3):
        row[0].number_format = "@"
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()
