"""Render an A4 specimen of the free fonts that stand in for the GB/T 9704 official-document fonts.

Usage:
    .venv/bin/python scripts/font_specimen.py [--out build/font-specimen.pdf] [--png] [--dpi 80]

For every role (仿宋 body, 小标宋 title and issuing-authority mark, 黑体 heading, 楷体 heading, 宋体 page
number) the specimen shows one block per candidate family/weight, set at the size GB/T 9704 prescribes,
with rare name characters and a minority name. Each block is labelled with the face that was actually
embedded: every candidate is first rendered on its own into a throw-away PDF, and if WeasyPrint (Pango)
had to pull in a second font for some glyph, the label says FALLBACK and lists the characters the
candidate's cmap lacks. The last page composes a document page with the stacks from
templates/html/print.css, at the real GB/T 9704 geometry, to see the chosen fonts together.

With --png the pages are also rasterised with pdftoppm (poppler-utils) to build/font-specimen-N.png.
See docs/fonts.md for the choice that this specimen supports.
"""

from __future__ import annotations

import argparse
import html
import io
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont
from pypdf import PdfReader
from weasyprint import HTML

ROOT = Path(__file__).resolve().parent.parent
FONTS_CSS = ROOT / "templates" / "html" / "print.css"

# fontconfig weights (FC_WEIGHT_*) for the CSS weights used below; used to ask fc-match for the same face
# that Pango picks, so that its cmap can be checked.
FC_WEIGHT = {100: 0, 200: 40, 300: 50, 350: 55, 400: 80, 500: 100, 600: 180, 700: 200, 900: 210}

RARE_NAMES = "张堃　李喆　王玥　赵珺　刘赟　陈镕　杨犇　黄淼　周燚　吴垚　郑彧　孙祎　刘䶮　阿卜杜拉·艾力"

BODY = (
    "根据《中华人民共和国村民委员会组织法》和《××省村民委员会选举办法》的规定，经村民选举委员会研究决定，"
    "本村第十二届村民委员会选举日定为2026年11月21日（星期六）上午8:00至12:00，投票地点设在村综合服务中心，"
    "另设流动票箱2个。凡年满十八周岁、经登记确认的本村选民，均可参加投票。现将选民名单公布如下："
    + RARE_NAMES
    + "。对公布的选民名单有异议的，请于2026年11月1日前向村民选举委员会提出。"
)
BODY_LEVEL34 = "1. 选民登记。（1）户籍在本村的村民，年满十八周岁，应当列入选民名单。"

TITLE = "关于做好2026年村（社区）“两委”<br>换届选举工作的实施方案"
MARK = "××县换届选举工作领导小组文件"
HEADING_HT = "一、指导思想和基本原则"
SECRECY = "机密★1年　特急　附件1"
HEADING_KT = "（一）严格把握候选人资格条件"
PAGE_NO = "— 1 —　— 12 —"


@dataclass(frozen=True)
class Candidate:
    family: str  # exactly as fontconfig knows it
    weight: int  # CSS font-weight
    style_name: str  # fontconfig style of the face expected to be picked
    package: str  # Debian package
    licence: str


@dataclass(frozen=True)
class Sample:
    html: str  # inner HTML
    css: str  # block CSS (size, pitch, alignment)


