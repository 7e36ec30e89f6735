"""Word template of report.request (mirrors templates/html/report.request.html)."""

from docx_kit import para

from docx_templates._gbt9704_parts import body, closing, document, header, imprint

KIND = "report.request"


def build():
    """The request: header without 文件, the facts from the data, the free body, 妥否，请批示。"""
    doc = document()
    header(doc, mark_file=False)
    sep = "{% if lang == 'en' %} {% endif %}"
    para(
        doc,
        "{{ _('%(branch)s本届委员会于%(start)s选举产生，任期至%(end)s届满。根据《中国共产党章程》和《中国共产党基层组织"
        "选举工作条例》的规定，经支部委员会研究，拟于%(date)s召开党员大会，进行换届选举。现将有关事项请示如下：', branch=branch, "
        "start=term_start | cn_date, end=term_end | cn_date, date=meeting_date | cn_date) }}",
        "Body Text",
    )
    para(doc, "{{ 1 | heading_number(1) }}" + sep + "{{ _('会议议程') }}", "Heading Level 1")
    para(doc, "{%p for a in agenda %}", "Body Text")
    para(doc, "{{ loop.index }}.{{ a }}{{ _('；') if not loop.last else _('。') }}", "Body Text")
    para(doc, "{%p endfor %}", "Body Text")
    para(doc, "{{ 1 | heading_number(2) }}" + sep + "{{ _('职数和候选人') }}", "Heading Level 1")
    para(doc, "{%p for p in posts %}", "Body Text")
    para(
        doc,
        "{{ _('%(post)s应选%(seats)s名，候选人%(cands)s名，实行差额选举。', post=p.post, seats=p.seats, "
        "cands=p.candidates) }}",
        "Body Text",
    )
    para(doc, "{%p endfor %}", "Body Text")
    para(
        doc,
        "{% if method == 'direct' %}{{ _('书记、副书记由党员大会直接选举产生。') }}{% else %}"
        "{{ _('书记、副书记由新一届支部委员会第一次全体会议选举产生。') }}{% endif %}",
        "Body Text",
    )
    para(doc, "{{ 1 | heading_number(3) }}" + sep + "{{ _('党员情况') }}", "Heading Level 1")
    para(
        doc,
        "{{ _('支部现有党员%(n)s名，其中正式党员%(full)s名。', n=members, full=full_members) }}{% if excused %}"
        "{{ _('因故不能参加会议、经批准不计入应到会人数的党员%(n)s名：', n=excused | length) }}{% for e in excused %}"
        "{{ e.name }}{{ _('（%(reason)s）', reason=e.reason) }}{{ _('、') if not loop.last else _('；') }}{% endfor %}"
        "{% endif %}{{ _('应到会有选举权的党员%(n)s名。', n=expected) }}",
        "Body Text",
    )
    body(doc)
    para(doc, "{{ _('妥否，请批示。') }}", "Body Text").paragraph_format.keep_with_next = True  # with the signature
    closing(doc)
    imprint(doc)
    return doc
