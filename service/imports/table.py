"""A table's rows read into the payload of each village, remembering which row and column gave each value.

A flat table is one row per item. A grouped table (ballots: posts and their candidates) is one row per inner
item with the outer item's columns first; rows with the same key (the first outer column, e.g. 职务) form one
item, and a blank key continues the item above — which is also how merged cells read. When an item holds
several lists, the 名单 column names the one a row goes to (blank: the same as the row above).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from ..errors import BadRequest, FieldError, InvalidContent
from . import columns


@dataclass
class Imported:
    """What an upload holds: the payload of each village (one if none), and where each value came from."""

    payloads: dict[str, dict[str, Any]]  # village ("" when the upload names none) -> payload
    rows: dict[str, dict[str, int]] = field(default_factory=dict)  # village -> {JSON pointer of an item: row}
    table: str | None = None
    headers: dict[str, str] = field(default_factory=dict)  # pointer pattern (/voters/*/name) -> header used
    choices: dict[str, str] = field(default_factory=dict)  # pointer pattern -> "主任 / 副主任 / 委员"
    english: dict[str, str] = field(default_factory=dict)  # pointer pattern -> the header for English readers

    @staticmethod
    def pattern(path: str) -> str:
        """A JSON pointer with its indexes as *: /posts/0/candidates/2/name → /posts/*/candidates/*/name."""
        return "/".join("*" if p.isdigit() else p for p in path.split("/"))

    def row_column(self, village: str, path: str) -> tuple[int | None, str | None]:
        """The spreadsheet row and column header of a JSON pointer into a payload, when it is in the table."""
        parts = path.split("/")
        if len(parts) >= 3 and parts[1] == "file" and parts[2].isdigit():  # a cell that could not be read
            return int(parts[2]), parts[3] if len(parts) > 3 else None
        rows = self.rows.get(village, {})
        for n in range(len(parts), 1, -1):
            if (row := rows.get("/".join(parts[:n]))) is not None:
                break
        else:
            return None, None
        return row, self.headers.get(self._column(path))

    def _column(self, path: str) -> str:
        pattern = self.pattern(path)
        while pattern and pattern not in self.headers:  # an item's own error goes to its key column
            pattern = pattern.rsplit("/", 1)[0]
        return pattern

    def column_in(self, path: str, lang: str) -> str | None:
        """The column of a JSON pointer as a reader of ``lang`` knows it: the header as written, and for an English
        reader of a Chinese header, the column's English name before it: ID number (身份证号)."""
        parts = path.split("/")
        if len(parts) > 3 and parts[1] == "file":  # a cell that could not be read: /file/<row>/<header>
            head = parts[3]
            pattern = next((p for p, h in self.headers.items() if h == head), "")
            return head if lang == "zh" else self.english.get(pattern, head)
        pattern = self._column(path)
        if lang == "zh":
            return self.headers.get(pattern)
        return self.english.get(pattern) or self.headers.get(pattern)


def english_header(head: str, f: columns.Field) -> str:
    """A header as an English reader knows it: itself, or with the column's English name before a Chinese one."""
    english = columns.tr(f.label, "en")
    return head if head.isascii() or english == head else f"{english} ({head})"


