"""Word template of report.result-form."""

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx_kit import para

from docx_templates._results_parts import fill, grid, put, results_document, row_height, tag_row

KIND = "report.result-form"
WIDTHS = [38, 48, 38, 48]
SETS = ("{% set gap = '　　　　' %}{% set party = blank_form.party if blank else results.party %}"
        "{% if not blank %}{% set c = results.counts %}{% endif %}{% set bases = {'ballots_returned': pgettext('threshold', '参加投票人数'), "
        "'present': _('实到会有选举权的党员人数'), 'electorate': _('应到会有选举权的党员人数')} %}")
PARTY = "{% if results.party %}"
# (label, value, label, value) rows; None merges the value across the rest of the row.
ROWS = [
    ("{{ _('选举名称') }}", "{{ election_name[lang] }}", None, None),
    ("{{ _('选举日期') }}", "{{ election_day | cn_date }}", "{{ _('投票轮次') }}",
     "{% if results.round == 'further' %}{{ _('另行选举') }}{% else %}{{ _('正式选举') }}{% endif %}"),
    (PARTY + "{{ _('应到会人数') }}{% else %}{{ _('登记选民数') }}{% endif %}", "{{ _('%(n)s人', n=c.electorate) }}",
     PARTY + "{{ _('实到会人数') }}{% else %}{{ _('参加投票人数') }}{% endif %}",
     PARTY + "{{ _('%(n)s人', n=c.present) }}{% else %}{{ _('%(n)s人', n=c.ballots_returned) }}{% endif %}"),
    ("{{ _('发出选票') }}", "{{ _('%(n)s张', n=c.ballots_issued) }}", "{{ _('收回选票') }}",
     "{{ _('%(n)s张', n=c.ballots_returned) }}"),
    ("{{ _('有效票') }}", "{{ _('%(n)s张', n=c.ballots_valid) }}", "{{ _('无效票') }}",
     "{{ _('%(n)s张', n=c.ballots_invalid) }}"),
    (PARTY + "{{ _('到会率') }}{% else %}{{ _('参选率') }}{% endif %}", "{{ results.turnout | percent }}",
     "{{ _('选举是否有效') }}", "{% if results.valid %}{{ _('有效') }}{% else %}{{ _('无效') }}{% endif %}"),
    ("{{ _('依据') }}", "{{ results.verdict_text[lang] }}", None, None),
]
BPARTY = "{% if blank_form.party %}"
# The blank form: the same rows with the figures left empty, for the count on election day.
BLANK_ROWS = [
    ("{{ _('选举名称') }}", "{{ election_name[lang] }}", None, None),
    ("{{ _('选举日期') }}", "{{ election_day | cn_date }}", "{{ _('投票轮次') }}",
     "{% if blank_form.round == 'further' %}{{ _('另行选举') }}{% else %}{{ _('正式选举') }}{% endif %}"),
    (BPARTY + "{{ _('应到会人数') }}{% else %}{{ _('登记选民数') }}{% endif %}", "{{ _('%(n)s人', n=gap) }}",
     BPARTY + "{{ _('实到会人数') }}{% else %}{{ _('参加投票人数') }}{% endif %}", "{{ _('%(n)s人', n=gap) }}"),
    ("{{ _('发出选票') }}", "{{ _('%(n)s张', n=gap) }}", "{{ _('收回选票') }}", "{{ _('%(n)s张', n=gap) }}"),
    ("{{ _('有效票') }}", "{{ _('%(n)s张', n=gap) }}", "{{ _('无效票') }}", "{{ _('%(n)s张', n=gap) }}"),
    (BPARTY + "{{ _('到会率') }}{% else %}{{ _('参选率') }}{% endif %}", "{{ gap }}%",
     "{{ _('选举是否有效') }}", "{{ _('□有效　□无效') }}"),
    ("{{ _('依据') }}", "", None, None),
    ("{{ _('当选所需票数') }}", "{{ _('%(n)s票', n=gap) }}", None, None),
]
THRESHOLD = ("{{ _('%(n)s票', n=results.threshold.min_votes) }}"
             "{{ _('（%(base)s%(count)s人）', base=bases[results.threshold.base_kind], count=results.threshold.base) }}")


def label_value_row(doc, row, texts) -> None:
    """Labels in 黑体, values in 仿宋; a None value merges the value cell across the row."""
    first_label, first_value, second_label, second_value = texts
    put(doc, row.cells[0], first_label, "Table Heading")
    if second_label is None:
        cell = row.cells[1].merge(row.cells[3])
        put(doc, cell, first_value, align=WD_ALIGN_PARAGRAPH.LEFT)
        return
    put(doc, row.cells[1], first_value)
    put(doc, row.cells[2], second_label, "Table Heading")
    put(doc, row.cells[3], second_value)


