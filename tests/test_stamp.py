"""Stamped cells (render/stamp.py): a roster whose cells are written after layout reads and looks like the
same roster laid out entirely by WeasyPrint."""

from __future__ import annotations

import copy
import io
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from PIL import ImageChops
from pypdf import PdfReader

from images import page_image
from service import documents, fake, kinds
from service.render import atlas, sheet, stamp
from service.render.pool import RenderPool
from service.render.sheet import Column

KIND = kinds.get("roster.voters")
WORD = re.compile(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<')


def roster(n: int) -> dict[str, Any]:
    data = copy.deepcopy(KIND.sample())
    data["voters"] = fake.voters(n)
    data["voters"][3]["name"] = "阿卜杜热合曼·买买提艾力"  # wraps, and uses a Latin-1 middle dot
    data["voters"][4]["name"] = "𠮷田"  # a character outside the BMP (CJK extension B)
    data["voters"][5]["note"] = "Works in Hangzhou; 长期在浙江省杭州市西湖区务工，组织关系暂未转出，本人委托其配偶联系"
    return data


def both(pool: RenderPool, data: dict[str, Any], lang: str = "zh") -> tuple[bytes, bytes]:
    """The roster stamped and laid out whole (the ordinary HTML path), in chunks of 5 pages."""
    model = documents.validate(KIND, data)
    ctx = documents.context(KIND, model, lang)
    stamped = pool.render(documents.sheet_parts(KIND, model, ctx, lang, 5), 300)
    plain = pool.render(documents.html_chunks(KIND, model, ctx, lang, 5), 300)
    return stamped, plain


def words(pdf: bytes, tmp_path: Path) -> list[list[tuple[str, float, float, float, float]]]:
    """Each page's words with their boxes, as poppler's pdftotext reads them."""
    source = tmp_path / "in.pdf"
    source.write_bytes(pdf)
    html = subprocess.run(["pdftotext", "-bbox", str(source), "-"], capture_output=True, text=True, check=True).stdout
    pages = html.split("<page ")[1:]
    return [[(w, float(a), float(b), float(c), float(d)) for a, b, c, d, w in WORD.findall(p)] for p in pages]


def assert_same_words(stamped: bytes, plain: bytes, tmp_path: Path) -> None:
    """The same words on the same pages and lines, and across within a point or two."""
    ours, theirs = words(stamped, tmp_path), words(plain, tmp_path)
    assert len(ours) == len(theirs) == len(PdfReader(io.BytesIO(stamped)).pages)  # no atlas page left
    for page, (a, b) in enumerate(zip(ours, theirs, strict=True), start=1):
        assert sorted(w[0] for w in a) == sorted(w[0] for w in b), f"page {page}"
        for word in a:
            twin = min((w for w in b if w[0] == word[0]), key=lambda w: abs(w[1] - word[1]) + abs(w[2] - word[2]))
            # the same line exactly; across, stamped letters keep their full advance where WeasyPrint kerns
            # Latin pairs like "Wo", so a word may differ by a point or two
            assert abs(twin[2] - word[2]) < 0.05 and abs(twin[4] - word[4]) < 0.05, (page, word, twin)
            slack = 1.2 + 0.15 * len(word[0])
            assert abs(twin[1] - word[1]) < slack and abs(twin[3] - word[3]) < slack, (page, word, twin)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_stamped_pages_read_like_pages_laid_out_whole(render_pool: RenderPool, tmp_path: Path, lang: str) -> None:
    stamped, plain = both(render_pool, roster(120), lang)
    assert len(PdfReader(io.BytesIO(stamped)).pages) >= 4
    assert_same_words(stamped, plain, tmp_path)


def test_stamped_sheets_look_like_sheets_laid_out_whole(render_pool: RenderPool) -> None:
    """Pixel for pixel at 72 dpi: the grid's rules (0.18 mm, stroked, outer ones whole), the meta line, the
    cells, the subtotal and the footer of the drawn sheets, and the laid-out first and last ones."""
    data = roster(120)
    data["voters"][5]["note"] = "长期在外务工"  # Latin words are kerned by WeasyPrint, not when stamped
    stamped, plain = both(render_pool, data)
    for page in range(1, len(PdfReader(io.BytesIO(stamped)).pages) + 1):
        ours, theirs = page_image(stamped, page, 72), page_image(plain, page, 72)
        assert ours.size == theirs.size
        diff = ImageChops.difference(ours, theirs).point(lambda v: 255 if v > 64 else 0)
        assert diff.histogram()[255] / (ours.size[0] * ours.size[1]) < 0.0005, f"page {page}: {diff.getbbox()}"


def test_a_posted_voter_list_reads_like_one_laid_out_whole(render_pool: RenderPool, tmp_path: Path) -> None:
    kind = kinds.get("announcement.voter-list")
    data = copy.deepcopy(kind.sample())
    data["voters"] = [{k: v[k] for k in ("name", "group", "category")} for v in roster(400)["voters"]]
    model = documents.validate(kind, data)
    ctx = documents.context(kind, model, "zh")
    parts = documents.stamped_parts(kind, model, ctx, "zh", 40)
    assert parts is not None
    stamped = render_pool.render(parts, 300)
    plain = render_pool.render(documents.html_chunks(kind, model, ctx, "zh", 40), 300)
    assert len(PdfReader(io.BytesIO(stamped)).pages) >= 3
    assert_same_words(stamped, plain, tmp_path)


def test_the_rare_names_are_stamped_and_read_back(render_pool: RenderPool, tmp_path: Path) -> None:
    stamped, _ = both(render_pool, roster(30))
    text = "".join(w[0] for page in words(stamped, tmp_path) for w in page)
    assert "𠮷田" in text and "阿卜杜热合曼·买" in text and "买提艾力" in text and "Hangzhou;" in text


def test_a_character_missing_from_the_atlas_falls_back_to_layout(
    client: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    real = stamp.atlas
    monkeypatch.setattr(stamp, "atlas", lambda blocks: {
        style: [box for box in boxes if box != "𠮷"] for style, boxes in real(blocks).items()})
    resp = client.post(f"/api/v1/documents/{KIND.id}?format=pdf", json=roster(30))
    assert resp.status_code == 200
    text = "".join(w[0] for page in words(resp.data, tmp_path) for w in page)
    assert "𠮷田" in text  # laid out by WeasyPrint, not dropped


def test_a_missing_glyph_is_refused_not_skipped() -> None:
    glyphs = atlas.Atlas({("王", ""): atlas.Glyph("F1", "1234", 1000.0)}, 10.5, 15.0)
    block = sheet.stamp_blocks("grid-1", [Column("姓名", 30)], ["王"], ["王五"])[1]
    with pytest.raises(stamp.Unstampable, match="五"):
        stamp._block_ops(block, (0.0, 0.0, 100.0, 100.0), 595.0, glyphs)


def test_figures_and_stops_take_the_script_of_the_letters_around_them() -> None:
    assert list(atlas.keys("1995.04")) == [(c, "") for c in "1995.04"]
    assert list(atlas.keys("12X")) == [("1", "latin"), ("2", "latin"), ("X", "")]
    assert list(atlas.keys("Room 3，三楼")) == [
        *((c, "") for c in "Room"), (" ", "latin"), ("3", "latin"), ("，", "latin"), ("三", ""), ("楼", "")]


def test_the_atlas_has_one_box_per_character_and_context() -> None:
    columns = [Column("a", 10), Column("b", 10), Column("c", 10), Column("d", 10)]
    blocks = sheet.stamp_blocks("grid-1", columns, ["序号", "No.", "", ""], ["王五\n李四", "", "fi 1\n1 2", "王 五"])
    boxes = stamp.atlas(blocks)
    assert boxes["col"] == ["0 0", "一 一", "x x", "1", "x1", "2", "f", "i", "五", "四", "李", "王"]
    assert boxes["head"] == ["x.", "N", "o", "号", "序"]
    assert [atlas._key(box) for box in boxes["col"]][:5] == [
        (" ", ""), (" ", "han"), (" ", "latin"), ("1", ""), ("1", "latin")]


@pytest.mark.parametrize("text", ["مەمەت", "e\u0301", "བཀྲ"])
def test_joining_and_combining_scripts_are_never_stamped(text: str) -> None:
    with pytest.raises(stamp.Unstampable):
        stamp.atlas(sheet.stamp_blocks("grid-1", [Column("a", 10)], [""], [text]))
