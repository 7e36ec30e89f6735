"""Word template of roster.party-members."""

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx_kit import new_document, page_number_footer, para, repeat_header, set_column_widths, table_signatures

from docx_templates._roster_kit import fill_row, keep_whole, narrow_cells, portrait_roster_margins

KIND = "roster.party-members"
HEAD = ["序号", "姓名", "性别", "民族", "出生年月", "入党时间", "文化程度", "有无选举权", "备注"]
WIDTHS = [10, 22, 15, 18.5, 18, 18, 21, 21.5, 28]  # 172 mm: WIDTHS in service/kinds/roster/party_members.py


def build():
    """Portrait table of members, the totals the quorum is counted from, and the signatures."""
    doc = new_document(landscape=False)
    portrait_roster_margins(doc)
    page_number_footer(doc, "table")
    para(doc, "{{ _('%(village)s%(title)s', village=branch, title=doc_title) }}", "Doc Title")
    para(doc, "{% set reasons = {'probationary': _('预备党员'), 'probation_watch': _('留党察看')} %}"
              "{{ _('乡镇（街道）：') }}{{ place.township }}　　{{ _('村（社区）：') }}{{ place.village }}　　"
              "{{ _('党员总数：%(n)s名', n=total) }}", "Small Note")
    t = doc.add_table(rows=5, cols=len(HEAD))
    t.style = doc.styles["Table Grid"]
    set_column_widths(t, WIDTHS)
    narrow_cells(t)
    fill_row(doc, t.rows[0], ["{{ _('" + h + "') }}" for h in HEAD], "Table Heading")
    t.cell(1, 0).paragraphs[0].text = "{%tr for m in rows %}"
    fill_row(doc, t.rows[2], [
        "{{ m.no }}", "{{ m.name }}", "{{ m.sex | sex_label }}", "{{ m.ethnicity }}", "{{ m.birth | cn_month }}",
        "{{ m.joined | cn_month }}", "{{ m.education }}", "{{ _('有') if m.votes else _('无') }}",
        "{{ reasons.get(m.status, '') }}{% if m.reason and m.note %}{{ _('；') }}{% endif %}{{ m.note }}",
    ], left=(8,))
    keep_whole(t.rows[2])
    t.cell(3, 0).paragraphs[0].text = "{%tr endfor %}"
    label, total = t.cell(4, 0).merge(t.cell(4, 2)), t.cell(4, 3).merge(t.cell(4, 8))
    label.paragraphs[0].text = "{{ _('合计') }}"
    label.paragraphs[0].style = doc.styles["Table Heading"]
    total.paragraphs[0].text = (
        "{{ _('党员%(n)s名，有选举权%(v)s名，无选举权%(x)s名（预备党员%(p)s名，留党察看%(w)s名）', n=total, "
        "v=voting_total, x=non_voting_total, p=probationary_total, w=watch_total) }}")
    total.paragraphs[0].style = doc.styles["Table Heading"]
    total.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.LEFT
    repeat_header(t)
    para(doc, "")
    table_signatures(doc, two_lines=True)
    return doc
