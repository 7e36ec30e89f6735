"""Word template of roster.elected."""

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx_kit import new_document, page_number_footer, para, repeat_header, set_column_widths, table_signatures

from docx_templates._roster_kit import fill_row, keep_whole, narrow_cells

KIND = "roster.elected"
HEAD = ["序号", "姓名", "性别", "年龄", "民族", "政治面貌", "文化程度", "当选职务", None, "是否连任", "是否交叉任职",
        "备注"]
WIDTHS = [10, 24, 15, 12, 20, 22, 22, 30, 16, 18, 40, 28]  # the PDF's (service/kinds/roster/elected.py) less 10 mm
ROW = ["{{ r.no }}", "{{ r.name }}", "{{ r.sex | sex_label }}", "{{ r.age if r.age is not none else '' }}",
       "{{ r.ethnicity }}", "{{ r.political_status }}", "{{ r.education }}", "{{ r.title[lang] }}",
       "{{ r.votes if r.votes is not none else '—' }}",
       "{% if r.re_elected is not none %}{{ _('是') if r.re_elected else _('否') }}{% endif %}",
       "{% if r.party_post %}{{ _('是（%(post)s）', post=r.party_post) }}{% else %}{{ _('否') }}{% endif %}",
       "{% if r.earlier %}{{ _('此前已当选') }}{% elif r.write_in %}{{ _('另选他人当选') }}{% endif %}"
       "{% if r.note %}{% if r.earlier or r.write_in %}{{ _('；') }}{% endif %}{{ r.note }}{% endif %}"]
TOTAL = ("{{ _('当选%(n)s人', n=total) }}{% if total %}{{ _('，') }}{{ _('其中女%(n)s人', n=women.count) }}"
         "{{ _('，') }}{{ _('中共党员%(n)s人', n=party_members.count) }}"
         "{% if average_age.display is not none %}{{ _('，') }}"
         "{{ _('平均年龄%(age)s岁', age=average_age.display) }}{% endif %}"
         "{{ _('，') }}{{ _('连任%(n)s人', n=re_elected) }}{{ _('，') }}{{ _('交叉任职%(n)s人', n=cross_holding) }}"
         "{% endif %}")
NOBODY = ("{% if results.valid %}{{ _('无人当选') }}{% else %}{{ _('本次选举无效，不产生当选人。') }}{% endif %}")


def build():
    """Landscape table of those elected, the totals row, the engine's notes and the signatures."""
    doc = new_document(landscape=True)
    page_number_footer(doc, "table")
    para(doc, "{{ _('%(election)s%(title)s', election=election_name[lang], title=doc_title) }}", "Doc Title")
    para(doc, "{{ _('乡镇（街道）：') }}{{ place.township }}　　{{ _('村（社区）：') }}{{ place.village }}　　"
              "{{ _('选举日期：') }}{{ election_day | cn_date }}　　{{ _('当选%(n)s人', n=total) }}", "Small Note")
    t = doc.add_table(rows=7, cols=len(HEAD))
    t.style = doc.styles["Table Grid"]
    set_column_widths(t, WIDTHS)
    narrow_cells(t)
    fill_row(doc, t.rows[0], ["{% if results.party %}{{ _('赞成票') }}{% else %}{{ _('得票数') }}{% endif %}"
                              if h is None else "{{ _('" + h + "') }}" for h in HEAD], "Table Heading")
    t.cell(1, 0).paragraphs[0].text = "{%tr for r in rows %}"
    fill_row(doc, t.rows[2], ROW, left=(11,))
    keep_whole(t.rows[2])
    t.cell(3, 0).paragraphs[0].text = "{%tr endfor %}"
    t.cell(4, 0).paragraphs[0].text = "{%tr if not rows %}"
    nobody = t.cell(5, 0).merge(t.cell(5, len(HEAD) - 1))
    nobody.paragraphs[0].text = NOBODY
    nobody.paragraphs[0].style = doc.styles["Table Text"]
    t.cell(6, 0).paragraphs[0].text = "{%tr endif %}"
    total = t.add_row()
    label, text = total.cells[0].merge(total.cells[1]), total.cells[2].merge(total.cells[len(HEAD) - 1])
    label.paragraphs[0].text, text.paragraphs[0].text = "{{ _('合计') }}", TOTAL
    label.paragraphs[0].style = text.paragraphs[0].style = doc.styles["Table Heading"]
    text.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.LEFT
    for tag in ("{%tr if results.notes %}", None, "{%tr endif %}"):
        cells = t.add_row().cells
        if tag:
            cells[0].paragraphs[0].text = tag
            continue
        label, text = cells[0].merge(cells[1]), cells[2].merge(cells[len(HEAD) - 1])
        label.paragraphs[0].text, text.paragraphs[0].text = "{{ _('说明') }}", "{{ results.notes_text[lang] }}"
        label.paragraphs[0].style = text.paragraphs[0].style = doc.styles["Table Text"]
        text.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.LEFT
    repeat_header(t)
    para(doc, "")
    table_signatures(doc)
    return doc
