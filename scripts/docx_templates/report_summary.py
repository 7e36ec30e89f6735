"""Word template of report.summary (mirrors templates/html/report.summary.html)."""

import sys
from pathlib import Path

from docx_kit import para

from docx_templates._gbt9704_parts import body, closing, document, header, imprint, picture_paragraph

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from service.render import charts

KIND = "report.summary"
SITUATION = (
    "{% set s = situation %}{% if s.all_completed %}{{ _('%(area)s共有%(n)s个村（社区），已全部按期完成换届选举。', area=area, "
    "n=s.villages | cn_count) }}{% else %}{{ _('%(area)s共有%(n)s个村（社区），其中%(done)s个村按期完成换届选举，占%(pct)s%%。', "
    "area=area, n=s.villages | cn_count, done=s.completed | cn_count, pct=s.completed_pct) }}{% endif %}"
    "{{ _('新一届村“两委”班子成员共%(n)s名，', n=s.members | cn_count) }}{% if s.age_change is none %}"
    "{{ _('平均年龄%(age)s岁。', age=s.age) }}{% elif s.age_change.dir == 'down' %}"
    "{{ _('平均年龄%(age)s岁，比上届下降%(diff)s岁。', age=s.age, diff=s.age_change.years) }}"
    "{% elif s.age_change.dir == 'up' %}{{ _('平均年龄%(age)s岁，比上届上升%(diff)s岁。', age=s.age, diff=s.age_change.years) }}"
    "{% else %}{{ _('平均年龄%(age)s岁，与上届持平。', age=s.age) }}{% endif %}"
    "{{ _('大专及以上学历%(n)s名，占%(pct)s%%；女性成员%(w)s名，占%(wpct)s%%；党员%(p)s名，占%(ppct)s%%。', "
    "n=s.college | cn_count, pct=s.college_pct, w=s.women | cn_count, wpct=s.women_pct, p=s.party | cn_count, "
    "ppct=s.party_pct) }}"
)


def chart(doc, name: str, title: str) -> None:
    """A picture the renderer replaces with the chart drawn from the data (word/media/imageN.png)."""
    _, png = charts.bar_chart(f"{name}", ["A", "B"], [1, 2 if name == "age" else 3], "")
    picture_paragraph(doc, "{{ charts.docx('" + name + "', _('" + title + "'), _('人')) }}", png, 130)


def build():
    """The summary: basic situation from data with the two charts, then the free body (from 二、)."""
    doc = document()
    header(doc)
    para(doc, "{{ 1 | heading_number(1) }}{% if lang == 'en' %} {% endif %}{{ _('基本情况') }}", "Heading Level 1")
    para(doc, SITUATION, "Body Text")
    chart(doc, "age", "新一届村“两委”成员年龄结构")
    chart(doc, "education", "新一届村“两委”成员学历结构")
    body(doc, keep_last=True)
    closing(doc)
    imprint(doc)
    return doc
