"""Helpers of the roster Word templates beyond docx_kit: narrow cell margins, rows kept whole, roster margins."""

from docx.document import Document as DocumentType
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.table import Table, _Row


def portrait_roster_margins(doc: DocumentType) -> None:
    """A portrait roster is a table, not a GB/T 9704 letter: the PDF's roster margins (text 172 mm wide)."""
    section = doc.sections[0]
    section.top_margin, section.bottom_margin = Mm(18), Mm(18)
    section.left_margin, section.right_margin = Mm(20), Mm(18)
    section.footer_distance = Mm(8)


def narrow_cells(t: Table, mm: float = 1.0) -> None:
    """Left and right cell margins of ``mm`` (Word's default 1.9 mm wraps short headers like 序号)."""
    mar = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(int(Mm(mm).twips)))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    t._tbl.tblPr.append(mar)


def keep_whole(row: _Row) -> None:
    """Never split this row across two pages."""
    el = OxmlElement("w:cantSplit")
    el.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(el)


def fill_row(doc: DocumentType, row: _Row, texts: list[str], style: str = "Table Text",
             left: tuple[int, ...] = ()) -> None:
    """Put template text in each cell of a row, in a style; the columns in ``left`` align left."""
    for i, text in enumerate(texts):
        p = row.cells[i].paragraphs[0]
        p.text = text
        p.style = doc.styles[style]
        if i in left:
            p.alignment = WD_ALIGN_PARAGRAPH.LEFT
