"""Build service/domain/data/strokes.tsv, the stroke data behind surname-stroke order (按姓氏笔画为序).

Run by a developer when the data should change, never at run time or in tests:

    python scripts/build_stroke_data.py --unihan /usr/share/unicode/Unihan_IRGSources.txt.bz2

Where the data comes from:

* Stroke orders: the npm package ``cnchar-order`` 3.2.6 (MIT, (c) theajack,
  https://github.com/theajack/cnchar). Its ``cnchar.order.min.js`` holds one letter per stroke for
  6,939 characters (GB 2312 and about 200 more); the letters are explained in the cnchar README
  ("笔画详细信息") and in the package's own stroke table. Without ``--cnchar-order`` the script runs
  ``npm pack cnchar-order@3.2.6`` in a temporary folder.
* Stroke counts: Unicode's Unihan database, field ``kTotalStrokes`` (Unicode License v3). Debian's
  ``unicode-data`` package installs it as ``/usr/share/unicode/Unihan_IRGSources.txt.bz2``; the
  ``Unihan.zip`` published by Unicode works too. Every cnchar stroke order must have exactly the
  Unihan count (first value, the one for simplified Chinese), so a dropped or doubled stroke in
  either source stops the build instead of reaching a ballot. CJK ideographs in the Basic
  Multilingual Plane that have no stroke order here get a count-only row, so a rare character still
  sorts among the characters with the same number of strokes.

Each detailed stroke is folded into the five classes 横1 竖2 撇3 点4 折5 the way the national
stroke-order standards do (《GB13000.1字符集汉字笔顺规范》 and 《GB13000.1字符集汉字折笔规范》):
提 counts as 横, 竖钩 as 竖, 捺 as 点, and every stroke with a turn (the 25 折笔 of the 折笔规范,
including 横钩, 竖提, 弯钩, 斜钩 and 卧钩) as 折.
"""

from __future__ import annotations

import argparse
import bz2
import io
import json
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

PACKAGE = "cnchar-order@3.2.6"
ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "service" / "domain" / "data" / "strokes.tsv"

# cnchar stroke letter -> five-class digit. The names are cnchar's own (README, stroke table).
LETTER_CLASS = {
    "j": "1",  # 横
    "i": "1",  # 提: the standard files 提 under 横
    "f": "2",  # 竖
    "g": "2",  # 竖钩: a hook but not a turn, so 竖 (it is not among the 25 折笔)
    "s": "3",  # 撇
    "k": "4",  # 点
    "d": "4",  # 点2: cnchar's second shape of 点 (宀's left dot, 心's dots), still 点
    "l": "4",  # 捺: the standard files 捺 under 点
    # Everything below turns at least once: 折.
    "a": "5",  # 横折折撇
    "b": "5",  # 竖弯 (cnchar also writes 竖折 with it)
    "c": "5",  # 横折
    "e": "5",  # 横撇 / 横钩
    "h": "5",  # 竖提
    "m": "5",  # 撇点
    "n": "5",  # 撇折
    "o": "5",  # 横斜钩 (also 横折弯钩, as in 九)
    "p": "5",  # 横折提
    "q": "5",  # 横折折折
    "r": "5",  # 横折钩
    "t": "5",  # 弯钩
    "u": "5",  # 竖弯钩
    "v": "5",  # 横折折 / 横折弯
    "w": "5",  # 横折折折钩 / 横撇弯钩
    "x": "5",  # 竖折撇 / 竖折折
    "y": "5",  # 斜钩 / 卧钩
    "z": "5",  # 竖折折钩
}

# Corrections to cnchar-order, each checked against the Unihan count and the character's parts.
FIXES = {
    # cnchar drops 白's first stroke (12 strokes); 皙 is 析 over 白, 13 strokes.
    "皙": "jfskssjf" + "sfcjj",
}

# Characters whose cnchar order we do not trust and cannot check: they keep only the Unihan count.
COUNT_ONLY = {
    # cnchar writes two whole 喜 (24 strokes); the usual glyph joins the long horizontals (Unihan: 21),
    # and no source here says in which order the joined strokes are written.
    "囍": "cnchar and Unihan disagree on the stroke count",
}

# Parts that cnchar lacks as characters, cut from a character that contains them, so every stroke
# still comes from the source data: "江[:3]" is the first three strokes of 江, i.e. 氵.
COMPONENTS = {
    "氵": ("江[:3]",),
    "礻": ("社[:4]",),
    "艹": ("花[:3]",),
    "⺊": ("贞[:2]",),
    "𠃓": ("杨[4:]",),
    "夋": ("俊[2:]",),
    "翏": ("谬[2:]",),
    "矞": ("橘[4:]",),
    "睘": ("寰[3:]",),
    "𢼸": ("微[3:]",),
    "貞": ("⺊", "目", "八"),
}

