"""Word template of announcement.candidates."""

from docx.shared import Pt
from docx_kit import new_document, page_number_footer, para, table

from docx_templates._announcement_parts import closing, lead, narrow_margins

KIND = "announcement.candidates"
LABELS = ("{% set labels = {'director': _('主任候选人'), 'deputy_director': _('副主任候选人'), "
          "'member': _('委员候选人')} %}")
TITLE = ("{% if stage == 'formal' %}"
         "{{ _('%(village)s村民委员会成员正式候选人名单公告', village=place.village) }}{% else %}"
         "{{ _('%(village)s村民委员会成员初步候选人名单公告', village=place.village) }}{% endif %}")
INTRO = ("{% if stage == 'formal' %}"
         "{{ _('根据%(basis)s的规定，经村民选举委员会依法确定，"
         "%(village)s第%(term)s届村民委员会成员正式候选人共%(n)s名，现将名单（按姓氏笔画排序）公告如下：', "
         "basis=legal_basis, village=place.village, term=term, n=total) }}{% else %}"
         "{{ _('根据%(basis)s的规定，经登记参加选举的村民直接提名，"
         "%(village)s第%(term)s届村民委员会成员初步候选人共%(n)s名，现将名单（按姓氏笔画排序）公告如下：', "
         "basis=legal_basis, village=place.village, term=term, n=total) }}{% endif %}")
HEADING = ("{{ _('%(number)s%(heading)s', number=1|heading_number(loop.index), "
           "heading=_('%(label)s（应选%(seats)s名，候选人%(n)s名）', label=labels[post.post], "
           "seats=post.seats, n=post.candidates|length)) }}")
ROW = ["{{ c.name }}", "{{ c.sex | sex_label }}", "{{ c.age }}", "{{ c.education }}",
       "{{ _('是') if c.party_member else _('否') }}", "{{ c.note }}"]
OBJECTIONS = ("{% if objection_deadline %}"
              "{{ _('对候选人有异议的，请于%(date)s以前（含当日）向村民选举委员会提出。', "
              "date=objection_deadline|cn_date) }}{% endif %}"
              "{% if contact %}{{ _('受理地点：%(contact)s。', contact=contact) }}{% endif %}")


def build():
    """Number, title by stage, intro, a heading and a table per post, objections, election day, signature."""
    doc = new_document(table_pt=12)
    page_number_footer(doc)
    para(doc, "{%p if number %}", "Doc Number")
    para(doc, "{{ number }}", "Doc Number")
    para(doc, "{%p endif %}", "Doc Number")
    para(doc, TITLE, "Doc Title")
    para(doc, LABELS + INTRO, "Body Text")
    para(doc, "{%p for post in posts %}", "Body Text")
    lead(doc, HEADING, "Heading Level 1").paragraph_format.space_before = Pt(6)
    narrow_margins(table(doc, ["姓名", "性别", "年龄", "文化程度", "中共党员", "备注"], [26, 18, 12, 24, 22, 54],
                         ROW, "for c in post.candidates"))
    para(doc, "{%p endfor %}", "Body Text")
    para(doc, "{%p if objection_deadline or contact %}", "Body Text")
    para(doc, OBJECTIONS, "Body Text")
    para(doc, "{%p endif %}", "Body Text")
    para(doc, "{%p if election_day %}", "Body Text")
    para(doc, "{{ _('选举日为%(date)s，请选民按时参加投票。', date=election_day|cn_date) }}", "Body Text")
    para(doc, "{%p endif %}", "Body Text")
    closing(doc)
    return doc
