"""Start-up of a PDF worker process: licensed fonts first, then WeasyPrint (fontconfig reads its set-up once)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape


def fontconfig_file(font_dir: str) -> str:
    """A fontconfig file that adds ``font_dir`` to the system's fonts, with a private cache."""
    folder = Path(tempfile.mkdtemp(prefix="election-docs-fonts-"))
    conf = folder / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"  <dir>{escape(str(Path(font_dir).resolve()))}</dir>\n"
        f"  <cachedir>{escape(str(folder / 'cache'))}</cachedir>\n</fontconfig>\n",
        "utf-8",
    )
    return str(conf)


def init(font_dir: str = "") -> None:
    """Point fontconfig at FONT_DIR (licensed standard fonts) if set, then warm WeasyPrint up."""
    if font_dir:
        os.environ["FONTCONFIG_FILE"] = fontconfig_file(font_dir)
    from . import pdf

    pdf.init_worker()
