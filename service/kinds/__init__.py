"""The registry of document kinds: each kind is one model class, found by walking this package.

A kind ``family.name`` has its model in ``service/kinds/<family>/<name>.py`` (dashes become underscores),
its Word template in ``templates/docx/<id>.docx``, its HTML template in ``templates/html/<id>.html`` and its
sample in ``samples/<id>.json``. Adding a kind means adding those four files and nothing else.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import NotFound
from .base import REGISTRY, KindModel

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
FAMILIES: dict[str, tuple[str, str]] = {
    "announcement": ("公告", "Announcements"),
    "roster": ("花名册", "Rosters"),
    "ballot": ("选票", "Ballots"),
    "table": ("统计表", "Tables"),
    "report": ("报告", "Reports"),
    "plan": ("报告", "Reports"),
}


@dataclass(frozen=True)
class Kind:
    """What the service knows about one kind of document."""

    id: str
    model: type[KindModel]

    @property
    def family(self) -> str:
        """The family, the id's first part."""
        return self.id.split(".", 1)[0]

    @property
    def title_zh(self) -> str:
        """The Chinese title."""
        return self.model.title_zh

    @property
    def title_en(self) -> str:
        """The English title."""
        return self.model.title_en

    def title(self, lang: str) -> str:
        """The title in a language."""
        return self.title_zh if lang == "zh" else self.title_en

    @property
    def docx_template(self) -> Path:
        """The Word template file."""
        return ROOT / "templates" / "docx" / f"{self.id}.docx"

    @property
    def html_template(self) -> str:
        """The HTML template's name within templates/html."""
        return f"{self.id}.html"

    @property
    def sample_path(self) -> Path:
        """The sample input file."""
        return SAMPLES / f"{self.id}.json"

    def sample(self) -> dict[str, Any]:
        """The sample input."""
        data: dict[str, Any] = json.loads(self.sample_path.read_text("utf-8"))
        return data

    def schema(self) -> dict[str, Any]:
        """The JSON Schema of the kind's input, generated from its model."""
        return self.model.model_json_schema()


@cache
def _load() -> dict[str, Kind]:
    for module in pkgutil.walk_packages(__path__, prefix=__name__ + "."):
        importlib.import_module(module.name)
    return {kind_id: Kind(kind_id, model) for kind_id, model in sorted(REGISTRY.items())}


def all_kinds() -> list[Kind]:
    """Every kind, sorted by id."""
    return list(_load().values())


def get(kind_id: str) -> Kind:
    """The kind with this id, or NotFound."""
    try:
        return _load()[kind_id]
    except KeyError:
        raise NotFound(zh=f"没有“{kind_id[:60]}”这种文书", en=f"there is no document kind {kind_id[:60]!r}") from None
