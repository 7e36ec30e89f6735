"""Template injection through every text field of every kind: the payload prints as typed, nothing evaluates,
nothing leaks, and the DOCX stays well-formed XML.

Each text field of a kind's sample gets a payload between markers (``ZQAH…QZ``); fields whose checks refuse the
payload (dates, ID numbers, choices, cross-field rules) are put back and are safe by refusal. CI gives every
field one payload (rotating through the corpus), renders DOCX for every kind and PDF for a subset;
``scripts/suite injection`` gives every field every payload in both formats.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import pytest
from corpus import FULL, INJECTION, pointer, replaced, text_leaves
from flask import Flask
from flask.testing import FlaskClient
from lxml import etree

from kit import docx_text, pdf_text, squash
from service import kinds

KINDS = [k.id for k in kinds.all_kinds()]
PDF_KINDS = KINDS if FULL else KINDS[::4]
MARK = re.compile(r"ZQ[A-Z]{2}")
# What an evaluated payload would print: the sandbox's objects and the app's configuration.
LEAKS = ("<Config", "Config {", "<function", "<class", "<module", "Undefined", "jinja2", "flask", "werkzeug",
         "/etc/passwd:", "root:x:0:0")


def mark(i: int, payload: str) -> str:
    """A payload between markers unique to its field (letters only: ballot faces refuse digits)."""
    return f"ZQ{chr(65 + i // 26)}{chr(65 + i % 26)}{payload}QZ"


def planted(client: FlaskClient, kind_id: str, payloads: list[str]) -> tuple[dict[str, Any], dict[str, str]]:
    """The kind's sample with a payload in every text field that accepts one, and the mark of each.

    A field that refuses its payload gets the next one, up to four; then it is put back."""
    sample = kinds.get(kind_id).sample()
    leaves = list(text_leaves(sample))
    tries = {path: 0 for path in leaves}
    limit = min(4, len(payloads))
    for _ in range(4 * limit):
        marks = {p: mark(i, payloads[(i + tries[p]) % len(payloads)]) for i, p in enumerate(leaves) if p in tries}
        data = replaced(sample, marks)
        resp = client.post(f"/api/v1/documents/{kind_id}?format=docx", json=data)
        if resp.status_code == 200:
            return data, {pointer(p): m for p, m in marks.items()}
        assert resp.status_code == 422, (resp.status_code, resp.get_data(as_text=True)[:500])
        errors = resp.get_json()["errors"]
        refused = {
            p
            for p in marks
            for e in errors
            if pointer(p) == e["path"] or pointer(p).startswith(e["path"] + "/") or marks[p] in e["message"]
        }
        assert refused, f"{kind_id}: cannot tell which field broke a rule: {errors}"
        for p in refused:
            tries[p] += 1
            if tries[p] >= limit:
                del tries[p]
    raise AssertionError(f"{kind_id}: still refused after putting fields back")


def assert_printed_literally(text: str, marks: dict[str, str], secret: str) -> list[str]:
    """Every mark in the text is the payload exactly as typed; returns the fields that printed."""
    hay = squash(text)
    printed = []
    for path, mark in sorted(marks.items(), key=lambda m: -len(m[1])):
        literal = squash(mark)
        if literal in hay:
            printed.append(path)
            hay = hay.replace(literal, "")
    assert not MARK.search(hay), f"a payload printed altered: …{hay[max(0, MARK.search(hay).start() - 20):][:120]}…"  # type: ignore[union-attr]
    assert secret not in text
    for leak in LEAKS:
        assert leak not in hay, f"{leak!r} in the document"
    return printed


def assert_well_formed(docx: bytes) -> None:
    """Every XML part of the DOCX parses (no DTD, no entity resolution)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                root = etree.fromstring(archive.read(name), parser)
                assert root is not None
                assert b"<!DOCTYPE" not in archive.read(name)


def check_kind(app: Flask, client: FlaskClient, kind_id: str, payloads: list[str], pdf: bool) -> None:
    data, marks = planted(client, kind_id, payloads)
    assert marks, f"{kind_id}: every field refused the payloads"
    secret = app.config["SECRET_KEY"]
    resp = client.post(f"/api/v1/documents/{kind_id}?format=docx", json=data)
    assert resp.status_code == 200
    assert_well_formed(resp.data)
    printed = assert_printed_literally(docx_text(resp.data), marks, secret)
    # with one payload only, every field a document prints may refuse it (ballot faces refuse digits and braces)
    assert printed or len(payloads) == 1, f"{kind_id}: no payload printed in the DOCX"
    if pdf:
        resp = client.post(f"/api/v1/documents/{kind_id}?format=pdf", json=data)
        assert resp.status_code == 200
        assert b"/EmbeddedFile" not in resp.data
        printed = assert_printed_literally(pdf_text(resp.data), marks, secret)
        assert printed or len(payloads) == 1, f"{kind_id}: no payload printed in the PDF"


if FULL:

    @pytest.mark.parametrize("payload", INJECTION)
    @pytest.mark.parametrize("kind_id", KINDS)
    def test_every_payload_in_every_field(
        app: Flask, client: FlaskClient, kind_id: str, payload: str, no_weasyprint_warnings: None
    ) -> None:
        check_kind(app, client, kind_id, [payload], pdf=True)

else:

    @pytest.mark.parametrize("kind_id", KINDS)
    def test_payloads_print_literally(
        app: Flask, client: FlaskClient, kind_id: str, no_weasyprint_warnings: None
    ) -> None:
        # rotate so each kind's first field gets a different payload
        offset = KINDS.index(kind_id)
        check_kind(app, client, kind_id, INJECTION[offset:] + INJECTION[:offset], pdf=kind_id in PDF_KINDS)
