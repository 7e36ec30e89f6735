"""Word template of table.tally."""

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx_kit import keep_quotes, para

from docx_templates._results_parts import (
    fill,
    grid,
    header_rows,
    heading,
    put,
    results_document,
    row_height,
    tag_row,
)

KIND = "table.tally"
STATUS = ("{% set status = {'elected': _('当选'), 'not_elected': _('未当选'), 'tied': _('票数相等，须再次投票'), "
          "'further_round_candidate': _('另行选举候选人'), 'elected_higher_post': _('已当选较高职务'), "
          "'void': _('选举无效')} %}"
          "{% set bases = {'ballots_returned': pgettext('threshold', '参加投票人数'), 'present': _('实到会有选举权的党员人数'), "
          "'electorate': _('应到会有选举权的党员人数')} %}")
TITLE = "{{ _('%(election)s%(title)s', election=election_name[lang], title=doc_title) }}"
META = ("{{ _('选举日期：') }}{{ election_day | cn_date }}"
        "{% if station or blank %}　　{{ _('计票地点：') }}{{ station or gap }}{% endif %}")
COUNT_HEAD = [
    "{% if results.party %}{{ _('应到会人数') }}{% else %}{{ _('登记选民数') }}{% endif %}",
    "{% if results.party %}{{ _('实到会人数') }}{% else %}{{ _('参加投票人数') }}{% endif %}",
    "{{ _('发出选票') }}", "{{ _('收回选票') }}", "{{ _('有效票') }}", "{{ _('无效票') }}",
    "{% if results.party %}{{ _('到会率') }}{% else %}{{ _('参选率') }}{% endif %}",
]
COUNT_ROW = [
    "{{ results.counts.electorate }}",
    "{% if results.party %}{{ results.counts.present }}{% else %}{{ results.counts.ballots_returned }}{% endif %}",
    "{{ results.counts.ballots_issued }}", "{{ results.counts.ballots_returned }}",
    "{{ results.counts.ballots_valid }}", "{{ results.counts.ballots_invalid }}", "{{ results.turnout | percent }}",
]
VERDICT = ("{% if results.valid %}{{ _('选举有效。') }}{% else %}{{ _('选举无效。') }}{% endif %}"
           "{{ results.verdict_text[lang] }}")
THRESHOLD = ("{{ _('当选所需票数：%(n)s票', n=results.threshold.min_votes) }}"
             "{{ _('（%(base)s%(count)s人）', base=bases[results.threshold.base_kind], count=results.threshold.base) }}"
             "{{ _('依据：') }}{{ results.threshold.rule[lang] }}"
             "{{ _('（%(source)s）', source=results.threshold.source) }}")
NAME = "{{ p.name }}{% if p.write_in %}{{ _('（另选）') }}{% endif %}"
ROW_NAME = "{{ row.name }}{% if row.write_in %}{{ _('（另选）') }}{% endif %}"
STANDING = ("{% for s in p.standings %}{% if s.status == 'elected' %}{{ _('当选%(post)s', post=s.title[lang]) }}"
            "{% elif s.status == 'tied' %}{{ _('%(post)s票数相等，须再次投票', post=s.title[lang]) }}"
            "{% else %}{{ _('%(post)s另行选举候选人', post=s.title[lang]) }}{% endif %}"
            "{% if not loop.last %}{{ _('；') }}{% endif %}{% else %}{{ status[p.status] }}{% endfor %}")
COMBINED_HEADING = ("{{ _('%(number)s%(heading)s', number=1|heading_number(1), heading=_('合并选票计票')) }}　"
                    "{% for col in results.combined.columns if col.seats %}"
                    "{{ _('%(post)s应选%(seats)s名', post=col.title[lang], seats=col.seats) }}"
                    "{% if not loop.last %}{{ _('，') }}{% endif %}{% endfor %}")
POST_HEADING = ("{{ _('%(number)s%(heading)s', number=1|heading_number(loop.index + (1 if results.combined else 0)), "
                "heading=_('%(post)s（应选%(seats)s名）', post=post.title[lang], seats=post.seats)) }}")
GAP = "{% set gap = '　　　　' %}"
BLANK_COUNT_HEAD = [h.replace("results.party", "blank_form.party") for h in COUNT_HEAD]
BLANK_VERDICT = ("{{ _('选举是否有效：') }}{{ _('□有效　□无效') }}　　"
                 "{{ _('当选所需票数：%(n)s票', n=gap) }}")
BLANK_COMBINED_HEADING = COMBINED_HEADING.replace("results.combined", "blank_form.combined")
BLANK_POST_HEADING = ("{{ _('%(number)s%(heading)s', number=1|heading_number(loop.index + (1 if blank_form.combined "
                      "else 0)), heading=_('%(post)s（应选%(seats)s名）', post=post.title[lang], "
                      "seats=post.seats or gap)) }}")
