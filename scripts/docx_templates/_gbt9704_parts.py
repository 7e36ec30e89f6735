"""The GB/T 9704 pieces the official-document builders share: header block, structured body, attachment note,
signature, imprint. The body loop mirrors templates/html/_gbt9704_paras.html."""

import io

from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, Twips
from docx_kit import (
    BODY_PT,
    KAITI,
    LINE_PT,
    RED,
    gbt9704_styles,
    new_document,
    page_number_footer,
    para,
    paragraph_border,
    set_column_widths,
    set_fonts,
    templated_attr,
)

IMPRINT_MM, IMPRINT_ROW_PT = 156, 26  # the imprint's width and its rows, one 4号 line each (as print.css)
WPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"


def document():
    """An A4 GB/T 9704 document with its styles and alternating "— N —" page numbers."""
    doc = new_document()
    gbt9704_styles(doc)
    page_number_footer(doc, "gbt9704")
    # Word measures the footer distance from the page's bottom edge to the footer's bottom: a 14 pt line whose
    # glyphs' top 7 mm under the text area, as the PDF's "— N —" (measured in LibreOffice: 21 mm puts it there)
    section = doc.sections[0]
    section.footer_distance = Mm(21)
    for footer in (section.footer, section.even_page_footer):
        footer.paragraphs[0].paragraph_format.line_spacing = Pt(14)
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
    para(doc, "{%p set mark = authority" + (" ~ _('文件')" if mark_file else "") + " %}", "Head Mark")
    p = para(doc, "{{ mark }}", "Authority Mark")
    p.paragraph_format.space_before = Pt(12.5)
    p.paragraph_format.space_after = Pt(2 * LINE_PT)
    # 36 pt unless a long name needs less (the fit_pt filter, as in the PDF): the mark never wraps
    templated_attr(p.runs[0], "w:sz", "{{ (mark | fit_pt * 2) | int }}", 72)
    templated_attr(p.runs[0], "w:szCs", "{{ (mark | fit_pt * 2) | int }}", 72)
    # an upward document (上行文, signer given): the number one character in from the left, 签发人 one in from
    # the right on the same line, the name in 楷体 (§7.2.4, 7.2.5)
    para(doc, "{%p if signer %}", "Doc Number")
    number = para(doc, "{{ doc_number }}\t{{ _('签发人：') }}", "Doc Number")
    number.alignment = WD_ALIGN_PARAGRAPH.LEFT
    number.paragraph_format.left_indent = Pt(BODY_PT)
    number.paragraph_format.right_indent = Pt(BODY_PT)
    # tab stops count from the left margin, not the indent
    number.paragraph_format.tab_stops.add_tab_stop(Mm(156) - Pt(BODY_PT), alignment=WD_TAB_ALIGNMENT.RIGHT)
    set_fonts(number.add_run("{{ signer }}"), KAITI)
    paragraph_border(number, "bottom", 8, RED, space_pt=11)
    para(doc, "{%p else %}", "Doc Number")
    number = para(doc, "{{ doc_number }}", "Doc Number")
    paragraph_border(number, "bottom", 8, RED, space_pt=11)  # 1 pt rule 4 mm under the number
    para(doc, "{%p endif %}", "Doc Number")
    title = para(doc, "{{ title_lines | join('\\n') }}", "Doc Title")
    title.paragraph_format.space_before = Pt(2 * LINE_PT)
    title.paragraph_format.line_spacing = Pt(LINE_PT)
    para(doc, "{%p if addressee %}", "Addressee")
    para(doc, "{{ addressee }}", "Addressee")
    para(doc, "{%p endif %}", "Addressee")


def body(doc, items: str = "paras", keep_last: bool = False) -> None:
    """The structured body: headings 一、（一）1.（1）, paragraphs, numbered list items, tables; inline runs
    come as escaped WordprocessingML from service/kinds/official.py (word_runs). ``keep_last``: the body is the
    last text before the signature, so its last paragraph or list item keeps with it (never a lone signature)."""
    sep = "{% if lang == 'en' %} {% endif %}"
    para(doc, "{%p for it in " + items + " %}", "Body Text")
    para(doc, "{%p if it.kind == 'h1' %}", "Body Text")
    para(doc, "{{ 1 | heading_number(it.n) }}" + sep + "{{ it.xml }}", "Heading Level 1")
    for level in (2, 3, 4):
        para(doc, "{%p elif it.kind == 'h" + str(level) + "' %}", "Body Text")
        para(doc, "{{ " + str(level) + " | heading_number(it.n) }}" + sep + "{{ it.xml }}", f"Heading Level {level}")
    for kind, text in (("li", "{{ it.n }}.{{ it.xml }}"), ("p", "{{ it.xml }}")):
        if keep_last:
            para(doc, "{%p elif it.kind == '" + kind + "' and loop.last %}", "Body Text")
            para(doc, text, "Body Text").paragraph_format.keep_with_next = True
        para(doc, "{%p elif it.kind == '" + kind + "' %}", "Body Text")
        para(doc, text, "Body Text")
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


