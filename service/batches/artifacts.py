"""The files of a job: atomic writes, separator sheets, the manifest and the streamed ZIP (print PDFs: concat.py)."""

from __future__ import annotations

import hashlib
import io
import os
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from ..render import environment
from ..render.pool import RenderPool


def write_atomic(root: Path, rel: str, data: bytes) -> Path:
    """Write ``root/rel`` through a private .part file renamed into place: never a half-written file."""
    target = resolve(root, rel)
    assert target is not None, rel
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"{target.name}.{os.getpid()}-{threading.get_ident()}.part")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, target)
    return target


def resolve(root: Path, rel: str) -> Path | None:
    """``root/rel`` if it stays inside ``root`` (no '..', no absolute path), else None."""
    if not rel or "\x00" in rel or rel.startswith(("/", "\\")):
        return None
    path = (root / rel).resolve()
    return path if path.is_relative_to(root.resolve()) and path != root.resolve() else None


def sha256_file(path: Path) -> str:
    """The hex SHA-256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def pages(data: bytes) -> int:
    """The page count of a PDF (of our own renderer): the page tree's /Count, without reading every page."""
    reader = PdfReader(io.BytesIO(data))
    tree = reader.root_object["/Pages"].get_object()
    count = tree.get("/Count") if isinstance(tree, dict) else None
    return int(count) if isinstance(count, int) and count >= 0 else len(reader.pages)


def separator(pool: RenderPool, timeout: float, lang: str, **ctx: Any) -> bytes:
    """The sheet opening a village's print PDF: county, township and village, big."""
    env = environment.environment("html", lang)
    html = env.get_template("_batch_separator.html").render(doc_title=ctx["village"], lang=lang, **ctx)
    return pool.render([html], timeout)


def manifest(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The manifest: every file with its path, pages, sha256 and size (and serials for ballots)."""
    files = []
    for r in rows:
        entry = {k: r[k] for k in ("path", "kind", "format", "pages", "sha256", "size")}
        if r.get("serial_first") is not None:
            entry["serials"] = [r["serial_first"], r["serial_last"]]
        files.append(entry)
    return {
        "files": files,
        "count": len(files),
        "pages": sum(f["pages"] or 0 for f in files),
        "size": sum(f["size"] for f in files),
    }


class _Sink(io.RawIOBase):
    """An unseekable stream that hands what the ZIP writer wrote to the response, chunk by chunk."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []
        self.offset = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        b = bytes(data)
        self.chunks.append(b)
        self.offset += len(b)
        return len(b)

    def tell(self) -> int:
        return self.offset

    def take(self) -> bytes:
        out, self.chunks = b"".join(self.chunks), []
        return out


def zip_stream(root: Path, rows: list[dict[str, Any]], extra: dict[str, bytes] | None = None) -> Iterator[bytes]:
    """A ZIP of the recorded files (and ``extra`` named contents), made while it is sent: constant memory."""
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
        for name, data in (extra or {}).items():
            zf.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data)
            yield sink.take()
        for row in rows:
            path = resolve(root, row["path"])
            if path is None or not path.is_file():
                continue
            info = zipfile.ZipInfo(row["path"], date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED if row["format"] == "pdf" else zipfile.ZIP_DEFLATED
            info.file_size = path.stat().st_size
            with zf.open(info, "w", force_zip64=True) as dst, open(path, "rb") as src:
                for block in iter(lambda: src.read(1 << 20), b""):
                    dst.write(block)
                    yield sink.take()
            yield sink.take()
    yield sink.take()
