"""The GB/T 9704 pieces around the body, measured in the PDF (pdfplumber) and set in the DOCX (python-docx): the
authority mark fitted to the line, the 签发人 line of an upward document, the signature (§7.3.5) and the imprint (版记)
at the bottom of the last page; the signature never alone on a page. test_gbt9704_libreoffice.py lays the Word files
out to check the same positions there."""

from __future__ import annotations

import io
from typing import Any

import pdfplumber
import pytest
from docx import Document
from docx.oxml.ns import qn
from flask.testing import FlaskClient
from test_gbt9704 import FILLER, HEIGHT, LEFT, MM, TOP, WIDTH, is_red

from service import kinds
from service.filters import cn_date, fit_pt, text_em

EM = 16 / MM  # one 3号 character in mm
RIGHT = LEFT + WIDTH
WIDTH_TW, EM_TW = 8844, 320  # the text-area width and one 3号 em in twips


def post(client: FlaskClient, kind: str, fmt: str, payload: dict[str, Any] | None = None, lang: str = "zh") -> bytes:
    resp = client.post(f"/api/v1/documents/{kind}?format={fmt}&lang={lang}", json=payload or kinds.get(kind).sample())
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return resp.data


def sample(kind: str, **changes: Any) -> dict[str, Any]:
    data = kinds.get(kind).sample()
    data.update(changes)
    return data


def words(page: Any) -> list[dict[str, Any]]:
    return page.extract_words(keep_blank_chars=False, use_text_flow=True)


def find_line(pdf: Any, text: str) -> tuple[int, dict[str, Any]]:
    """The page index and the word (pdfplumber) that is exactly ``text``, last occurrence."""
    found = [(i, w) for i, page in enumerate(pdf.pages) for w in words(page) if w["text"] == text]
    assert found, text
    return found[-1]


def signature(pdf: Any, name: str, day: str) -> tuple[int, dict[str, Any], dict[str, Any]]:
    """The page index, the authority-name word and the date word of the signature: the name is the one just
    above the date (the imprint may repeat it)."""
    i, date = find_line(pdf, day)
    above = [w for w in words(pdf.pages[i]) if w["text"] == name and w["bottom"] <= date["top"]]
    assert above, (name, i)
    return i, max(above, key=lambda w: w["top"]), date


def rule_bands(page: Any) -> list[tuple[float, float]]:
    """The full-width horizontal rules below the middle of the page as (top, thickness) in mm. WeasyPrint fills a
    border as the band between two rectangles, so the rules are the gaps between consecutive distinct edges."""
    edges = sorted(
        {
            round(y / MM, 2)
            for r in page.rects
            if abs(r["width"] / MM - WIDTH) < 0.5 and r["top"] / MM > 150
            for y in (r["top"], r["bottom"])
        }
    )
    assert len(edges) % 2 == 0, edges
    return [(a, round(b - a, 2)) for a, b in zip(edges[::2], edges[1::2], strict=True)]


# --- the authority mark ---------------------------------------------------------------------------------------


def test_fit_pt_keeps_36_pt_for_a_usual_name_and_shrinks_a_long_one() -> None:
    assert fit_pt("中共石门镇委员会文件") == 36
    long = "中共青山县石门镇东风街道柳溪村社区联合委员会选举工作领导小组文件"
    assert fit_pt(long) < 36 and fit_pt(long) * text_em(long) <= 436
    assert text_em("Qingshan County Election Office Document") < len("Qingshan County Election Office Document")


MARKS = [
    (
        "zh",
        "中共青山县石门镇东风街道柳溪村社区联合委员会选举工作领导小组",
        "中共青山县石门镇东风街道柳溪村社区联合委员会选举工作领导小组文件",
    ),
    ("en", "Qingshan County Election Office", "Qingshan County Election Office Document"),
]


