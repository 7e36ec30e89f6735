"""The official documents measured against GB/T 9704-2012: the PDF from the positions of its text and rules,
the DOCX from its section and style settings (numbers: /work/shared/reference/gbt9704.md)."""

from __future__ import annotations

import io
import itertools
from collections import defaultdict
from typing import Any

import pdfplumber
import pytest
from docx import Document
from docx.enum.text import WD_LINE_SPACING
from docx.oxml.ns import qn
from flask.testing import FlaskClient

from images import assert_matches_reference, page_image
from service import kinds
from service.filters import cn_date

MM = 72 / 25.4
ASCENT = 0.88  # Noto CJK's ascender: the em box's top is this many ems above the baseline
LEFT, TOP, WIDTH, HEIGHT = 28, 37, 156, 225
OFFICIAL = ["plan.implementation", "report.request", "report.summary"]
FILLER = "村民委员会换届选举工作依法有序推进"  # 17 Han characters, no digits: every character is one em


def render(client: FlaskClient, kind: str, fmt: str, payload: dict[str, Any] | None = None) -> bytes:
    resp = client.post(f"/api/v1/documents/{kind}?format={fmt}&lang=zh", json=payload or kinds.get(kind).sample())
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return resp.data


def full_page_payload() -> dict[str, Any]:
    """The plan with a long body of plain paragraphs, so that page 2 is body text from top to bottom."""
    data = kinds.get("plan.implementation").sample()
    data["body"] = [{"type": "paragraph", "text": FILLER * 9} for _ in range(8)]
    return data


def body_lines(page: Any) -> list[list[dict[str, Any]]]:
    """The page's lines of 16 pt body text (仿宋 stand-in), top to bottom, each as its characters."""
    lines: dict[float, list[dict[str, Any]]] = defaultdict(list)
    for c in page.chars:
        if "Light" in c["fontname"] and round(c["size"]) == 16:
            lines[round(page.height - c["matrix"][5], 1)].append(c)
    return [sorted(lines[y], key=lambda c: c["x0"]) for y in sorted(lines)]


def baseline_mm(page: Any, c: dict[str, Any]) -> float:
    return (page.height - c["matrix"][5]) / MM


@pytest.fixture
def full_page(client: FlaskClient) -> bytes:
    return render(client, "plan.implementation", "pdf", full_page_payload())


@pytest.mark.parametrize("kind", OFFICIAL)
def test_a4_pages(client: FlaskClient, kind: str) -> None:
    with pdfplumber.open(io.BytesIO(render(client, kind, "pdf"))) as pdf:
        for page in pdf.pages:
            assert abs(page.width / MM - 210) < 0.5 and abs(page.height / MM - 297) < 0.5


def test_full_page_has_22_lines_of_28_characters_in_the_text_area(full_page: bytes) -> None:
    with pdfplumber.open(io.BytesIO(full_page)) as pdf:
        page = pdf.pages[1]
        lines = body_lines(page)
        assert len(lines) == 22
        # the text area from the text: the left edge of unindented lines, the top of the first line box
        # (baseline − ascent − half the leading), the width of a full line
        left = min(c["x0"] for line in lines for c in line) / MM
        first = lines[0][0]
        half_leading = (28.9 - 16) / 2
        top = baseline_mm(page, first) - (ASCENT * 16 + half_leading) / MM
        assert abs(left - LEFT) < 1, left
        assert abs(top - TOP) < 1, top
        full = [line for line in lines if len(line) == 28]
        assert len(full) >= 15, [len(line) for line in lines]  # all but first and last lines of paragraphs
        for line in full:
            width = (line[-1]["x1"] - line[0]["x0"]) / MM
            assert abs(width - WIDTH) < 1, width
        assert all(len(line) <= 28 for line in lines)
        # 22 lines on a fixed 28.9 pt pitch fill the 225 mm text area
        pitches = {round(baseline_mm(page, b[0]) - baseline_mm(page, a[0]), 2) for a, b in itertools.pairwise(lines)}
        assert all(abs(p - 28.9 / MM) < 0.05 for p in pitches), pitches
        last_bottom = baseline_mm(page, lines[-1][0]) + ((1 - ASCENT) * 16 + half_leading) / MM
        assert abs(last_bottom - (TOP + HEIGHT)) < 1.5, last_bottom


