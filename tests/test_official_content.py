"""The official documents' content: structured body, safe inline markup, sentences from the figures, charts."""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal
from typing import Any

import pdfplumber
import pytest
from docx import Document
from flask.testing import FlaskClient

from kit import docx_text, pdf_visual_text, squash
from service import kinds
from service.kinds.official import flatten, inline_runs, shape_title, word_runs
from service.kinds.report.summary import TermFigures, basic_situation
from service.render import charts


def post(client: FlaskClient, kind: str, fmt: str, data: dict[str, Any], lang: str = "zh") -> bytes:
    resp = client.post(f"/api/v1/documents/{kind}?format={fmt}&lang={lang}", json=data)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return resp.data


# --- the structured body ----------------------------------------------------------------------------------


def test_inline_markup_makes_runs() -> None:
    assert inline_runs("甲**乙**丙*丁*") == [
        {"text": "甲", "bold": False, "em": False},
        {"text": "乙", "bold": True, "em": False},
        {"text": "丙", "bold": False, "em": False},
        {"text": "丁", "bold": False, "em": True},
    ]
    assert inline_runs("单个*星号") == [{"text": "单个*星号", "bold": False, "em": False}]
    assert inline_runs("{{7*7}}与2*3*4") == [{"text": "{{7*7}}与2*3*4", "bold": False, "em": False}]
    assert [r["bold"] for r in inline_runs("{{7*7}}**粗体**")] == [False, True]


def test_word_runs_escape_every_text() -> None:
    xml = word_runs(inline_runs("**<w:t>&</w:t>**"))
    assert "&lt;w:t&gt;&amp;&lt;/w:t&gt;" in xml and '<w:rFonts w:eastAsia="黑体"/>' in xml


def test_headings_are_numbered_per_level_and_restart_under_a_higher_one() -> None:
    blocks = [{"type": "heading", "level": lvl, "text": str(i)} for i, lvl in enumerate([1, 2, 2, 3, 4, 1, 2])]
    numbers = [(p["kind"], p["n"]) for p in flatten(blocks)]
    assert numbers == [("h1", 1), ("h2", 1), ("h2", 2), ("h3", 1), ("h4", 1), ("h1", 2), ("h2", 1)]
    assert flatten(blocks[:1], first=2)[0]["n"] == 2


def test_long_titles_are_shaped_into_two_lines_upper_shorter() -> None:
    lines = shape_title("石门镇2026年村“两委”换届选举工作实施方案")
    assert "".join(lines) == "石门镇2026年村“两委”换届选举工作实施方案" and len(lines) == 2
    assert len(lines[0]) <= len(lines[1])
    assert shape_title("关于召开党员大会进行换届选举的请示") == ["关于召开党员大会进行换届选举的请示"]


def test_body_in_both_formats_in_order(client: FlaskClient) -> None:
    data = kinds.get("report.summary").sample()
    expected = [
        "二、主要做法",
        "（一）坚持党的领导",
        "1.严把人选资格关",
        "（1）公开透明",
        "（二）严肃换届纪律",
        "三、存在的问题",
        "后备干部不足",
        "四、下一步工作",
    ]
    for text in (
        docx_text(post(client, "report.summary", "docx", data)),
        pdf_visual_text(post(client, "report.summary", "pdf", data)),
    ):
        hay, pos = squash(text), 0
        for line in expected:
            pos = hay.index(squash(line), pos)


def test_body_table_in_docx_has_its_columns(client: FlaskClient) -> None:
    doc = Document(io.BytesIO(post(client, "report.summary", "docx", kinds.get("report.summary").sample())))
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "问题")
    assert [c.text for c in table.rows[0].cells] == ["问题", "涉及村数", "整改措施"]
    assert [c.text for c in table.rows[2].cells] == ["参选率偏低", "3", "推行委托投票和流动票箱"]


