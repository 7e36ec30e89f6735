"""Word template of announcement.voter-list."""

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from docx_kit import new_document, page_number_footer, para, repeat_header, set_column_widths

from docx_templates._announcement_parts import closing, narrow_margins, number_and_title

KIND = "announcement.voter-list"
COLUMNS = 8  # service.kinds.announcement.voter_list.COLUMNS: the context cuts names into lines of this many
WIDTH_MM = 156  # the GB/T 9704 text width
TOTALS = ["村民小组", "户籍在本村并在本村居住", "户籍在本村、不在本村居住", "户籍不在本村、居住一年以上",
          "合计"]
TOTAL_WIDTHS = [39, 33, 33, 33, 18]
GROUP_ROW = ["{{ g.name or _('未分组') }}", "{{ g.counts.resident|cn_count }}",
             "{{ g.counts.registered_away|cn_count }}", "{{ g.counts.non_registered|cn_count }}",
             "{{ g.count|cn_count }}"]
TOTAL_ROW = ["{{ _('合计') }}", "{{ counts.resident|cn_count }}", "{{ counts.registered_away|cn_count }}",
             "{{ counts.non_registered|cn_count }}", "{{ total|cn_count }}"]
INTRO = ("{{ _('根据%(basis)s的规定，经村民选举委员会登记、审核，"
         "%(village)s第%(term)s届村民委员会选举登记参加选举的村民共%(n)s人，"
         "其中户籍在本村并且在本村居住的%(a)s人，户籍在本村、不在本村居住、本人表示参加选举的%(b)s人，"
         "户籍不在本村、在本村居住一年以上、经同意参加选举的%(c)s人。"
         "选举日为%(day)s。现将名单按村民小组公告如下：', "
         "basis=legal_basis, village=place.village, term=term, n=total|cn_count, "
         "a=counts.resident|cn_count, b=counts.registered_away|cn_count, "
         "c=counts.non_registered|cn_count, day=election_day|cn_date) }}")
LEGEND = ("{% for c in marked %}{% if c == 'registered_away' %}"
          "{{ _('姓名后标有%(mark)s的，为户籍在本村、不在本村居住、本人表示参加选举的村民。', "
          "mark=marks[c]) }}{% else %}"
          "{{ _('姓名后标有%(mark)s的，为户籍不在本村、在本村居住一年以上、经同意参加选举的公民。', "
          "mark=marks[c]) }}{% endif %}{% endfor %}")
OBJECTIONS = ("{{ _('对名单有异议的，请于%(date)s以前（含当日）向村民选举委员会提出，"
              "村民选举委员会应当自收到申诉之日起三日内作出处理决定，并公布处理结果。', "
              "date=objection_deadline|cn_date) }}"
              "{% if contact %}{{ _('受理地点：%(contact)s。', contact=contact) }}{% endif %}")



def fill(doc, row, texts: list[str], style: str = "Table Text") -> None:
    """Write template text into a row's cells, in a paragraph style."""
    for cell, text in zip(row.cells, texts, strict=True):
        cell.paragraphs[0].text = text
        cell.paragraphs[0].style = doc.styles[style]


def names_table(doc) -> None:
    """A table per residents' group: its name and count in a header row Word repeats, then lines of names."""
    t = doc.add_table(rows=4, cols=COLUMNS)
    t.style = doc.styles["Table Grid"]
    set_column_widths(t, [WIDTH_MM / COLUMNS] * COLUMNS)
    narrow_margins(t, 0.6)
    head = t.cell(0, 0).merge(t.cell(0, COLUMNS - 1))
    head.paragraphs[0].text = ("{{ _('%(group)s（%(n)s人）', group=g.name or _('未分组'), "
                               "n=g.count|cn_count) }}")
    head.paragraphs[0].style = doc.styles["Table Heading"]
    head.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.LEFT
    repeat_header(t)
    t.cell(1, 0).paragraphs[0].text = "{%tr for row in g.rows %}"
    fill(doc, t.rows[2], [f"{{{{ row[{i}].name }}}}{{{{ row[{i}].mark }}}}" for i in range(COLUMNS)])
    t.cell(3, 0).paragraphs[0].text = "{%tr endfor %}"


def totals_table(doc) -> None:
    """Voters per group and registration category, with the overall total."""
    t = doc.add_table(rows=5, cols=len(TOTALS))
    t.style = doc.styles["Table Grid"]
    set_column_widths(t, TOTAL_WIDTHS)
    narrow_margins(t)
    fill(doc, t.rows[0], ["{{ _('" + h + "') }}" for h in TOTALS], "Table Heading")
    repeat_header(t)
    t.cell(1, 0).paragraphs[0].text = "{%tr for g in groups %}"
    fill(doc, t.rows[2], GROUP_ROW)
    t.cell(3, 0).paragraphs[0].text = "{%tr endfor %}"
    fill(doc, t.rows[4], TOTAL_ROW, "Table Heading")


def build():
    """Number, title, intro with totals, a name grid per group, legend, totals, objections, signature."""
    doc = new_document(table_pt=12)
    page_number_footer(doc)
    number_and_title(doc)
    para(doc, INTRO, "Body Text")
    para(doc, "{%p for g in groups %}", "Small Note")
    names_table(doc)
    gap = para(doc, "", "Small Note")  # keeps one group's table from running into the next
    gap.paragraph_format.line_spacing = Pt(6)
    para(doc, "{%p endfor %}", "Small Note")
    para(doc, "{%p if marked %}", "Body Text")
    para(doc, LEGEND, "Body Text")
    para(doc, "{%p endif %}", "Body Text")
    totals_table(doc)
    para(doc, OBJECTIONS, "Body Text")
    closing(doc)
    return doc
