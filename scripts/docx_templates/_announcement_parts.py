"""Pieces the announcement builders share: the optional number line, numbered headings, the closing block.

Candidates for docx_kit: they only add keep-with-next to what docx_kit already makes.
"""

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx_kit import para, signature_block

# The order the OOXML schema gives the children of w:tblPr; Word may refuse a file that breaks it.
_TBLPR_ORDER = ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize",
                "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar",
                "tblLook", "tblCaption", "tblDescription", "tblPrChange")


def narrow_margins(t, mm: float = 1.0):
    """Left and right cell margins of ``mm`` (Word's default 1.9 mm wraps short headers and names)."""
    tblpr = t._tbl.tblPr
    mar = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(round(mm * 56.7)))  # twentieths of a point
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    tblpr.append(mar)
    # Put the children back in schema order, each once: set_column_widths appends a second w:tblLayout
    # after w:tblLook, where python-docx's autofit already wrote one.
    children = {el.tag.split("}")[1]: el for el in tblpr}
    for el in list(tblpr):
        tblpr.remove(el)
    for tag in sorted(children, key=_TBLPR_ORDER.index):
        tblpr.append(children[tag])
    return t


def number_and_title(doc) -> None:
    """The announcement number (left out when blank) and the title."""
    para(doc, "{%p if number %}", "Doc Number")
    para(doc, "{{ number }}", "Doc Number")
    para(doc, "{%p endif %}", "Doc Number")
    para(doc, "{{ _('%(village)s%(title)s', village=place.village, title=doc_title) }}", "Doc Title")


def heading(doc, text: str) -> None:
    """A level-1 heading numbered 一、 or I. by the counter ``n.h``, kept with the text under it."""
    p = para(doc, "{% set n.h = n.h + 1 %}{{ _('%(number)s%(heading)s', number=1|heading_number(n.h), "
                  "heading=_('" + text + "')) }}", "Heading Level 1")
    p.paragraph_format.keep_with_next = True


def lead(doc, text: str, style: str = "Body Text"):
    """A paragraph that introduces a table, kept on the same page as the table's first row."""
    p = para(doc, text, style)
    p.paragraph_format.keep_with_next = True
    return p


def closing(doc) -> None:
    """"特此公告。" and the signature block, kept on one page so the signature never stands alone."""
    last = para(doc, "{{ _('特此公告。') }}", "Body Text")
    start = len(doc.paragraphs)
    signature_block(doc)
    last.paragraph_format.keep_with_next = True
    for p in doc.paragraphs[start:-1]:
        p.paragraph_format.keep_with_next = True
