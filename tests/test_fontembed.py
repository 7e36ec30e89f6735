"""The font-embedding patch (service/render/fontembed.py): in place for the pinned WeasyPrint, small CJK
subsets that keep every glyph's CID, and pages that look exactly as WeasyPrint's own embedding draws them."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import weasyprint
from fontTools.cffLib import CFFFontSet
from fontTools.ttLib import TTFont
from PIL import ImageChops
from pypdf import PdfReader

from images import page_image
from kit import pdf_text
from service.render import fontembed, pdf

NOTO_SERIF_LIGHT = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Light.ttc")

# 仿宋, 小标宋, 黑体 and 楷体 (LXGW WenKai, a TrueType font WeasyPrint still embeds its own way), Latin
# and figures, a character outside GB2312 (堃) and one no installed font has (U+E000, drawn as .notdef)
PAGE = """<h1 class="doc-title">柳溪村选举公告</h1>
<p class="h1">一、选民登记</p><p class="h2">（一）登记时间</p>
<p>选民张堃于2026年11月21日登记，ID 11010519491231002X，Room 3B。\ue000</p>"""


def embedded_fonts(data: bytes) -> dict[str, tuple[str, bytes]]:
    """Each embedded font's base name, with its font file's key and bytes."""
    out = {}
    for page in PdfReader(io.BytesIO(data)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            key = next(k for k in ("/FontFile3", "/FontFile2", "/FontFile") if k in descriptor)
            stream = descriptor[key].get_object()
            kind = str(stream.get("/Subtype", key))
            out[str(font["/BaseFont"]).split("+")[-1]] = (kind, stream.get_data())
    return out


def test_the_patch_is_in_place_for_the_pinned_weasyprint() -> None:
    assert fontembed.installed() == (weasyprint.__version__ == fontembed.PATCHED_VERSION)
    assert fontembed.installed(), "WeasyPrint moved: check fontembed.py against the new pdf/fonts.py, then re-pin"


def test_cjk_faces_are_embedded_as_small_bare_cff_subsets(no_weasyprint_warnings: None) -> None:
    data, _ = pdf.html_to_pdf(PAGE)
    fonts = embedded_fonts(data)
    noto = {name: font for name, font in fonts.items() if name.startswith("Noto-")}
    assert {"Noto-Serif-CJK-SC-Light", "Noto-Serif-CJK-SC-Bold", "Noto-Sans-CJK-SC-Medium"} <= set(noto)
    for name, (kind, program) in noto.items():
        assert kind == "/CIDFontType0C", name
        assert len(program) < 60_000, f"{name}: {len(program)} bytes, not a subset of the used glyphs"
    assert fonts["LXGW-WenKai"][0] == "/FontFile2"  # TrueType: WeasyPrint's own subset
    assert "选民张堃于2026年11月21日登记" in pdf_text(data)


def test_each_glyph_keeps_its_cid_in_the_charset() -> None:
    """The content stream draws glyph n as CID n; the subset's charset must map CID n to glyph n's outline."""
    data, _ = pdf.html_to_pdf("<p>堃柳溪村</p>")
    _, program = embedded_fonts(data)["Noto-Serif-CJK-SC-Light"]
    subset = CFFFontSet()
    subset.decompile(io.BytesIO(program), None)
    top = subset[subset.fontNames[0]]
    with TTFont(str(NOTO_SERIF_LIGHT), fontNumber=2, lazy=True) as source:
        cmap = source.getBestCmap()
        source_strings = source["CFF "].cff[source["CFF "].cff.fontNames[0]].CharStrings
        for char in "堃柳溪村":
            cid_name = cmap[ord(char)]  # "cidNNNNN": in Noto CJK the CID is the glyph id
            assert cid_name in top.charset, char
            subset_glyph, source_glyph = top.CharStrings[cid_name], source_strings[cid_name]
            subset_glyph.decompile()
            source_glyph.decompile()
            assert subset_glyph.calcBounds(top.CharStrings) == source_glyph.calcBounds(source_strings), char


def test_cff_charset_check() -> None:
    with TTFont(str(NOTO_SERIF_LIGHT), fontNumber=2, lazy=True) as source:
        table, glyph_count = source.reader["CFF "], source["maxp"].numGlyphs
    assert fontembed.cff_cids_are_glyph_ids(memoryview(table), glyph_count)
    data, _ = pdf.html_to_pdf("<p>柳溪村</p>")
    _, program = embedded_fonts(data)["Noto-Serif-CJK-SC-Light"]
    # a subset keeps the CIDs of its few glyphs, so its glyph ids are not its CIDs any more
    assert not fontembed.cff_cids_are_glyph_ids(memoryview(program), 5)


@pytest.mark.parametrize("page", [PAGE, '<section class="sheet"><div class="meta">选民名册 第 1 页</div></section>'])
def test_pages_look_the_same_as_with_weasyprints_own_embedding(page: str) -> None:
    patched, _ = pdf.html_to_pdf(page)
    with fontembed.unpatched():
        assert not fontembed.installed()
        own, _ = pdf.html_to_pdf(page)
    assert fontembed.installed()
    assert len(patched) < len(own)
    difference = ImageChops.difference(page_image(patched, dpi=100), page_image(own, dpi=100))
    assert difference.getbbox() is None  # not one pixel differs
    assert pdf_text(patched) == pdf_text(own)