MEETS = "{% if row.status == 'void' %}—{% else %}{{ _('是') if row.meets_threshold else _('否') }}{% endif %}"


def combined_table(doc, blank: bool = False) -> None:
    """One row per person on a combined ballot: marks per column, votes counted per post, the result (on a
    blank form: the names and empty boxes)."""
    source = "blank_form.combined" if blank else "results.combined"
    widths = [9, 25, 18, 18, 18, 18, 18, 18, 30]
    t = grid(doc, 5, widths)
    for i, text in ((0, "{{ _('序号') }}"), (1, "{{ _('姓名') }}"), (8, "{{ _('计票结果') }}")):
        put(doc, t.cell(0, i).merge(t.cell(1, i)), text, "Table Heading")
    put(doc, t.cell(0, 2).merge(t.cell(0, 4)), "{{ _('选票各栏所得票数') }}", "Table Heading")
    put(doc, t.cell(0, 5).merge(t.cell(0, 7)), "{{ _('计入各职务的票数') }}", "Table Heading")
    for i in range(3):
        for first in (2, 5):
            put(doc, t.cell(1, first + i), "{{ " + source + ".columns[" + str(i) + "].title[lang] }}",
                "Table Heading", size=9)
    header_rows(t, 2)
    tag_row(t, 2, "{%tr for p in " + source + ".people %}")
    if blank:
        fill(doc, t.rows[3], ["{{ p.no }}", "{{ p.name }}"] + [""] * 7)
        row_height(t.rows[3], 8)
        tag_row(t, 4, "{%tr endfor %}")
        return
    cells = ["{{ p.no }}", NAME]
    cells += [f"{{{{ p.{part}.{k} if p.{part}.{k} is not none else '—' }}}}" for part in ("marks", "counted")
              for k in POSTS]
    fill(doc, t.rows[3], [*cells, STANDING])
    tag_row(t, 4, "{%tr endfor %}")


POSTS = ("director", "deputy_director", "member")


def post_table(doc, marks: bool) -> None:
    """One separate post: votes (or agree/disagree/abstain), whether the threshold is met, the result."""
    if marks:
        head = ["序号", "姓名", "赞成", "反对", "弃权", "达到当选票数", "计票结果"]
        widths = [12, 38, 17, 17, 17, 33, 38]
        row = ["{{ row.no }}", ROW_NAME, "{{ row.votes }}",
               "{{ row.disagree if row.disagree is not none else '' }}",
               "{{ row.abstain if row.abstain is not none else '' }}", MEETS, "{{ status[row.status] }}"]
    else:
        head = ["序号", "姓名", None, "达到当选票数", "计票结果"]
        widths = [14, 52, 32, 30, 44]
        row = ["{{ row.no }}", ROW_NAME, "{{ row.votes }}", MEETS, "{{ status[row.status] }}"]
    t = grid(doc, 4, widths)
    fill(doc, t.rows[0], ["{% if results.party %}{{ _('赞成') }}{% else %}{{ _('得票数') }}{% endif %}"
                          if h is None else "{{ _('" + h + "') }}" for h in head], "Table Heading")
    header_rows(t)
    tag_row(t, 1, "{%tr for row in post.rows %}")
    fill(doc, t.rows[2], row)
    tag_row(t, 3, "{%tr endfor %}")


def blank_post_table(doc, marks: bool) -> None:
    """One post on a blank form: candidates' names, then empty lines; a column for the tally marks (正)."""
    if marks:
        head = ["序号", "姓名", "赞成", "反对", "弃权", "达到当选票数", "计票结果"]
        widths = [12, 38, 17, 17, 17, 33, 38]
    else:
        head = ["序号", "姓名", "唱票记录（划“正”字）", "得票数", "达到当选票数", "计票结果"]
        widths = [12, 30, 62, 20, 24, 24]
    t = grid(doc, 4, widths)
    fill(doc, t.rows[0], [keep_quotes("{{ _('" + h + "') }}") for h in head], "Table Heading")
    header_rows(t)
    tag_row(t, 1, "{%tr for row in post.rows %}")
    fill(doc, t.rows[2], ["{{ row.no }}", "{{ row.name }}"] + [""] * (len(head) - 2))
    row_height(t.rows[2], 8)
    tag_row(t, 3, "{%tr endfor %}")