@pytest.mark.parametrize(("lang", "authority", "mark"), MARKS)
def test_a_long_mark_shrinks_to_one_line_in_the_pdf(client: FlaskClient, lang: str, authority: str, mark: str) -> None:
    pdf = post(client, "report.summary", "pdf", sample("report.summary", authority=authority), lang)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        red = [c for c in doc.pages[0].chars if is_red(c["non_stroking_color"])]
        assert "".join(c["text"] for c in red).replace(" ", "") == mark.replace(" ", "")
        assert len({round(c["matrix"][5], 1) for c in red}) == 1  # one line
        assert {round(c["size"], 1) for c in red} == {fit_pt(mark)} and fit_pt(mark) < 36
        left, right = min(c["x0"] for c in red) / MM, max(c["x1"] for c in red) / MM
        assert left > LEFT - 0.1 and right < RIGHT + 0.1
        assert abs((left + right) / 2 - (LEFT + WIDTH / 2)) < 0.5  # centred
        assert right - left > WIDTH * 0.8  # shrunk to fit, not more


@pytest.mark.parametrize(("lang", "authority", "mark"), MARKS)
def test_a_long_mark_gets_the_same_size_in_the_docx(client: FlaskClient, lang: str, authority: str, mark: str) -> None:
    doc = Document(
        io.BytesIO(post(client, "report.summary", "docx", sample("report.summary", authority=authority), lang))
    )
    p = next(p for p in doc.paragraphs if p.style.name == "Authority Mark")
    assert p.text == mark
    assert {r.font.size.pt for r in p.runs} == {fit_pt(mark)}


def test_a_usual_mark_keeps_36_pt_in_the_docx(client: FlaskClient) -> None:
    doc = Document(io.BytesIO(post(client, "report.summary", "docx")))
    p = next(p for p in doc.paragraphs if p.style.name == "Authority Mark")
    assert p.text == "中共石门镇委员会文件" and {r.font.size.pt for r in p.runs} == {36}


# --- 签发人: the number line of an upward document ------------------------------------------------------------


def test_request_number_left_and_signer_right_on_one_line_in_the_pdf(client: FlaskClient) -> None:
    with pdfplumber.open(io.BytesIO(post(client, "report.request", "pdf"))) as pdf:
        page = pdf.pages[0]
        y = next(round(c["matrix"][5], 1) for c in page.chars if c["text"] == "〔")
        line = sorted((c for c in page.chars if round(c["matrix"][5], 1) == y), key=lambda c: c["x0"])
        assert "".join(c["text"] for c in line).replace(" ", "") == "柳支〔2026〕3号签发人：王建国"  # one line
        assert abs(line[0]["x0"] / MM - (LEFT + EM)) < 0.5  # the number one character in from the left
        assert abs(line[-1]["x1"] / MM - (RIGHT - EM)) < 0.5  # the signer one character in from the right
        assert all("Kai" in c["fontname"] for c in line[-3:])  # the name in 楷体
        assert "Light" in next(c for c in line if c["text"] == "签")["fontname"]  # "签发人：" in 仿宋


def test_a_document_without_signer_keeps_its_number_centred(client: FlaskClient) -> None:
    with pdfplumber.open(io.BytesIO(post(client, "report.summary", "pdf"))) as pdf:
        page = pdf.pages[0]
        y = next(round(c["matrix"][5], 1) for c in page.chars if c["text"] == "〔")
        number = [c for c in page.chars if round(c["matrix"][5], 1) == y]
        assert "".join(c["text"] for c in number) == "石组〔2026〕12号"
        centre = (min(c["x0"] for c in number) + max(c["x1"] for c in number)) / 2 / MM
        assert abs(centre - (LEFT + WIDTH / 2)) < 0.5


def test_request_signer_line_in_the_docx(client: FlaskClient) -> None:
    doc = Document(io.BytesIO(post(client, "report.request", "docx")))
    p = next(p for p in doc.paragraphs if "〔2026〕" in p.text)
    assert p.text == "柳支〔2026〕3号\t签发人：王建国"
    assert p.paragraph_format.left_indent.pt == 16 and p.paragraph_format.right_indent.pt == 16
    (stop,) = p.paragraph_format.tab_stops
    assert stop.alignment == 2 and abs(stop.position.mm - (WIDTH - EM)) < 0.2  # right tab, one em in
    name = next(r for r in p.runs if r.text == "王建国")
    assert name._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "楷体_GB2312"
    assert p._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom")).get(qn("w:color")) == "E60012"  # the red rule


def test_request_needs_its_signer(client: FlaskClient) -> None:
    data = sample("report.request")
    del data["signer"]
    resp = client.post("/api/v1/documents/report.request?format=pdf", json=data)
    assert resp.status_code == 422 and "/signer" in resp.get_data(as_text=True)


