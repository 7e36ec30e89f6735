"""Word template of roster.staff."""

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx_kit import new_document, page_number_footer, para, repeat_header, set_column_widths, table_signatures

from docx_templates._roster_kit import fill_row, keep_whole, narrow_cells, portrait_roster_margins

KIND = "roster.staff"
HEAD = ["序号", "职责", "姓名", "所在小组", "工作地点", "备注"]
WIDTHS = [10, 34, 28, 33, 38, 29]  # 172 mm: WIDTHS in service/kinds/roster/staff.py


def build():
    """Portrait table, duty by duty with the duty cell merged down its rows, the totals and the signatures."""
    doc = new_document(landscape=False)
    portrait_roster_margins(doc)
    page_number_footer(doc, "table")
    para(doc, "{{ place.village }}{{ _('第%(term)s届村民委员会', term=term) }}{{ doc_title }}", "Doc Title")
    para(doc, "{% set duties = {'chief_scrutineer': _('总监票人'), 'scrutineer': _('监票人'), 'counter': _('计票人'), "
              "'caller': _('唱票人'), 'proxy_writer': _('代书人')} %}"
              "{{ _('乡镇（街道）：') }}{{ place.township }}　　{{ _('村（社区）：') }}{{ place.village }}　　"
              "{{ _('工作人员总数：%(n)s名', n=total) }}", "Small Note")
    t = doc.add_table(rows=7, cols=len(HEAD))
    t.style = doc.styles["Table Grid"]
    set_column_widths(t, WIDTHS)
    narrow_cells(t)
    fill_row(doc, t.rows[0], ["{{ _('" + h + "') }}" for h in HEAD], "Table Heading")
    t.cell(1, 0).paragraphs[0].text = "{%tr for g in groups %}"
    t.cell(2, 0).paragraphs[0].text = "{%tr for s in g.staff %}"
    # {% vm %}: docxtpl merges this cell down the rows of the inner loop and prints it once.
    fill_row(doc, t.rows[3], ["{{ loop.index + g.offset }}", "{% vm %}{{ duties[g.duty] }}", "{{ s.name }}",
                              "{{ s.group }}", "{{ s.station }}", "{{ s.note }}"], left=(5,))
    t.cell(3, 1).vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    keep_whole(t.rows[3])
    t.cell(4, 0).paragraphs[0].text = "{%tr endfor %}"
    t.cell(5, 0).paragraphs[0].text = "{%tr endfor %}"
    label, text = t.cell(6, 0).merge(t.cell(6, 1)), t.cell(6, 2).merge(t.cell(6, 5))
    label.paragraphs[0].text = "{{ _('合计') }}"
    text.paragraphs[0].text = ("{{ _('%(n)s名：', n=total) }}{% for g in groups %}"
                               "{{ _('%(duty)s%(n)s名', duty=duties[g.duty], n=g.count) }}"
                               "{% if not loop.last %}{{ _('，') }}{% endif %}{% endfor %}")
    for p in (label.paragraphs[0], text.paragraphs[0]):
        p.style = doc.styles["Table Heading"]
    text.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.LEFT
    repeat_header(t)
    para(doc, "")
    table_signatures(doc, two_lines=True)
    return doc
