"""Imposition: a ballot laid out once, stamped many times on print sheets with cut marks and serials.

WeasyPrint renders the ballot face, the counterfoil and the ten digits (one page each) once; every sheet is then a
short content stream that places those as Form XObjects. N ballots cost one layout, not N.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
)

MM = 72 / 25.4
PAPER_MM = {"A4": (210.0, 297.0), "A5": (148.0, 210.0)}
STUB_MM = 28.0  # counterfoil strip width, left of the perforation
DIGIT_ADVANCE_MM = 2.5  # digits of a serial are set this far apart (the digit pages are 3 mm wide)


@dataclass(frozen=True)
class Slot:
    """One ballot's place on a sheet, in millimetres from the sheet's bottom-left corner."""

    x: float
    y: float
    width: float
    height: float


def slots(paper: str, per_sheet: int) -> list[Slot]:
    """The slots of a sheet: 1 (whole sheet), 2 (halves, one above the other) or 4 (quarters)."""
    w, h = PAPER_MM[paper]
    if per_sheet == 1:
        return [Slot(0, 0, w, h)]
    if per_sheet == 2:
        return [Slot(0, h / 2, w, h / 2), Slot(0, 0, w, h / 2)]
    if per_sheet == 4:
        return [
            Slot(0, h / 2, w / 2, h / 2),
            Slot(w / 2, h / 2, w / 2, h / 2),
            Slot(0, 0, w / 2, h / 2),
            Slot(w / 2, 0, w / 2, h / 2),
        ]
    raise ValueError("per_sheet must be 1, 2 or 4")


def face_size(paper: str, per_sheet: int, counterfoil: bool) -> tuple[float, float]:
    """Width and height in mm the ballot face must be laid out at."""
    s = slots(paper, per_sheet)[0]
    return (s.width - (STUB_MM if counterfoil else 0.0), s.height)


def _form(writer: PdfWriter, pdf: bytes, index: int = 0) -> IndirectObject:
    """A page of a PDF as a Form XObject in the writer."""
    page = PdfReader(io.BytesIO(pdf)).pages[index]
    form = DecodedStreamObject()
    contents = page.get_contents()
    form.set_data(contents.get_data() if contents is not None else b"")
    box = tuple(float(v) for v in page.mediabox)
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(FloatObject(v) for v in box),
            NameObject("/Resources"): page["/Resources"].clone(writer) if "/Resources" in page else DictionaryObject(),
        }
    )
    return writer._add_object(form)


def _cut_marks(slot: Slot, sheet_w: float, sheet_h: float) -> str:
    """Short corner marks where the sheet is cut, drawn in the margin of each cut line."""
    ops = []
    for x in {slot.x, slot.x + slot.width} - {0.0, sheet_w}:
        for y0 in (slot.y, slot.y + slot.height - 4):
            ops.append(f"{x * MM:.2f} {y0 * MM:.2f} m {x * MM:.2f} {(y0 + 4) * MM:.2f} l S")
    for y in {slot.y, slot.y + slot.height} - {0.0, sheet_h}:
        for x0 in (slot.x, slot.x + slot.width - 4):
            ops.append(f"{x0 * MM:.2f} {y * MM:.2f} m {(x0 + 4) * MM:.2f} {y * MM:.2f} l S")
    return "\n".join(ops)


def impose(
    *,
    face: bytes,
    quantity: int,
    paper: str,
    per_sheet: int,
    counterfoil: bytes | None = None,
    digits: bytes | None = None,
    serial_start: int = 1,
    serial_width: int = 7,
    serial_at: tuple[float, float] = (6.0, 20.0),
) -> bytes:
    """Sheets holding ``quantity`` copies of the face, with a counterfoil, and a serial on it when digits are given.

    ``serial_at`` is where the serial's first digit goes, in mm from the counterfoil's bottom-left corner.
    """
    writer = PdfWriter()
    sheet_w, sheet_h = PAPER_MM[paper]
    xobjects = DictionaryObject({NameObject("/Face"): _form(writer, face)})
    if counterfoil is not None:
        xobjects[NameObject("/Stub")] = _form(writer, counterfoil)
    if digits is not None:
        for d in range(10):
            xobjects[NameObject(f"/D{d}")] = _form(writer, digits, d)
    resources = writer._add_object(DictionaryObject({NameObject("/XObject"): xobjects}))
    places = slots(paper, per_sheet)
    stub = STUB_MM if counterfoil is not None else 0.0
    for first in range(0, quantity, per_sheet):
        ops = ["0.4 w 0 G"]
        for i, slot in enumerate(places[: min(per_sheet, quantity - first)]):
            ops.append(f"q 1 0 0 1 {(slot.x + stub) * MM:.3f} {slot.y * MM:.3f} cm /Face Do Q")
            if counterfoil is not None:
                ops.append(f"q 1 0 0 1 {slot.x * MM:.3f} {slot.y * MM:.3f} cm /Stub Do Q")
            if digits is not None:
                serial = str(serial_start + first + i).zfill(serial_width)
                for k, ch in enumerate(serial):
                    x = (slot.x + serial_at[0] + k * DIGIT_ADVANCE_MM) * MM
                    ops.append(f"q 1 0 0 1 {x:.3f} {(slot.y + serial_at[1]) * MM:.3f} cm /D{ch} Do Q")
            ops.append(_cut_marks(slot, sheet_w, sheet_h))
        page = writer.add_blank_page(sheet_w * MM, sheet_h * MM)
        page[NameObject("/Resources")] = resources
        content = DecodedStreamObject()
        content.set_data("\n".join(ops).encode("ascii"))
        page[NameObject("/Contents")] = writer._add_object(content)
    writer.add_metadata({"/Producer": "election-docs"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
