"""The fonts the PDFs need: which free family stands in for which standard one, and whether they are here."""

from __future__ import annotations

import shutil
import subprocess
from functools import cache

# role: (standard font named in the DOCX, free stand-in embedded in the PDF, Debian package) — docs/fonts.md
STAND_INS: dict[str, tuple[str, str, str]] = {
    "fangsong": ("仿宋_GB2312", "Noto Serif CJK SC", "fonts-noto-cjk"),
    "xiaobiaosong": ("方正小标宋简体", "Noto Serif CJK SC", "fonts-noto-cjk"),
    "heiti": ("黑体", "Noto Sans CJK SC", "fonts-noto-cjk"),
    "kaiti": ("楷体_GB2312", "LXGW WenKai", "fonts-lxgw-wenkai"),
    "songti": ("宋体", "Noto Serif CJK SC", "fonts-noto-cjk"),
}


@cache
def installed_families() -> frozenset[str]:
    """Every font family fontconfig knows, in all its localised names."""
    if not shutil.which("fc-list"):
        return frozenset()
    out = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, check=False).stdout
    return frozenset(name.strip() for line in out.splitlines() for name in line.split(","))


def missing_fonts() -> list[str]:
    """The stand-in families that are not installed (empty when all are)."""
    have = installed_families()
    return sorted({family for _, family, _ in STAND_INS.values() if family not in have})
