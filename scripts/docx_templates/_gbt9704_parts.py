"""The GB/T 9704 pieces the official-document builders share: header block, structured body, attachment note,
signature, imprint. The body loop mirrors templates/html/_gbt9704_paras.html."""

import io

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.shared import Mm, Pt
from docx_kit import (
    BODY_PT,
    LINE_PT,
    RED,
    gbt9704_styles,
    new_document,
    page_number_footer,
    para,
    paragraph_border,
)


def document():
    """An A4 GB/T 9704 document with its styles and alternating "— N —" page numbers."""
    doc = new_document()
    gbt9704_styles(doc)
    page_number_footer(doc, "gbt9704")
    return doc


def header(doc, mark_file: bool = True) -> None:
    """份号, 密级, 紧急程度; the red mark 35 mm under the top of the text area; 〔year〕N号 and the red rule;
    the title two lines under the rule; the addressee."""
    for field in ("copy_number", "secrecy", "urgency"):
        para(doc, "{%p if " + field + " %}", "Head Mark")
        text = "{{ {'特急': _('特急'), '加急': _('加急')}[urgency] }}" if field == "urgency" else "{{ " + field + " }}"
        para(doc, text, "Head Mark")
        para(doc, "{%p endif %}", "Head Mark")
    # three 28.9 pt lines less those used above, plus 12.5 pt: 99.2 pt = 35 mm
    para(doc, "{%p for i in range(3 - [copy_number, secrecy, urgency] | select | list | length) %}", "Head Mark")
    para(doc, "", "Head Mark")
    para(doc, "{%p endfor %}", "Head Mark")
    p = para(doc, "{{ authority }}" + ("{{ _('文件') }}" if mark_file else ""), "Authority Mark")
    p.paragraph_format.space_before = Pt(12.5)
    p.paragraph_format.space_after = Pt(2 * LINE_PT)
    number = para(doc, "{{ doc_number }}", "Doc Number")
    paragraph_border(number, "bottom", 8, RED, space_pt=11)  # 1 pt rule 4 mm under the number
    title = para(doc, "{{ title_lines | join('\\n') }}", "Doc Title")
    title.paragraph_format.space_before = Pt(2 * LINE_PT)
    title.paragraph_format.line_spacing = Pt(LINE_PT)
    para(doc, "{%p if addressee %}", "Addressee")
    para(doc, "{{ addressee }}", "Addressee")
    para(doc, "{%p endif %}", "Addressee")


def body(doc, items: str = "paras") -> None:
    """The structured body: headings 一、（一）1.（1）, paragraphs, numbered list items, tables; inline runs
    come as escaped WordprocessingML from service/kinds/official.py (word_runs)."""
    sep = "{% if lang == 'en' %} {% endif %}"
    para(doc, "{%p for it in " + items + " %}", "Body Text")
    para(doc, "{%p if it.kind == 'h1' %}", "Body Text")
    para(doc, "{{ 1 | heading_number(it.n) }}" + sep + "{{ it.xml }}", "Heading Level 1")
    for level in (2, 3, 4):
        para(doc, "{%p elif it.kind == 'h" + str(level) + "' %}", "Body Text")
        para(doc, "{{ " + str(level) + " | heading_number(it.n) }}" + sep + "{{ it.xml }}", f"Heading Level {level}")
    para(doc, "{%p elif it.kind == 'li' %}", "Body Text")
    para(doc, "{{ it.n }}.{{ it.xml }}", "Body Text")
    para(doc, "{%p elif it.kind == 'p' %}", "Body Text")
    para(doc, "{{ it.xml }}", "Body Text")
    para(doc, "{%p else %}", "Body Text")
    # docxtpl's column loop: the cells holding {%tc for %} and {%tc endfor %} vanish, the middle one repeats
    t = doc.add_table(rows=4, cols=3)
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    for row, (loop, cell) in {0: ("h in it.headers", "{{ h }}"), 2: ("c in row", "{{ c }}")}.items():
        t.cell(row, 0).paragraphs[0].text = "{%tc for " + loop + " %}"
        t.cell(row, 1).paragraphs[0].text = cell
        t.cell(row, 1).paragraphs[0].style = doc.styles["Table Heading" if row == 0 else "Table Text"]
        t.cell(row, 2).paragraphs[0].text = "{%tc endfor %}"
    t.cell(1, 0).paragraphs[0].text = "{%tr for row in it.rows %}"
    t.cell(3, 0).paragraphs[0].text = "{%tr endfor %}"
    para(doc, "{%p endif %}", "Body Text")
    para(doc, "{%p endfor %}", "Body Text")


