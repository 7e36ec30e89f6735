"""Faster font embedding for WeasyPrint 70: a small, version-pinned patch that ``pdf.py`` installs.

WeasyPrint 70 (weasyprint/pdf/fonts.py) embeds each font of a document in two steps that cost a
one-page Chinese PDF more than its layout:

1. ``Font.__init__`` copies the whole font file out of HarfBuzz — the Noto CJK collections Debian
   ships are 18–27 MB each, three of them on an ordinary page — although a subset font never reads it.
2. ``Font._harfbuzz_subset`` subsets twice keeping glyph ids (``RETAIN_GIDS``), so the "subset" of a
   CJK face still holds ~63,000 empty glyphs: ~0.8 MB per face to build, write and compress (~170 ms
   per face on this machine).

This patch (a) copies the font file only when something reads ``Font.file_content`` before the subset
replaces it, and (b) subsets CID-keyed CFF fonts whose CIDs are their glyph ids (Noto CJK is one)
once, to the glyphs used, without keeping glyph ids, and embeds the bare CFF table as a
``/CIDFontType0C`` font program (FontFile3), the classic form of an embedded CJK subset. A reader finds
such a glyph by its CID through the CFF charset (ISO 32000-1 §9.7.4.2; FreeType does it for bare CFF,
not for CFF wrapped in OpenType), and HarfBuzz keeps each glyph's CID there, so the content streams,
widths and ToUnicode maps WeasyPrint wrote (all by CID) stay right. Every other font goes through
WeasyPrint's own code. The pages look the same (tests/test_fontembed.py compares them pixel by pixel
with the patch on and off); a CJK face in a PDF shrinks from ~0.8 MB to ~30 kB.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pydyf
import weasyprint
import weasyprint.pdf
from weasyprint.pdf import fonts
from weasyprint.text.ffi import ffi, harfbuzz, harfbuzz_subset

PATCHED_VERSION = "70.0"  # the only WeasyPrint whose internals this was written against and tested with
log = logging.getLogger(__name__)

_ORIGINAL = {
    "get_hb_object_data": fonts.get_hb_object_data,
    "_harfbuzz_subset": fonts.Font._harfbuzz_subset,
    "type": fonts.Font.type,
    "build_fonts_dictionary": weasyprint.pdf.build_fonts_dictionary,
}
_BARE_CFF = "_election_docs_bare_cff"  # set on a Font whose file_content is a bare CID-keyed CFF table
_DROP_TABLES = (b"BASE", b"DSIG", b"EBDT", b"EBLC", b"EBSC", b"GPOS", b"GSUB", b"JSTF", b"LTSH", b"PCLT", b"SVG ")
_cid_identity: dict[int, bool] = {}  # HarfBuzz face address -> whether it is CID-keyed CFF with CID == GID
_faces_kept: list[Any] = []  # a reference to each face in _cid_identity, so no address is ever reused


class _FaceData:
    """The bytes of a HarfBuzz face, copied out of HarfBuzz the first time they are read."""

    __slots__ = ("data", "face")

    def __init__(self, face: Any) -> None:
        self.face = face
        self.data: bytes | None = None

    def load(self) -> bytes:
        if self.data is None:
            self.data = _ORIGINAL["get_hb_object_data"](self.face) or b""
        return self.data

    def __bool__(self) -> bool:  # WeasyPrint tests the subset's bytes with ``if file_content:``
        return bool(self.load())


def _face_data(hb_object: Any, ot_color: str | None = None, glyph: Any = None) -> Any:
    """pdf/fonts.py's get_hb_object_data: a face's bytes become lazy, colour glyph data does not."""
    if ot_color is None:
        return _FaceData(hb_object)
    return _ORIGINAL["get_hb_object_data"](hb_object, ot_color, glyph)


def _get_file_content(font: Any) -> bytes:
    data = font.__dict__["_file_content"]
    if isinstance(data, _FaceData):
        data = font.__dict__["_file_content"] = data.load()
    return data


def _set_file_content(font: Any, value: Any) -> None:
    font.__dict__["_file_content"] = value


# --- CID-keyed CFF: read just enough of the table to know that CID n is glyph n --------------------


def _index(data: memoryview, pos: int) -> tuple[list[tuple[int, int]], int]:
    """The (start, end) of each item of the CFF INDEX at ``pos``, and where the INDEX ends."""
    count = int.from_bytes(data[pos : pos + 2], "big")
    if count == 0:
        return [], pos + 2
    size = data[pos + 2]
    offsets = [int.from_bytes(data[pos + 3 + i * size : pos + 3 + (i + 1) * size], "big") for i in range(count + 1)]
    base = pos + 2 + (count + 1) * size
    return [(base + offsets[i], base + offsets[i + 1]) for i in range(count)], base + offsets[-1]


def _top_dict(data: memoryview, start: int, end: int) -> dict[int, list[float]]:
    """The operators of a CFF DICT with their operands (two-byte operators as 1200 + second byte)."""
    out: dict[int, list[float]] = {}
    operands: list[float] = []
    pos = start
    while pos < end:
        b0 = data[pos]
        if b0 <= 21:
            op = 1200 + data[pos + 1] if b0 == 12 else b0
            pos += 2 if b0 == 12 else 1
            out[op], operands = operands, []
        elif b0 == 28:
            operands.append(int.from_bytes(data[pos + 1 : pos + 3], "big", signed=True))
            pos += 3
        elif b0 == 29:
            operands.append(int.from_bytes(data[pos + 1 : pos + 5], "big", signed=True))
            pos += 5
        elif b0 == 30:  # a real number, nibbles up to 0xf; its value does not matter here
            pos += 1
            while pos < end and (data[pos] & 0x0F) != 0x0F and (data[pos] >> 4) != 0x0F:
                pos += 1
            pos += 1
            operands.append(0)
        elif 32 <= b0 <= 246:
            operands.append(b0 - 139)
            pos += 1
        elif 247 <= b0 <= 250:
            operands.append((b0 - 247) * 256 + data[pos + 1] + 108)
            pos += 2
        elif 251 <= b0 <= 254:
            operands.append(-(b0 - 251) * 256 - data[pos + 1] - 108)
            pos += 2
        else:
            raise ValueError(f"bad CFF DICT byte {b0}")
    return out


def cff_cids_are_glyph_ids(cff: memoryview, glyph_count: int) -> bool:
    """Whether a CFF table is CID-keyed (ROS) and its charset maps every glyph n to CID n."""
    names_end = _index(cff, cff[2])[1]
    top_dicts, _ = _index(cff, names_end)
    if not top_dicts:
        return False
    top = _top_dict(cff, *top_dicts[0])
    if 1230 not in top or 15 not in top:  # no ROS: not CID-keyed; no charset operand: not CID-keyed either
        return False
    pos = int(top[15][0])
    if pos <= 2:  # a predefined charset: only fonts that are not CID-keyed have one
        return False
    fmt, pos, gid = cff[pos], pos + 1, 1
    if fmt == 0:
        return all(int.from_bytes(cff[pos + 2 * i : pos + 2 * i + 2], "big") == i + 1 for i in range(glyph_count - 1))
    if fmt not in (1, 2):
        return False
    left_size = 1 if fmt == 1 else 2
    while gid < glyph_count:
        first = int.from_bytes(cff[pos : pos + 2], "big")
        left = int.from_bytes(cff[pos + 2 : pos + 2 + left_size], "big")
        if first != gid:
            return False
        gid += left + 1
        pos += 2 + left_size
    return True


def _keeps_cids(hb_face: Any) -> bool:
    """Whether the face is CID-keyed CFF with CID == glyph id; read once per face and remembered."""
    key = int(ffi.cast("uintptr_t", hb_face))
    if key not in _cid_identity:
        blob = harfbuzz.hb_face_reference_table(hb_face, harfbuzz.hb_tag_from_string(b"CFF ", -1))
        try:
            length = ffi.new("unsigned int *")
            pointer = harfbuzz.hb_blob_get_data(blob, length)
            answer = False
            if pointer != ffi.NULL and length[0] > 4:
                try:
                    table = memoryview(ffi.buffer(pointer, length[0]))  # no copy of the table
                    answer = cff_cids_are_glyph_ids(table, harfbuzz.hb_face_get_glyph_count(hb_face))
                except (ValueError, IndexError):
                    answer = False
        finally:
            harfbuzz.hb_blob_destroy(blob)
        _faces_kept.append(hb_face)
        _cid_identity[key] = answer
    return _cid_identity[key]


def _harfbuzz_subset(font: Any, to_unicode: dict[int, str], hinting: bool) -> None:
    """Font._harfbuzz_subset: one pass, used glyphs only, for CID-keyed CFF; WeasyPrint's own otherwise."""
    if not _keeps_cids(font.hb_face):
        _ORIGINAL["_harfbuzz_subset"](font, to_unicode, hinting)
        return
    hb_input = ffi.gc(harfbuzz_subset.hb_subset_input_create_or_fail(), harfbuzz_subset.hb_subset_input_destroy)
    glyphs = sorted(to_unicode)
    glyph_set = harfbuzz_subset.hb_subset_input_glyph_set(hb_input)
    harfbuzz.hb_set_add_sorted_array(glyph_set, ffi.new(f"hb_codepoint_t[{len(glyphs)}]", glyphs), len(glyphs))
    flags = harfbuzz_subset.HB_SUBSET_FLAGS_PASSTHROUGH_UNRECOGNIZED | harfbuzz_subset.HB_SUBSET_FLAGS_DESUBROUTINIZE
    if not hinting:
        flags |= harfbuzz_subset.HB_SUBSET_FLAGS_NO_HINTING
    if font.missing:
        flags |= harfbuzz_subset.HB_SUBSET_FLAGS_NOTDEF_OUTLINE
    harfbuzz_subset.hb_subset_input_set_flags(hb_input, flags)
    drop = harfbuzz_subset.hb_subset_input_set(hb_input, harfbuzz_subset.HB_SUBSET_SETS_DROP_TABLE_TAG)
    tags = sorted(harfbuzz.hb_tag_from_string(name, -1) for name in _DROP_TABLES)
    harfbuzz.hb_set_add_sorted_array(drop, ffi.new(f"hb_codepoint_t[{len(tags)}]", tags), len(tags))
    subset = harfbuzz_subset.hb_subset_or_fail(font.hb_face, hb_input)
    if subset != ffi.NULL:
        subset = ffi.gc(subset, harfbuzz.hb_face_destroy)
        blob = harfbuzz.hb_face_reference_table(subset, harfbuzz.hb_tag_from_string(b"CFF ", -1))
        length = ffi.new("unsigned int *")
        pointer = harfbuzz.hb_blob_get_data(blob, length)
        data = b"" if pointer == ffi.NULL else ffi.unpack(pointer, length[0])
        harfbuzz.hb_blob_destroy(blob)
        if data:
            font.file_content = data
            font.__dict__[_BARE_CFF] = True
            return
    log.info("one-pass subset of %s failed; WeasyPrint's own subset is used", font.family)
    _ORIGINAL["_harfbuzz_subset"](font, to_unicode, hinting)


