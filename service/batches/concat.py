"""Concatenate PDFs into a file while reading them one at a time: memory stays that of the largest input,
whatever the number of inputs (a county's print PDF is some 150,000 pages; pypdf's PdfWriter and qpdf both
hold every object of the output until it is written).

Each input's objects reachable from its pages are written as they are read, renumbered; the page objects get
one new page tree as their parent; the pages, the SHA-256 and the size come out of the writing itself. A part
given several times (copies) shares its content and resources and only repeats the small page dictionaries.
"""

from __future__ import annotations

import hashlib
import io
import os
import threading
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from pypdf import PdfReader
from pypdf.generic import IndirectObject, NameObject, StreamObject

_SKIP_PAGE_KEYS = ("/Parent", "/StructParents")  # the new tree is the parent; no structure tree is carried


@dataclass(frozen=True)
class Joined:
    """What was written: page count, SHA-256 and size in bytes."""

    pages: int
    sha256: str
    size: int


class _Out:
    """The output file, hashed and measured as it is written, with the offset of every object."""

    def __init__(self, fh: IO[bytes]) -> None:
        self.fh = fh
        self.digest = hashlib.sha256()
        self.size = 0
        self.offsets = array("q", [0])  # object 0 is the free head; 8 bytes an object, not a Python int

    def write(self, data: bytes) -> None:
        self.fh.write(data)
        self.digest.update(data)
        self.size += len(data)

    def reserve(self) -> int:
        self.offsets.append(-1)
        return len(self.offsets) - 1

    def begin(self, num: int) -> None:
        self.offsets[num] = self.size
        self.write(b"%d 0 obj\n" % num)


class _Part:
    """One input being copied: its reader and the new numbers of its objects."""

    def __init__(self, source: bytes | Path, out: _Out) -> None:
        self.reader = PdfReader(io.BytesIO(source) if isinstance(source, bytes) else str(source))
        self.out = out
        self.numbers: dict[tuple[int, int], int] = {}
        self.todo: list[tuple[int, IndirectObject]] = []

    def close(self) -> None:
        """Drop the input's objects now: they point back at the reader, a cycle only the collector would
        free (and a full collection per input costs more than the copy in a busy process)."""
        reader = self.reader
        reader.resolved_objects.clear()
        reader.flattened_pages = None
        reader.xref.clear()  # the trailer's references point back at the reader too
        reader.xref_objStm.clear()
        reader.trailer.clear()
        reader.stream.close()
        self.numbers.clear()

    def ref(self, ind: IndirectObject) -> int:
        """The new number of an object of this input (queued for writing on first sight)."""
        key = (ind.idnum, ind.generation)
        num = self.numbers.get(key)
        if num is None:
            num = self.numbers[key] = self.out.reserve()
            self.todo.append((num, ind))
        return num

    def dump(self, obj: Any, buf: io.BytesIO) -> None:
        """Serialise ``obj`` with its references renumbered."""
        if isinstance(obj, IndirectObject):
            buf.write(b"%d 0 R" % self.ref(obj))
        elif isinstance(obj, _Ref):
            buf.write(b"%d 0 R" % obj.num)
        elif isinstance(obj, StreamObject):
            data = obj._data  # as stored: still encoded with its /Filter
            self.dump({**{k: v for k, v in obj.items() if k != "/Length"}, "/Length": _Ref.raw(len(data))}, buf)
            buf.write(b"\nstream\n")
            buf.write(data)
            buf.write(b"\nendstream")
        elif isinstance(obj, dict):
            buf.write(b"<<")
            for key, value in obj.items():
                buf.write(b"\n")
                NameObject(key).write_to_stream(buf)
                buf.write(b" ")
                self.dump(value, buf)
            buf.write(b"\n>>")
        elif isinstance(obj, list):
            buf.write(b"[")
            for n, value in enumerate(obj):
                if n:
                    buf.write(b" ")
                self.dump(value, buf)
            buf.write(b"]")
        else:
            obj.write_to_stream(buf)

    def emit(self, num: int, obj: Any) -> None:
        buf = io.BytesIO()
        self.dump(obj, buf)
        self.out.begin(num)
        self.out.write(buf.getvalue())
        self.out.write(b"\nendobj\n")

    def flush(self) -> None:
        """Write every object queued so far (and those they reach)."""
        while self.todo:
            num, ind = self.todo.pop()
            self.emit(num, ind.get_object())

    def pages(self, tree: int) -> list[int]:
        """Write this input's pages (fresh page dictionaries each time it is given) under ``tree``."""
        pages = list(self.reader.pages)
        nums = [self.out.reserve() for _ in pages]
        for page, num in zip(pages, nums, strict=True):
            # links and annotations point at their page: at this copy's page, never at the old page tree
            ref = page.indirect_reference
            if ref is not None:
                self.numbers[(ref.idnum, ref.generation)] = num
        for page, num in zip(pages, nums, strict=True):
            body = {k: v for k, v in page.items() if k not in _SKIP_PAGE_KEYS}
            self.emit(num, {**body, "/Parent": _Ref(tree)})
            self.flush()
        return nums


class _Ref:
    """A reference to an object of the output (already numbered), or a bare integer (``raw``)."""

    def __init__(self, num: int) -> None:
        self.num = num

    @staticmethod
    def raw(value: int) -> _Raw:
        return _Raw(b"%d" % value)


@dataclass(frozen=True)
class _Raw:
    """Bytes written as they are."""

    data: bytes

    def write_to_stream(self, stream: IO[bytes], encryption_key: Any = None) -> None:
        stream.write(self.data)


def join(parts: Iterable[bytes | Path], target: Path) -> Joined:
    """Write the pages of ``parts`` in order into ``target`` (through a .part file renamed into place); a part
    given twice in a row (the same object) is read once. Memory: one input at a time."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"{target.name}.{os.getpid()}-{threading.get_ident()}.part")
    try:
        with open(tmp, "wb") as fh:
            out = _Out(fh)
            out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
            catalog, tree, info = out.reserve(), out.reserve(), out.reserve()
            kids = array("q")
            last: tuple[int, _Part] | None = None
            for source in parts:
                if last is not None and last[0] != id(source):
                    last[1].close()
                    last = None
                part = last[1] if last is not None else _Part(source, out)
                kids.extend(part.pages(tree))
                last = (id(source), part)
            if last is not None:
                last[1].close()
                last = None
            out.begin(tree)
            out.write(b"<< /Type /Pages /Count %d /Kids [" % len(kids))
            for n in range(0, len(kids), 256):
                out.write(b" ".join(b"%d 0 R" % k for k in kids[n : n + 256]) + b"\n")
            out.write(b"] >>\nendobj\n")
            out.begin(catalog)
            out.write(b"<< /Type /Catalog /Pages %d 0 R >>\nendobj\n" % tree)
            out.begin(info)
            out.write(b"<< /Producer (election-docs) >>\nendobj\n")
            xref = out.size
            out.write(b"xref\n0 %d\n0000000000 65535 f \n" % len(out.offsets))
            for n in range(1, len(out.offsets), 256):
                out.write(b"".join(b"%010d 00000 n \n" % o for o in out.offsets[n : n + 256]))
            out.write(b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\n" % (len(out.offsets), catalog, info))
            out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return Joined(len(kids), out.digest.hexdigest(), out.size)