ROLES: dict[str, tuple[str, list[Sample], list[Candidate]]] = {
    "fangsong": (
        "仿宋 / 仿宋_GB2312 — body text, 3号 16 pt, fixed pitch 28.9 pt",
        [
            Sample(BODY, "font-size:16pt; line-height:28.9pt; text-indent:2em; text-align:justify"),
            Sample(BODY_LEVEL34, "font-size:16pt; line-height:28.9pt; text-indent:2em"),
        ],
        [
            Candidate("Noto Serif CJK SC", 200, "ExtraLight", "fonts-noto-cjk-extra", "OFL-1.1"),
            Candidate("Noto Serif CJK SC", 300, "Light", "fonts-noto-cjk-extra", "OFL-1.1"),
            Candidate("Noto Serif CJK SC", 400, "Regular", "fonts-noto-cjk", "OFL-1.1"),
            Candidate("cwTeXFangSong", 500, "Medium", "fonts-cwtex-fs", "GPL-2+ with font exception"),
            Candidate("LXGW WenKai", 300, "Light", "fonts-lxgw-wenkai", "OFL-1.1"),
            Candidate("AR PL UKai CN", 400, "Book", "fonts-arphic-ukai", "Arphic Public License"),
        ],
    ),
    "xiaobiaosong": (
        "方正小标宋简体 — title 2号 22 pt; issuing-authority mark in red",
        [
            Sample(TITLE, "font-size:22pt; line-height:36pt; text-align:center"),
            Sample(MARK, "font-size:26pt; line-height:40pt; text-align:center; color:#e60012"),
            Sample(RARE_NAMES, "font-size:16pt; line-height:28.9pt; text-align:center"),
        ],
        [
            Candidate("Noto Serif CJK SC", 600, "SemiBold", "fonts-noto-cjk-extra", "OFL-1.1"),
            Candidate("Noto Serif CJK SC", 700, "Bold", "fonts-noto-cjk", "OFL-1.1"),
            Candidate("Noto Serif CJK SC", 900, "Black", "fonts-noto-cjk-extra", "OFL-1.1"),
        ],
    ),
    "heiti": (
        "黑体 — level-1 headings 一、, secrecy/urgency marks, 附件N; 3号 16 pt, not bold",
        [
            Sample(HEADING_HT, "font-size:16pt; line-height:28.9pt; text-indent:2em"),
            Sample(SECRECY, "font-size:16pt; line-height:28.9pt"),
            Sample(RARE_NAMES, "font-size:16pt; line-height:28.9pt"),
        ],
        [
            Candidate("Noto Sans CJK SC", 400, "Regular", "fonts-noto-cjk", "OFL-1.1"),
            Candidate("Noto Sans CJK SC", 500, "Medium", "fonts-noto-cjk-extra", "OFL-1.1"),
            Candidate("Noto Sans CJK SC", 700, "Bold", "fonts-noto-cjk", "OFL-1.1"),
        ],
    ),
    "kaiti": (
        "楷体 / 楷体_GB2312 — level-2 headings （一）; 3号 16 pt, not bold",
        [
            Sample(HEADING_KT, "font-size:16pt; line-height:28.9pt; text-indent:2em"),
            Sample(RARE_NAMES, "font-size:16pt; line-height:28.9pt"),
        ],
        [
            Candidate("LXGW WenKai", 400, "Regular", "fonts-lxgw-wenkai", "OFL-1.1"),
            Candidate("LXGW WenKai", 300, "Light", "fonts-lxgw-wenkai", "OFL-1.1"),
            Candidate("AR PL UKai CN", 400, "Book", "fonts-arphic-ukai", "Arphic Public License"),
        ],
    ),
    "songti": (
        "宋体 — page numbers, 4号 14 pt, half-width digits",
        [Sample(PAGE_NO, "font-size:14pt; line-height:28.9pt")],
        [Candidate("Noto Serif CJK SC", 400, "Regular", "fonts-noto-cjk", "OFL-1.1")],
    ),
}

LABEL_FONT = '"DejaVu Sans", "Noto Sans CJK SC", sans-serif'


def face_css(c: Candidate) -> str:
    return f"font-family:'{c.family}'; font-weight:{c.weight}; font-style:normal"


def embedded_fonts(pdf: bytes) -> list[str]:
    """BaseFont names of all fonts used on the pages, subset prefix removed."""
    names: set[str] = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for ref in fonts.values():
            base = str(ref.get_object().get("/BaseFont", "?")).lstrip("/")
            names.add(base.split("+", 1)[-1])
    return sorted(names)


def fc_match_file(c: Candidate) -> tuple[str, int] | None:
    if not shutil.which("fc-match"):
        return None
    pattern = f"{c.family}:weight={FC_WEIGHT.get(c.weight, 80)}"
    out = subprocess.run(
        ["fc-match", "-f", "%{family[0]}|%{file}|%{index}", pattern], capture_output=True, text=True
    ).stdout
    fam, file, index = out.split("|")
    if fam != c.family:
        return None
    return file, int(index or 0)


