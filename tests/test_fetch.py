"""The fetch corpus: hostile HTML given straight to the PDF renderer, and URLs typed into fields, fetch nothing.

A real HTTP server on loopback records every hit (and answers with redirects to a local file); decoy files
outside templates/html/assets hold a canary that would print if fetched; an audit hook records every socket
this process opens during the render (and refuses any address off loopback, so a bypass cannot reach the
network). ``scripts/suite fetch`` runs every vector with every URL, one render each; CI renders them together.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import socket
import sys
import threading
from base64 import b64encode
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from corpus import FULL
from flask.testing import FlaskClient
from test_injection import assert_printed_literally, planted
from weasyprint import HTML

from kit import pdf_text, squash
from service.render.pdf import ASSETS, BASE_URL, HTML_DIR, html_to_pdf

CANARY = "CANARYZQ"
DECOY_CSS = f'body::before {{ content: "{CANARY}css" }}'
DECOY_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40">'
    f'<text x="0" y="20" font-size="12">{CANARY}svg</text></svg>'
)

_sockets: list[Any] | None = None  # armed: every socket address this process connects to or looks up


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if _sockets is None or event not in ("socket.connect", "socket.getaddrinfo"):
        return
    address = args[1] if event == "socket.connect" else args
    _sockets.append((event, address))
    host = address[0] if isinstance(address, tuple) and address else None
    if event == "socket.connect" and isinstance(host, str):
        try:
            loopback = ipaddress.ip_address(host.split("%")[0]).is_loopback
        except ValueError:
            loopback = False
        if not loopback:
            raise ConnectionRefusedError(f"test guard: no connection off loopback ({host})")


sys.addaudithook(_audit)


class _Trap(BaseHTTPRequestHandler):
    hits: list[str]

    def do_GET(self) -> None:
        self.hits.append(self.path)
        if "redirect" in self.path:
            self.send_response(302)
            self.send_header("Location", (Path(self.server.decoys) / "decoy.css").as_uri())  # type: ignore[attr-defined]
            self.end_headers()
            return
        body = (DECOY_SVG if self.path.endswith(".svg") else DECOY_CSS).encode()
        self.send_response(200)
        self.send_header("Content-Type", "image/svg+xml" if self.path.endswith(".svg") else "text/css")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


class _Server6(ThreadingHTTPServer):
    address_family = socket.AF_INET6


@dataclass
class Trap:
    """Loopback servers (IPv4 and IPv6) that record hits, and decoy files outside the assets folder."""

    decoys: Path
    port: int
    port6: int
    hits: list[str] = field(default_factory=list)

    def urls(self, ext: str) -> list[str]:
        """Every way we know of to name a decoy of type ``ext`` (css or svg)."""
        decoy = self.decoys / f"decoy.{ext}"
        rel_html = os.path.relpath(decoy, HTML_DIR)
        rel_assets = os.path.relpath(decoy, ASSETS)
        p = self.port
        return [
            decoy.as_uri(),
            decoy.as_uri().replace("file:", "FILE:"),
            decoy.as_uri().replace("file:", "fIlE:"),
            f"file:{decoy}",
            f"file:/{decoy}",
            f"file://localhost{decoy}",
            f"file://127.0.0.1{decoy}",
            f"file:///{str(decoy).lstrip('/')}?x=1#y",
            f"file://{decoy}".replace("/", "%2F").replace("file:%2F%2F", "file://"),
            "/etc/passwd",
            "file:///etc/passwd",
            "file:///proc/self/environ",
            rel_html,
            f"assets/{rel_assets}",
            f"assets/{rel_assets}".replace("..", "%2e%2e"),
            f"assets/..%2f..%2f..%2f{rel_html.replace('../', '')}",
            f"{ASSETS.as_uri()}/../../../{rel_html.replace('../', '')}",
            f"http://127.0.0.1:{p}/a.{ext}",
            f"http://localhost:{p}/b.{ext}",
            f"http://[::1]:{self.port6}/c.{ext}",
            f"http://[::ffff:127.0.0.1]:{p}/d.{ext}",
            f"http://2130706433:{p}/e.{ext}",
            f"http://0177.0.0.1:{p}/f.{ext}",
            f"http://0x7f.0.0.1:{p}/g.{ext}",
            f"http://127.1:{p}/h.{ext}",
            f"http://0.0.0.0:{p}/i.{ext}",
            f"//127.0.0.1:{p}/j.{ext}",
            f"http://127.0.0.1:{p}/redirect.{ext}",
            f"https://127.0.0.1:{p}/k.{ext}",
            f"ftp://127.0.0.1:{p}/l.{ext}",
            "http://169.254.169.254/latest/meta-data/",
            f"data:text/css,body::before{{content:'{CANARY}data'}}",
            f"data:image/svg+xml;utf8,{quote(DECOY_SVG.replace(CANARY, CANARY + 'data'))}",
            f"data:image/svg+xml;base64,{b64encode(DECOY_SVG.replace(CANARY, CANARY + 'data').encode()).decode()}",
        ]


@pytest.fixture
def trap(tmp_path: Path) -> Iterator[Trap]:
    (tmp_path / "decoy.css").write_text(DECOY_CSS)
    (tmp_path / "decoy.svg").write_text(DECOY_SVG)
    hits: list[str] = []
    handler = type("Handler", (_Trap,), {"hits": hits})
    servers: list[ThreadingHTTPServer] = [ThreadingHTTPServer(("127.0.0.1", 0), handler)]
    with contextlib.suppress(OSError):  # a machine without IPv6 loopback still runs the rest
        servers.append(_Server6(("::1", 0), handler))
    for server in servers:
        server.decoys = str(tmp_path)  # type: ignore[attr-defined]
        threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield Trap(tmp_path, servers[0].server_address[1], servers[-1].server_address[1], hits)
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


VECTORS = {
    "css": [
        '<link rel="stylesheet" href="{u}">',
        "<style>@import url('{u}');</style>",
        '<style>@import "{u}";</style>',
        "<style>@font-face {{ font-family: X; src: url('{u}') }} p {{ font-family: X }}</style>",
        '<link rel="attachment" href="{u}">',
    ],
    "svg": [
        '<img src="{u}">',
        '<object data="{u}" type="image/svg+xml"></object>',
        '<embed src="{u}" type="image/svg+xml">',
        '<iframe src="{u}"></iframe>',
        '<svg width="50" height="50"><image href="{u}" width="50" height="50"/></svg>',
        '<svg width="50" height="50"><use href="{u}#x"/></svg>',
        "<div style=\"background: url('{u}'); width: 50px; height: 50px\">bg</div>",
        "<ul style=\"list-style-image: url('{u}')\"><li>li</li></ul>",
        '<p style="content: url(\'{u}\')">c</p>',
        '<a rel="attachment" href="{u}">a</a>',
        '<input type="image" src="{u}">',
        '<video poster="{u}"></video>',
    ],
}


def hostile_pages(trap: Trap) -> list[str]:
    """The hostile documents: in CI every vector with every URL in one document; in full one each."""
    pairs = [(v, u) for ext, vectors in VECTORS.items() for v in vectors for u in trap.urls(ext)]
    if FULL:
        return [f"<p>before</p>{v.format(u=u)}<p>after</p>" for v, u in pairs]
    return ["<p>before</p>" + "".join(v.format(u=u) for v, u in pairs) + "<p>after</p>"]


def render_guarded(html: str) -> tuple[bytes, list[str], list[Any]]:
    """Render in this process with every socket recorded (and any off loopback refused)."""
    global _sockets
    _sockets = []
    try:
        data, warnings = html_to_pdf(html)
        return data, warnings, _sockets
    finally:
        _sockets = None


def test_the_canary_would_show_if_fetched(trap: Trap) -> None:
    """The detector works: WeasyPrint's own fetcher (which allows file://) prints the decoys."""
    html = (
        f'<link rel="stylesheet" href="{(trap.decoys / "decoy.css").as_uri()}">'
        f'<img src="{(trap.decoys / "decoy.svg").as_uri()}"><p>x</p>'
    )
    text = pdf_text(HTML(string=html, base_url=BASE_URL).write_pdf())
    assert f"{CANARY}css" in text and f"{CANARY}svg" in text