# --- the signature --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("authority", ["中共石门镇委员会", "中共石门镇东风社区党总支部委员会"])
def test_sealed_signature_centred_over_the_date_four_characters_in(client: FlaskClient, authority: str) -> None:
    data = sample("report.summary", signature={"body": authority, "date": "2026-11-20"})
    with pdfplumber.open(io.BytesIO(post(client, "report.summary", "pdf", data))) as pdf:
        _, name, date = signature(pdf, authority, "2026年11月20日")
        assert abs(RIGHT - date["x1"] / MM - 4 * EM) < 0.5  # 右空四字
        assert abs((name["x0"] + name["x1"]) / 2 - (date["x0"] + date["x1"]) / 2) / MM < 0.5  # centred over it


@pytest.mark.parametrize(("authority", "day"), [("中共柳溪村支部委员会", "2026-11-10"), ("柳溪村委会", "2026-11-10")])
def test_unsealed_signature_two_characters_in_and_the_date_two_further(
    client: FlaskClient, authority: str, day: str
) -> None:
    data = sample("report.request", signature={"body": authority, "date": day})
    with pdfplumber.open(io.BytesIO(post(client, "report.request", "pdf", data))) as pdf:
        _, name, date = signature(pdf, authority, cn_date(day))
        assert abs((date["x0"] - name["x0"]) / MM - 2 * EM) < 0.5  # the date's first character two to the right
        if text_em(cn_date(day)) + 2 <= text_em(authority):
            assert abs(RIGHT - name["x1"] / MM - 2 * EM) < 0.5  # the name 右空二字
        else:  # a date longer than the name sits two characters in, the name moves left
            assert abs(RIGHT - date["x1"] / MM - 2 * EM) < 0.5


def test_docx_sealed_signature_tab_centres_the_name_over_the_date(client: FlaskClient) -> None:
    doc = Document(io.BytesIO(post(client, "report.summary", "docx")))
    i, name = next((i, p) for i, p in enumerate(doc.paragraphs) if p.text == "\t中共石门镇委员会")
    date = doc.paragraphs[i + 1]
    assert date.text == "\t2026年11月20日"
    # one centre tab stop for both, where the date's centre is when it ends four characters in (右空四字)
    centre = WIDTH_TW - 4 * EM_TW - text_em("2026年11月20日") * EM_TW / 2
    for p in (name, date):
        (stop,) = p.paragraph_format.tab_stops
        assert stop.alignment == 1 and abs(stop.position.twips - centre) <= 1
    # no extra space between Han and Latin text, which would make the date wider than counted
    ppr = doc.styles["Signature"].element.pPr
    assert ppr.find(qn("w:autoSpaceDE")).get(qn("w:val")) == "0"
    # the seal circle: 42 mm, centred on the same point, behind the text
    anchor = name._p.find(".//" + qn("wp:anchor"))
    assert anchor.get("behindDoc") == "1"
    offset = int(anchor.find(qn("wp:positionH")).find(qn("wp:posOffset")).text)
    extent = int(anchor.find(qn("wp:extent")).get("cx"))
    assert abs(extent / 36000 - 42) < 0.1 and abs((offset + extent / 2) / 635 - centre) < 2


def test_docx_unsealed_signature_indents(client: FlaskClient) -> None:
    doc = Document(io.BytesIO(post(client, "report.request", "docx")))
    i = next(
        i for i, p in enumerate(doc.paragraphs) if p.text == "中共柳溪村支部委员会" and p.style.name == "Signature"
    )
    name, date = doc.paragraphs[i], doc.paragraphs[i + 1]
    assert date.text == "2026年11月10日"
    n, d = text_em(name.text), text_em(date.text)
    start = WIDTH_TW - max(2 + n, 4 + d) * EM_TW
    assert abs(name.paragraph_format.left_indent.twips - start) <= 1
    assert abs(date.paragraph_format.left_indent.twips - (start + 2 * EM_TW)) <= 1
    assert not doc.paragraphs[i - 1].text  # one blank line under the body


# --- never a lone signature -----------------------------------------------------------------------------------


def signature_page_has_body(pdf: Any, name: str, day: str) -> bool:
    """Whether 16 pt text other than the signature stands above it on its page."""
    i, sign, _ = signature(pdf, name, day)
    return any(c["bottom"] < sign["top"] - 1 and round(c["size"]) == 16 for c in pdf.pages[i].chars)


