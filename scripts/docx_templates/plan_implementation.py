"""Word template of plan.implementation (mirrors templates/html/plan.implementation.html)."""

import sys
from datetime import date
from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx_kit import para, table

from docx_templates._gbt9704_parts import attachment_page, body, closing, document, header, imprint, picture_paragraph

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from service.render import charts

KIND = "plan.implementation"
SEP = "{% if lang == 'en' %} {% endif %}"


def build():
    """Free body, the stages section with dates and tasks, the rest; schedule table and timeline attached."""
    doc = document()
    header(doc)
    body(doc, "paras")
    para(doc, "{{ 1 | heading_number(stage_heading) }}" + SEP + "{{ _('工作步骤和时间安排') }}", "Heading Level 1")
    para(doc, "{%p for s in stages %}", "Body Text")
    para(
        doc,
        "{{ 2 | heading_number(loop.index) }}" + SEP + "{{ _('%(name)s（%(start)s至%(end)s）', name=s.name, "
        "start=s.start | cn_date, end=s.end | cn_date) }}",
        "Heading Level 2",
    )
    para(doc, "{%p for t in s.tasks %}", "Body Text")
    para(doc, "{{ loop.index }}.{{ t }}", "Body Text")
    para(doc, "{%p endfor %}", "Body Text")
    para(doc, "{%p endfor %}", "Body Text")
    body(doc, "after_paras", keep_last=True)
    closing(doc)
    attachment_page(doc, 1, "{{ attachments[0] if attachments else _('换届选举工作日程安排表') }}")
    t = table(
        doc,
        ["阶段", "起止时间", "主要任务"],
        [34, 40, 82],
        [
            "{{ s.name }}",
            "{{ _('%(start)s至%(end)s', start=s.start | cn_date, end=s.end | cn_date) }}",
            "{{ s.tasks | join('\\n') }}",
        ],
        "for s in stages",
    )
    for row in t.rows:
        row.cells[2].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.LEFT
    attachment_page(doc, 2, "{{ attachments[1] if attachments | length > 1 else _('换届选举工作进度图') }}")
    _, png = charts.timeline("timeline", [("A", date(2026, 1, 1), date(2026, 1, 9))])
    picture_paragraph(doc, "{{ charts.docx('timeline', _('换届选举工作进度'), '') }}", png, 140)
    imprint(doc)
    return doc