def test_hostile_html_fetches_nothing(trap: Trap) -> None:
    for html in hostile_pages(trap):
        data, warnings, sockets = render_guarded(html)
        text = pdf_text(data)
        assert "before" in text and "after" in text  # the document itself rendered
        assert CANARY not in text, html[:300]
        assert trap.hits == [], trap.hits
        assert sockets == [], sockets
        assert b"/EmbeddedFile" not in data and b"/Filespec" not in data
        assert "root:x:0:0" not in text
        loads = [w for w in warnings if ("load" in w.lower() or "fetch" in w.lower()) and "Font-face" not in w]
        # every attempt met the fetcher's refusal (alone, some vectors make none: WeasyPrint ignores <iframe>)
        assert all("refused to fetch" in w for w in loads), [w for w in loads if "refused" not in w]
        assert loads or FULL


def test_assets_are_still_served() -> None:
    _, warnings, sockets = render_guarded('<img src="assets/seal-placeholder.svg" style="width: 30mm"><p>印章</p>')
    assert warnings == [] and sockets == []
    _, warnings, _ = render_guarded('<img src="assets/no-such-seal.svg" style="width: 30mm"><p>印章</p>')
    assert any("refused to fetch" in w for w in warnings)


def test_urls_in_fields_print_as_text(client: FlaskClient, trap: Trap, no_weasyprint_warnings: None) -> None:
    kind_ids = ["announcement.election-committee", "roster.voters", "report.summary"]
    # markup around loopback URLs only: typed text goes through the worker processes, outside the audit guard
    urls = [u for u in trap.urls("svg") + trap.urls("css") if "169.254" not in u]
    payloads = [v.format(u=u) for v in VECTORS["svg"][:4] + VECTORS["css"][:2] for u in urls[:: 1 if FULL else 5]]
    for kind_id in kind_ids if FULL else kind_ids[:1]:
        data, marks = planted(client, kind_id, payloads)
        resp = client.post(f"/api/v1/documents/{kind_id}?format=pdf", json=data)
        assert resp.status_code == 200
        text = pdf_text(resp.data)
        assert assert_printed_literally(text, marks, "-no-secret-")
        hay = squash(text)
        for mark in sorted(marks.values(), key=len, reverse=True):
            hay = hay.replace(squash(mark), "")
        assert CANARY not in hay  # the canary shows only where it was typed
        assert trap.hits == []
        assert b"/EmbeddedFile" not in resp.data
