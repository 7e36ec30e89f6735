"""Building blocks for the Word templates: GB/T 9704 page set-up, named styles with East Asian fonts, fields."""

from __future__ import annotations

import re

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

# The standard fonts a staff PC has (GB/T 9704 names them); the PDF embeds free stand-ins (docs/fonts.md).
FANGSONG, XIAOBIAOSONG, HEITI, KAITI, SONGTI = "仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312", "宋体"
LATIN = "Times New Roman"
BODY_PT, TITLE_PT, LINE_PT = 16, 22, 28.9  # 3号, 2号, and the pitch that gives 22 lines a page


def set_fonts(style_or_run, east_asian: str, size: float | None = None, bold: bool = False) -> None:
    """Name the East Asian font (w:eastAsia) and the Latin font on a style or run."""
    font = style_or_run.font
    font.name = LATIN
    if size:
        font.size = Pt(size)
    font.bold = bold
    rpr = style_or_run.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(attr), LATIN)
    rfonts.set(qn("w:eastAsia"), east_asian)


def _paragraph_style(
    doc: DocumentType,
    name: str,
    font: str,
    size: float,
    align=None,
    bold: bool = False,
    line: float | None = LINE_PT,
    indent_chars: float = 0,
    space_before: float = 0,
    space_after: float = 0,
):
    styles = doc.styles
    style = styles[name] if name in [s.name for s in styles] else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = None if name == "Normal" else styles["Normal"]
    set_fonts(style, font, size, bold)
    pf = style.paragraph_format
    if line:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(line)
    else:
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    pf.space_before, pf.space_after = Pt(space_before), Pt(space_after)
    if align is not None:
        pf.alignment = align
    if indent_chars:
        pf.first_line_indent = Pt(size * indent_chars)
    return style