def _font_type(font: Any) -> str:
    """Font.type: a bare CFF table is embedded like an OpenType CFF font (FontFile3, CIDFontType0)."""
    return "otf" if font.__dict__.get(_BARE_CFF) else _ORIGINAL["type"].fget(font)


def _build_fonts_dictionary(pdf: pydyf.PDF, fonts_: dict[Any, Any], *args: Any) -> Any:
    """build_fonts_dictionary, then the font file streams of bare CFF tables say so (not /OpenType)."""
    first = len(pdf.objects)
    result = _ORIGINAL["build_fonts_dictionary"](pdf, fonts_, *args)
    bare = {id(font.file_content) for font in fonts_.values() if font.__dict__.get(_BARE_CFF)}
    for obj in pdf.objects[first:] if bare else ():
        if isinstance(obj, pydyf.Stream) and len(obj.stream) == 1 and id(obj.stream[0]) in bare:
            obj.extra["Subtype"] = "/CIDFontType0C"
    return result


def applicable() -> bool:
    """Whether this WeasyPrint is the one the patch was written for, with HarfBuzz's subsetter."""
    return weasyprint.__version__ == PATCHED_VERSION and harfbuzz_subset is not None


def installed() -> bool:
    """Whether the patch is in place."""
    return fonts.Font._harfbuzz_subset is _harfbuzz_subset