def test_font_sizes_body_16_title_22(client: FlaskClient) -> None:
    with pdfplumber.open(io.BytesIO(render(client, "report.summary", "pdf"))) as pdf:
        page = pdf.pages[0]
        title = [c for c in page.chars if c["text"] in "换届选举工作总结" and "Bold" in c["fontname"]]
        assert title and {round(c["size"], 1) for c in title} == {22.0}
        body = [c for c in page.chars if "Light" in c["fontname"]]
        assert body and {round(c["size"], 1) for c in body} == {16.0}
        heading = [c for c in page.chars if "Sans" in c["fontname"]]  # 一、 in 黑体, same size
        assert heading and {round(c["size"], 1) for c in heading} == {16.0}


def test_page_numbers_7mm_below_the_text_area_alternating_sides(full_page: bytes) -> None:
    with pdfplumber.open(io.BytesIO(full_page)) as pdf:
        assert len(pdf.pages) >= 3
        for n, page in enumerate(pdf.pages, 1):
            number = [c for c in page.chars if round(c["size"]) == 14 and page.height - c["matrix"][5] > 262 * MM]
            text = "".join(c["text"] for c in sorted(number, key=lambda c: c["x0"]))
            assert text.replace(" ", "") == f"—{n}—"
            top = baseline_mm(page, number[0]) - ASCENT * 14 / MM
            assert abs(top - (TOP + HEIGHT + 7)) < 1, (n, top)
            one_char = 14 / MM
            if n % 2:  # odd: one character in from the right of the text area
                right = max(c["x1"] for c in number) / MM
                assert abs(right - (LEFT + WIDTH - one_char)) < 1, (n, right)
            else:  # even: one character in from the left
                left = min(c["x0"] for c in number) / MM
                assert abs(left - (LEFT + one_char)) < 1, (n, left)


def is_red(color: Any) -> bool:
    return isinstance(color, tuple) and len(color) == 3 and color[0] > 0.8 and color[1] < 0.15 and color[2] < 0.2


@pytest.mark.parametrize("kind", OFFICIAL)
def test_red_mark_and_red_rule(client: FlaskClient, kind: str) -> None:
    sample = kinds.get(kind).sample()
    with pdfplumber.open(io.BytesIO(render(client, kind, "pdf"))) as pdf:
        page = pdf.pages[0]
        mark = [c for c in page.chars if is_red(c["non_stroking_color"])]
        assert "".join(c["text"] for c in mark).startswith(sample["authority"])
        assert {round(c["size"]) for c in mark} == {36}
        # the mark's top 35 mm under the top of the text area
        mark_top = baseline_mm(page, mark[0]) - ASCENT * 36 / MM
        assert abs(mark_top - (TOP + 35)) < 1, mark_top
        rules = [
            r for r in page.rects + page.lines if is_red(r.get("non_stroking_color")) or is_red(r.get("stroking_color"))
        ]
        assert rules, "no red rule"
        rule = rules[0]
        assert abs(rule["x0"] / MM - LEFT) < 0.5 and abs((rule["x1"] - rule["x0"]) / MM - WIDTH) < 0.5
        # the rule 4 mm under the document number
        number = next(c for c in page.chars if c["text"] == "〔")
        assert 3 < (rule["top"] - number["bottom"]) / MM < 7