def missing_chars(c: Candidate, text: str) -> str | None:
    """Characters of text that the candidate's face lacks (None if the face cannot be located).

    A character counts as missing if the cmap has no entry for it, or if the entry points at an empty
    glyph: AR PL UKai maps e.g. U+4DAE 䶮 to a glyph without outlines, which Pango does not replace,
    so it prints as a blank instead of falling back.
    """
    found = fc_match_file(c)
    if found is None:
        return None
    file, index = found
    font = TTFont(file, fontNumber=index, lazy=True)
    cmap = font.getBestCmap()
    glyphs = font.getGlyphSet()

    def has_outline(ch: str) -> bool:
        name = cmap.get(ord(ch))
        if name is None:
            return False
        pen = BoundsPen(glyphs)
        glyphs[name].draw(pen)
        return pen.bounds is not None

    return "".join(ch for ch in dict.fromkeys(text) if not ch.isspace() and not has_outline(ch))


def plain(s: str) -> str:
    return html.unescape(s.replace("<br>", ""))


def check_candidate(c: Candidate, samples: list[Sample]) -> tuple[list[str], str | None]:
    inner = "".join(f'<p style="{s.css}">{s.html}</p>' for s in samples)
    doc = f'<html><body style="margin:0; {face_css(c)}">{inner}</body></html>'
    pdf = HTML(string=doc).write_pdf()
    assert pdf is not None
    text = "".join(plain(s.html) for s in samples)
    return embedded_fonts(pdf), missing_chars(c, text)


def block(c: Candidate, samples: list[Sample]) -> tuple[str, bool]:
    fonts, missing = check_candidate(c, samples)
    # WeasyPrint names the embedded font after the Pango description: "Noto-Serif-CJK-SC-Light".
    own = [f for f in fonts if f.startswith(c.family.replace(" ", "-"))]
    ok = missing == "" and fonts == own and len(own) == 1
    if missing is None or not own:
        verdict = f"NOT INSTALLED (fontconfig has no family {c.family!r}); embedded: {', '.join(fonts)}"
    elif ok:
        verdict = f"embedded: {fonts[0]}"
    else:
        verdict = (
            f"FALLBACK or BLANK — embedded: {', '.join(fonts)}; glyphs missing/empty in the face: {missing}"
        )
    label = (
        f"<b>{html.escape(c.family)}</b> · font-weight {c.weight} ({c.style_name}) · "
        f"{c.package} · {c.licence} · <span class='{'ok' if ok else 'bad'}'>{html.escape(verdict)}</span>"
    )
    inner = "".join(f'<p style="{s.css}">{s.html}</p>' for s in samples)
    sample = f'<div style="{face_css(c)}">{inner}</div>'
    return f'<div class="cand"><div class="label">{label}</div>{sample}</div>', ok


COMPOSITION = """
<div class="doc">
  <div class="xbs mark">××县换届选举工作领导小组文件</div>
  <div class="fs docno">×换选〔2026〕1号</div>
  <div class="rule"></div>
  <h1 class="xbs">关于做好2026年村（社区）“两委”<br>换届选举工作的实施方案</h1>
  <p class="fs noindent">各乡镇党委、政府，县直有关单位：</p>
  <p class="fs">根据《中华人民共和国村民委员会组织法》和《××省村民委员会选举办法》的规定，经县委研究同意，<!--
  -->现就做好全县2026年村（社区）“两委”换届选举工作提出如下实施方案。</p>
  <h2 class="ht">一、指导思想和基本原则</h2>
  <h3 class="kt">（一）严格把握候选人资格条件</h3>
  <p class="fs">1. 选民登记。（1）户籍在本村的村民，年满十八周岁，应当列入选民名单。<!--
  -->经公示的选民有：张堃、李喆、王玥、赵珺、刘赟、陈镕、杨犇、黄淼、周燚、吴垚、郑彧、孙祎、刘䶮、阿卜杜拉·艾力。</p>
  <p class="fs sign">××县换届选举工作领导小组</p>
  <p class="fs date">2026年9月1日</p>
</div>
"""