HOSTILE = "<script>alert(1)</script>{{7*7}}**粗体**"


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_markup_is_safe_and_template_syntax_stays_literal(client: FlaskClient, fmt: str) -> None:
    data = kinds.get("report.request").sample()
    data["body"] = [{"type": "paragraph", "text": HOSTILE}, {"type": "heading", "level": 1, "text": "<b>{{ 7*7 }}</b>"}]
    out = post(client, "report.request", fmt, data)
    text = docx_text(out) if fmt == "docx" else pdf_visual_text(out)
    assert squash("<script>alert(1)</script>{{7*7}}粗体") in squash(text)
    assert "49" not in text and "**" not in text
    assert squash("<b>{{ 7*7 }}</b>") in squash(text)
    if fmt == "docx":
        Document(io.BytesIO(out))
        xml = zipfile.ZipFile(io.BytesIO(out)).read("word/document.xml").decode()
        assert "&lt;script&gt;" in xml and "<script>" not in xml
        assert '<w:rFonts w:eastAsia="黑体"/></w:rPr><w:t xml:space="preserve">粗体' in xml  # bold in 黑体
    else:
        with pdfplumber.open(io.BytesIO(out)) as pdf:
            bold = {c["fontname"].split("+")[-1] for p in pdf.pages for c in p.chars if c["text"] in "粗体"}
        assert "Noto-Sans-CJK-SC-Medium" in bold  # **bold** prints in 黑体, as in Word's bold run


def test_a_table_row_of_the_wrong_width_names_the_row(client: FlaskClient) -> None:
    data = kinds.get("report.summary").sample()
    data["body"] = [{"type": "table", "headers": ["甲", "乙"], "rows": [["1", "2"], ["3"]]}]
    resp = client.post("/api/v1/documents/report.summary?format=pdf", json=data)
    assert resp.status_code == 422
    assert "/body/0/rows/1" in resp.get_data(as_text=True)


def test_plan_stages_must_be_in_order(client: FlaskClient) -> None:
    data = kinds.get("plan.implementation").sample()
    data["stages"][1]["end"] = "2026-10-01"
    resp = client.post("/api/v1/documents/plan.implementation?format=pdf", json=data)
    assert resp.status_code == 422 and "/stages/1/end" in resp.get_data(as_text=True)


def test_request_needs_more_candidates_than_seats(client: FlaskClient) -> None:
    data = kinds.get("report.request").sample()
    data["posts"][0]["candidates"] = 5
    resp = client.post("/api/v1/documents/report.request?format=pdf", json=data)
    assert resp.status_code == 422 and "/posts/0/candidates" in resp.get_data(as_text=True)


# --- the summary's sentences from the figures ---------------------------------------------------------------