def test_attachments_start_on_new_pages(client: FlaskClient) -> None:
    with pdfplumber.open(io.BytesIO(render(client, "plan.implementation", "pdf"))) as pdf:
        starts = [p.extract_text().split("\n")[0].strip() for p in pdf.pages]
        assert "附件1" in starts and "附件2" in starts
        page = pdf.pages[starts.index("附件1")]
        label = next(c for c in page.chars if c["text"] == "附")
        assert abs(label["x0"] / MM - LEFT) < 0.5 and "Sans" in label["fontname"]  # 黑体, top left


# --- DOCX ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", OFFICIAL)
def test_docx_section(client: FlaskClient, kind: str) -> None:
    doc = Document(io.BytesIO(render(client, kind, "docx")))
    s = doc.sections[0]
    assert (round(s.page_width.mm), round(s.page_height.mm)) == (210, 297)
    assert (round(s.top_margin.mm), round(s.bottom_margin.mm)) == (37, 35)
    assert (round(s.left_margin.mm), round(s.right_margin.mm)) == (28, 26)
    assert doc.settings.odd_and_even_pages_header_footer
    for footer, align in ((s.footer, "right"), (s.even_page_footer, "left")):
        xml = footer._element.xml
        assert "PAGE" in xml and f'w:jc w:val="{align}"' in xml
        assert footer.paragraphs[0].text.startswith("— ") and footer.paragraphs[0].text.endswith(" —")


STYLES = {
    "Body Text": ("仿宋_GB2312", 16, True),
    "Doc Title": ("方正小标宋简体", 22, False),
    "Heading Level 1": ("黑体", 16, True),
    "Heading Level 2": ("楷体_GB2312", 16, True),
    "Heading Level 3": ("仿宋_GB2312", 16, True),
    "Heading Level 4": ("仿宋_GB2312", 16, True),
    "Authority Mark": ("方正小标宋简体", 36, False),
    "Page Number": ("宋体", 14, False),
    "Imprint": ("仿宋_GB2312", 14, False),
}


@pytest.mark.parametrize("kind", OFFICIAL)
def test_docx_styles(client: FlaskClient, kind: str) -> None:
    doc = Document(io.BytesIO(render(client, kind, "docx")))
    for name, (east_asian, size, exact) in STYLES.items():
        style = doc.styles[name]
        rfonts = style.element.rPr.find(qn("w:rFonts"))
        assert rfonts.get(qn("w:eastAsia")) == east_asian, name
        assert style.font.size.pt == size, name
        assert not style.font.bold, name  # GB/T 9704 headings are not bold
        if exact:
            assert style.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY, name
            assert abs(style.paragraph_format.line_spacing.pt - 28.9) < 0.05, name
    assert str(doc.styles["Authority Mark"].font.color.rgb) == "E60012"
    used = {p.style.name for p in doc.paragraphs}
    assert {"Authority Mark", "Doc Title", "Body Text", "Heading Level 1"} <= used


def test_docx_red_rule_under_the_number(client: FlaskClient) -> None:
    doc = Document(io.BytesIO(render(client, "report.summary", "docx")))
    number = next(p for p in doc.paragraphs if "〔2026〕" in p.text)
    bottom = number._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert bottom.get(qn("w:color")) == "E60012" and bottom.get(qn("w:val")) == "single"
    assert 10 <= int(bottom.get(qn("w:space"))) <= 12  # 4 mm ≈ 11 pt


# --- reference images -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", OFFICIAL)
def test_first_and_signature_pages_match_their_reference_images(client: FlaskClient, kind: str) -> None:
    """The header block and the closing (signature, attachment note, imprint) as images, beside the numbers
    measured above: a change anywhere on these pages shows in test-artifacts/<name>-diff.png."""
    pdf = render(client, kind, "pdf")
    day = cn_date(kinds.get(kind).sample()["signature"]["date"])
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        signed = [n for n, page in enumerate(doc.pages, 1) if day in [w["text"] for w in page.extract_words()]]
    assert signed
    assert_matches_reference(f"{kind}-first", page_image(pdf, 1))
    assert_matches_reference(f"{kind}-signature", page_image(pdf, signed[-1]))
