"""The Word files laid out by a word processor: LibreOffice (Debian's libreoffice-writer-nogui, scripts/setup)
converts the official documents to PDF, and the positions GB/T 9704 fixes are measured there as in the
WeasyPrint PDF: the imprint at the bottom of the last page, the signature with body text and in its place, the
签发人 line, the mark and the page numbers. One conversion serves the module (LibreOffice starts slowly)."""

from __future__ import annotations

import io
import shutil
import subprocess
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from test_gbt9704 import HEIGHT, LEFT, MM, TOP, WIDTH, is_red

from service import documents, kinds
from service.filters import cn_date, text_em
from service.render.pool import RenderPool

EM = 16 / MM
RIGHT = LEFT + WIDTH
KINDS = ["report.summary", "report.request"]


@pytest.fixture(scope="module")
def laid_out(tmp_path_factory: pytest.TempPathFactory, render_pool: RenderPool) -> Iterator[dict[str, Any]]:
    """kind → the LibreOffice PDF of its sample's Word file, opened with pdfplumber."""
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice is missing: run scripts/setup (libreoffice-writer-nogui)"
    tmp = tmp_path_factory.mktemp("lo")
    files = []
    for kind in KINDS:
        out = documents.produce(kind, kinds.get(kind).sample(), "docx", "zh", pool=render_pool, timeout=60)
        files.append(tmp / f"{kind}.docx")
        files[-1].write_bytes(out.data)
    profile = (tmp / "profile").as_uri()  # its own profile: another LibreOffice may be running
    cmd = [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", str(tmp)]
    subprocess.run([*cmd, *map(str, files)], check=True, capture_output=True, timeout=300)
    opened = {kind: pdfplumber.open(io.BytesIO(Path(tmp / f"{kind}.pdf").read_bytes())) for kind in KINDS}
    yield opened
    for pdf in opened.values():
        pdf.close()


def lines(page: Any) -> list[tuple[str, list[dict[str, Any]]]]:
    """The page's lines as (text without spaces, characters left to right), top to bottom. LibreOffice spaces
    Latin from Han text, so words would split where the WeasyPrint PDF has none."""
    by_base: dict[float, list[dict[str, Any]]] = defaultdict(list)
    for c in page.chars:
        if c["text"].strip():
            by_base[round(c["matrix"][5])].append(c)
    out = []
    for y in sorted(by_base, reverse=True):
        chars = sorted(by_base[y], key=lambda c: c["x0"])
        out.append(("".join(c["text"] for c in chars), chars))
    return out


def find(pdf: Any, text: str) -> tuple[int, list[dict[str, Any]]]:
    """The page index and characters of the last line that reads exactly ``text``."""
    found = [(i, chars) for i, page in enumerate(pdf.pages) for t, chars in lines(page) if t == text]
    assert found, text
    return found[-1]


def span(chars: list[dict[str, Any]]) -> tuple[float, float]:
    return chars[0]["x0"] / MM, chars[-1]["x1"] / MM


def signature(pdf: Any, name: str, day: str) -> tuple[int, list[dict[str, Any]], list[dict[str, Any]]]:
    i, date = find(pdf, day)
    above = [chars for t, chars in lines(pdf.pages[i]) if t == name and chars[0]["top"] < date[0]["top"]]
    assert above, name
    return i, above[-1], date


def bottom_rules(page: Any) -> list[dict[str, Any]]:
    """Full-width rules in the lower part of the page (a body table's borders are full width too)."""
    return [r for r in page.lines if abs(r["width"] / MM - WIDTH) < 0.5 and r["top"] / MM > 200]


@pytest.mark.parametrize(("kind", "widths"), [("report.summary", [1.0, 0.75, 1.0]), ("report.request", [1.0, 1.0])])
def test_imprint_at_the_bottom_of_the_last_page(laid_out: dict[str, Any], kind: str, widths: list[float]) -> None:
    pdf = laid_out[kind]
    last = pdf.pages[-1]
    rules = sorted(bottom_rules(last), key=lambda r: r["top"])
    assert [round(r["linewidth"], 2) for r in rules] == widths  # 0.35 mm, 0.25 mm, 0.35 mm
    assert abs(rules[-1]["top"] / MM - (TOP + HEIGHT)) < 0.6  # the last rule on the text area's bottom edge
    assert all(abs(r["x0"] / MM - LEFT) < 0.3 for r in rules)
    office = kinds.get(kind).sample()["imprint"]["office"]
    printed = next(chars for t, chars in lines(last) if t.startswith(office) and t.endswith("印发"))
    assert abs(printed[0]["x0"] / MM - (LEFT + 14 / MM)) < 0.6  # one 4号 character in at both ends
    assert abs(printed[-1]["x1"] / MM - (RIGHT - 14 / MM)) < 0.6
    for page in pdf.pages[:-1]:
        assert not bottom_rules(page)


def test_sealed_signature_with_body_text_centred_over_the_date(laid_out: dict[str, Any]) -> None:
    pdf = laid_out["report.summary"]
    i, name, date = signature(pdf, "中共石门镇委员会", "2026年11月20日")
    above = [c for c in pdf.pages[i].chars if c["bottom"] < name[0]["top"] - 20 and round(c["size"]) == 16]
    assert above  # never alone on its page
    (n0, n1), (d0, d1) = span(name), span(date)
    assert abs((n0 + n1) / 2 - (d0 + d1) / 2) < 0.5  # the name centred over the date
    # both centred where the date's centre is when it ends four characters in (右空四字). LibreOffice spaces
    # Latin from Han text whatever w:autoSpaceDE says (Word does not), so here the date is wider than counted
    # and ends about half a character further right.
    assert abs((d0 + d1) / 2 - (RIGHT - 4 * EM - text_em("2026年11月20日") * EM / 2)) < 0.5
    assert abs(RIGHT - d1 - 4 * EM) < 3
    seal = [c for c in pdf.pages[i].curves if abs(c["width"] / MM - 42) < 1]
    assert seal and abs((seal[0]["x0"] + seal[0]["x1"]) / 2 / MM - (d0 + d1) / 2) < 1


def test_unsealed_signature_and_signer_line(laid_out: dict[str, Any]) -> None:
    pdf = laid_out["report.request"]
    sample = kinds.get("report.request").sample()
    _, name, date = signature(pdf, sample["signature"]["body"], cn_date(sample["signature"]["date"]))
    (n0, n1), (d0, _) = span(name), span(date)
    assert abs(RIGHT - n1 - 2 * EM) < 1  # 右空二字
    assert abs(d0 - n0 - 2 * EM) < 1  # the date's first character two to the right of the name's
    _, number = find(pdf, "柳支〔2026〕3号签发人：王建国")
    left, right = span(number)
    assert abs(left - (LEFT + EM)) < 0.6 and abs(right - (RIGHT - EM)) < 0.6


@pytest.mark.parametrize("kind", KINDS)
def test_mark_and_page_numbers(laid_out: dict[str, Any], kind: str) -> None:
    pdf = laid_out[kind]
    red = [c for c in pdf.pages[0].chars if is_red(c["non_stroking_color"])]
    assert "".join(c["text"] for c in red).startswith(kinds.get(kind).sample()["authority"])
    assert {round(c["size"]) for c in red} == {36}
    for n, page in enumerate(pdf.pages, 1):
        text, chars = lines(page)[-1]
        assert text == f"—{n}—"
        assert abs(chars[0]["top"] / MM - (TOP + HEIGHT + 7)) < 1.5  # as in the WeasyPrint PDF
        if n % 2:
            assert abs(chars[-1]["x1"] / MM - (RIGHT - 14 / MM)) < 1
        else:
            assert abs(chars[0]["x0"] / MM - (LEFT + 14 / MM)) < 1
