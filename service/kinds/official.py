"""What the GB/T 9704 official documents share: the header block, a structured body with safe inline markup,
the attachment note, signature and imprint (版记).

The body is JSON, never HTML: sections of headings (levels 1-4, numbered 一、（一）1.（1）), paragraphs, lists
and tables. Inline markup is two marks only, ``**bold**`` and ``*emphasis*``; everything else is text,
escaped by the templates (HTML) or as XML (Word runs, built here with every piece of text escaped).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, ClassVar, Literal

from markupsafe import Markup, escape
from pydantic import Field, StringConstraints, model_validator

from ..checks import Problems
from .base import KindModel
from .fields import LongText, OptionalText, Signature, Strict, Text

BlockText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]
# A mark opens after anything but an ASCII letter or digit (so 7*7 stays text) and hugs its words.
_MARK = re.compile(
    r"(?<![0-9A-Za-z*])\*\*(?![\s*])(.+?)(?<![\s*])\*\*(?![0-9A-Za-z])"
    r"|(?<![0-9A-Za-z*])\*(?![\s*])(.+?)(?<![\s*])\*(?![0-9A-Za-z*])"
)


def inline_runs(text: str) -> list[dict[str, Any]]:
    """Split ``**bold**`` and ``*emphasis*`` into runs: [{"text", "bold", "em"}]. Unpaired stars stay text."""
    runs: list[dict[str, Any]] = []
    pos = 0
    for m in _MARK.finditer(text):
        if m.start() > pos:
            runs.append({"text": text[pos : m.start()], "bold": False, "em": False})
        runs.append({"text": m.group(1) or m.group(2), "bold": m.group(1) is not None, "em": m.group(2) is not None})
        pos = m.end()
    if pos < len(text) or not runs:
        runs.append({"text": text[pos:], "bold": False, "em": False})
    return runs


def word_runs(runs: list[dict[str, Any]]) -> Markup:
    """The runs as WordprocessingML inside a paragraph's templated run (as docxtpl's RichText does): the
    surrounding run is closed and reopened, and every text is XML-escaped. The fast DOCX path stays: this
    is plain text substitution, no python-docx at render time."""
    out = ["</w:t></w:r>"]
    for run in runs:
        # the same faces as the PDF (print.css .gbt-body b/em): bold in 黑体, emphasis in 楷体
        font = "黑体" if run["bold"] else "楷体_GB2312" if run["em"] else ""
        props = f'<w:rFonts w:eastAsia="{font}"/>' if font else ""
        rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
        out.append(f'<w:r>{rpr}<w:t xml:space="preserve">{escape(run["text"])}</w:t></w:r>')
    out.append('<w:r><w:t xml:space="preserve">')
    return Markup("".join(out))


class Block(Strict):
    """One piece of the body: a heading, a paragraph, a list or a table."""

    type: Literal["heading", "paragraph", "list", "table"]
    level: int = Field(1, ge=1, le=4, description="标题层级：1 一、 2 （一） 3 1. 4 （1）")
    text: BlockText = Field("", description="标题或段落文字，可用 **加粗** 和 *着重*")
    items: list[LongText] = Field(default_factory=list, max_length=50, description="列表各项")
    headers: list[Text] = Field(default_factory=list, max_length=8, description="表头")
    rows: list[list[OptionalText]] = Field(default_factory=list, max_length=100, description="表格各行")

    @model_validator(mode="after")
    def _complete(self) -> Block:
        problems = Problems()
        if self.type in ("heading", "paragraph") and not self.text:
            problems.add(("text",), "block_text", "a heading or paragraph needs text", "标题或段落不能为空")
        if self.type == "list" and not self.items:
            problems.add(("items",), "block_items", "a list needs items", "列表至少应有一项")
        if self.type == "table":
            if not self.headers:
                problems.add(("headers",), "block_headers", "a table needs headers", "表格应有表头")
            for i, row in enumerate(self.rows):
                if len(row) != len(self.headers):
                    problems.add(
                        ("rows", i),
                        "row_width",
                        f"row has {len(row)} cells, the header {len(self.headers)}",
                        f"该行有{len(row)}格，表头有{len(self.headers)}格",
                        row,
                    )
        problems.raise_if_any("Block")
        return self


class Imprint(Strict):
    """版记: copied to, and the office that prints the document and when."""

    cc: OptionalText = Field("", description="抄送机关")
    office: Text = Field(description="印发机关")
    printed_on: date = Field(description="印发日期")


class OfficialDocument(KindModel):
    """A GB/T 9704 document: header, title, addressee, structured body, attachments, signature, imprint."""

    chart_names: ClassVar[tuple[str, ...]] = ()  # the charts a kind draws, in the order its Word template has them

    copy_number: str | None = Field(None, pattern=r"^\d{6}$", description="份号（6位数字）")
    secrecy: OptionalText = Field("", description="密级和保密期限")
    urgency: Literal["", "特急", "加急"] = Field("", description="紧急程度")
    authority: Text = Field(description="发文机关标志，如：中共石门镇委员会")
    code: Text = Field(description="发文机关代字，如：石组")
    year: int = Field(ge=2000, le=2100, description="年份")
    serial: int = Field(ge=1, le=9999, description="发文顺序号")
    signer: OptionalText = Field(
        "", description="签发人（上行文）：给出时发文字号居左空一字，签发人居右空一字，同在一行（GB/T 9704 7.2.4）"
    )
    title: Text = Field(description="公文标题")
    addressee: OptionalText = Field("", description="主送机关")
    body: list[Block] = Field(default_factory=list, max_length=200, description="正文（结构化）")
    attachments: list[Text] = Field(default_factory=list, max_length=9, description="附件名称")
    signature: Signature
    sealed: bool = Field(True, description="是否加盖印章")
    imprint: Imprint | None = None

    def context(self) -> dict[str, Any]:
        """The body flattened into numbered paragraphs, with runs for both formats."""
        ctx = super().context()
        ctx["paras"] = flatten([b.model_dump() for b in self.body])
        ctx["doc_number"] = f"{self.code}〔{self.year}〕{self.serial}号"
        ctx["title_lines"] = shape_title(self.title)
        return ctx


def flatten(blocks: list[dict[str, Any]], first: int = 1) -> list[dict[str, Any]]:
    """Blocks as a flat list of printed items, headings numbered per level (a higher level restarts lower);
    level-1 headings start at ``first`` when the kind writes sections of its own before the free body."""
    counters = [first - 1, 0, 0, 0]
    out: list[dict[str, Any]] = []
    for b in blocks:
        if b["type"] == "heading":
            lvl = b["level"]
            counters[lvl - 1] += 1
            counters[lvl:] = [0] * (4 - lvl)
            runs = inline_runs(b["text"])
            out.append({"kind": f"h{lvl}", "level": lvl, "n": counters[lvl - 1], "runs": runs, "xml": word_runs(runs)})
        elif b["type"] == "paragraph":
            runs = inline_runs(b["text"])
            out.append({"kind": "p", "runs": runs, "xml": word_runs(runs)})
        elif b["type"] == "list":
            for i, item in enumerate(b["items"], 1):
                runs = inline_runs(item)
                out.append({"kind": "li", "n": i, "runs": runs, "xml": word_runs(runs)})
        else:
            out.append({"kind": "table", "headers": b["headers"], "rows": b["rows"]})
    return out


def shape_title(title: str, width: int = 18) -> list[str]:
    """A long title in two lines shaped as a trapezoid (the upper line no longer than the lower): broken at a
    word boundary (before 换届/关于/工作, after 的/年) near the middle. 22 pt fits 20 characters a line."""
    if len(title) <= width:
        return [title]
    cuts = {m.start() for m in re.finditer("换届|关于|工作", title)} | {m.end() for m in re.finditer("[的年]", title)}
    half = len(title) / 2
    fits = [c for c in cuts if 4 <= c <= half + 1 and len(title) - c <= width + 2]
    best = max(fits) if fits else int(half)
    return [title[:best], title[best:]]