def new_document(landscape: bool = False, table_pt: float = 10.5) -> DocumentType:
    """An A4 document with GB/T 9704 margins and the project's named styles."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        section.top_margin, section.bottom_margin = Mm(20), Mm(18)
        section.left_margin, section.right_margin = Mm(20), Mm(20)
    else:
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28) if not landscape else Mm(8)
    _paragraph_style(doc, "Normal", FANGSONG, BODY_PT, WD_ALIGN_PARAGRAPH.JUSTIFY)
    _paragraph_style(doc, "Body Text", FANGSONG, BODY_PT, WD_ALIGN_PARAGRAPH.JUSTIFY, indent_chars=2)
    _paragraph_style(
        doc,
        "Doc Title",
        XIAOBIAOSONG,
        TITLE_PT,
        WD_ALIGN_PARAGRAPH.CENTER,
        line=None,
        space_before=0,
        space_after=LINE_PT,
    )
    _paragraph_style(doc, "Doc Number", FANGSONG, BODY_PT, WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph_style(doc, "Heading Level 1", HEITI, BODY_PT, indent_chars=2)
    _paragraph_style(doc, "Heading Level 2", KAITI, BODY_PT, indent_chars=2)
    _paragraph_style(doc, "Signature", FANGSONG, BODY_PT, WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph_style(doc, "Table Text", FANGSONG, table_pt, WD_ALIGN_PARAGRAPH.CENTER, line=None)
    _paragraph_style(doc, "Table Heading", HEITI, table_pt, WD_ALIGN_PARAGRAPH.CENTER, line=None)
    _paragraph_style(doc, "Small Note", FANGSONG, 12, line=None)
    _paragraph_style(doc, "Page Number", SONGTI, 14, line=None)
    return doc


def add_field(paragraph: Paragraph, instruction: str, placeholder: str = "1") -> None:
    """A Word field (PAGE, NUMPAGES) that Word computes when it lays the document out."""
    run = paragraph.add_run()
    for tag, text in (("begin", None), (None, instruction), ("separate", None), ("t", placeholder), ("end", None)):
        if tag in ("begin", "separate", "end"):
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), tag)
        elif tag == "t":
            el = OxmlElement("w:t")
            el.text = text
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {text} "
        run._r.append(el)


def page_number_footer(doc: DocumentType, style: str = "gbt9704") -> None:
    """Page numbers: "— N —" alternating sides (GB/T 9704), or "第 N 页 共 M 页" centred for tables."""
    section = doc.sections[0]
    if style == "gbt9704":
        doc.settings.odd_and_even_pages_header_footer = True
        for footer, align, pad in (
            (section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"),
            (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left"),
        ):
            p = footer.paragraphs[0]
            p.style = doc.styles["Page Number"]
            p.alignment = align
            if pad == "right":
                p.paragraph_format.right_indent = Pt(14)
            else:
                p.paragraph_format.left_indent = Pt(14)
            p.add_run("— ")
            add_field(p, "PAGE")
            p.add_run(" —")
    else:
        p = section.footer.paragraphs[0]
        p.style = doc.styles["Small Note"]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run("{{ _('第') }} ")
        add_field(p, "PAGE")
        p.add_run(" {{ _('页  共') }} ")
        add_field(p, "NUMPAGES")
        p.add_run(" {% if lang == 'zh' %}页{% endif %}")


_AFTER_SIZE = ("w:highlight", "w:u", "w:effect", "w:bdr", "w:shd", "w:vertAlign", "w:lang", "w:eastAsianLayout")


def templated_attr(run, tag: str, expression: str, placeholder: int) -> None:
    """A run property whose w:val is a template expression (a size computed from the data at render time):
    docxtpl renders the whole part, attributes included."""
    rpr = run._r.get_or_add_rPr()
    el = rpr.find(qn(tag))
    if el is None:
        el = OxmlElement(tag)
        el.set(qn("w:val"), str(placeholder))
        # w:sz and w:szCs come after the fonts, colour and spacing and before these (the schema's order)
        after = [c for c in rpr if c.tag in {qn(t) for t in _AFTER_SIZE}]
        if after:
            after[0].addprevious(el)
        else:
            rpr.append(el)
    el.set(qn("w:val"), expression)


def keep_quotes(text: str) -> str:
    """Write curly quotes inside template tags as Jinja escapes: docxtpl straightens “ ” within tags (to undo
    Word's smart quotes), which would change the message ids shared with the HTML templates."""
    return re.sub(r"\{[{%].*?[%}]\}", lambda m: m.group(0).replace("“", "\\u201c").replace("”", "\\u201d"), text)


def para(doc: DocumentType, text: str, style: str = "Normal", align=None) -> Paragraph:
    """A paragraph of template text in a named style."""
    p = doc.add_paragraph(keep_quotes(text), style=doc.styles[style])
    if align is not None:
        p.alignment = align
    return p


def table(doc: DocumentType, headers: list[str], widths_mm: list[float], row_cells: list[str], loop: str) -> Table:
    """A table with a repeated header row and one templated row repeated by docxtpl's {%tr %} loop."""
    t = doc.add_table(rows=4, cols=len(headers))
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    set_column_widths(t, widths_mm)
    for i, h in enumerate(headers):
        cell = t.cell(0, i)
        cell.paragraphs[0].text = "{{ _('" + h + "') }}"
        cell.paragraphs[0].style = doc.styles["Table Heading"]
    repeat_header(t)
    t.cell(1, 0).paragraphs[0].text = "{%tr " + loop + " %}"
    for i, text in enumerate(row_cells):
        t.cell(2, i).paragraphs[0].text = text
        t.cell(2, i).paragraphs[0].style = doc.styles["Table Text"]
    t.cell(3, 0).paragraphs[0].text = "{%tr endfor %}"
    return t


def set_column_widths(t: Table, widths_mm: list[float]) -> None:
    """Fix column widths in the grid and every cell (Word reads the cells, LibreOffice the grid)."""
    t.autofit = False
    grid = t._tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), widths_mm, strict=True):
        col.set(qn("w:w"), str(int(Mm(w).twips)))
    for row in t.rows:
        for cell, w in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(w)
    # one w:tblLayout, in the place the schema gives it (a second one makes Word call the file damaged)
    t._tbl.tblPr.get_or_add_tblLayout().type = "fixed"