# Characters used in given names (mostly from the 通用规范汉字表 or common in registered names) that
# cnchar lacks, composed from their parts in writing order: left before right, top before bottom.
# A left-hand part may change one stroke (王's last 横 becomes 提, 木's 捺 becomes 点) but never its
# class, so the composed sequence is the written one; each total is checked against Unihan.
COMPOSED = {
    "䶮": "龙天",
    "妘": "女云",
    "姞": "女吉",
    "婳": "女画",
    "婼": "女若",
    "嬿": "女燕",
    "昪": "日弁",
    "晅": "日亘",
    "晊": "日至",
    "晙": "日夋",
    "晧": "日告",
    "晢": "折日",
    "晳": "析日",
    "暎": "日英",
    "暠": "日高",
    "暻": "日景",
    "棽": "林今",
    "橦": "木童",
    "沄": "氵云",
    "浛": "氵含",
    "淏": "氵昊",
    "溦": "氵𢼸",
    "澔": "氵皓",
    "烔": "火同",
    "熤": "火翌",
    "燏": "火矞",
    "燿": "火翟",
    "琤": "王争",
    "瑆": "王星",
    "瑢": "王容",
    "瑧": "王秦",
    "瑨": "王晋",
    "璆": "王翏",
    "璈": "王敖",
    "璿": "王睿",
    "禎": "礻貞",
    "禛": "礻真",
    "秾": "禾农",
    "翾": "睘羽",
    "蒨": "艹倩",
    "钖": "钅𠃓",
    "锜": "钅奇",
    "镠": "钅翏",
    "鹍": "昆鸟",
    "鹓": "宛鸟",
}

# Counts checked by hand against a dictionary; the build stops if the data ever disagrees.
# fmt: off
HAND_CHECKED = {
    "丁": 2, "万": 3, "于": 3, "马": 3, "王": 4, "韦": 4, "方": 4, "尹": 4, "孔": 4, "毛": 4, "邓": 4,
    "冯": 5, "卢": 5, "田": 5, "叶": 5, "石": 5, "付": 5, "白": 5, "龙": 5, "史": 5, "刘": 6,
    "孙": 6, "朱": 6, "许": 6, "吕": 6, "任": 6, "江": 6, "闫": 6, "向": 6, "汤": 6, "李": 7,
    "张": 7, "陈": 7, "杨": 7, "吴": 7, "何": 7, "宋": 7, "余": 7, "杜": 7, "苏": 7, "沈": 7,
    "陆": 7, "汪": 7, "邹": 7, "邱": 7, "邵": 7, "严": 7, "周": 8, "林": 8, "罗": 8, "郑": 8,
    "范": 8, "金": 8, "孟": 8, "武": 8, "赵": 9, "胡": 9, "姚": 9, "姜": 9, "钟": 9, "段": 9,
    "侯": 9, "贺": 9, "郝": 9, "徐": 10, "高": 10, "郭": 10, "唐": 10, "袁": 10, "贾": 10, "夏": 10,
    "秦": 10, "陶": 10, "顾": 10, "钱": 10, "莫": 10, "黄": 11, "梁": 11, "曹": 11, "萧": 11,
    "崔": 11, "龚": 11, "谢": 12, "韩": 12, "彭": 12, "曾": 12, "董": 12, "蒋": 12, "程": 12,
    "覃": 12, "雷": 13, "蔡": 14, "谭": 14, "廖": 14, "熊": 14, "潘": 15, "黎": 15, "薛": 16,
    "魏": 17, "戴": 17,
}
# fmt: on

# Blocks that get count-only rows: CJK Unified Ideographs, Extension A, Compatibility Ideographs.
COUNT_ONLY_BLOCKS = ((0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0xF900, 0xFAFF))

_SLICE = re.compile(r"^(.)\[(\d*):(\d*)\]$")


def fetch_package(workdir: Path) -> Path:
    """Download the cnchar-order tarball with npm and return the unpacked package folder."""
    subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=workdir, check=True, capture_output=True)
    tarball = next(workdir.glob("cnchar-order-*.tgz"))
    with tarfile.open(tarball) as tar:
        tar.extractall(workdir, filter="data")
    return workdir / "package"


def read_orders(package: Path) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """The character -> stroke letters map and the stroke table inside cnchar.order.min.js."""
    source = (package / "cnchar.order.min.js").read_text(encoding="utf-8")
    blocks = [json.loads(text) for text in re.findall(r"JSON\.parse\('(.*?)'\)", source)]
    orders = next(block for block in blocks if "一" in block)
    table = next(block for block in blocks if "j" in block and isinstance(block["j"], dict))
    return orders, table