# Text-area width and the 3号 em in twips, for the signature's positions computed in the template from the
# text's estimated width (the text_em filter; the PDF lays the same rules out exactly, print.css .gbt-sign).
WIDTH_TW, EM_TW = 8844, 320


def closing(doc) -> None:
    """The attachment note, then the signature and date (§7.3.5), every paragraph kept with the next so the
    signature never stands alone on a page. Sealed: the date four characters in from the right, the authority
    centred over the date (both on one centre tab stop, so retyped text stays centred), a dashed seal circle.
    Unsealed: one blank line under the body, the name two characters in from the right, the date's first
    character two to the right of the name's (a longer date sits two in from the right, pushing the name left)."""
    para(doc, "{%p if attachments %}", "Attachment Note")
    para(doc, "", "Attachment Note").paragraph_format.keep_with_next = True  # one blank line under the body
    # one paragraph, items on their own lines (docxtpl turns "\\n" into w:br), hanging after "附件："
    p = para(
        doc,
        "{% for a in attachments %}{% if loop.first %}{{ _('附件：') }}{% endif %}{% if attachments | length > 1 %}"
        "{{ loop.index }}.{% endif %}{{ a }}{% if not loop.last %}{{ '\\n' }}{% endif %}{% endfor %}",
        "Attachment Note",
    )
    p.paragraph_format.left_indent = Pt(5 * BODY_PT)
    p.paragraph_format.first_line_indent = Pt(-3 * BODY_PT)
    p.paragraph_format.keep_with_next = True
    p.alignment = WD_ALIGN_PARAGRAPH.LEFT  # justified, a line ending in a line break is spread over the width
    para(doc, "{%p endif %}", "Attachment Note")
    date_em = "(signature.date | cn_date | text_em)"
    para(doc, "{%p if sealed %}", "Signature")
    para(doc, "", "Signature").paragraph_format.keep_with_next = True
    para(doc, "", "Signature").paragraph_format.keep_with_next = True
    # name and date on one centre tab stop, at the date's centre when the date ends four characters in: the
    # word processor centres them exactly, and only the four characters rest on the counted width of the date
    centre = f"({WIDTH_TW - 4 * EM_TW} - {date_em} * {EM_TW // 2})"  # from the left margin
    for text in ("\t{{ signature.body }}", "\t{{ signature.date | cn_date }}"):
        p = para(doc, text, "Signature", WD_ALIGN_PARAGRAPH.LEFT)
        stop = p.paragraph_format.tab_stops.add_tab_stop(Twips(7000), alignment=WD_TAB_ALIGNMENT.CENTER)
        stop._tab.set(qn("w:pos"), "{{ " + centre + " | round | int }}")
        if text.endswith("body }}"):
            p.paragraph_format.keep_with_next = True
            seal_circle(p, centre)
    para(doc, "{%p else %}", "Signature")
    para(doc, "", "Signature").paragraph_format.keep_with_next = True
    name_em = "(signature.body | text_em)"
    start = f"({WIDTH_TW} - [2 + {name_em}, 4 + {date_em}] | max * {EM_TW})"
    for text, shift in (("{{ signature.body }}", 0), ("{{ signature.date | cn_date }}", 2 * EM_TW)):
        p = para(doc, text, "Signature", WD_ALIGN_PARAGRAPH.LEFT)
        p.paragraph_format.left_indent = Twips(1000)
        p._p.pPr.find(qn("w:ind")).set(qn("w:left"), f"{{{{ ({start} + {shift}) | round | int }}}}")
        p.paragraph_format.keep_with_next = shift == 0
    para(doc, "{%p endif %}", "Signature")


def seal_circle(paragraph, centre_tw: str) -> None:
    """The seal's place as in the PDF (print.css .seal): a dashed grey circle 42 mm across, centred on the
    authority name, behind the text; its top 14 mm above the name's line. ``centre_tw``: the template expression
    of the centre in twips from the left margin (1 twip = 635 EMU)."""
    size = Mm(42)
    left = "{{ (" + centre_tw + f" * 635 - {size // 2}) | round | int }}}}"
    xml = (
        f"<w:r {nsdecls('w')}><w:drawing>"
        f'<wp:anchor {nsdecls("wp", "a")} xmlns:wps="{WPS}" distT="0" distB="0" distL="0" distR="0" simplePos="0" '
        'relativeHeight="1" behindDoc="1" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        f'<wp:positionH relativeFrom="margin"><wp:posOffset>{left}</wp:posOffset></wp:positionH>'
        f'<wp:positionV relativeFrom="paragraph"><wp:posOffset>{-Mm(14)}</wp:posOffset></wp:positionV>'
        f'<wp:extent cx="{size}" cy="{size}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
        '<wp:docPr id="900" name="Seal" descr="盖章处"/><wp:cNvGraphicFramePr/>'
        f'<a:graphic><a:graphicData uri="{WPS}"><wps:wsp><wps:cNvSpPr/>'
        f'<wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{size}" cy="{size}"/></a:xfrm>'
        '<a:prstGeom prst="ellipse"><a:avLst/></a:prstGeom><a:noFill/>'
        '<a:ln w="7620"><a:solidFill><a:srgbClr val="999999"/></a:solidFill><a:prstDash val="dash"/></a:ln>'
        "</wps:spPr><wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>"
    )
    paragraph._p.append(parse_xml(xml))


