"""Word template of announcement.results."""

from docx_kit import new_document, page_number_footer, para

from docx_templates._announcement_parts import closing, lead

KIND = "announcement.results"
INTRO = ("{% set c = results.counts %}"
         "{{ _('根据%(basis)s的规定，%(election)s于%(date)s举行。', basis=legal_basis, election=election_name[lang], "
         "date=election_day|cn_date) }}"
         "{% if results.party %}{{ _('应到会有选举权的党员%(electorate)s人，实到会%(present)s人。', "
         "electorate=c.electorate, present=c.present) }}{% else %}"
         "{{ _('登记参加选举的村民%(electorate)s人，参加投票%(voted)s人。', electorate=c.electorate, "
         "voted=c.ballots_returned) }}{% endif %}"
         "{{ _('共发出选票%(issued)s张，收回%(returned)s张，其中有效票%(valid)s张，无效票%(invalid)s张。', "
         "issued=c.ballots_issued, returned=c.ballots_returned, valid=c.ballots_valid, invalid=c.ballots_invalid) }}")
ELECTED = ("{{ _('%(label)s：', label=post.title[lang]) }}{% for p in post.elected %}"
           "{{ _('%(name)s（%(votes)s票）', name=p.name, votes=p.votes) }}"
           "{% if not loop.last %}{{ _('、') }}{% endif %}{% endfor %}")
FURTHER = ("{{ _('另行选举定于%(date)s举行。', date=further_round_date|cn_date) }}"
           "{% if further_round_place %}{{ _('地点：%(place)s。', place=further_round_place) }}{% endif %}")


def build():
    """Number, title, the count and its validity, those elected per post, further rounds, signature."""
    doc = new_document()
    page_number_footer(doc)
    para(doc, "{%p if number %}", "Doc Number")
    para(doc, "{{ number }}", "Doc Number")
    para(doc, "{%p endif %}", "Doc Number")
    para(doc, "{{ _('%(election)s结果公告', election=election_name[lang]) }}", "Doc Title")
    para(doc, INTRO, "Body Text")
    para(doc, "{{ results.verdict_text[lang] }}", "Body Text")
    para(doc, "{%p if results.valid %}", "Body Text")
    para(doc, "{%p if results.elected %}", "Body Text")
    lead(doc, "{{ _('经公开计票，下列人员当选（按职务和得票多少排列）：') }}")
    para(doc, "{%p for post in results.posts if post.elected %}", "Body Text")
    lead(doc, ELECTED)
    para(doc, "{%p endfor %}", "Body Text")
    para(doc, "{%p else %}", "Body Text")
    para(doc, "{{ _('经公开计票，没有人获得当选所需的票数。') }}", "Body Text")
    para(doc, "{%p endif %}", "Body Text")
    para(doc, "{%p for n in results.notes %}", "Body Text")
    para(doc, "{{ n.text[lang] }}", "Body Text")
    para(doc, "{%p endfor %}", "Body Text")
    para(doc, "{%p if further_round_date %}", "Body Text")
    para(doc, FURTHER, "Body Text")
    para(doc, "{%p endif %}", "Body Text")
    para(doc, "{%p else %}", "Body Text")
    para(doc, "{{ _('本次选举无效，不产生当选人。') }}", "Body Text")
    para(doc, "{%p endif %}", "Body Text")
    closing(doc)
    return doc
