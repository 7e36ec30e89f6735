"""Word template of announcement.election-committee."""

from docx_kit import new_document, page_number_footer, para, signature_block

KIND = "announcement.election-committee"


def build():
    """The announcement: number, title, body, members by role, objection note, signature."""
    doc = new_document()
    page_number_footer(doc)
    para(doc, "{{ number }}", "Doc Number")
    para(doc, "{{ _('%(village)s%(title)s', village=place.village, title=doc_title) }}", "Doc Title")
    para(doc, "{% set how = {'villagers_assembly': _('村民会议'), 'representatives_assembly': _('村民代表会议'), "
              "'group_meetings': _('各村民小组会议')}[chosen_by] %}"
              "{{ _('根据%(basis)s的规定，经%(date)s%(how)s推选，%(village)s第%(term)s届村民委员会换届选举的村民选举委员会"
              "由以下%(n)s名成员组成：', basis=legal_basis, date=chosen_on|cn_date, how=how, village=place.village, "
              "term=term, n=members|length) }}", "Body Text")
    para(doc, "{%p for role, label in [('chair', pgettext('election committee', '主任')), ('vice_chair', pgettext('election committee', '副主任')), ('member', _('委员'))] "
              "if by_role[role] %}", "Body Text")
    para(doc, "{{ _('%(label)s：', label=label) }}{% for m in by_role[role] %}{% if m.sex %}"
              "{{ _('%(name)s（%(sex)s）', name=m.name, sex=m.sex|sex_label) }}{% else %}{{ m.name }}{% endif %}"
              "{% if not loop.last %}{{ _('、') }}{% endif %}{% endfor %}", "Body Text")
    para(doc, "{%p endfor %}", "Body Text")
    para(doc, "{{ _('村民选举委员会成员被提名为村民委员会成员候选人的，应当退出村民选举委员会，所缺名额按原推选结果依次递补。') }}",
         "Body Text")
    para(doc, "{{ _('对上述名单有异议的，请于公告之日起%(days)s日内向村民选举委员会提出。', days=objection_days) }}"
              "{% if contact %}{{ _('受理：%(contact)s。', contact=contact) }}{% endif %}", "Body Text")
    para(doc, "{{ _('特此公告。') }}", "Body Text")
    signature_block(doc)
    return doc