def attachment_page(doc, n: int, title: str):
    """A new page: "附件N" top left in 黑体, the attachment title centred on line 3."""
    p = para(doc, "", "Attachment Label")
    p.add_run().add_break(WD_BREAK.PAGE)
    para(doc, "{{ _('附件%(n)s', n=" + str(n) + ") }}", "Attachment Label")
    para(doc, title, "Attachment Title")


def imprint(doc) -> None:
    """版记 at the bottom of the last page: a table floating at the bottom of the text area (w:tblpPr, vertical
    anchor the margin, aligned bottom), so its last rule sits on the text area's bottom edge whatever text comes
    before it, and it moves with its anchor, the document's last paragraph, when staff add or cut text. Rules: the
    first and last 0.35 mm, the one between 抄送 and 印发 0.25 mm; 4号 仿宋, one character in at both ends.
    (A w:framePr frame was tried first: LibreOffice dropped its position and its rules.)"""
    para(doc, "{%p if imprint %}", "Imprint")
    t = doc.add_table(rows=4, cols=1)
    t.autofit = False
    set_column_widths(t, [IMPRINT_MM])
    t._tbl.tblPr.find(qn("w:tblW")).set(qn("w:type"), "dxa")
    t._tbl.tblPr.find(qn("w:tblW")).set(qn("w:w"), str(Mm(IMPRINT_MM).twips))
    tblpr = t._tbl.tblPr
    tblpr.insert(
        0,
        parse_xml(
            f'<w:tblpPr {nsdecls("w")} w:leftFromText="0" w:rightFromText="0" w:topFromText="0" w:bottomFromText="0" '
            # placed from the page's left edge: LibreOffice imports a margin-relative floating table as wide as
            # the text area as an ordinary table (nothing could wrap around it), losing its place at the bottom
            f'w:vertAnchor="margin" w:horzAnchor="page" w:tblpX="{Mm(28).twips}" w:tblpYSpec="bottom"/>'
        ),
    )
    tblpr.insert(1, parse_xml(f'<w:tblOverlap {nsdecls("w")} w:val="never"/>'))
    borders = parse_xml(
        f"<w:tblBorders {nsdecls('w')}>"
        '<w:top w:val="single" w:sz="8" w:space="0" w:color="000000"/>'
        '<w:left w:val="nil"/><w:bottom w:val="single" w:sz="8" w:space="0" w:color="000000"/>'
        '<w:right w:val="nil"/><w:insideH w:val="single" w:sz="6" w:space="0" w:color="000000"/>'
        '<w:insideV w:val="nil"/></w:tblBorders>'
    )
    margins = parse_xml(
        f'<w:tblCellMar {nsdecls("w")}><w:left w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tblCellMar>'
    )
    layout = tblpr.find(qn("w:tblLayout"))
    layout.addprevious(borders)
    layout.addnext(margins)
    rows = ("{%tr if imprint.cc %}", "{{ _('抄送：') }}{{ imprint.cc }}", "{%tr endif %}", None)
    for row, text in zip(t.rows, rows, strict=True):
        p = row.cells[0].paragraphs[0]
        p.style = doc.styles["Imprint"]
        p.paragraph_format.left_indent = p.paragraph_format.right_indent = Pt(14)
        p.text = text or "{{ imprint.office }}\t{{ _('%(date)s印发', date=imprint.printed_on | cn_date) }}"
        if text is None:
            p.paragraph_format.tab_stops.add_tab_stop(Mm(IMPRINT_MM) - Pt(14), alignment=WD_TAB_ALIGNMENT.RIGHT)
        row.height, row.height_rule = Pt(IMPRINT_ROW_PT), WD_ROW_HEIGHT_RULE.EXACTLY
    # the table's anchor, the document's last paragraph, as tall as the table: where the table does not fit
    # under the last text, the anchor does not either, and both move to a new page together
    anchor = para(doc, "", "Imprint")
    anchor.paragraph_format.line_spacing = Pt(2 * IMPRINT_ROW_PT)
    anchor._p.pPr.find(qn("w:spacing")).set(
        qn("w:line"), "{{ " + str(2 * IMPRINT_ROW_PT * 20) + " if imprint.cc else " + str(IMPRINT_ROW_PT * 20) + " }}"
    )
    para(doc, "{%p endif %}", "Imprint")


def picture_paragraph(doc, tag: str, png: bytes, width_mm: float) -> None:
    """A centred picture on single line spacing (an exact 28.9 pt line would crop it), with the template tag
    that draws the real chart into its place at render time."""
    p = para(doc, tag, "Body Text")
    p.paragraph_format.first_line_indent = 0
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run().add_picture(io.BytesIO(png), width=Mm(width_mm))