def repeat_header(t: Table) -> None:
    """Mark the first row as a header row, which Word repeats at the top of every page."""
    trpr = t.rows[0]._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def table_signatures(doc: DocumentType, two_lines: bool = False) -> None:
    """The signature lines under a table: who compiled and checked it, then the signing body, seal and date
    (on one line, or the clerks on one line and the body at the right below)."""
    clerks = "{{ _('制表人：') }}{{ compiled_by }}　　　　{{ _('审核人：') }}{{ checked_by }}"
    body = "{{ signature.body }}{{ _('（盖章）') }}　　{{ signature.date | cn_date }}"
    if two_lines:
        para(doc, clerks, "Small Note")
        para(doc, body, "Small Note").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    else:
        para(doc, clerks + "　　　　" + body, "Small Note").alignment = WD_ALIGN_PARAGRAPH.LEFT


def signature_block(doc: DocumentType, seal: bool = True) -> None:
    """The signing body and date at the right, with room for the seal over them."""
    para(doc, "")
    para(doc, "{{ signature.body }}", "Signature")
    para(doc, "{{ signature.date | cn_date }}", "Signature")
    if seal:
        para(doc, "{{ _('（盖章）') }}", "Signature")


RED = "E60012"  # the red of the issuing-authority mark and the red rule (print.css .red)


def gbt9704_styles(doc: DocumentType) -> None:
    """The named styles of the GB/T 9704 official documents, beside those of new_document()."""
    _paragraph_style(doc, "Addressee", FANGSONG, BODY_PT)
    _paragraph_style(doc, "Heading Level 3", FANGSONG, BODY_PT, indent_chars=2)
    _paragraph_style(doc, "Heading Level 4", FANGSONG, BODY_PT, indent_chars=2)
    _paragraph_style(doc, "Head Mark", HEITI, BODY_PT)
    mark = _paragraph_style(doc, "Authority Mark", XIAOBIAOSONG, 36, WD_ALIGN_PARAGRAPH.CENTER, line=None)
    mark.font.color.rgb = RGBColor.from_string(RED)
    _paragraph_style(doc, "Attachment Note", FANGSONG, BODY_PT, indent_chars=2)
    _paragraph_style(doc, "Attachment Label", HEITI, BODY_PT)
    _paragraph_style(
        doc,
        "Attachment Title",
        XIAOBIAOSONG,
        TITLE_PT,
        WD_ALIGN_PARAGRAPH.CENTER,
        space_before=LINE_PT,
        space_after=LINE_PT,
    )
    _paragraph_style(doc, "Imprint", FANGSONG, 14, line=None)
    # No extra space between Han and Latin text (Word's and LibreOffice's default adds it, the PDF has none): the
    # signature's places are computed from the text's width (§7.3.5), so the date must be as wide as counted.
    ppr = doc.styles["Signature"].element.get_or_add_pPr()
    for tag in ("w:autoSpaceDE", "w:autoSpaceDN"):
        el = OxmlElement(tag)
        el.set(qn("w:val"), "0")
        ppr.insert_element_before(el, "w:spacing", "w:ind", "w:jc")
    for name in ("Heading Level 1", "Heading Level 2", "Heading Level 3", "Heading Level 4"):
        doc.styles[name].paragraph_format.keep_with_next = True


def paragraph_border(
    paragraph: Paragraph, side: str, eighths_pt: int, color: str = "000000", space_pt: int = 1
) -> None:
    """A single rule on one side of a paragraph (w:pBdr), the full width between its indents."""
    ppr = paragraph._p.get_or_add_pPr()
    bdr = ppr.find(qn("w:pBdr"))
    if bdr is None:
        bdr = OxmlElement("w:pBdr")
        # w:pBdr comes after w:pStyle/keepNext/…/w:framePr and before w:shd/w:spacing in the schema
        anchor = next(
            (el for el in ppr if el.tag in (qn("w:shd"), qn("w:tabs"), qn("w:spacing"), qn("w:ind"), qn("w:jc"))), None
        )
        if anchor is not None:
            anchor.addprevious(bdr)
        else:
            ppr.append(bdr)
    el = OxmlElement(f"w:{side}")
    for k, v in (("val", "single"), ("sz", str(eighths_pt)), ("space", str(space_pt)), ("color", color)):
        el.set(qn(f"w:{k}"), v)
    bdr.append(el)
