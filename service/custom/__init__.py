"""Custom templates: staff upload their own Word or HTML template for a kind, per region, versioned.

    files.py  the file checks that run before any parser: size, zip bombs, path names, DTDs and entities, URLs
    lint.py   the Jinja lint: syntax (with the paragraph around it), unknown variables, what the sandbox refuses
    store.py  versions in the database: upload, activate, roll back, and the active one for a region

A template that fails any check is refused with 422 and the list of problems; nothing is stored.
"""

from __future__ import annotations

from dataclasses import dataclass

FORMATS = {"docx": "docx", "html": "pdf"}  # template format → the document format it renders


@dataclass(frozen=True)
class CustomTemplate:
    """One stored version of a custom template, as a render needs it."""

    id: int
    kind: str
    format: str  # docx or html
    region: str  # "" = everywhere
    version: int
    sha256: str
    content: bytes

    @property
    def label(self) -> str:
        """How responses name the template: id, version and the start of its hash."""
        return f"{self.id};v{self.version};sha256={self.sha256}"
