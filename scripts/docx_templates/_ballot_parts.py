"""Parts of the Word ballot faces of the party, secretary, runoff and recommendation kinds.

The Word face lists candidates down the page: a mark cell left of each name (the notes say "the box that goes
with the name", which reads right on the imposed PDF face too, where the mark cell is above the name).
"""

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt
from docx_kit import new_document, para, repeat_header, set_column_widths

LEGEND = "{{ _('○ 赞成') }}　{{ _('× 不赞成') }}　{{ _('不画符号 弃权') }}"
HEADING = "{{ _(post.label) }}　{{ _('应选%(n)s名', n=post.seats|spelled) }}"


def ballot_document(title: str, legend: str | None = LEGEND):
    """A4 page, the title (with the proof mark), the election and the legend."""
    doc = new_document()
    section = doc.sections[0]
    section.top_margin = section.bottom_margin = section.left_margin = section.right_margin = Pt(50)
    para(doc, title + "{% if proof %}{{ _('（样票）') }}{% endif %}", "Doc Title")
    para(doc, "{{ election }}", "Doc Number")
    if legend:
        para(doc, legend, "Doc Number")
    return doc


def _tall_row(row, mm: float = 9) -> None:
    row.height = Mm(mm)
    row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    for cell in row.cells:
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _heading(doc, text: str) -> None:
    para(doc, text, "Heading Level 1").paragraph_format.first_line_indent = 0


def candidate_sections(doc, heading: str = HEADING) -> None:
    """Per post: its name and seats, then a row per candidate (mark cell, name, note), write-in rows last."""
    para(doc, "{%p for post in posts %}", "Small Note")
    _heading(doc, heading)
    t = doc.add_table(rows=4, cols=3)
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, h in enumerate(["{{ _('画符号') }}", "{{ _('候选人') }}", "{{ _('备注') }}"]):
        t.cell(0, i).paragraphs[0].text = h
        t.cell(0, i).paragraphs[0].style = doc.styles["Table Heading"]
    t.cell(1, 0).paragraphs[0].text = "{%tr for c in post.columns %}"
    cells = ["", "{% if c.write_in %}{{ _('另选人') }}：{% else %}{{ c.name }}{% endif %}", "{{ c.note }}"]
    for i, text in enumerate(cells):
        t.cell(2, i).paragraphs[0].text = text
        t.cell(2, i).paragraphs[0].style = doc.styles["Table Text"]
    _tall_row(t.rows[2])
    t.cell(3, 0).paragraphs[0].text = "{%tr endfor %}"
    set_column_widths(t, [25, 70, 55])
    repeat_header(t)
    para(doc, "{%p endfor %}", "Small Note")


def write_in_sections(doc, heading: str, header: str) -> None:
    """Per post: its name and limit, then ``post.cells`` blank rows for names (nomination ballots)."""
    para(doc, "{%p for post in posts %}", "Small Note")
    _heading(doc, heading)
    t = doc.add_table(rows=4, cols=1)
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.cell(0, 0).paragraphs[0].text = header
    t.cell(0, 0).paragraphs[0].style = doc.styles["Table Heading"]
    t.cell(1, 0).paragraphs[0].text = "{%tr for cell in range(post.cells) %}"
    t.cell(2, 0).paragraphs[0].style = doc.styles["Table Text"]
    _tall_row(t.rows[2], 11)
    t.cell(3, 0).paragraphs[0].text = "{%tr endfor %}"
    set_column_widths(t, [80])
    repeat_header(t)
    para(doc, "{%p endfor %}", "Small Note")


def notes(doc, setup: list[str], items: str) -> None:
    """说明: the Jinja statements that build ``notes`` (a list of messages), then one numbered line each."""
    for statement in setup:
        para(doc, statement, "Small Note")
    para(doc, "{%p set notes = " + items + " %}", "Small Note")
    para(doc, "{{ _('说明：') }}", "Small Note")
    para(doc, "{%p for note in notes %}", "Small Note")
    para(doc, "{{ 1|heading_number(loop.index) }}{% if lang != 'zh' %} {% endif %}{{ note }}", "Small Note")
    para(doc, "{%p endfor %}", "Small Note")


def seal(doc, text: str) -> None:
    """Where the seal goes, at the right under the notes."""
    p = para(doc, text, "Small Note")
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
