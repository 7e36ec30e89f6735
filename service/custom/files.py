"""Checks on an uploaded template file before any parser sees it: size, zip structure, XML declarations, URLs.

Each check returns problems instead of raising, so one answer lists everything wrong with the file. A problem
is a FieldError whose path names the part of the file (``/file/word/document.xml``).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from posixpath import normpath
from urllib.parse import urlparse

from lxml import etree

from ..errors import FieldError

_XML_PART = re.compile(r"\.(xml|rels|vml)$", re.IGNORECASE)
_NESTED = re.compile(r"\.(zip|docx|docm|xlsx|xlsm|pptx|jar|odt|ods|gz|bz2|xz|7z|rar|bin)$", re.IGNORECASE)
_DECL = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']""")
_SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
_HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


@dataclass(frozen=True)
class Limits:
    """The size limits of an upload (settings TEMPLATE_MAX_*)."""

    max_bytes: int
    max_unzipped: int
    max_ratio: int
    max_entries: int


def problem(path: str, code: str, zh: str, en: str) -> FieldError:
    """A problem found in the file at ``path`` (a part name, or empty for the whole file)."""
    return FieldError("/file" + (f"/{path}" if path else ""), code, zh, en)


def too_large(size: int, limits: Limits) -> FieldError | None:
    """The problem of a file over TEMPLATE_MAX_BYTES, if it is."""
    if size <= limits.max_bytes:
        return None
    return problem(
        "",
        "too_large",
        f"文件超过大小上限{limits.max_bytes}字节（TEMPLATE_MAX_BYTES）",
        f"the file is larger than the limit of {limits.max_bytes} bytes (TEMPLATE_MAX_BYTES)",
    )


def _bad_name(name: str) -> bool:
    if not name or "\\" in name or "\x00" in name or name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return True
    return normpath(name).startswith("..") or any(seg == ".." for seg in name.split("/"))


def read_docx(data: bytes, limits: Limits) -> tuple[dict[str, bytes], list[FieldError]]:
    """The parts of a .docx, or the problems that stop it being opened safely (nothing is unpacked past a limit)."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return {}, [problem("", "not_docx", "不是有效的 Word（.docx）文件", "not a valid Word (.docx) file")]
    problems: list[FieldError] = []
    if len(infos) > limits.max_entries:
        return {}, [
            problem(
                "",
                "zip_entries",
                f"文件含{len(infos)}个部件，超过上限{limits.max_entries}个",
                f"the file has {len(infos)} parts, over the limit of {limits.max_entries}",
            )
        ]
    declared = sum(i.file_size for i in infos)
    if declared > limits.max_unzipped:
        return {}, [
            problem(
                "",
                "zip_bomb",
                f"解压后共{declared}字节，超过上限{limits.max_unzipped}字节（疑似压缩炸弹）",
                f"it unpacks to {declared} bytes, over the limit of {limits.max_unzipped} (a zip bomb?)",
            )
        ]
    seen: set[str] = set()
    for info in infos:
        name = info.filename
        if _bad_name(name):
            problems.append(problem("", "zip_path", f"部件名不安全：{name[:80]}", f"unsafe part name: {name[:80]!r}"))
        elif name in seen:
            problems.append(problem(name, "zip_duplicate", "部件名重复", "the part name occurs twice"))
        elif name.startswith("word/embeddings/") or (_NESTED.search(name) and "/printerSettings/" not in name):
            problems.append(
                problem(
                    name, "zip_nested", "模板里不能嵌入压缩包或其他文件", "a template may not embed archives or files"
                )
            )
        elif info.file_size > 65536 and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            problems.append(
                problem(
                    name,
                    "zip_bomb",
                    f"压缩比超过{limits.max_ratio}倍（疑似压缩炸弹）",
                    f"compressed more than {limits.max_ratio} times (a zip bomb?)",
                )
            )
        seen.add(name)
    if problems:
        return {}, problems
    parts: dict[str, bytes] = {}
    total = 0
    for info in infos:
        if info.is_dir():
            continue
        try:
            with zf.open(info) as fh:  # read in pieces and count: never trust the sizes the archive declares
                chunks = []
                while chunk := fh.read(65536):
                    total += len(chunk)
                    if total > limits.max_unzipped:
                        return {}, [
                            problem(
                                "",
                                "zip_bomb",
                                "解压后超过大小上限（疑似压缩炸弹）",
                                "it unpacks past the size limit (a zip bomb?)",
                            )
                        ]
                    chunks.append(chunk)
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError) as exc:
            return {}, [
                problem(
                    info.filename, "zip_corrupt", f"部件已损坏或加密：{exc}", f"the part is damaged or encrypted: {exc}"
                )
            ]
        parts[info.filename] = b"".join(chunks)
        if parts[info.filename][:4] == b"PK\x03\x04":
            problems.append(
                problem(info.filename, "zip_nested", "模板里不能嵌入压缩包", "a template may not embed archives")
            )
    if "word/document.xml" not in parts or "[Content_Types].xml" not in parts:
        problems.append(
            problem(
                "", "not_docx", "缺少 word/document.xml，不是 Word 文档", "no word/document.xml: not a Word document"
            )
        )
    if "word/vbaProject.bin" in parts or b"macroEnabled" in parts.get("[Content_Types].xml", b""):
        problems.append(problem("", "macros", "模板不能包含宏", "a template may not contain macros"))
    return parts, problems


def check_xml(name: str, data: bytes) -> list[FieldError]:
    """Problems of one XML part: any DTD or entity declaration (billion laughs, XXE), another encoding, bad XML.

    The scan runs on the raw bytes before lxml sees them, and the part must be UTF-8 so the scan is reliable.
    """
    if _DECL.search(data):
        return [
            problem(
                name,
                "xml_declaration",
                "XML 部件含 DOCTYPE 或 ENTITY 声明（可用于实体膨胀或读取服务器文件），不允许",
                "the XML part declares a DOCTYPE or ENTITY (billion laughs, XXE): not allowed",
            )
        ]
    enc = _ENCODING.match(data)
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or (enc and enc.group(1).lower().replace(b"-", b"") != b"utf8"):
        return [problem(name, "xml_encoding", "XML 部件应为 UTF-8 编码", "the XML part must be UTF-8")]
    try:
        data.decode("utf-8")
        root = etree.fromstring(data, _SAFE_XML)
    except (UnicodeDecodeError, etree.XMLSyntaxError) as exc:
        return [problem(name, "xml_syntax", f"XML 部件格式不正确：{exc}", f"the XML part is not well-formed: {exc}")]
    if name.endswith(".rels"):
        return [
            problem(
                name,
                "external_link",
                f"模板引用了外部文件 {rel.get('Target', '')[:80]}，不允许（超链接除外）",
                f"the template links an outside file {rel.get('Target', '')[:80]!r}: only hyperlinks may",
            )
            for rel in root.iter(f"{_REL_NS}Relationship")
            if rel.get("TargetMode") == "External" and rel.get("Type") != _HYPERLINK
        ]
    return []


def _looks_xml(data: bytes) -> bool:
    return data.lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n")[:1] == b"<"


def check_docx_parts(parts: dict[str, bytes]) -> list[FieldError]:
    """Problems of every XML part of an unpacked .docx, whatever its name says (a content-type override can
    make any part XML)."""
    return [
        p for name, data in parts.items() if _XML_PART.search(name) or _looks_xml(data) for p in check_xml(name, data)
    ]


# --- HTML -------------------------------------------------------------------------------------------------

_URL_ATTRS = {"src", "href", "xlink:href", "data", "poster", "background", "srcset", "action", "formaction", "cite"}
_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]*)|@import\s+['"]([^'"]*)""", re.IGNORECASE)