def closing(doc) -> None:
    """The attachment note, then the signature and date (sealed: date four characters in from the right;
    unsealed: two), with the seal note."""
    para(doc, "{%p if attachments %}", "Attachment Note")
    para(doc, "", "Attachment Note")  # one blank line under the body
    # one paragraph, items on their own lines (docxtpl turns "\\n" into w:br), hanging after "附件："
    p = para(
        doc,
        "{% for a in attachments %}{% if loop.first %}{{ _('附件：') }}{% endif %}{% if attachments | length > 1 %}"
        "{{ loop.index }}.{% endif %}{{ a }}{% if not loop.last %}{{ '\\n' }}{% endif %}{% endfor %}",
        "Attachment Note",
    )
    p.paragraph_format.left_indent = Pt(5 * BODY_PT)
    p.paragraph_format.first_line_indent = Pt(-3 * BODY_PT)
    para(doc, "{%p endif %}", "Attachment Note")
    para(doc, "{%p if sealed %}", "Signature")
    para(doc, "", "Signature")
    para(doc, "", "Signature")
    for text in ("{{ signature.body }}", "{{ signature.date | cn_date }}"):
        p = para(doc, text, "Signature")
        p.paragraph_format.right_indent = Pt(4 * BODY_PT)
        p.paragraph_format.keep_with_next = True
    p = para(doc, "{{ _('（盖章）') }}", "Signature")
    p.paragraph_format.right_indent = Pt(4 * BODY_PT)
    para(doc, "{%p else %}", "Signature")
    para(doc, "", "Signature")
    for text in ("{{ signature.body }}", "{{ signature.date | cn_date }}"):
        p = para(doc, text, "Signature")
        p.paragraph_format.right_indent = Pt(2 * BODY_PT)
        p.paragraph_format.keep_with_next = True
    para(doc, "{%p endif %}", "Signature")


def attachment_page(doc, n: int, title: str):
    """A new page: "附件N" top left in 黑体, the attachment title centred on line 3."""
    p = para(doc, "", "Attachment Label")
    p.add_run().add_break(WD_BREAK.PAGE)
    para(doc, "{{ _('附件%(n)s', n=" + str(n) + ") }}", "Attachment Label")
    para(doc, title, "Attachment Title")


def imprint(doc) -> None:
    """版记 after the last text, 0.35 mm rules first and last, 0.25 mm between. (A w:framePr frame anchored to
    the bottom of the text area was tried: LibreOffice dropped its position and its rules, so it flows.)"""
    para(doc, "{%p if imprint %}", "Imprint")
    para(doc, "", "Imprint")
    para(doc, "{%p if imprint.cc %}", "Imprint")
    cc = para(doc, "{{ _('抄送：') }}{{ imprint.cc }}", "Imprint")
    paragraph_border(cc, "top", 8)
    paragraph_border(cc, "bottom", 6)
    para(doc, "{%p endif %}", "Imprint")
    printed = para(doc, "{{ imprint.office }}\t{{ _('%(date)s印发', date=imprint.printed_on | cn_date) }}", "Imprint")
    printed.paragraph_format.tab_stops.add_tab_stop(Mm(156) - Pt(14), alignment=2)  # right tab
    printed.paragraph_format.left_indent = Pt(14)
    cc.paragraph_format.left_indent = Pt(14)
    paragraph_border(printed, "top", 8)
    paragraph_border(printed, "bottom", 8)
    para(doc, "{%p endif %}", "Imprint")


def picture_paragraph(doc, tag: str, png: bytes, width_mm: float) -> None:
    """A centred picture on single line spacing (an exact 28.9 pt line would crop it), with the template tag
    that draws the real chart into its place at render time."""
    p = para(doc, tag, "Body Text")
    p.paragraph_format.first_line_indent = 0
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run().add_picture(io.BytesIO(png), width=Mm(width_mm))