def _set(record: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split("/")
    for p in parents:
        record = record.setdefault(p, {})
    record[last] = value


def _headers(lay: columns.Layout, header: list[str]) -> list[str]:
    """The pointer pattern of each column ("" to ignore it); unknown headers are errors of row 1."""
    known = columns.layout_headers(lay)
    targets, problems = [], []
    for head in header:
        target = known.get(columns.normalize_header(head))
        if target is None:
            if head:
                problems.append(FieldError(f"/file/1/{head}", "unknown_column",
                                           f"第1行：不认识的列名“{head}”", f"row 1: unknown column “{head}”"))
            target = ""
        targets.append(target)
    if problems:
        raise InvalidContent(zh="表头有不认识的列", en="the header has unknown columns", errors=problems)
    return targets


def read_table(lay: columns.Layout, rows: list[list[str]], payload: dict[str, Any]) -> Imported:
    """The rows (header first) laid into a copy of ``payload`` per village."""
    header, body = rows[0], rows[1:]
    targets = _headers(lay, header)
    by_pattern = dict(lay.columns())
    outer_prefix, inner_prefix = f"{lay.pointer}/*/", f"{lay.pointer}/*/{columns.SLOT}/*/"
    selector = f"{lay.pointer}/*/{columns.SLOT}"
    key = f"{outer_prefix}{lay.outer[0].path.replace('.', '/')}" if lay.inner and lay.outer else None
    out = Imported({}, table=lay.table)
    out.headers = {t: h for t, h in zip(targets, header, strict=True) if t and t != columns.VILLAGE}
    for pattern, head in list(out.headers.items()):  # an inner column's header, under each list's own path
        names = " / ".join(name for _, name in by_pattern[pattern].choices if name)
        for path, _ in lay.inner or [("", "")]:
            own = pattern.replace(f"/{columns.SLOT}/", f"/{path.replace('.', '/')}/")
            out.headers[own] = head
            out.english[own] = english_header(head, by_pattern[pattern])
            if names:
                out.choices[own] = names
    if key and key in out.headers:
        out.headers.setdefault(f"{lay.pointer}/*", out.headers[key])
        out.english.setdefault(f"{lay.pointer}/*", out.english[key])
    problems: list[FieldError] = []
    groups: dict[str, dict[tuple[str, str], int]] = {}  # village -> {(village, key): item index}
    last: dict[str, tuple[str, int]] = {}  # village -> (list, item) a blank key continues
    for number, row in enumerate(body, start=2):
        if not any(row):
            continue
        outer: dict[str, Any] = {}
        inner: dict[str, Any] = {}
        slot = None
        village = ""
        for target, text in zip(targets, row, strict=False):
            if not target or text == "":
                continue
            if target == columns.VILLAGE:
                village = text
                continue
            try:
                value = by_pattern[target].parse(text)
            except json.JSONDecodeError as exc:
                head, english = out.headers[target], out.english[target]
                problems.append(FieldError(f"/file/{number}/{head}", "broken_json",
                                           f"第{number}行“{head}”列：不是有效的 JSON（{exc.msg}）",
                                           f"row {number}, column “{english}”: not valid JSON ({exc.msg})"))
                continue
            if target == selector:
                if value not in dict(lay.inner):
                    head, names = out.headers[target], " / ".join(name for _, name in lay.inner)
                    english = " / ".join(columns.tr(name, "en") for _, name in lay.inner)
                    problems.append(FieldError(f"/file/{number}/{head}", "unknown_list",
                                               f"第{number}行“{head}”列：只能填：{names}",
                                               f"row {number}, column “{out.english[target]}”: must be one of: "
                                               f"{english}"))
                    continue
                slot = value
            elif target.startswith(inner_prefix):
                _set(inner, target.removeprefix(inner_prefix), value)
            else:
                _set(outer, target.removeprefix(outer_prefix), value)
        doc = out.payloads.setdefault(village, json.loads(json.dumps(payload)))
        if village:
            doc.setdefault("place", {})["village"] = village
        node = doc
        for part in lay.table.split(".")[:-1]:
            node = node.setdefault(part, {})
        items: list[dict[str, Any]] = node.setdefault(lay.table.rsplit(".", 1)[-1], [])
        spots = out.rows.setdefault(village, {})
        if not lay.inner:
            spots[f"{lay.pointer}/{len(items)}"] = number
            items.append(outer)
            continue
        assert key is not None
        key_name = key.removeprefix(outer_prefix)
        if key_name in outer:
            seen = groups.setdefault(village, {})
            group_key = (village, json.dumps(outer[key_name], ensure_ascii=False))
            if group_key not in seen:
                seen[group_key] = len(items)
                spots[f"{lay.pointer}/{len(items)}"] = number
                items.append({})
            index = seen[group_key]
        elif last.get(village) is not None:
            index = last[village][1]
        else:
            head = out.headers.get(key, lay.outer[0].label)
            english = out.english.get(key, columns.tr(lay.outer[0].label, "en"))
            problems.append(FieldError(f"/file/{number}/{head}", "no_group", f"第{number}行：“{head}”列不能为空",
                                       f"row {number}: the column “{english}” is empty"))
            continue
        item = items[index]
        for name, value in outer.items():  # the other outer cells: blank means the same as above
            if name in item and item[name] != value:
                head = out.headers.get(f"{outer_prefix}{name}", name)
                problems.append(FieldError(
                    f"/file/{number}/{head}", "group_mismatch",
                    f"第{number}行“{head}”列：与同一{out.headers.get(key, '')}前面的行不一致",
                    f"row {number}, column “{out.english.get(f'{outer_prefix}{name}', name)}”: differs from the "
                    f"rows above with the same {out.english.get(key, '')}"))
            item.setdefault(name, value)
        slot = slot or (last[village][0] if last.get(village) and last[village][1] == index else lay.inner[0][0])
        last[village] = (slot, index)
        if inner:
            *parents, name = slot.split(".")
            node = item
            for part in parents:
                node = node.setdefault(part, {})
            members: list[dict[str, Any]] = node.setdefault(name, [])
            spots[f"{lay.pointer}/{index}/{slot.replace('.', '/')}/{len(members)}"] = number
            members.append(inner)
    if problems:
        raise InvalidContent(zh=f"有{len(problems)}处内容无法读取", en=f"{len(problems)} cell(s) could not be read",
                             errors=problems)
    if not out.payloads:
        zh, en = "文件只有表头，没有数据行", "the file has a header but no rows"
        raise BadRequest(zh=zh, en=en, errors=[FieldError("/file", "empty", zh, en)])
    return out


def pointer_label(fields: list[columns.Field], path: str) -> str | None:
    """The label of the field a JSON pointer outside the table names (/place/village → 村（社区）名称)."""
    dotted = ".".join(p for p in path.strip("/").split("/") if not re.fullmatch(r"\d+", p))
    for f in fields:
        if dotted == f.path or dotted.startswith(f.path + "."):
            return f.label
    inside = [f for f in fields if f.path.startswith(dotted + ".")]  # a whole object is missing: what it needs
    if not inside:
        return None
    needed = [f for f in inside if f.required]
    return needed[0].label if needed else inside[0].parent or inside[0].label