def blank_table(doc) -> None:
    """The form's table on a blank form: every figure, the verdict and those elected left to fill in."""
    t = grid(doc, len(BLANK_ROWS) + 7, WIDTHS)
    for i, texts in enumerate(BLANK_ROWS):
        label_value_row(doc, t.rows[i], texts)
        row_height(t.rows[i], 8)
    row_height(t.rows[6], 16)  # 依据: room for a sentence
    n = len(BLANK_ROWS)
    put(doc, t.cell(n, 0).merge(t.cell(n, 3)), "{{ _('当选人员') }}", "Table Heading")
    fill(doc, t.rows[n + 1], ["{{ _('职务') }}", "{{ _('姓名') }}", "{{ _('性别') }}",
                              BPARTY + "{{ _('赞成票') }}{% else %}{{ _('得票数') }}{% endif %}"], "Table Heading")
    tag_row(t, n + 2, "{%tr for p in blank_form.elected %}")
    fill(doc, t.rows[n + 3], ["{{ p.title[lang] if p.title else '' }}", "", "", ""])
    row_height(t.rows[n + 3], 8)
    tag_row(t, n + 4, "{%tr endfor %}")
    label_value_row(doc, t.rows[n + 5], ("{{ _('另行选举及再次投票') }}", "", None, None))
    row_height(t.rows[n + 5], 16)
    label_value_row(doc, t.rows[n + 6], ("{{ _('备注') }}", "{{ remark }}", None, None))
    row_height(t.rows[n + 6], 8)


def build():
    """The form: election and counts, validity, threshold, those elected, further rounds, signatures, seals."""
    doc = results_document()
    para(doc, SETS + "{{ _('%(election)s结果报告单', election=election_name[lang]) }}", "Doc Title")
    para(doc, "{% if addressee %}{{ _('报送：') }}{{ addressee }}　　{% endif %}"
              "{{ _('报送单位：') }}{{ signature.body }}", "Small Note")
    para(doc, "{%p if blank %}", "Small Note")
    blank_table(doc)
    para(doc, "{%p else %}", "Small Note")
    rows = len(ROWS) + 3 + 2 + 3 + 2 + 3
    t = grid(doc, rows, WIDTHS)
    for i, texts in enumerate(ROWS):
        label_value_row(doc, t.rows[i], texts)
    n = len(ROWS)
    tag_row(t, n, "{%tr if results.valid and results.threshold %}")
    label_value_row(doc, t.rows[n + 1], ("{{ _('当选所需票数') }}", THRESHOLD, None, None))
    tag_row(t, n + 2, "{%tr endif %}")
    n += 3
    put(doc, t.cell(n, 0).merge(t.cell(n, 3)), "{{ _('当选人员') }}", "Table Heading")
    fill(doc, t.rows[n + 1], ["{{ _('职务') }}", "{{ _('姓名') }}", "{{ _('性别') }}",
                              PARTY + "{{ _('赞成票') }}{% else %}{{ _('得票数') }}{% endif %}"], "Table Heading")
    n += 2
    tag_row(t, n, "{%tr for p in results.elected %}")
    fill(doc, t.rows[n + 1], ["{{ p.title[lang] }}", "{{ p.name }}", "{{ p.sex | sex_label }}", "{{ p.votes }}"])
    tag_row(t, n + 2, "{%tr endfor %}")
    n += 3
    tag_row(t, n, "{%tr if not results.elected %}")
    put(doc, t.cell(n + 1, 0).merge(t.cell(n + 1, 3)),
        "{% if results.valid %}{{ _('无人当选') }}{% else %}{{ _('本次选举无效，不产生当选人。') }}{% endif %}")
    tag_row(t, n + 2, "{%tr endif %}")
    n += 3
    label_value_row(doc, t.rows[n], ("{{ _('另行选举及再次投票') }}", "{{ results.notes_text[lang] or pgettext('nothing', '无') }}", None, None))
    label_value_row(doc, t.rows[n + 1], ("{{ _('备注') }}", "{{ remark }}", None, None))
    for row in t.rows:
        if not row.cells[0].paragraphs[0].text.startswith("{%tr"):
            row_height(row, 8)
    para(doc, "{%p endif %}", "Small Note")
    signs = grid(doc, 2, WIDTHS)
    label_value_row(doc, signs.rows[0], (
        "{% if party %}{{ _('会议主持人（签名）') }}{% else %}{{ _('选举委员会主任（签名）') }}{% endif %}",
        "{{ committee_chair or '' }}", "{{ _('总监票人（签名）') }}", "{{ chief_scrutineer or '' }}"))
    row_height(signs.rows[0], 12)
    ours, theirs = signs.cell(1, 0).merge(signs.cell(1, 1)), signs.cell(1, 2).merge(signs.cell(1, 3))
    row_height(signs.rows[1], 42)
    for cell, top, bottom in (
        (ours, "{{ signature.body }}{{ _('（盖章）') }}", ["{{ signature.date | cn_date }}"]),
        (theirs, "{{ _('乡镇（街道）审核意见：') }}", ["{{ _('（盖章）') }}", "{{ _('年　月　日') }}"]),
    ):
        put(doc, cell, top, align=WD_ALIGN_PARAGRAPH.LEFT)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
        for _ in range(3):
            cell.add_paragraph("", style=doc.styles["Table Text"])
        for text in bottom:
            cell.add_paragraph(text, style=doc.styles["Table Text"]).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    para(doc, "{% if blank %}{{ _('填报人：') }}{{ reporter or gap }}　{{ _('联系电话：') }}{{ phone or gap }}"
              "{% else %}{% if reporter %}{{ _('填报人：') }}{{ reporter }}　{% endif %}"
              "{% if phone %}{{ _('联系电话：') }}{{ phone }}{% endif %}{% endif %}", "Small Note")
    return doc