class _Urls(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, str]] = []  # (tag, attribute, url)
        self.scripts = 0
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.scripts += 1
        self._in_style = tag == "style"
        for name, value in attrs:
            if value is None:
                continue
            if name in _URL_ATTRS:
                urls = [u.strip().split(" ")[0] for u in value.split(",")] if name == "srcset" else [value.strip()]
                self.found += [(tag, name, u) for u in urls]
            elif name == "style":
                self.found += [(tag, "style", a or b) for a, b in _CSS_URL.findall(value)]

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.found += [("style", "css", a or b) for a, b in _CSS_URL.findall(data)]


def _fetchable(url: str) -> bool:
    """Whether the PDF renderer's fetcher would serve this URL (relative, into templates/html/assets)."""
    parsed = urlparse(url)
    if parsed.scheme or parsed.netloc or url.startswith("/"):
        return False
    return normpath(parsed.path).startswith("assets/")


def check_html(data: bytes) -> tuple[str, list[FieldError], list[str]]:
    """The text of an HTML template, its problems (encoding, URLs the fetcher would refuse) and warnings."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return (
            "",
            [
                problem(
                    "",
                    "encoding",
                    f"HTML 模板应为 UTF-8 编码（第{exc.start}字节起无法解码）",
                    f"the HTML template must be UTF-8 (undecodable from byte {exc.start})",
                )
            ],
            [],
        )
    problems: list[FieldError] = []
    charset = re.search(r"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", text, re.IGNORECASE)
    if charset and charset.group(1).lower().replace("-", "") != "utf8":
        problems.append(
            problem(
                "",
                "encoding",
                f"HTML 声明了 {charset.group(1)} 编码，应为 UTF-8",
                f"the HTML declares {charset.group(1)}: it must be UTF-8",
            )
        )
    parser = _Urls()
    parser.feed(text)
    parser.close()
    for tag, attr, url in parser.found:
        if not url or url.startswith("#") or (tag == "a" and attr == "href"):
            continue  # a hyperlink in a PDF is only an annotation: WeasyPrint never fetches it
        if not _fetchable(url):
            problems.append(
                problem(
                    "",
                    "remote_url",
                    f"<{tag} {attr}> 引用了 {url[:80]}：生成 PDF 时只能使用服务自带的 assets/ 资源",
                    f"<{tag} {attr}> refers to {url[:80]!r}: a PDF may only use the service's own assets/ files",
                )
            )
    warnings = ["<script> is ignored: PDFs run no JavaScript"] if parser.scripts else []
    return text, problems, warnings
