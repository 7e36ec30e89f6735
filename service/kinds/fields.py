"""Field types shared by the kinds' models: names, ID numbers, sex, signature blocks."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints
from pydantic_core import PydanticCustomError

from ..domain import idcard

# Jinja delimiters and XML are harmless here: templates escape and never evaluate data.
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
OptionalText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]

NAME_CHARS = re.compile(r"^[^\x00-\x1f<>{}\\]+$")


def _check_name(value: str) -> str:
    if not NAME_CHARS.match(value):
        raise PydanticCustomError(
            "name_chars", "a name may not contain control characters or <>{}\\", {"zh": "姓名不能含有控制字符或<>{}\\"}
        )
    return value


Name = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40), AfterValidator(_check_name)
]


def _check_id(value: str) -> str:
    try:
        return idcard.validate(value)
    except idcard.IdNumberError as exc:
        raise PydanticCustomError(exc.code, exc.message_en, {"zh": exc.message_zh}) from None


IdNumber = Annotated[str, AfterValidator(_check_id)]

SEX = {"男": "male", "女": "female", "m": "male", "f": "female", "male": "male", "female": "female"}


def _normalize_sex(value: object) -> object:
    return SEX.get(str(value).strip().lower(), value) if isinstance(value, str) else value


Sex = Annotated[Literal["male", "female"], BeforeValidator(_normalize_sex)]

_YES = {"是", "有", "yes", "y", "true", "1", "√", "✓"}
_NO = {"否", "无", "no", "n", "false", "0", "", "×"}


def _normalize_bool(value: object) -> object:
    if isinstance(value, str):
        v = value.strip().lower()
        if v in _YES:
            return True
        if v in _NO:
            return False
    return value


YesNo = Annotated[bool, BeforeValidator(_normalize_bool)]


class Strict(BaseModel):
    """Base for every input model: unknown fields are errors, strings are stripped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, populate_by_name=True)


class Signature(Strict):
    """Who signs the document and when (落款)."""

    body: Text = Field(description="签署机构，如：××村村民选举委员会")
    date: dt.date = Field(description="成文日期")


class Place(Strict):
    """Where the election is held."""

    county: OptionalText = Field("", description="县（市、区）")
    township: OptionalText = Field("", description="乡（镇、街道）")
    village: Text = Field(description="村（社区）名称")
