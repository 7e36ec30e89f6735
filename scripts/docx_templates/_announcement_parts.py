"""Pieces the announcement builders share: the optional number line, numbered headings, the closing block.

Candidates for docx_kit: they only add keep-with-next to what docx_kit already makes.
"""

from docx_kit import para, signature_block


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
