"""Word template of ballot.party-committee: the committee members' ballot staff can edit; PDF print runs impose
the HTML face."""

from docx_templates._ballot_parts import ballot_document, candidate_sections, notes, seal

KIND = "ballot.party-committee"
NOTES = (
    "[_('候选人按姓氏笔画为序。'), _('赞成的，在其姓名对应的格内画“○”；不赞成的画“×”；弃权的不画任何符号。')]"
    " + ([_('对候选人投不赞成票的，可以另选他人：在“另选人”格内写上其姓名，并在对应的格内画“○”。')] if write_in else [])"
    " + [(_('画“○”的人数（含另选人）等于或少于应选名额的为有效票，多于应选名额的为废票。') if write_in else _('画“○”的人数等于或少于应选名额的为有效票，多于应选名额的为废票。'))]"
)


def build():
    """Title with the branch, election, legend, the members' table (mark cell beside each name), notes, seal."""
    doc = ballot_document("{{ _('%(branch)s委员会委员选票', branch=branch) }}")
    candidate_sections(doc)
    notes(doc, [], NOTES)
    seal(doc, "{{ _('党组织印章') }}")
    return doc
