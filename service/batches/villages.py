"""Villages given as JSON (the API's body, the CLI's villages file): checked, named and sorted."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, ValidationError

from ..errors import FieldError, InvalidContent
from ..kinds.fields import OptionalText, Strict
from ..validation import field_errors


class _Place(BaseModel):
    county: OptionalText = ""
    township: OptionalText = ""
    village: str = Field(min_length=1, max_length=200)


class VillageIn(Strict):
    """A village: where it is, its voters, and its own fields for every kind."""

    place: _Place
    voters: list[dict[str, Any]] = Field(default_factory=list)
    data: dict[str, Any] = Field(default_factory=dict)
    township: OptionalText = ""
    village: OptionalText = ""


def from_json(raw: Any, path: str = "/villages") -> list[dict[str, Any]]:
    """The villages in the shape county.read_county gives, sorted by township then village."""
    if not isinstance(raw, list) or not raw:
        raise InvalidContent(
            zh="villages 应为非空列表",
            en="villages must be a non-empty list",
            errors=[FieldError(path, "type", "应为非空列表", "must be a non-empty list")],
        )
    out = []
    problems: list[FieldError] = []
    prefix = tuple(p for p in path.split("/") if p)
    for i, item in enumerate(raw):
        try:
            v = VillageIn.model_validate(item)
        except ValidationError as exc:
            problems += field_errors(exc, (*prefix, i))
            continue
        place = v.place.model_dump()
        out.append(
            {
                "township": v.township or place["township"],
                "village": v.village or place["village"],
                "place": place,
                "voters": v.voters,
                "data": v.data,
            }
        )
    if problems:
        raise InvalidContent(
            zh=f"villages 有{len(problems)}处未通过校验",
            en=f"{len(problems)} village field(s) failed validation",
            errors=problems,
        )
    return sorted(out, key=lambda v: (v["township"], v["village"]))


def check_unique(villages: list[dict[str, Any]], path: str = "/villages") -> None:
    """422 when a township lists the same village twice (their files would share a folder)."""
    seen: set[tuple[str, str]] = set()
    for i, v in enumerate(villages):
        key = (v["township"], v["village"])
        if key in seen:
            raise InvalidContent(
                zh=f"{v['township']}{v['village']}出现了两次",
                en=f"{v['township']} {v['village']} is listed twice",
                errors=[FieldError(f"{path}/{i}", "duplicate_village", "村重复", "village listed twice")],
            )
        seen.add(key)
