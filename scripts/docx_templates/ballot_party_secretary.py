"""Word template of ballot.party-secretary: one table per post, candidates in the approved order."""

from docx_templates._ballot_parts import ballot_document, candidate_sections, notes, seal

KIND = "ballot.party-secretary"
TITLE = (
    "{% if posts|length > 1 %}{{ _('%(branch)s委员会书记、副书记选票', branch=branch) }}"
    "{% elif posts[0].post == 'secretary' %}{{ _('%(branch)s委员会书记选票', branch=branch) }}"
    "{% else %}{{ _('%(branch)s委员会副书记选票', branch=branch) }}{% endif %}"
)
NOTES = (
    "[_('候选人按上级党组织批复的顺序排列。'), _('赞成的，在其姓名对应的格内画“○”；不赞成的画“×”；弃权的不画任何符号。')]"
    " + ([_('对候选人投不赞成票的，可以另选他人：在“另选人”格内写上其姓名，并在对应的格内画“○”。')] if write_in else [])"
    " + [(_('每栏画“○”的人数（含另选人）等于或少于应选名额的有效，多于应选名额的，该栏作废。') if write_in else _('每栏画“○”的人数等于或少于应选名额的有效，多于应选名额的，该栏作废。'))]"
    " + ([_('同一人不得在书记、副书记两栏同时画“○”。')] if posts|length > 1 else [])"
)


def build():
    """Title by the posts, election, legend, a table per post (secretary first), notes, seal."""
    doc = ballot_document(TITLE)
    candidate_sections(doc)
    notes(doc, [], NOTES)
    seal(doc, "{{ _('党组织印章') }}")
    return doc
