"""Word template of table.team-structure."""

from docx_kit import para, table_signatures

from docx_templates._results_parts import fill, grid, header_rows, heading, put, results_document, tag_row

KIND = "table.team-structure"
# 267 mm like the PDF's (service/kinds/table/team_structure.py), but the share column is wider: Word's cell
# margins and the 宋体 fallback need 15 mm for "42.9%" on one line.
WIDTHS = [8, 20, 10, 10, 10, 10, 13, 10.5, 10.5, 10.5, 11.5, 11.5, 11.5, 11.5, 9, 15, 12, 14.5, 14.5, 14.5, 14.5, 14.5]
EDUCATION = ["研究生", "大学本科", "大专", "高中/中专", "初中及以下"]  # statistics.EDUCATION_BANDS
GROUPS = [  # (first column, last column, label) of the upper header row
    (2, 5, "两委成员（人）"), (7, 9, "平均年龄（岁）"), (10, 13, "年龄结构（人）"), (14, 15, "女性成员"),
    (17, 21, "文化程度（人）"),
]
SINGLE = [(0, "序号"), (1, "村（社区）"), (6, "书记、主任一肩挑"), (16, "中共党员（人）")]
LOWER = {col: "{{ _('" + label + "') }}" for col, label in (
    (2, "合计"), (5, "交叉任职"), (7, "本届"), (8, "上届"), (14, "人数"), (15, "占比"),
    *((17 + i, band) for i, band in enumerate(EDUCATION)))}
LOWER[3] = "{{ pgettext('team structure', '党组织委员') }}"
LOWER[4] = "{{ pgettext('team structure', '村委会委员') }}"
LOWER[9] = "{{ pgettext('column', '增减') }}"


def age(expr: str) -> str:
    """An average age's display value, or a dash when nobody's age is known."""
    return "{{ " + expr + ".display if " + expr + ".display is not none else '—' }}"


def counts(expr: str, n: int) -> list[str]:
    """The counts of the first ``n`` bands of a statistic."""
    return ["{{ " + expr + "[" + str(i) + "].count }}" for i in range(n)]


def share(side: str) -> str:
    """A count with its share in brackets where the statistic has one."""
    return ("{{ c." + side + ".count }}{% if c." + side + ".ratio is not none %}"
            "{{ _('（%(p)s）', p=c." + side + ".ratio|percent) }}{% endif %}")


ROW = ["{{ row.no }}", "{{ row.village }}", "{{ row.now.count }}", "{{ row.now.party_committee }}",
       "{{ row.now.villagers_committee }}", "{{ row.now.cross_holding }}",
       "{{ _('是') if row.now.one_shoulder else _('否') }}", age("row.now.average_age"),
       "{{ row.before.average_age.display if row.before else '—' }}", "{{ row.age_change }}",
       *counts("row.now.age_bands.bands", 4),
       "{{ row.now.women.count }}", "{{ row.now.women.ratio | percent }}", "{{ row.now.party_members.count }}",
       *counts("row.now.education.bands", 5)]
TOTAL = ["{{ township.count }}", "{{ township.party_committee }}", "{{ township.villagers_committee }}",
         "{{ township.cross_holding }}", "{{ _('%(n)s个村', n=township.one_shoulder.count) }}",
         age("township.average_age"), "—", "—", *counts("township.age_bands.bands", 4),
         "{{ township.women.count }}", "{{ township.women.ratio | percent }}", "{{ township.party_members.count }}",
         *counts("township.education.bands", 5)]
LABELS = ("{% set labels = {'members': _('两委成员（人）'), 'average_age': _('平均年龄（岁）'), "
          "'young': _('%(band)s（人）', band=band_labels[0][lang]), 'women': _('女性成员（人）'), "
          "'party_members': _('中共党员（人）'), 'higher_education': _('大专及以上学历（人）'), "
          "'cross_holding': _('交叉任职（人）'), 'one_shoulder': _('书记、主任一肩挑（村）')} %}")


def structure_table(doc) -> None:
    """Two header rows (groups over their columns), one row per village, the township total."""
    t = grid(doc, 6, WIDTHS)
    for col, label in SINGLE:
        put(doc, t.cell(0, col).merge(t.cell(1, col)), "{{ _('" + label + "') }}", "Table Heading")
    for first, last, label in GROUPS:
        put(doc, t.cell(0, first).merge(t.cell(0, last)), "{{ _('" + label + "') }}", "Table Heading")
    for col, text in LOWER.items():
        put(doc, t.cell(1, col), text, "Table Heading", size=8)
    for i in range(4):
        put(doc, t.cell(1, 10 + i), "{{ band_labels[" + str(i) + "][lang] }}", "Table Heading", size=8)
    header_rows(t, 2)
    tag_row(t, 2, "{%tr for row in rows %}")
    fill(doc, t.rows[3], ROW)
    tag_row(t, 4, "{%tr endfor %}")
    put(doc, t.cell(5, 0).merge(t.cell(5, 1)), "{{ _('合计') }}", "Table Heading")
    for i, text in enumerate(TOTAL):
        put(doc, t.cell(5, 2 + i), text, "Table Heading")


def comparison_table(doc) -> None:
    """This term against the last, for the villages that have both."""
    t = grid(doc, 4, [70, 60, 60, 77])
    fill(doc, t.rows[0], ["{{ _('项目') }}", "{{ _('本届') }}", "{{ _('上届') }}", "{{ _('增减') }}"], "Table Heading")
    header_rows(t)
    tag_row(t, 1, "{%tr for c in comparison %}")
    fill(doc, t.rows[2], ["{{ labels[c.key] }}", share("now"), share("before"),
                          "{{ c.change }}"])
    tag_row(t, 3, "{%tr endfor %}")


def build():
    """Landscape: title, the structure table, the comparison with the last term, notes, signatures."""
    doc = results_document(landscape=True, table_pt=9)
    para(doc, LABELS + "{{ _('%(township)s%(title)s', township=place.township, title=doc_title) }}", "Doc Title")
    para(doc, "{{ _('乡镇（街道）：') }}{{ place.township }}　　{{ _('本届：第%(term)s届', term=term) }}　　"
              "{{ _('年龄计算日：本届%(now)s，上届%(before)s', now=election_day|cn_date, "
              "before=previous_election_day|cn_date if previous_election_day else '—') }}　　"
              "{{ _('村（社区）数：%(n)s个', n=rows|length) }}", "Small Note")
    structure_table(doc)
    para(doc, "{%p if comparison %}", "Small Note")
    heading(doc, "{{ _('与上届比较（%(n)s个村）', n=compared) }}")
    comparison_table(doc)
    para(doc, "{%p endif %}", "Small Note")
    para(doc, "{%p for n in notes %}", "Small Note")
    para(doc, "{{ n[lang] }}", "Small Note")
    para(doc, "{%p endfor %}", "Small Note")
    para(doc, "")
    table_signatures(doc)
    return doc
