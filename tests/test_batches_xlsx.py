"""The streaming XLSX reader of county files, on the shapes Excel and WPS write that openpyxl's output lacks."""

from __future__ import annotations

import io
import zipfile

from service.batches import xlsx

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


def workbook(sheet_data: str, strings: str, prefix: str = "") -> zipfile.ZipFile:
    """A minimal package: one sheet (cells as given), a shared string table and a date style (index 1)."""
    p = f"{prefix}:" if prefix else ""
    xmlns = f'xmlns{":" + prefix if prefix else ""}="{MAIN}"'
    parts = {
        "xl/workbook.xml": f'<{p}workbook {xmlns} xmlns:r="{REL}"><{p}sheets>'
                           f'<{p}sheet name="名单" sheetId="1" r:id="rId1"/></{p}sheets></{p}workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" '
                                      'Target="worksheets/sheet1.xml" Type="x"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<{p}worksheet {xmlns}><{p}sheetData>{sheet_data}</{p}sheetData>'
                                    f'</{p}worksheet>',
        "xl/sharedStrings.xml": f'<{p}sst {xmlns}>{strings}</{p}sst>',
        "xl/styles.xml": f'<styleSheet xmlns="{MAIN}"><numFmts><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m'
                         '&quot;月&quot;d&quot;日&quot;"/></numFmts><cellXfs><xf numFmtId="0"/><xf numFmtId="176"/>'
                         '<xf numFmtId="49"/></cellXfs></styleSheet>',
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as book:
        for name, text in parts.items():
            book.writestr(name, text)
    return zipfile.ZipFile(io.BytesIO(out.getvalue()))


def test_rich_text_phonetics_gaps_dates_formulas_and_booleans() -> None:
    strings = ('<si><t>乡镇</t></si><si><r><t>石</t></r><r><rPr><b/></rPr><t xml:space="preserve">门镇 </t></r>'
               '<rPh sb="0" eb="1"><t>シ</t></rPh></si><si><t>A &amp; B</t></si><si><t/></si>')
    rows = (
        '<row r="1" spans="1:4"><c r="A1" t="s"><v>0</v></c></row>'
        '<row r="3"><c r="A3" t="s"><v>1</v></c><c r="C3" s="1"><v>29342</v></c>'
        '<c r="D3"><f>1+1</f><v>2</v></c><c r="E3" t="b"><v>1</v></c><c r="F3" t="s"><v>2</v></c>'
        '<c r="G3" t="str"><f>A1</f><v>x</v></c><c r="H3" t="e"><v>#N/A</v></c><c r="I3" s="2"/>'
        '<c r="J3" t="s"><v>3</v></c><c r="K3"><v>2.5</v></c></row>'
    )
    book = workbook(rows, strings)
    ((title, part),) = xlsx.sheets(book)
    assert (title, part) == ("名单", "xl/worksheets/sheet1.xml")
    assert list(xlsx.rows(book, part)) == [
        ["乡镇"],
        [],  # row 2 has no cells and is not written; the numbering stays right
        ["石门镇", "", "1980-05-01", "2", "True", "A & B", "x", "#N/A", "", "", "2.5"],
    ]


def test_prefixed_elements_and_inline_strings() -> None:
    rows = ('<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>村</x:t></x:is></x:c>'
            '<x:c r="B1" t="s"><x:v>0</x:v></x:c></x:row>')
    book = workbook(rows, "<x:si><x:t>姓名</x:t></x:si>", prefix="x")
    assert list(xlsx.rows(book, "xl/worksheets/sheet1.xml")) == [["村", "姓名"]]


def test_rows_split_across_read_chunks_stay_whole() -> None:
    cells = "".join(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>第{n}行</t></is></c></row>' for n in range(1, 2001))
    book = workbook(cells, "")
    with book.open("xl/worksheets/sheet1.xml") as part:
        chunks = list(xlsx._chunks(part, size=1000))  # many chunks, each ending after a row
    assert len(chunks) > 50 and all(c.endswith("</row>") for c in chunks[:-1])
    assert [r[0] for r in xlsx.rows(book, "xl/worksheets/sheet1.xml")] == [f"第{n}行" for n in range(1, 2001)]


def test_date_formats() -> None:
    assert xlsx.is_date_format("yyyy-mm-dd") and xlsx.is_date_format('yyyy"年"m"月"d"日"')
    assert xlsx.is_date_format("h:mm")
    assert not xlsx.is_date_format("0.00") and not xlsx.is_date_format('"days"0') and not xlsx.is_date_format("@")
    assert not xlsx.is_date_format("[Red]#,##0")


def test_cells_with_other_attribute_orders_fall_back_to_the_general_pattern() -> None:
    rows = ('<row r="1"><c r="A1" t="s"><v>0</v></c><c t="s" r="B1" s="2"><v>1</v></c>'
            '<c r="C1" s="1" t="n" cm="1"><v>29342</v></c></row>'
            '<row r="2"><c r="A2" t="s"><v>1</v></c><c r="C2" s="1"><v>29343</v></c></row>')
    book = workbook(rows, "<si><t>乡镇</t></si><si><t>村</t></si>")
    assert list(xlsx.rows(book, "xl/worksheets/sheet1.xml")) == [
        ["乡镇", "村", "1980-05-01"],
        ["村", "", "1980-05-02"],
    ]