def install() -> bool:
    """Put the patch in place if this WeasyPrint is the pinned one; return whether it is in place."""
    if installed():
        return True
    if not applicable():
        log.info("WeasyPrint %s is not %s: fonts are embedded the slower way", weasyprint.__version__, PATCHED_VERSION)
        return False
    fonts.get_hb_object_data = _face_data
    fonts.Font.file_content = property(_get_file_content, _set_file_content)
    fonts.Font._harfbuzz_subset = _harfbuzz_subset
    fonts.Font.type = property(_font_type)
    weasyprint.pdf.build_fonts_dictionary = _build_fonts_dictionary
    return True


def uninstall() -> None:
    """Give WeasyPrint its own font embedding back."""
    if installed():
        fonts.get_hb_object_data = _ORIGINAL["get_hb_object_data"]
        del fonts.Font.file_content
        fonts.Font._harfbuzz_subset = _ORIGINAL["_harfbuzz_subset"]
        fonts.Font.type = _ORIGINAL["type"]
        weasyprint.pdf.build_fonts_dictionary = _ORIGINAL["build_fonts_dictionary"]


@contextmanager
def unpatched() -> Iterator[None]:
    """WeasyPrint's own font embedding for the duration (tests compare the two)."""
    was = installed()
    uninstall()
    try:
        yield
    finally:
        if was:
            install()
