"""Word template of ballot.runoff: the remaining seats; candidates by previous votes, which are never printed."""

from docx_templates._ballot_parts import ballot_document, candidate_sections, notes, seal

KIND = "ballot.runoff"
SETUP = [
    "{%p if party %}",
    "{%p set write_note = _('对候选人投不赞成票的，可以另选他人：在“另选人”格内写上其姓名，并在对应的格内画“○”。') %}",
    "{%p if majority_base == 'electorate' %}",
    "{%p set elected_note = _('被选举人获得的赞成票超过应到会有选举权的党员人数的一半，始得当选。') %}",
    "{%p else %}",
    "{%p set elected_note = _('被选举人获得的赞成票超过实到会有选举权的党员人数的一半，始得当选。') %}",
    "{%p endif %}",
    "{%p else %}",
    "{%p set write_note = _('另选他人的，在“另选人”格内写上其姓名，并在对应的格内画“○”。') %}",
    "{%p set elected_note = _('另行选举以得票多的当选，但所得票数不得少于已投选票总数的三分之一。') %}",
    "{%p endif %}",
]
NOTES = (
    "[_('本票为另行选举选票，候选人按上一轮得票多少为序，得票相等的按姓氏笔画为序。'),"
    " _('赞成的，在其姓名对应的格内画“○”；不赞成的画“×”；弃权的不画任何符号。')]"
    " + ([write_note] if write_in else [])"
    " + [(_('每栏画“○”的人数（含另选人）等于或少于应选名额的有效，多于应选名额的，该栏作废。') if write_in else _('每栏画“○”的人数等于或少于应选名额的有效，多于应选名额的，该栏作废。')), elected_note]"
)


def build():
    """Title, election, legend, a table per post (candidates by previous votes), notes by rule set, seal."""
    doc = ballot_document("{{ _(ballot_title) }}")
    candidate_sections(doc)
    notes(doc, SETUP, NOTES)
    seal(doc, "{% if party %}{{ _('党组织印章') }}{% else %}{{ _('选举委员会印章') }}{% endif %}")
    return doc