STYLE = f"""
@page {{ size: A4; margin: 12mm 26mm 12mm 28mm; }}
@page composition {{ margin: 37mm 26mm 35mm 28mm;
  @bottom-right {{ content: "— 1 —"; vertical-align: top; padding: 7mm 1em 0 0; font-size: 14pt;
    font-family: var(--font-songti); font-weight: var(--font-songti-weight); }} }}
body {{ margin: 0; }}
p {{ margin: 0; }}
h1.role {{ font: 700 12pt {LABEL_FONT}; margin: 0 0 2mm; padding: 1mm 0; border-bottom: 0.5pt solid #888;
  page-break-after: avoid; }}
.role-section + .role-section {{ margin-top: 5mm; }}
.cand {{ margin: 0 0 4mm; page-break-inside: avoid; }}
.label {{ font: 400 7.5pt/1.3 {LABEL_FONT}; color: #333; background: #f0f0f0; padding: 0.6mm 1mm;
  margin-bottom: 1mm; }}
.label .ok {{ color: #060; }}
.label .bad {{ color: #c00; font-weight: 700; }}
.composition {{ page: composition; page-break-before: always; position: relative; }}
.composition .note {{ font: 400 7.5pt {LABEL_FONT}; color: #666; position: absolute; top: -30mm; }}
.doc p {{ font-size: 16pt; line-height: 28.9pt; text-indent: 2em; text-align: justify; }}
.doc p.noindent {{ text-indent: 0; }}
.doc .mark {{ color: #e60012; font-size: 26pt; line-height: 40pt; text-align: center; }}
.doc .docno {{ text-align: center; font-size: 16pt; line-height: 28.9pt; margin-top: 28.9pt; }}
.doc .rule {{ border-top: 1.5pt solid #e60012; margin: 4mm 0 28.9pt; }}
.doc h1 {{ font-size: 22pt; line-height: 36pt; text-align: center; margin: 0 0 28.9pt; }}
.doc h2, .doc h3 {{ font-size: 16pt; line-height: 28.9pt; text-indent: 2em; margin: 0; }}
.doc .sign {{ text-align: right; margin-top: 28.9pt; padding-right: 2em; }}
.doc .date {{ text-align: right; padding-right: 4em; }}
"""


def build_html() -> tuple[str, list[str]]:
    sections = []
    failures = []
    for key, (title, samples, candidates) in ROLES.items():
        blocks = []
        for c in candidates:
            b, ok = block(c, samples)
            blocks.append(b)
            if not ok:
                failures.append(f"{key}: {c.family} {c.weight}")
        heading = f'<h1 class="role">{html.escape(title)}</h1>'
        sections.append(f'<section class="role-section">{heading}{"".join(blocks)}</section>')
    if FONTS_CSS.exists():
        fonts_css = FONTS_CSS.read_text(encoding="utf-8")
        head = f"<head><style>{fonts_css}\n{STYLE}</style></head>"
        body = f'<body><section class="composition">{COMPOSITION}</section></body>'
        alone = HTML(string=f"<html>{head}{body}</html>")
        used = embedded_fonts(alone.write_pdf() or b"")
        print(f"composition page embeds: {', '.join(used)}")
        note = (
            f"Composition with the stacks of {FONTS_CSS.relative_to(ROOT)} "
            "(GB/T 9704 margins 37/26/35/28 mm; classes .xbs .fs .ht .kt .st). "
            f"Embedded: {', '.join(used)}"
        )
        sections.append(f'<section class="composition"><div class="note">{note}</div>{COMPOSITION}</section>')
    else:
        fonts_css = ""
    doc = f"<html><head><style>{fonts_css}\n{STYLE}</style></head><body>{''.join(sections)}</body></html>"
    return doc, failures


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=ROOT / "build" / "font-specimen.pdf")
    ap.add_argument("--png", action="store_true", help="also rasterise the pages with pdftoppm")
    ap.add_argument("--dpi", type=int, default=80)
    args = ap.parse_args(argv)

    doc, failures = build_html()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    HTML(string=doc, base_url=str(ROOT)).write_pdf(args.out)
    print(f"wrote {args.out}")
    for f in failures:
        print(f"fallback/missing glyphs: {f}", file=sys.stderr)
    if args.png:
        if not shutil.which("pdftoppm"):
            print("pdftoppm not found (apt-get install poppler-utils)", file=sys.stderr)
            return 1
        prefix = args.out.with_suffix("")
        for stale in prefix.parent.glob(prefix.name + "-*.png"):
            stale.unlink()
        subprocess.run(["pdftoppm", "-png", "-r", str(args.dpi), str(args.out), str(prefix)], check=True)
        for p in sorted(prefix.parent.glob(prefix.name + "-*.png")):
            print(f"wrote {p}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
