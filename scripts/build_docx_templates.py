"""Write templates/docx/<kind>.docx from the builders in scripts/docx_templates/ (one module per kind).

Staff may edit the written files in Word; run this only to regenerate them from code:
    .venv/bin/python scripts/build_docx_templates.py [KIND ...]
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
OUT = HERE.parent / "templates" / "docx"

import docx_templates  # noqa: E402


def main(only: list[str]) -> None:
    """Build every template, or only the kinds named."""
    for info in pkgutil.iter_modules(docx_templates.__path__):
        module = importlib.import_module(f"docx_templates.{info.name}")
        if not hasattr(module, "KIND") or (only and module.KIND not in only):
            continue
        doc = module.build()
        doc.core_properties.title = module.KIND
        doc.core_properties.author = "election-docs"
        path = OUT / f"{module.KIND}.docx"
        doc.save(str(path))
        print("wrote", path.relative_to(HERE.parent))


if __name__ == "__main__":
    main(sys.argv[1:])