def blank_body(doc) -> None:
    """The blank form for election day: empty count boxes, the posts with names and empty lines."""
    t = grid(doc, 2, [26, 26, 24, 24, 24, 24, 24])
    fill(doc, t.rows[0], BLANK_COUNT_HEAD, "Table Heading")
    fill(doc, t.rows[1], [""] * 7)
    row_height(t.rows[1], 10)
    para(doc, BLANK_VERDICT, "Small Note")
    para(doc, "{%p if blank_form.combined %}", "Small Note")
    heading(doc, BLANK_COMBINED_HEADING)
    combined_table(doc, blank=True)
    para(doc, "{%p endif %}", "Small Note")
    para(doc, "{%p for post in blank_form.separate %}", "Small Note")
    heading(doc, BLANK_POST_HEADING)
    para(doc, "{%p if blank_form.party %}", "Small Note")
    blank_post_table(doc, marks=True)
    para(doc, "{%p else %}", "Small Note")
    blank_post_table(doc, marks=False)
    para(doc, "{%p endif %}", "Small Note")
    para(doc, "{%p endfor %}", "Small Note")
    para(doc, "{{ _('空行用于填写另选他人。') }}", "Small Note")


def build():
    """Title, counts, verdict, threshold, the combined-ballot table or a table per post, notes, signatures."""
    doc = results_document()
    para(doc, STATUS + GAP + TITLE, "Doc Title")
    para(doc, META, "Small Note")
    para(doc, "{%p if blank %}", "Small Note")
    blank_body(doc)
    para(doc, "{%p else %}", "Small Note")
    t = grid(doc, 2, [26, 26, 24, 24, 24, 24, 24])
    fill(doc, t.rows[0], COUNT_HEAD, "Table Heading")
    fill(doc, t.rows[1], COUNT_ROW)
    para(doc, VERDICT, "Small Note")
    para(doc, "{%p if results.valid and results.threshold %}", "Small Note")
    para(doc, THRESHOLD, "Small Note")
    para(doc, "{%p endif %}", "Small Note")
    para(doc, "{%p if results.combined %}", "Small Note")
    heading(doc, COMBINED_HEADING)
    combined_table(doc)
    para(doc, "{%p if results.combined.rule %}", "Small Note")
    para(doc, "{{ _('计票规则：') }}{{ results.combined.rule[lang] }}"
              "{{ _('（%(source)s）', source=results.combined.source) }}", "Small Note")
    para(doc, "{%p endif %}", "Small Note")
    para(doc, "{%p for post in results.posts if post.ballot == 'combined' %}", "Small Note")
    para(doc, "{%p for n in post.notes %}", "Small Note")
    para(doc, "{{ n.text[lang] }}", "Small Note")
    para(doc, "{%p endfor %}", "Small Note")
    para(doc, "{%p endfor %}", "Small Note")
    para(doc, "{%p endif %}", "Small Note")
    para(doc, "{%p for post in results.separate %}", "Small Note")
    heading(doc, POST_HEADING)
    para(doc, "{%p if post.marks %}", "Small Note")
    post_table(doc, marks=True)
    para(doc, "{%p else %}", "Small Note")
    post_table(doc, marks=False)
    para(doc, "{%p endif %}", "Small Note")
    para(doc, "{%p for n in post.notes %}", "Small Note")
    para(doc, "{{ n.text[lang] }}", "Small Note")
    para(doc, "{%p endfor %}", "Small Note")
    para(doc, "{%p endfor %}", "Small Note")
    para(doc, "{%p for n in results.committee_notes %}", "Small Note")
    para(doc, "{{ n.text[lang] }}", "Small Note")
    para(doc, "{%p endfor %}", "Small Note")
    para(doc, "{%p endif %}", "Small Note")
    para(doc, "{%p if remark %}", "Small Note")
    para(doc, "{{ _('备注：') }}{{ remark }}", "Small Note")
    para(doc, "{%p endif %}", "Small Note")
    para(doc, "")
    signs = grid(doc, 7, [30, 72, 70])
    fill(doc, signs.rows[0], ["{{ _('职责') }}", "{{ _('姓名') }}", "{{ _('签名') }}"], "Table Heading")
    fill(doc, signs.rows[1], ["{{ _('总监票人') }}", "{{ chief_scrutineer or '' }}", ""])
    fill(doc, signs.rows[2], ["{{ _('监票人') }}", "{{ scrutineers | join(_('、')) }}", ""])
    fill(doc, signs.rows[3], ["{{ _('计票人') }}", "{{ counters | join(_('、')) }}", ""])
    tag_row(signs, 4, "{%tr if callers %}")
    fill(doc, signs.rows[5], ["{{ _('唱票人') }}", "{{ callers | join(_('、')) }}", ""])
    tag_row(signs, 6, "{%tr endif %}")
    for i in (1, 2, 3, 5):
        row_height(signs.rows[i], 9)
    para(doc, "")
    para(doc, "{{ signature.body }}　{{ signature.date | cn_date }}", "Small Note").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return doc
