"""Word template of roster.voters."""

from docx_kit import new_document, page_number_footer, para, repeat_header, set_column_widths, table_signatures

KIND = "roster.voters"
HEAD = ["序号", "姓名", "性别", "出生年月", "公民身份号码", "村民小组", "登记类别", "备注"]
WIDTHS = [12, 30, 12, 22, 48, 34, 40, 59]


def build():
    """Landscape table grouped by residents' group, a subtotal row per group, the total and signatures."""
    doc = new_document(landscape=True)
    page_number_footer(doc, "table")
    para(doc, "{{ place.village }}{{ _('第%(term)s届村民委员会选举', term=term) }}{{ doc_title }}", "Doc Title")
    para(doc, "{% set categories = {'resident': _('户籍在本村并居住'), 'registered_away': _('户籍在本村不居住'), "
              "'non_registered': _('非户籍居住一年以上')} %}{{ _('乡镇（街道）：') }}{{ place.township }}　　{{ _('村（社区）：') }}{{ place.village }}　　"
              "{{ _('选民总数：%(n)s人（女%(f)s人）', n=total, f=female_total) }}", "Small Note")
    t = doc.add_table(rows=7, cols=len(HEAD))
    t.style = doc.styles["Table Grid"]
    t.autofit = False
    cells = [
        ("{%tr for g in groups %}", None),
        ("{%tr for v in g.voters %}", None),
        (None, ["{{ loop.index + g.offset }}", "{{ v.name }}", "{{ v.sex | sex_label }}", "{{ v.birth | cn_month }}",
                "{% if v.id_number %}{{ v.id_number | mask_id if mask_ids else v.id_number }}{% endif %}",
                "{{ v.group }}", "{{ categories[v.category] }}", "{{ v.note }}"]),
        ("{%tr endfor %}", None),
        (None, ["{{ _('小计') }}", "{{ g.name }}", "", "{{ _('%(n)s人', n=g.count) }}", "", "", "", ""]),
        ("{%tr endfor %}", None),
    ]
    for i, h in enumerate(HEAD):
        t.cell(0, i).paragraphs[0].text = "{{ _('" + h + "') }}"
        t.cell(0, i).paragraphs[0].style = doc.styles["Table Heading"]
    for r, (tag, row) in enumerate(cells, start=1):
        if tag:
            t.cell(r, 0).paragraphs[0].text = tag
        else:
            for i, text in enumerate(row):
                t.cell(r, i).paragraphs[0].text = text
                t.cell(r, i).paragraphs[0].style = doc.styles["Table Text"]
    set_column_widths(t, WIDTHS)
    repeat_header(t)
    para(doc, "{{ _('合计：%(n)s人，其中女%(f)s人', n=total, f=female_total) }}", "Small Note")
    table_signatures(doc)
    return doc
