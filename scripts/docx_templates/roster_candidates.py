"""Word template of roster.candidates."""

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx_kit import new_document, page_number_footer, para, repeat_header, set_column_widths, table_signatures

from docx_templates._roster_kit import fill_row, keep_whole, narrow_cells

KIND = "roster.candidates"
HEAD = ["序号", "姓名", "性别", "出生年月", "籍贯", "民族", "入党时间", "文化程度", "现任职务", "拟任职务"]
WIDTHS = [10, 26, 15, 18, 28, 18.5, 18, 21, 66.5, 36]  # the PDF's (service/kinds/roster/candidates.py) less 10 mm
POSTS = ("{% if election == 'villagers_committee' %}{% set posts = {'director': _('村委会主任'), "
         "'deputy_director': _('村委会副主任'), 'member': _('村委会委员')} %}{% else %}{% set posts = "
         "{'secretary': _('党支部书记'), 'deputy_secretary': _('党支部副书记'), 'member': _('党支部委员')} %}{% endif %}")


def build():
    """Landscape table, post by post with a subtotal row per post, then the total and the signatures."""
    doc = new_document(landscape=True)
    page_number_footer(doc, "table")
    para(doc, "{{ place.village }}{% if election == 'party_branch' %}{{ _('第%(term)s届党支部委员会选举', term=term) }}"
              "{% else %}{{ _('第%(term)s届村民委员会选举', term=term) }}{% endif %}{{ doc_title }}", "Doc Title")
    para(doc, POSTS + "{{ _('乡镇（街道）：') }}{{ place.township }}　　{{ _('村（社区）：') }}{{ place.village }}　　"
                      "{{ _('候选人总数：%(n)s名', n=total) }}", "Small Note")
    t = doc.add_table(rows=8, cols=len(HEAD))
    t.style = doc.styles["Table Grid"]
    set_column_widths(t, WIDTHS)
    narrow_cells(t)
    fill_row(doc, t.rows[0], ["{{ _('" + h + "') }}" for h in HEAD], "Table Heading")
    t.cell(1, 0).paragraphs[0].text = "{%tr for g in groups %}"
    t.cell(2, 0).paragraphs[0].text = "{%tr for c in g.candidates %}"
    fill_row(doc, t.rows[3], [
        "{{ loop.index + g.offset }}", "{{ c.name }}", "{{ c.sex | sex_label }}", "{{ c.birth | cn_month }}",
        "{{ c.native_place }}", "{{ c.ethnicity }}", "{% if c.joined %}{{ c.joined | cn_month }}{% else %}—{% endif %}",
        "{{ c.education }}", "{{ c.current_post }}", "{{ posts[c.post] }}",
    ], left=(8,))
    keep_whole(t.rows[3])
    t.cell(4, 0).paragraphs[0].text = "{%tr endfor %}"
    t.cell(6, 0).paragraphs[0].text = "{%tr endfor %}"
    for row, label, text in (
        (5, "{{ _('小计') }}", "{{ _('%(post)s%(n)s名', post=posts[g.post], n=g.count) }}"),
        (7, "{{ _('合计') }}", "{{ _('候选人%(n)s名：', n=total) }}{% for g in groups %}"
                               "{{ _('%(post)s%(n)s名', post=posts[g.post], n=g.count) }}"
                               "{% if not loop.last %}{{ _('，') }}{% endif %}{% endfor %}"),
    ):
        left, right = t.cell(row, 0).merge(t.cell(row, 2)), t.cell(row, 3).merge(t.cell(row, 9))
        left.paragraphs[0].text, right.paragraphs[0].text = label, text
        left.paragraphs[0].style = right.paragraphs[0].style = doc.styles["Table Heading"]
        right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.LEFT
    repeat_header(t)
    para(doc, "")
    table_signatures(doc)
    return doc
