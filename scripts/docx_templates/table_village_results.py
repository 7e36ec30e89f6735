"""Word template of table.village-results."""

from docx_kit import para, table_signatures

from docx_templates._results_parts import fill, grid, header_rows, results_document, tag_row

KIND = "table.village-results"
PARTY = "{% if party %}"
HEAD = [
    "{{ _('序号') }}", "{{ _('村（社区）') }}",
    PARTY + "{{ _('应到会人数') }}{% else %}{{ _('登记选民数') }}{% endif %}",
    PARTY + "{{ _('实到会人数') }}{% else %}{{ _('参加投票人数') }}{% endif %}",
    PARTY + "{{ _('到会率') }}{% else %}{{ _('参选率') }}{% endif %}",
    "{{ _('选举是否有效') }}", "{{ _('应选职数') }}", "{{ _('当选人数') }}", "{{ _('其中女性') }}",
    "{{ _('需另行选举') }}", "{{ _('备注') }}",
]
WIDTHS = [10, 24, 20, 18, 16, 17, 14, 14, 14, 34, 86]  # 267 mm, as the HTML's colgroup
ROW = [
    "{{ row.no }}", "{{ row.village }}", "{{ row.registered }}", "{{ row.voted }}", "{{ row.turnout | percent }}",
    "{% if row.valid %}{{ _('有效') }}{% else %}{{ _('无效') }}{% endif %}", "{{ row.seats }}", "{{ row.filled }}",
    "{{ row.women }}",
    "{% for v in row.further_rounds %}{{ _('%(post)s%(n)s名', post=v.title[lang], n=v.seats) }}"
    "{% if not loop.last %}{{ _('、') }}{% endif %}{% else %}{{ pgettext('nothing', '无') }}{% endfor %}",
    "{{ row.remarks[lang] }}",
]
TOTAL = [
    "{{ totals.registered }}", "{{ totals.voted }}", "{{ totals.turnout | percent }}",
    "{{ _('有效%(n)s个', n=totals.valid) }}", "{{ totals.seats }}", "{{ totals.filled }}", "{{ totals.women }}",
    "{{ _('%(v)s个村%(n)s名', v=totals.further_villages, n=totals.further_seats) }}",
    "{{ _('选举有效%(v)s个，无效%(x)s个；须再次投票%(t)s个。', v=totals.valid, x=totals.villages - totals.valid, "
    "t=totals.tie_villages) }}",
]


def build():
    """Landscape table: one row per village, the township totals, the signatures."""
    doc = results_document(landscape=True, table_pt=9)
    para(doc, "{{ _('%(election)s结果汇总表', election=election_name[lang]) }}", "Doc Title")
    para(doc, "{{ _('乡镇（街道）：') }}{{ place.township }}　　{{ _('选举日期：') }}{{ election_day | cn_date }}　　"
              "{{ _('村（社区）数：%(n)s个', n=totals.villages) }}", "Small Note")
    t = grid(doc, 5, WIDTHS)
    fill(doc, t.rows[0], HEAD, "Table Heading")
    header_rows(t)
    tag_row(t, 1, "{%tr for row in rows %}")
    fill(doc, t.rows[2], ROW, left=(10,))
    tag_row(t, 3, "{%tr endfor %}")
    label = t.cell(4, 0).merge(t.cell(4, 1))
    fill(doc, t.rows[4], ["{{ _('合计') }}", "{{ _('合计') }}", *TOTAL], "Table Heading", left=(10,))
    label.paragraphs[0].text = "{{ _('合计') }}"
    para(doc, "")
    table_signatures(doc)
    return doc
