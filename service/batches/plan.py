"""What one village gets: (kit, village) → the items to render, each with its payload and relative path."""

from __future__ import annotations

import re
import typing
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from .. import kinds
from ..imports import merge
from .kit import BallotSpec, DocumentSpec, Kit

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


@dataclass(frozen=True)
class Item:
    """One file of a village: where it goes (relative to the job's folder), what kind, and the payload."""

    path: str
    kind: str
    fmt: str
    lang: str
    payload: dict[str, Any]
    copies: int = 1  # how many times it goes into the village's print PDF
    ballot: bool = False


def segment(name: str) -> str:
    """A file-name-safe path segment (no separators, no control characters, never '.' or '..')."""
    clean = _UNSAFE.sub("_", name).strip().strip(".") or "_"
    return clean[:80]


def folder(village: dict[str, Any]) -> str:
    """The village's folder relative to the job: township/village."""
    return f"{segment(village['township'] or '_')}/{segment(village['village'])}"


def _fill(value: Any, names: dict[str, str]) -> Any:
    """``{township}``, ``{village}`` and ``{county}`` in the strings of shared data, filled for this village."""
    if isinstance(value, str):
        for key, text in names.items():
            value = value.replace("{" + key + "}", text)
        return value
    if isinstance(value, dict):
        return {k: _fill(v, names) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, names) for v in value]
    return value


def _item_model(annotation: Any) -> type[BaseModel] | None:
    """The model of a ``list[Model]`` field (optional or not), else None."""
    for arg in typing.get_args(annotation) or ():
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
        inner = _item_model(arg)
        if inner is not None:
            return inner
    return None


def fit(model: type[BaseModel], payload: dict[str, Any]) -> dict[str, Any]:
    """Only the fields ``model`` knows (shared data serves many kinds; each kind forbids unknown fields);
    lists of objects keep only the fields of their item model."""
    known = {name: f for name, f in model.model_fields.items()} | {
        f.alias: f for f in model.model_fields.values() if f.alias
    }
    out: dict[str, Any] = {}
    for key, value in payload.items():
        field = known.get(key)
        if field is None:
            continue
        item = _item_model(field.annotation)
        if item is not None and isinstance(value, list) and all(isinstance(v, dict) for v in value):
            value = [fit(item, v) for v in value]
        out[key] = value
    return out


def payload(kit: Kit, spec: DocumentSpec | BallotSpec, village: dict[str, Any], requested_by: str) -> dict[str, Any]:
    """defaults ⊕ the spec's own data ⊕ the village's data (place, voters, its own fields), fitted to the kind."""
    voters = village.get("voters") or []
    own = {"place": village["place"], "voters": voters, **(village.get("data") or {})}
    place = village["place"]
    names = {k: str(place.get(k) or village.get(k) or "") for k in ("county", "township", "village")}
    data = merge(merge(_fill(kit.defaults, names), _fill(spec.data, names)), own)
    if isinstance(spec, BallotSpec):
        data.setdefault("election_id", f"{kit.name or 'batch'}/{names['township']}/{names['village']}")
        data["print"] = merge(
            data.get("print") or {},
            {
                "paper": spec.paper,
                "per_sheet": spec.per_sheet,
                "voters": max(1, len(voters)),
                "spare_percent": spec.spare_percent,
                "counterfoil": spec.counterfoil,
                "final": spec.final,
            },
        )
        data["print"].setdefault("requested_by", requested_by)
        data["print"].pop("quantity", None)  # the quantity is always the voters plus spares
    return fit(kinds.get(spec.kind).model, data)


def plan(kit: Kit, village: dict[str, Any], requested_by: str = "batch") -> list[Item]:
    """Every item of a village, numbered in kit order: its documents, then its ballots."""
    base = folder(village)
    items = []
    specs: list[DocumentSpec | BallotSpec] = [*kit.documents, *kit.ballots]
    for n, spec in enumerate(specs, 1):
        kind = kinds.get(spec.kind)
        fmt = spec.format if isinstance(spec, DocumentSpec) else "pdf"
        copies = spec.copies if isinstance(spec, DocumentSpec) else 1
        path = f"{base}/{n:02d}-{segment(kind.title(spec.lang))}.{fmt}"
        items.append(
            Item(
                path,
                spec.kind,
                fmt,
                spec.lang,
                payload(kit, spec, village, requested_by),
                copies,
                isinstance(spec, BallotSpec),
            )
        )
    return items