def read_unihan(path: Path) -> tuple[dict[str, int], str]:
    """kTotalStrokes (first value) per character, and the Unicode version named in the file."""
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as archive:
            text = archive.read("Unihan_IRGSources.txt").decode("utf-8")
    elif path.suffix == ".bz2":
        text = bz2.decompress(path.read_bytes()).decode("utf-8")
    else:
        text = path.read_text(encoding="utf-8")
    version = re.search(r"^# Unicode version: (\S+)", text, re.MULTILINE)
    counts = {}
    for line in io.StringIO(text):
        if "\tkTotalStrokes\t" in line:
            code, _, value = line.rstrip("\n").split("\t")
            counts[chr(int(code[2:], 16))] = int(value.split()[0])
    return counts, version.group(1) if version else "unknown"


def expand(char: str, orders: dict[str, str]) -> str:
    """The stroke letters of a character or of a part listed in COMPONENTS / COMPOSED."""
    if char in COMPONENTS:
        return "".join(_part(spec, orders) for spec in COMPONENTS[char])
    if char in COMPOSED:
        return "".join(expand(part, orders) for part in COMPOSED[char])
    return orders[char]


def _part(spec: str, orders: dict[str, str]) -> str:
    match = _SLICE.match(spec)
    if not match:
        return expand(spec, orders)
    host, start, end = match.groups()
    return orders[host][int(start) if start else None : int(end) if end else None]


def classes(letters: str) -> str:
    """Fold stroke letters into the digits 1-5."""
    return "".join(LETTER_CLASS[letter] for letter in letters)


def build(orders: dict[str, str], counts: dict[str, int]) -> dict[str, tuple[int, str]]:
    """Character -> (total strokes, class sequence or ''), checked against Unihan and by hand."""
    problems = []
    sequences = {char: letters for char, letters in orders.items() if char not in COUNT_ONLY}
    sequences.update(FIXES)
    for char in COMPOSED:
        if char in orders:
            problems.append(f"{char}: composed, but cnchar-order has it; drop it from COMPOSED")
        sequences[char] = expand(char, orders)
    rows: dict[str, tuple[int, str]] = {}
    for char, letters in sequences.items():
        expected = counts.get(char)
        if expected is None and char in COMPOSED:
            problems.append(f"{char}: composed, but Unihan has no count to check it against")
        elif expected is not None and expected != len(letters):
            problems.append(f"{char}: {len(letters)} strokes in the order data, Unihan says {expected}")
        rows[char] = (len(letters), classes(letters))
    for low, high in COUNT_ONLY_BLOCKS:
        for code in range(low, high + 1):
            char = chr(code)
            if char not in rows and char in counts:
                rows[char] = (counts[char], "")
    for char, count in HAND_CHECKED.items():
        if rows[char][0] != count:
            problems.append(f"{char}: {rows[char][0]} strokes, checked by hand as {count}")
    if problems:
        raise SystemExit("stroke data check failed:\n  " + "\n  ".join(problems))
    return rows


def write(rows: dict[str, tuple[int, str]], unicode_version: str, output: Path) -> None:
    """Write the TSV, one character per line in code point order."""
    header = [
        "# Stroke data for surname-stroke order (按姓氏笔画为序). Generated by scripts/build_stroke_data.py;",
        "# do not edit by hand. Sources: cnchar-order 3.2.6 (MIT) for stroke orders, Unihan",
        f"# {unicode_version} kTotalStrokes (Unicode License v3) for counts; see STROKES-LICENSE.txt.",
        "# Columns: character, total strokes, strokes in writing order as 1横 2竖 3撇 4点 5折",
        "# (third column empty: only the count is known).",
    ]
    lines = [f"{char}\t{count}\t{sequence}" for char, (count, sequence) in sorted(rows.items())]
    output.write_text("\n".join(header + lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cnchar-order", type=Path, help="unpacked cnchar-order package folder")
    parser.add_argument(
        "--unihan", type=Path, required=True, help="Unihan_IRGSources.txt(.bz2) or Unihan.zip"
    )
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    counts, unicode_version = read_unihan(args.unihan)
    with tempfile.TemporaryDirectory() as tmp:
        package = args.cnchar_order or fetch_package(Path(tmp))
        orders, table = read_orders(package)
    unknown = set(table) - set(LETTER_CLASS)
    if unknown:
        raise SystemExit(f"cnchar stroke letters without a class: {sorted(unknown)}")
    rows = build(orders, counts)
    write(rows, unicode_version, args.output)
    with_order = sum(1 for _, sequence in rows.values() if sequence)
    print(f"{args.output}: {len(rows)} characters, {with_order} with stroke order", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
