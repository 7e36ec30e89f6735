"""PDF rendering with WeasyPrint: one font configuration per process, a fetcher that serves only our assets."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlparse

from pypdf import PdfReader, PdfWriter
from weasyprint import CSS, HTML
from weasyprint.document import Document
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from . import fontembed, stamp
from .environment import TEMPLATES

HTML_DIR = TEMPLATES / "html"
ASSETS = HTML_DIR / "assets"
BASE_URL = HTML_DIR.as_uri() + "/"
log = logging.getLogger(__name__)
fontembed.install()  # faster CJK font embedding, for the pinned WeasyPrint only (see fontembed.py)


class AssetFetcher(URLFetcher):
    """Serves files under templates/html/assets and nothing else: no network, no other file, no data: URI."""

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        """Return an asset, or refuse; WeasyPrint logs the refusal and leaves the resource out."""
        parsed = urlparse(url)
        if parsed.scheme != "file" or parsed.netloc not in ("", "localhost"):
            raise ValueError(f"refused to fetch {url[:80]!r}: only the project's own assets are served")
        path = Path(unquote(parsed.path)).resolve()
        if not path.is_relative_to(ASSETS.resolve()) or not path.is_file():
            raise ValueError(f"refused to fetch {url[:80]!r}: not one of the project's assets")
        return URLFetcherResponse(url, path.read_bytes(), {}, 200)


@cache
def font_config() -> FontConfiguration:
    """The process's one FontConfiguration (a new one per document leaks memory)."""
    return FontConfiguration()


@cache
def stylesheet(name: str) -> CSS:
    """A parsed stylesheet from templates/html, kept for the life of the process."""
    return CSS(filename=str(HTML_DIR / name), url_fetcher=AssetFetcher(), font_config=font_config())


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _warnings_collected() -> Iterator[list[str]]:
    """The warnings WeasyPrint logs meanwhile."""
    collect = _Collect()
    wp_log = logging.getLogger("weasyprint")
    wp_log.addHandler(collect)
    try:
        yield collect.messages
    finally:
        wp_log.removeHandler(collect)


def _layout(html: str, stylesheets: tuple[str, ...]) -> Document:
    return HTML(string=html, base_url=BASE_URL, url_fetcher=AssetFetcher()).render(
        font_config=font_config(), stylesheets=[stylesheet(s) for s in stylesheets]
    )


# a fixed identifier keeps identical documents byte-identical
_WRITE = {"pdf_identifier": b"election-docs"}


def html_to_pdf(html: str, stylesheets: tuple[str, ...] = ("print.css",)) -> tuple[bytes, list[str]]:
    """Render one HTML string to PDF bytes in this process, with the warnings WeasyPrint logged meanwhile."""
    with _warnings_collected() as warnings:
        data = _layout(html, stylesheets).write_pdf(**_WRITE)
    return data, warnings


@dataclass(frozen=True)
class StampedPart:
    """HTML laid out without some of its text, which is stamped in after layout (stamp.py): onto the ``pages``
    given or, when None, onto each laid-out page its ``blocks``."""

    html: str
    atlas: dict[str, list[str]]  # each style's atlas boxes, as the HTML lays them out
    pages: tuple[stamp.Page, ...] | None = None
    blocks: tuple[stamp.Block, ...] = ()


def render_part(part: str | StampedPart, stylesheets: tuple[str, ...] = ("print.css",)) -> tuple[bytes, list[str]]:
    """Render a chunk of a document: HTML, or HTML whose blocks are stamped after layout."""
    if isinstance(part, str):
        return html_to_pdf(part, stylesheets)
    with _warnings_collected() as warnings:
        document = _layout(part.html, stylesheets)
        data = document.write_pdf(**_WRITE)
    anchors = [page.anchors for page in document.pages]
    return stamp.stamp(data, part.atlas, anchors, part.pages, part.blocks), warnings


def join_pdfs(parts: list[bytes]) -> bytes:
    """Concatenate PDFs rendered in chunks into one file."""
    if len(parts) == 1:
        return parts[0]
    writer = PdfWriter()
    for data in parts:
        writer.append(PdfReader(io.BytesIO(data)))
    writer.add_metadata({"/Producer": "election-docs"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# One tiny document per face: loading them one at a time keeps a worker's peak memory to what one real
# document needs (WeasyPrint copies each embedded CJK font, some 25 MB, while it subsets it).
_WARM_UP = (
    "<p>仿宋 Aa1</p>",
    '<h1 class="doc-title">小标宋</h1>',
    '<p class="h1">黑体</p>',
    '<p class="h2">楷体</p>',
    '<section class="sheet"><div class="meta">表格 0</div></section>',
)


def init_worker() -> None:
    """Warm a pool worker: the stylesheet and every font face are loaded once, before the first request."""
    for html in _WARM_UP:
        html_to_pdf(html)


def page_count(data: bytes) -> int:
    """The number of pages of a PDF."""
    return len(PdfReader(io.BytesIO(data)).pages)