def test_summary_sample_signature_comes_with_body_text(client: FlaskClient) -> None:
    with pdfplumber.open(io.BytesIO(post(client, "report.summary", "pdf"))) as pdf:
        assert signature_page_has_body(pdf, "中共石门镇委员会", "2026年11月20日")


@pytest.mark.parametrize("paragraphs", [2, 3, 4])
def test_request_signature_never_alone_however_long_the_body(client: FlaskClient, paragraphs: int) -> None:
    # 2 to 4 paragraphs of 2½ lines walk the signature over the end of page 2 (the summary sample did it too)
    data = sample("report.request", body=[{"type": "paragraph", "text": FILLER * 4} for _ in range(paragraphs)])
    with pdfplumber.open(io.BytesIO(post(client, "report.request", "pdf", data))) as pdf:
        assert signature_page_has_body(pdf, "中共柳溪村支部委员会", "2026年11月10日")


@pytest.mark.parametrize("kind", ["report.summary", "report.request", "plan.implementation"])
def test_docx_last_text_keeps_with_the_signature(client: FlaskClient, kind: str) -> None:
    doc = Document(io.BytesIO(post(client, kind, "docx")))
    paras = doc.paragraphs
    name = kinds.get(kind).sample()["signature"]["body"]
    i = next(i for i, p in enumerate(paras) if p.style.name == "Signature" and p.text.strip() == name)
    last_body = max(j for j in range(i) if paras[j].style.name in ("Body Text", "Heading Level 1") and paras[j].text)
    chain = paras[last_body : i + 1]
    assert all(p.paragraph_format.keep_with_next for p in chain), [p.text[:10] for p in chain]
    assert not any(p.paragraph_format.keep_with_next for p in paras[: last_body - 3] if p.style.name == "Body Text")


# --- the imprint ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "thicknesses"), [("report.summary", [0.35, 0.25, 0.35]), ("report.request", [0.35, 0.35])]
)
def test_pdf_imprint_rules_at_the_bottom_of_the_last_page(
    client: FlaskClient, kind: str, thicknesses: list[float]
) -> None:
    with pdfplumber.open(io.BytesIO(post(client, kind, "pdf"))) as pdf:
        last = pdf.pages[-1]
        bands = rule_bands(last)
        assert [round(t, 2) for _, t in bands] == thicknesses
        bottom = bands[-1][0] + bands[-1][1]
        assert abs(bottom - (TOP + HEIGHT)) < 0.3  # the last rule on the text area's bottom edge
        office = kinds.get(kind).sample()["imprint"]["office"]
        _, printed = find_line(pdf, office)
        assert bands[-2][0] < printed["top"] / MM < bottom  # 印发 on the last line, between the last two rules
        for page in pdf.pages[:-1]:
            assert not rule_bands(page)


@pytest.mark.parametrize(("kind", "rows"), [("report.summary", 2), ("report.request", 1)])
def test_docx_imprint_floats_at_the_bottom_of_the_text_area(client: FlaskClient, kind: str, rows: int) -> None:
    doc = Document(io.BytesIO(post(client, kind, "docx")))
    body = doc.element.body
    table = body.findall(qn("w:tbl"))[-1]
    pos = table.tblPr.find(qn("w:tblpPr"))
    assert (pos.get(qn("w:vertAnchor")), pos.get(qn("w:tblpYSpec"))) == ("margin", "bottom")
    assert pos.get(qn("w:horzAnchor")) == "page" and int(pos.get(qn("w:tblpX"))) == round(LEFT * 56.6929)
    assert int(table.tblPr.find(qn("w:tblW")).get(qn("w:w"))) == WIDTH_TW
    borders = {b.tag.split("}")[1]: b.get(qn("w:sz")) for b in table.tblPr.find(qn("w:tblBorders"))}
    assert borders == {"top": "8", "bottom": "8", "insideH": "6", "left": None, "right": None, "insideV": None}
    assert len(table.findall(qn("w:tr"))) == rows
    # after it only its anchor, as tall as the table, then the section properties
    anchor = table.getnext()
    assert anchor.tag == qn("w:p") and anchor.getnext().tag == qn("w:sectPr")
    assert int(anchor.pPr.find(qn("w:spacing")).get(qn("w:line"))) == rows * 26 * 20
