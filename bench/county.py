"""An invented county for the batch benchmark: townships, villages and voters as a county office keeps them.

    python bench/county.py --villages 200 --voters 270000 --out /tmp/county   # county.csv (GB18030) + county.xlsx

One row per voter, columns 乡镇, 村, 姓名, 公民身份号码, 村民小组, 登记类别, 备注 — names and ID numbers from
service/fake.py (invented, check digits right). The same seed gives the same county.
"""

from __future__ import annotations

import argparse
import csv
import io
import itertools
import random
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from service import fake  # noqa: E402
from service.kinds.roster.voters import CATEGORY_LABELS  # noqa: E402

HEADER = ("乡镇", "村", "姓名", "公民身份号码", "村民小组", "登记类别", "备注")
COUNTY_CODE = "330122"
_PLACE = "青石桥溪河山湾岭坪塘源田坞口岙里坑头溪滩竹林梅桃杏柳松柏凤龙云霞金玉丰安宁和平乐兴福寿康"
_TOWN_SUFFIX = ("镇", "镇", "乡", "街道")


def _names(rng: random.Random, n: int, suffix: str, taken: set[str]) -> list[str]:
    out = []
    while len(out) < n:
        name = "".join(rng.sample(_PLACE, 2)) + suffix
        if name not in taken:
            taken.add(name)
            out.append(name)
    return out


def layout(villages: int, voters: int, seed: int = 2026) -> list[tuple[str, str, int]]:
    """(township, village, voters) for each village: ~15 villages a township, sizes uneven but summing exactly."""
    rng = random.Random(seed)
    taken: set[str] = set()
    townships = [t + rng.choice(_TOWN_SUFFIX) for t in _names(rng, max(1, villages // 15), "", taken)]
    weights = [rng.lognormvariate(0, 0.45) for _ in range(villages)]
    scale = voters / sum(weights)
    sizes = [max(1, int(w * scale)) for w in weights]
    sizes[-1] += voters - sum(sizes)  # rounding goes to the last village
    names = _names(rng, villages, "村", taken)
    return sorted(
        ((townships[i * len(townships) // villages], names[i], sizes[i]) for i in range(villages)),
        key=lambda t: rng.random(),  # the office's file is not sorted by place
    )


def rows(villages: int, voters: int, seed: int = 2026) -> Iterator[tuple[str, ...]]:
    """Every voter row of the county, village after village (as offices paste the villages' lists together)."""
    for n, (township, village, size) in enumerate(layout(villages, voters, seed)):
        for v in fake.voters(size, seed=seed * 1000 + n, region=COUNTY_CODE):
            yield (township, village, v["name"], v["id_number"], v["group"], CATEGORY_LABELS[v["category"]],
                   v["note"])


def write_csv(path: Path, villages: int, voters: int, seed: int = 2026, encoding: str = "gb18030") -> Path:
    """The county as CSV in ``encoding`` (GB18030 as Excel on a Chinese Windows saves it)."""
    with path.open("w", encoding=encoding, newline="") as fh:
        out = csv.writer(fh)
        out.writerow(HEADER)
        out.writerows(rows(villages, voters, seed))
    return path


_XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="xl/workbook.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="选民" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="worksheets/sheet1.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
        '<Relationship Id="rId2" Target="sharedStrings.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
        '<Relationship Id="rId3" Target="styles.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"/></Relationships>'
    ),
    "xl/styles.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts>'
        '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
        '<borders count="1"><border/></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
    ),
}


def write_xlsx(path: Path, villages: int, voters: int, seed: int = 2026) -> Path:
    """The county as an XLSX workbook the way Excel and WPS save one: text in the shared string table, the
    ID column formatted as text (@). Written directly: openpyxl's write-only mode writes every character
    as an &#NNNNN; reference, which no office file looks like, and its normal mode would hold 1.9M cells."""
    from xml.sax.saxutils import escape

    index: dict[str, int] = {}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as raw:
            sheet = io.TextIOWrapper(raw, "utf-8")
            sheet.write('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet '
                        'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            for r, row in enumerate(itertools.chain([HEADER], rows(villages, voters, seed)), start=1):
                cells = []
                for col, text in zip("ABCDEFG", row, strict=True):
                    if text:
                        n = index.setdefault(text, len(index))
                        style = ' s="1"' if col == "D" else ""
                        cells.append(f'<c r="{col}{r}"{style} t="s"><v>{n}</v></c>')
                sheet.write(f'<row r="{r}">{"".join(cells)}</row>')
            sheet.write("</sheetData></worksheet>")
            sheet.flush()
            sheet.detach()
        with book.open("xl/sharedStrings.xml", "w", force_zip64=True) as raw:
            strings = io.TextIOWrapper(raw, "utf-8")
            strings.write('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst '
                          f'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                          f'uniqueCount="{len(index)}">')
            strings.writelines(f"<si><t>{escape(text)}</t></si>" for text in index)
            strings.write("</sst>")
            strings.flush()
            strings.detach()
        for name, text in _XLSX_PARTS.items():
            book.writestr(name, text)
    return path


def main() -> None:
    """Write county.csv and county.xlsx into --out."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--villages", type=int, default=200)
    parser.add_argument("--voters", type=int, default=270_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--out", type=Path, default=Path("/tmp/county"))
    opts = parser.parse_args()
    opts.out.mkdir(parents=True, exist_ok=True)
    for write, name in ((write_csv, "county.csv"), (write_xlsx, "county.xlsx")):
        t = time.perf_counter()
        path = write(opts.out / name, opts.villages, opts.voters, opts.seed)
        print(f"{path}: {path.stat().st_size / 2**20:.1f} MB in {time.perf_counter() - t:.1f} s")


if __name__ == "__main__":
    main()