def figures(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = kinds.get("report.summary").sample()["figures"]
    return {**data, **changes}


def test_basic_situation_numbers() -> None:
    s = basic_situation(TermFigures.model_validate(figures()))
    assert str(s["age"]) == "45.2" and s["age_change"] == {"dir": "down", "years": Decimal("3.1")}
    assert (str(s["college_pct"]), str(s["women_pct"]), str(s["party_pct"])) == ("46.8", "16.7", "81.7")


@pytest.mark.parametrize(
    ("changes", "sentence"),
    [
        ({}, "平均年龄45.2岁，比上届下降3.1岁"),
        ({"previous_average_age": "44.0"}, "平均年龄45.2岁，比上届上升1.2岁"),
        ({"previous_average_age": "45.2"}, "平均年龄45.2岁，与上届持平"),
        ({"previous_average_age": None}, "平均年龄45.2岁。"),
        ({"completed_on_time": 23}, "石门镇共有25个村（社区），其中23个村按期完成换届选举，占92.0%。"),
        ({}, "石门镇共有25个村（社区），已全部按期完成换届选举。"),
        ({}, "大专及以上学历87名，占46.8%；女性成员31名，占16.7%；党员152名，占81.7%。"),
    ],
)
def test_summary_sentences_from_numbers(client: FlaskClient, changes: dict[str, Any], sentence: str) -> None:
    data = kinds.get("report.summary").sample()
    data["figures"] = figures(**changes)
    assert squash(sentence) in squash(docx_text(post(client, "report.summary", "docx", data)))


def test_summary_sentence_in_english(client: FlaskClient) -> None:
    text = docx_text(post(client, "report.summary", "docx", kinds.get("report.summary").sample(), "en"))
    assert "with an average age of 45.2, 3.1 years younger than the previous term" in text


def test_figures_that_do_not_add_up_are_rejected(client: FlaskClient) -> None:
    data = kinds.get("report.summary").sample()
    data["figures"] = figures(women=200, completed_on_time=30)
    resp = client.post("/api/v1/documents/report.summary?format=pdf", json=data)
    body = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "/figures/women" in body and "/figures/completed_on_time" in body


# --- charts ----------------------------------------------------------------------------------------------


def test_pdf_charts_are_vector_with_chinese_labels(client: FlaskClient) -> None:
    out = post(client, "report.summary", "pdf", kinds.get("report.summary").sample())
    with pdfplumber.open(io.BytesIO(out)) as pdf:
        chart_pages = [p for p in pdf.pages if "年龄结构" in (p.extract_text() or "")]
        assert chart_pages
        page = chart_pages[0]
        assert not page.images  # no raster
        assert len(page.rects) + len(page.curves) >= 8  # bars and axes as vector paths
        labels = "".join(c["text"] for c in page.chars)
        assert "35岁及以下" in labels and "本科及以上" in labels and "61人" in labels
        assert any("Noto-Serif-CJK-SC" in c["fontname"] for c in page.chars if c["text"] == "岁")


def test_plan_timeline_is_vector(client: FlaskClient) -> None:
    out = post(client, "plan.implementation", "pdf", kinds.get("plan.implementation").sample())
    with pdfplumber.open(io.BytesIO(out)) as pdf:
        page = next(p for p in pdf.pages if (p.extract_text() or "").startswith("附件2"))
        assert not page.images and len(page.rects) + len(page.curves) >= 3
        assert "选举实施阶段" in (page.extract_text() or "")


def test_docx_charts_are_drawn_from_the_data(client: FlaskClient) -> None:
    template = zipfile.ZipFile(kinds.get("report.summary").docx_template)
    data = kinds.get("report.summary").sample()
    first = zipfile.ZipFile(io.BytesIO(post(client, "report.summary", "docx", data)))
    data["figures"]["age_bands"][0]["count"] += 1
    data["figures"]["age_bands"][1]["count"] -= 1
    second = zipfile.ZipFile(io.BytesIO(post(client, "report.summary", "docx", data)))
    for name in ("word/media/image1.png", "word/media/image2.png"):
        png = first.read(name)
        assert png.startswith(b"\x89PNG") and png != template.read(name)
    assert first.read("word/media/image1.png") != second.read("word/media/image1.png")  # the age chart changed
    assert first.read("word/media/image2.png") == second.read("word/media/image2.png")
    assert len(Document(io.BytesIO(second.fp.getvalue())).inline_shapes) == 2  # type: ignore[union-attr]


def test_docx_is_reproducible(client: FlaskClient) -> None:
    data = kinds.get("report.summary").sample()
    assert post(client, "report.summary", "docx", data) == post(client, "report.summary", "docx", data)


def test_two_charts_on_one_page_share_no_anchor() -> None:
    """matplotlib names every chart's parts figure_1, patch_1 …; inline, two charts must not define one id twice."""
    first, _ = charts.bar_chart("年龄结构", ["35岁以下", "36—45岁"], [3, 5], "人")
    second, _ = charts.bar_chart("文化程度", ["大专以上", "高中"], [4, 2], "人")
    ids = [re.findall(r'\bid="([^"]+)"', str(svg)) for svg in (first, second)]
    assert ids[0] and ids[1] and not set(ids[0]) & set(ids[1])
    for svg, own in zip((first, second), ids, strict=True):
        refs = re.findall(r'(?:href="#|url\(#)([^")]+)', str(svg))
        assert refs and set(refs) <= set(own)  # every reference still points into its own chart
