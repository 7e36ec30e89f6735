"""Fonts: the stand-ins are installed, and FONT_DIR makes licensed standard fonts win over them."""

from __future__ import annotations

from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

from kit import pdf_fonts, pdf_text
from service.render import fonts
from service.render.pool import RenderPool

WENKAI = Path("/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf")


def test_every_stand_in_is_installed() -> None:
    assert fonts.missing_fonts() == []


def licensed_font(folder: Path) -> Path:
    """A small font that calls itself 仿宋_GB2312, standing in for the licensed file a deployment has."""
    font = TTFont(str(WENKAI))
    options = subset.Options()
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="特此公告根据规定")
    subsetter.subset(font)
    for record in font["name"].names:
        if record.nameID in (1, 4, 16):
            record.string = "仿宋_GB2312"
        elif record.nameID == 6:
            record.string = "FangSong_GB2312"
    path = folder / "fangsong_gb2312.ttf"
    font.save(str(path))
    return path


def test_font_dir_puts_licensed_fonts_first(tmp_path: Path) -> None:
    licensed_font(tmp_path)
    pool = RenderPool(1, str(tmp_path))
    try:
        data = pool.render(["<p>特此公告。堃</p>"], timeout=120)
    finally:
        pool.close()
    embedded = pdf_fonts(data)
    assert "仿宋_GB2312" in embedded  # the licensed font set the characters it has
    assert "Noto-Serif-CJK-SC-Light" in embedded  # and the stand-in the one it lacks (堃)
    assert "特此公告。堃" in pdf_text(data)
