"""Every kind renders its sample to DOCX and PDF, in Chinese and English, with the expected text in order."""

from __future__ import annotations

import io

import pytest
from docx import Document
from flask.testing import FlaskClient
from pypdf import PdfReader

from kit import assert_in_order, docx_text, expected_lines, pdf_fonts, pdf_text, pdf_visual_text
from service import kinds

KIND_IDS = [k.id for k in kinds.all_kinds()]
CJK_FONTS = {
    "Noto-Serif-CJK-SC",
    "Noto-Sans-CJK-SC",
    "LXGWWenKai-Regular",
    "Noto-Serif-CJK-SC-Bold",
    "Noto-Serif-CJK-SC-Light",
    "Noto-Sans-CJK-SC-Medium",
}


def render(client: FlaskClient, kind: str, fmt: str, lang: str) -> bytes:
    resp = client.post(f"/api/v1/documents/{kind}?format={fmt}&lang={lang}", json=kinds.get(kind).sample())
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return resp.data


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("kind", KIND_IDS)
def test_docx_has_the_sample_in_order(client: FlaskClient, kind: str, lang: str) -> None:
    data = render(client, kind, "docx", lang)
    Document(io.BytesIO(data))  # python-docx can reopen it
    text = docx_text(data)
    assert "{{" not in text and "{%" not in text, "a template tag was left unrendered"
    assert_in_order(text, expected_lines(kind, lang))


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("kind", KIND_IDS)
def test_pdf_has_the_sample_in_order_with_embedded_cjk_fonts(
    client: FlaskClient, kind: str, lang: str, no_weasyprint_warnings: None
) -> None:
    data = render(client, kind, "pdf", lang)
    try:
        assert_in_order(pdf_text(data), expected_lines(kind, lang))
    except AssertionError:
        # fast-sheet rosters draw column by column: then the order must hold as the page is seen
        assert_in_order(pdf_visual_text(data), expected_lines(kind, lang))
    fonts = pdf_fonts(data)
    assert fonts & CJK_FONTS, fonts
    assert all(PdfReader(io.BytesIO(data)).pages), "every page parses"


@pytest.mark.parametrize("kind", KIND_IDS)
def test_every_kind_has_its_four_files(kind: str) -> None:
    k = kinds.get(kind)
    assert k.docx_template.is_file() and k.sample_path.is_file()
    assert (k.docx_template.parents[1] / "html" / k.html_template).is_file()
    assert k.title_zh and k.title_en
    k.model.model_validate(k.sample())  # the sample is valid input
