"""Helpers for tests: read back DOCX and PDF text, and check expected lines appear in order."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pdfplumber
from docx import Document
from pypdf import PdfReader

EXPECTED = Path(__file__).parent / "expected"


def docx_text(data: bytes) -> str:
    """All paragraph and table-cell text of a DOCX, headers and footers included, in document order."""
    doc = Document(io.BytesIO(data))
    parts: list[str] = []
    body = doc.element.body
    for el in body.iterchildren():
        parts.extend(t.text or "" for t in el.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"))
        parts.append("\n")
    for section in doc.sections:
        for hf in (section.header, section.footer):
            parts.extend(p.text for p in hf.paragraphs)
    return "".join(parts)


def pdf_text(data: bytes) -> str:
    """The text of every page of a PDF, in the order the content stream draws it."""
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def pdf_visual_text(data: bytes) -> str:
    """The text of every page in visual order (lines top to bottom, words left to right), as a reader sees
    a roster that is drawn column by column."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def pdf_fonts(data: bytes) -> set[str]:
    """The base names of the fonts embedded in a PDF (subset prefixes removed)."""
    names: set[str] = set()

    def walk(resources: object, depth: int = 0) -> None:
        resources = resources.get_object() if hasattr(resources, "get_object") else resources
        if not isinstance(resources, dict) or depth > 5:
            return
        for ref in (resources.get("/Font") or {}).values():
            names.add(str(ref.get_object().get("/BaseFont", "")).split("+")[-1].lstrip("/"))
        for ref in (resources.get("/XObject") or {}).values():  # imposed ballots keep fonts in Form XObjects
            walk(ref.get_object().get("/Resources"), depth + 1)

    for page in PdfReader(io.BytesIO(data)).pages:
        walk(page.get("/Resources"))
    return names


def squash(text: str) -> str:
    """Text without any white space, so line breaks and justification do not matter."""
    return re.sub(r"\s+", "", text)


def expected_lines(kind: str, lang: str) -> list[str]:
    """The lines tests/expected/<kind>.<lang>.txt says must appear, in order."""
    path = EXPECTED / f"{kind}.{lang}.txt"
    return [line for line in path.read_text("utf-8").splitlines() if line.strip() and not line.startswith("#")]


def assert_in_order(text: str, lines: list[str]) -> None:
    """Each line occurs in the text after the previous one (white space ignored)."""
    hay = squash(text)
    pos = 0
    for line in lines:
        found = hay.find(squash(line), pos)
        assert found >= 0, f"{line!r} missing after position {pos}: …{hay[max(0, pos - 40) : pos + 80]}…"
        pos = found + len(squash(line))


def face_texts(pdf: bytes, per_sheet: int) -> tuple[list[str], list[str]]:
    """The text of every ballot face and every counterfoil on imposed A4 sheets."""
    from service.render import impose

    faces, stubs = [], []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            for slot in impose.slots("A4", per_sheet):
                top = float(page.height) - (slot.y + slot.height) * impose.MM
                box = (slot.x * impose.MM, top, (slot.x + slot.width) * impose.MM, top + slot.height * impose.MM)
                split = box[0] + impose.STUB_MM * impose.MM
                stubs.append(page.crop((box[0], box[1], split, box[3])).extract_text())
                faces.append(page.crop((split, box[1], box[2], box[3])).extract_text())
    return faces, stubs
