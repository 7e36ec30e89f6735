"""Word template of ballot.recommendation: per post "推荐不超过N名" and N blank rows for the names."""

from docx_templates._ballot_parts import ballot_document, notes, seal, write_in_sections

KIND = "ballot.recommendation"
SETUP = [
    "{%p if rule_set == 'party-branch' %}",
    "{%p set who = _('被推荐人应为本党组织的正式党员，预备党员没有被选举权。') %}",
    "{%p elif rule_set == 'residents-committee' %}",
    "{%p set who = _('被推荐人应为本居住地区登记参加选举的居民。') %}",
    "{%p else %}",
    "{%p set who = _('被推荐人应为本村登记参加选举的村民。') %}",
    "{%p endif %}",
]
NOTES = (
    "[_('每栏推荐人数不得超过栏首规定的名额，多于规定名额的，该栏推荐无效。'),"
    " _('请在空格内写上被推荐人的姓名，字迹应当清楚；同一栏内不得重复推荐同一人。'), who,"
    " _('推荐票不记名，不得在票上作其他标记。')]"
)


def build():
    """Title by rule set, election, how to fill it in, blank rows per post, notes, seal."""
    doc = ballot_document("{{ _(ballot_title) }}", legend="{{ _('在空格内写上被推荐人的姓名') }}")
    write_in_sections(
        doc, "{{ _(post.label) }}　{{ _('推荐不超过%(n)s名', n=post.up_to|spelled) }}", "{{ _('被推荐人姓名') }}"
    )
    notes(doc, SETUP, NOTES)
    seal(doc, "{% if party %}{{ _('党组织印章') }}{% else %}{{ _('选举委员会印章') }}{% endif %}")
    return doc
