"""The kit definition: what every village gets — documents, ballots and the fields all villages share."""

from __future__ import annotations

import json
from typing import Any, Literal

import yaml
from pydantic import Field, ValidationError, field_validator, model_validator

from .. import kinds
from ..errors import BadRequest, FieldError, InvalidContent
from ..kinds.ballot.common import BallotModel
from ..kinds.fields import OptionalText, Strict
from ..validation import field_errors


class DocumentSpec(Strict):
    """One document every village gets: its kind, format, language and how many copies go in the print PDF."""

    kind: str = Field(description="文书种类 id, e.g. roster.voters")
    format: Literal["pdf", "docx"] = "pdf"
    lang: Literal["zh", "en"] = "zh"
    copies: int = Field(1, ge=1, le=50, description="打印合集中的份数")
    data: dict[str, Any] = Field(default_factory=dict, description="只给这种文书的字段（在 defaults 之上）")

    @field_validator("kind")
    @classmethod
    def _known(cls, value: str) -> str:
        ids = {k.id for k in kinds.all_kinds()}
        if value not in ids:
            raise ValueError(f"unknown document kind {value[:60]!r}")
        return value


class BallotSpec(Strict):
    """A ballot printed for every voter of the village plus a spare percentage, imposed several per sheet."""

    kind: str = Field(description="选票种类 id, e.g. ballot.villagers-committee")
    lang: Literal["zh", "en"] = "zh"
    spare_percent: float = Field(5, ge=0, le=50, description="备用票比例（%）")
    per_sheet: Literal[1, 2, 4] = 2
    paper: Literal["A4", "A5"] = "A4"
    counterfoil: bool = True
    final: bool = Field(True, description="正式印制（流水号登记在选票印制台账）")
    data: dict[str, Any] = Field(default_factory=dict, description="只给这种选票的字段（在 defaults 之上）")

    @field_validator("kind")
    @classmethod
    def _ballot(cls, value: str) -> str:
        ids = {k.id for k in kinds.all_kinds() if issubclass(k.model, BallotModel)}
        if value not in ids:
            raise ValueError(f"{value[:60]!r} is not a ballot kind")
        return value


class Kit(Strict):
    """The whole kit; ``defaults`` lie under each village's own data (objects merged key by key)."""

    name: OptionalText = Field("", description="批次名称")
    documents: list[DocumentSpec] = Field(default_factory=list, max_length=40)
    ballots: list[BallotSpec] = Field(default_factory=list, max_length=10)
    defaults: dict[str, Any] = Field(default_factory=dict, description="每个村共用的字段")
    county_print: bool = Field(True, description="也生成全部村的打印合集（一个 PDF）")
    webhook_url: str | None = Field(None, pattern=r"^https?://", max_length=2000, description="完成后通知的地址")
    region: str | None = Field(None, pattern=r"^\d{6}(\d{3})?$", description="县（6位）或乡镇（9位）区划代码")

    @model_validator(mode="after")
    def _something(self) -> Kit:
        if not self.documents and not self.ballots:
            raise ValueError("a kit needs at least one document or ballot")
        return self


def load(source: str | bytes | dict[str, Any], path: str = "/kit") -> Kit:
    """A kit from YAML or JSON text (JSON is YAML) or an object; errors are problems with paths under ``path``."""
    data: Any = source
    if isinstance(source, bytes | str):
        try:
            data = yaml.safe_load(source)
        except yaml.YAMLError as exc:
            raise BadRequest(
                zh="kit 不是有效的 YAML 或 JSON",
                en=f"the kit is not valid YAML or JSON: {str(exc)[:200]}",
                errors=[FieldError(path, "unreadable", "无法读取", "cannot be read")],
            ) from None
    if not isinstance(data, dict):
        raise BadRequest(
            zh="kit 应为对象",
            en="the kit must be an object",
            errors=[FieldError(path, "type", "应为对象", "must be an object")],
        )
    try:
        return Kit.model_validate(json.loads(json.dumps(data, default=str)))  # YAML dates become text
    except ValidationError as exc:
        prefix = tuple(p for p in path.split("/") if p)
        errors = field_errors(exc, prefix)
        raise InvalidContent(
            zh=f"kit 有{len(errors)}处未通过校验", en=f"the kit has {len(errors)} invalid field(s)", errors=errors
        ) from None
