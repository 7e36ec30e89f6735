"""Which list of a kind is its table, and which spreadsheet header names mean which field."""

from __future__ import annotations

import re
import types
import typing
from dataclasses import dataclass
from typing import Any, Literal

from annotated_types import MaxLen
from pydantic import BaseModel

# Header names clerks actually use, mapped to field names; "" means a column to ignore.
ALIASES: dict[str, str] = {
    "姓名": "name", "名字": "name", "名称": "name",
    "公民身份号码": "id_number", "身份证号": "id_number", "身份证号码": "id_number", "身份证": "id_number",
    "公民身份证号码": "id_number", "证件号码": "id_number",
    "性别": "sex", "出生日期": "birth", "出生年月": "birth", "生日": "birth",
    "村民小组": "group", "小组": "group", "组别": "group", "所在小组": "group",
    "备注": "note", "说明": "note", "登记类别": "category", "类别": "category",
    "序号": "", "编号": "",
}
VILLAGE = "__village__"
VILLAGE_HEADERS = {"村", "村名", "村（社区）", "村（社区）名称", "村(社区)", "所在村", "village"}
# Labels of fields whose models carry no description.
LABELS = {"name": "姓名", "sex": "性别", "note": "备注", "birth": "出生日期", "id_number": "公民身份号码"}


@dataclass(frozen=True)
class Field:
    """One field of a flat form or spreadsheet column: its dotted path, Chinese label and choices."""

    path: str
    label: str
    choices: tuple[tuple[Any, str], ...] = ()  # (value, Chinese label)
    required: bool = False


def _unwrap(annotation: Any) -> Any:
    """The annotation without Optional/Annotated."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


def _item_model(annotation: Any) -> type[BaseModel] | None:
    ann = _unwrap(annotation)
    if typing.get_origin(ann) is list:
        (item,) = typing.get_args(ann) or (None,)
        item = _unwrap(item)
        if isinstance(item, type) and issubclass(item, BaseModel):
            return item
    return None


def _is_model(annotation: Any) -> type[BaseModel] | None:
    ann = _unwrap(annotation)
    return ann if isinstance(ann, type) and issubclass(ann, BaseModel) else None


def table_field(model: type[BaseModel]) -> str | None:
    """The top-level list of objects that is the kind's table: the one allowed the most rows."""
    best, best_len = None, -1
    for name, info in model.model_fields.items():
        if _item_model(info.annotation) is None:
            continue
        limit = max((m.max_length for m in info.metadata if isinstance(m, MaxLen)), default=0)
        if limit > best_len:
            best, best_len = name, limit
    return best


def table_item(model: type[BaseModel]) -> type[BaseModel] | None:
    """The model of one table row."""
    name = table_field(model)
    return _item_model(model.model_fields[name].annotation) if name else None


def label(name: str, description: str | None) -> str:
    """The short Chinese label of a field: its description up to the first note, else a known name."""
    if description:
        return re.split(r"[：:，,]", description, maxsplit=1)[0].strip() or name
    return LABELS.get(name, name)


def _choices(annotation: Any, description: str | None) -> tuple[tuple[Any, str], ...]:
    ann = _unwrap(annotation)
    if ann is bool:
        return ((True, "是"), (False, "否"))
    if typing.get_origin(ann) is not Literal:
        return ()
    values = list(typing.get_args(ann))
    names = re.split(r"\s*/\s*", description.split("：", 1)[1]) if description and "：" in description else []
    if len(names) != len(values):
        names = [str(v) for v in values]
    return tuple(zip(values, names, strict=True))


def fields(model: type[BaseModel], prefix: str = "", skip: str | None = None) -> list[Field]:
    """The scalar fields of a model, nested objects flattened to dotted paths; lists are skipped."""
    out: list[Field] = []
    for name, info in model.model_fields.items():
        if name == skip:
            continue
        nested = _is_model(info.annotation)
        if nested is not None:
            out.extend(fields(nested, f"{prefix}{name}."))
            continue
        if typing.get_origin(_unwrap(info.annotation)) in (list, dict):
            continue
        out.append(
            Field(f"{prefix}{name}", label(name, info.description), _choices(info.annotation, info.description),
                  info.is_required())
        )
    return out


def normalize_header(text: str) -> str:
    """A header cell without spaces, BOM, required-marks, and with full-width parentheses."""
    text = text.replace("\ufeff", "").replace("(", "（").replace(")", "）")
    return re.sub(r"[\s*＊]", "", text)


def header_map(item: type[BaseModel]) -> dict[str, str]:
    """Every accepted header (normalized) of a table row model, mapped to its field (or VILLAGE, or "")."""
    own = {f.path: f for f in fields(item)}
    out: dict[str, str] = {}
    for alias, target in ALIASES.items():
        if target == "" or target in own:
            out[alias] = target
    for f in own.values():
        out[normalize_header(f.label)] = f.path
        out[f.path] = f.path
    for h in VILLAGE_HEADERS:
        out.setdefault(normalize_header(h), VILLAGE)
    return out
