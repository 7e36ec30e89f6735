"""Word template of ballot.villagers-committee: one ballot face staff can edit; PDF print runs impose it."""

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from docx_kit import new_document, para, repeat_header, set_column_widths

KIND = "ballot.villagers-committee"


def build():
    """Title, election, legend, a table per post (mark cell beside each name, write-in rows), notes, seal box."""
    doc = new_document()
    section = doc.sections[0]
    section.top_margin = section.bottom_margin = section.left_margin = section.right_margin = Pt(50)
    para(doc, "{{ _(ballot_title) }}{% if proof %}{{ _('（样票）') }}{% endif %}", "Doc Title")
    para(doc, "{{ election }}", "Doc Number")
    para(doc, "{{ _('○ 赞成') }}　{{ _('× 不赞成') }}　{{ _('不画符号 弃权') }}", "Doc Number")
    para(doc, "{%p for post in posts %}", "Small Note")
    para(doc, "{{ _(post.label) }}　{{ _('应选%(n)s名', n=post.seats|spelled) }}", "Heading Level 1").paragraph_format.first_line_indent = 0
    t = doc.add_table(rows=4, cols=3)
    t.style = doc.styles["Table Grid"]
    for i, h in enumerate(["{{ _('画符号') }}", "{{ _('候选人') }}", "{{ _('备注') }}"]):
        t.cell(0, i).paragraphs[0].text = h
        t.cell(0, i).paragraphs[0].style = doc.styles["Table Heading"]
    t.cell(1, 0).paragraphs[0].text = "{%tr for c in post.columns %}"
    for i, text in enumerate(["", "{% if c.write_in %}{{ _('另选人') }}：{% else %}{{ c.name }}{% endif %}",
                              "{{ c.note }}"]):
        t.cell(2, i).paragraphs[0].text = text
        t.cell(2, i).paragraphs[0].style = doc.styles["Table Text"]
    t.cell(3, 0).paragraphs[0].text = "{%tr endfor %}"
    set_column_widths(t, [25, 70, 55])
    repeat_header(t)
    para(doc, "{%p endfor %}", "Small Note")
    for line in ["{{ _('说明：') }}",
                 "{{ _('一、本选票按主任、副主任、委员分栏，每栏应选名额见栏首；候选人按姓氏笔画为序。') }}",
                 "{{ _('二、赞成的，在其姓名对应的格内画“○”；不赞成的画“×”；弃权的不画任何符号。') }}",
                 "{{ _('三、另选他人的，在“另选人”格内写上其姓名，并在对应的格内画“○”。') }}",
                 "{{ _('四、每栏画“○”的人数等于或少于应选名额的有效，多于应选名额的，该栏作废。') }}",
                 "{{ _('五、同一人不得在两栏以上同时画“○”。') }}"]:
        para(doc, line, "Small Note")
    p = para(doc, "{{ _('选举委员会印章') }}", "Small Note")
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return doc
