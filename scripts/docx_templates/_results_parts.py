"""Pieces the results documents' Word builders share: form margins, grid tables, header rows, text cells.

The results documents (table.tally, report.result-form, roster.elected, table.team-structure,
table.village-results) are forms and tables, not GB/T 9704 letters: their margins match print.css's
``results-portrait`` and ``results-landscape`` pages.
"""

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx_kit import new_document, page_number_footer, para, set_column_widths

from docx_templates._roster_kit import keep_whole, narrow_cells

PORTRAIT_WIDTH = 172  # mm of text between the margins below
LANDSCAPE_WIDTH = 267


def results_document(landscape: bool = False, table_pt: float = 10.5):
    """A document with the results forms' margins, their styles and "第 N 页 共 M 页" at the foot."""
    doc = new_document(landscape=landscape, table_pt=table_pt)
    section = doc.sections[0]
    if landscape:
        section.top_margin, section.bottom_margin = Mm(13), Mm(13)
        section.left_margin, section.right_margin = Mm(15), Mm(15)
    else:
        section.top_margin, section.bottom_margin = Mm(16), Mm(16)
        section.left_margin, section.right_margin = Mm(20), Mm(18)
    section.footer_distance = Mm(7)
    title = doc.styles["Doc Title"]
    title.font.size = Pt(18)
    title.paragraph_format.space_after = Pt(6)
    # Notes under the tables: left-aligned (justified English spreads its words) with a little air above.
    note = doc.styles["Small Note"]
    note.font.size = Pt(10.5)
    note.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    note.paragraph_format.space_before = Pt(2)
    note.paragraph_format.space_after = Pt(2)
    page_number_footer(doc, "table")
    return doc


def grid(doc, rows: int, widths: list[float]):
    """A bordered, centred table of fixed column widths with narrow cell margins."""
    t = doc.add_table(rows=rows, cols=len(widths))
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    set_column_widths(t, widths)
    narrow_cells(t)
    return t


def put(doc, cell, text: str, style: str = "Table Text", align=None, size: float | None = None) -> None:
    """Template text in a cell, in a style (optionally smaller), vertically centred."""
    p = cell.paragraphs[0]
    p.text = text
    p.style = doc.styles[style]
    if align is not None:
        p.alignment = align
    if size is not None:
        for run in p.runs:
            run.font.size = Pt(size)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def fill(doc, row, texts: list[str], style: str = "Table Text", left: tuple[int, ...] = (),
         size: float | None = None) -> None:
    """Template text in each cell of a row; the columns in ``left`` align left."""
    for i, text in enumerate(texts):
        put(doc, row.cells[i], text, style, WD_ALIGN_PARAGRAPH.LEFT if i in left else None, size)


def tag_row(t, index: int, tag: str) -> None:
    """A row that holds only a docxtpl row tag ({%tr for %}, {%tr endfor %}, {%tr if %} …)."""
    t.cell(index, 0).paragraphs[0].text = tag


def header_rows(t, count: int = 1) -> None:
    """Mark the first ``count`` rows as header rows, which Word repeats at the top of every page."""
    for row in t.rows[:count]:
        el = OxmlElement("w:tblHeader")
        el.set(qn("w:val"), "true")
        row._tr.get_or_add_trPr().append(el)
        keep_whole(row)


def row_height(row, mm: float) -> None:
    """At least ``mm`` tall (room for a hand-written signature)."""
    row.height = Mm(mm)


def heading(doc, text: str):
    """A bold (黑体) heading above a table, kept with it."""
    p = para(doc, text, "Table Heading")
    p.alignment = WD_ALIGN_PARAGRAPH.LEFT
    p.paragraph_format.space_before = Pt(4)
    p.paragraph_format.space_after = Pt(2)
    p.paragraph_format.keep_with_next = True
    return p
