"""Turn pydantic validation errors into field errors with JSON-pointer paths, in Chinese and English."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from pydantic import ValidationError

from .errors import FieldError, InvalidContent

# Chinese wording for pydantic's built-in error types; English comes from pydantic itself.
_ZH: dict[str, str] = {
    "missing": "缺少必填项",
    "extra_forbidden": "不认识的字段",
    "string_type": "应为文字",
    "string_too_short": "至少应有{min_length}个字符",
    "string_too_long": "最多{max_length}个字符",
    "string_pattern_mismatch": "格式不正确",
    "too_short": "至少应有{min_length}项",
    "too_long": "最多{max_length}项",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "bool_type": "应为是或否",
    "bool_parsing": "应为是或否",
    "greater_than": "应大于{gt}",
    "greater_than_equal": "应不小于{ge}",
    "less_than": "应小于{lt}",
    "less_than_equal": "应不大于{le}",
    "literal_error": "应为以下之一：{expected}",
    "enum": "应为以下之一：{expected}",
    "date_type": "应为日期（如2026-11-21）",
    "date_parsing": "日期格式不正确，应如2026-11-21",
    "date_from_datetime_parsing": "日期格式不正确，应如2026-11-21",
    "date_from_datetime_inexact": "日期不应带时刻",
    "datetime_parsing": "时间格式不正确，应如2026-11-21T08:00",
    "datetime_from_date_parsing": "时间格式不正确，应如2026-11-21T08:00",
    "time_parsing": "时刻格式不正确，应如08:00",
    "list_type": "应为列表",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "value_error": "取值无效：{error}",
    "assertion_error": "取值无效",
    "union_tag_invalid": "类型标记无效",
}


def pointer(loc: Iterable[Any]) -> str:
    """A JSON pointer (RFC 6901) for a pydantic error location."""
    parts = [str(p).replace("~", "~0").replace("/", "~1") for p in loc]
    return "/" + "/".join(parts) if parts else ""


def field_errors(exc: ValidationError, prefix: tuple[Any, ...] = ()) -> list[FieldError]:
    """Every error of a pydantic ValidationError as a FieldError."""
    out = []
    for err in exc.errors(include_url=False):
        ctx = err.get("ctx") or {}
        code = err["type"]
        zh = ctx.get("zh")
        if zh is None:
            template = _ZH.get(code, "取值无效")
            try:
                zh = template.format(**{k: v for k, v in ctx.items()})
            except (KeyError, IndexError):
                zh = template
        loc = [p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
        out.append(FieldError(pointer((*prefix, *loc)), code, zh, err["msg"]))
    return out


def invalid(exc: ValidationError) -> InvalidContent:
    """The 422 error for a failed validation, listing every field."""
    errors = field_errors(exc)
    return InvalidContent(
        zh=f"有{len(errors)}处内容未通过校验", en=f"{len(errors)} field(s) failed validation", errors=errors
    )


MAX_DEPTH = 64  # no kind nests deeper than a handful of levels; the parser and the checks recurse


def depth(value: Any) -> int:
    """How deeply a JSON value nests, counted without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


# What XML 1.0 (and so a DOCX) cannot hold: control characters other than tab and line breaks, lone
# surrogates, U+FFFE and U+FFFF. Typed into a field they would break the document, so they are refused.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def unprintable(value: Any, path: str = "") -> Iterator[FieldError]:
    """A field error for every string (key or value) holding a character no document can hold."""
    if isinstance(value, str):
        match = _NOT_XML.search(value)
        if match:
            code = f"U+{ord(match.group()):04X}"
            yield FieldError(path, "control_character", f"含有无法打印的控制字符 {code}",
                             f"holds the unprintable control character {code}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from unprintable(item, f"{path}/{i}")
    elif isinstance(value, dict):
        for key, item in value.items():
            escaped = str(key).replace("~", "~0").replace("/", "~1")
            yield from unprintable(key, f"{path}/{escaped}")
            yield from unprintable(item, f"{path}/{escaped}")
