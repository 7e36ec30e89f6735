"""Several produced documents (one per village) packed into one ZIP with distinct names."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable

from .documents import Rendered


def zip_documents(docs: Iterable[Rendered]) -> bytes:
    """The ZIP bytes; a repeated file name gets a number, and timestamps are fixed so bytes are reproducible."""
    buf = io.BytesIO()
    seen: dict[str, int] = {}
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for doc in docs:
            name = doc.filename
            seen[name] = seen.get(name, 0) + 1
            if seen[name] > 1:
                stem, dot, ext = name.rpartition(".")
                name = f"{stem}-{seen[name]}{dot}{ext}"
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, doc.data)
    return buf.getvalue()
