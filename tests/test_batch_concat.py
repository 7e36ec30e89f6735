"""concat.join: print PDFs joined from files one at a time — order, copies, links, recorded pages and sha256,
and memory that does not grow with the number of inputs."""

from __future__ import annotations

import hashlib
import io
import tracemalloc
from pathlib import Path

from pypdf import PdfReader

from service.batches import concat
from service.render.pool import RenderPool


def _doc(pool: RenderPool, name: str, pages: int) -> bytes:
    body = "".join(f'<p id="{name}{n}" style="break-after:page">{name}第{n}页 <a href="#{name}1">回到首页</a></p>'
                   for n in range(1, pages + 1))
    return pool.render([f"<html><body>{body}</body></html>"], 60)


def _texts(path: Path) -> list[str]:
    return [(p.extract_text() or "").split()[0] for p in PdfReader(path).pages]


def test_join_keeps_order_and_copies_and_records_what_it_wrote(tmp_path: Path, render_pool: RenderPool) -> None:
    a, b = _doc(render_pool, "甲", 2), _doc(render_pool, "乙", 3)
    c = tmp_path / "c.pdf"
    c.write_bytes(_doc(render_pool, "丙", 1))
    target = tmp_path / "out" / "合集.pdf"
    joined = concat.join([a, b, b, c, a], target)  # b twice in a row: two copies
    assert _texts(target) == ["甲第1页", "甲第2页", *["乙第1页", "乙第2页", "乙第3页"] * 2, "丙第1页",
                              "甲第1页", "甲第2页"]
    data = target.read_bytes()
    assert joined == concat.Joined(11, hashlib.sha256(data).hexdigest(), len(data))
    assert list(target.parent.iterdir()) == [target]  # no .part left behind
    reader = PdfReader(io.BytesIO(data))
    assert reader.metadata is not None and reader.metadata.producer == "election-docs"
    # every copy's pages are its own objects, and each link goes to a page of the output
    refs = [p.indirect_reference.idnum for p in reader.pages if p.indirect_reference is not None]
    assert len(set(refs)) == 11
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            dest = annot.get_object().get("/A", {}).get("/D") or annot.get_object().get("/Dest")
            if isinstance(dest, list):
                assert dest[0].idnum in refs


def test_join_memory_does_not_grow_with_the_inputs(tmp_path: Path, render_pool: RenderPool) -> None:
    sample = _doc(render_pool, "村", 30)
    files = []
    for n in range(40):
        files.append(tmp_path / f"{n}.pdf")
        files[-1].write_bytes(sample)

    def peak(count: int) -> int:
        tracemalloc.start()
        try:
            concat.join(files[:count], tmp_path / f"out-{count}.pdf")
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    few, many = peak(10), peak(40)
    assert len(PdfReader(tmp_path / "out-40.pdf").pages) == 1200
    assert many < 2 * few, (few, many)  # one input at a time: 4× the inputs, not 4× the memory
