"""Message catalogs: templates are written in Chinese and translated to English through gettext."""

from __future__ import annotations

import io
import zipfile
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LANGS = ("zh", "en")
CATALOG_DIR = Path(__file__).parent / "translations"


def catalog_files(lang: str) -> list[Path]:
    """The .po files of a language: common.po, one per kind (so kinds never edit a shared file), and the staff
    app's web.po, fields.po (field labels) and imports.po (the Excel template's notes)."""
    return sorted((CATALOG_DIR / lang).glob("*.po"))


@cache
def catalog(lang: str) -> Catalog:
    """All of a language's .po files merged into one catalog."""
    merged = Catalog(locale=lang)
    for path in catalog_files(lang):
        with path.open("rb") as fh:
            for message in read_po(fh, locale=lang):
                if message.id and message.string:
                    merged.add(message.id, message.string, context=message.context)
    return merged


@cache
def translations(lang: str) -> NullTranslations:
    """The gettext translations of a language; Chinese is the source language and needs none."""
    if lang == "zh":
        return NullTranslations()
    buf = io.BytesIO()
    write_mo(buf, catalog(lang))  # compiled in memory, so no build step and no stale .mo file
    buf.seek(0)
    return Translations(buf)


def template_messages(html_dir: Path, docx_dir: Path) -> dict[tuple[str | None, str], set[str]]:
    """Every translatable message (context, id) in the templates, mapped to the files that use it."""
    from babel.messages.extract import extract
    from docxtpl import DocxTemplate

    found: dict[tuple[str | None, str], set[str]] = {}
    sources: list[tuple[str, str]] = [(p.name, p.read_text("utf-8")) for p in sorted(html_dir.glob("*.html"))]
    for path in sorted(docx_dir.glob("*.docx")):
        tpl = DocxTemplate(str(path))
        with zipfile.ZipFile(path) as zf:
            for name in zf.namelist():
                if name.startswith("word/") and name.endswith(".xml"):
                    sources.append((path.name, tpl.patch_xml(zf.read(name).decode("utf-8"))))
    for name, text in sources:
        for _, message, _, context in extract(
            "jinja2", io.BytesIO(text.encode("utf-8")), options={"extensions": "jinja2.ext.i18n"}
        ):
            if isinstance(message, str):
                found.setdefault((context, message), set()).add(name)
    return found


def gettext(message: str, lang: str) -> str:
    """Translate one message outside a template."""
    return translations(lang).gettext(message)


def negotiate(requested: str | None, accept_language: str | None) -> str:
    """The document language: the ``lang`` parameter, else Accept-Language, else Chinese."""
    if requested:
        return requested
    if accept_language:
        for part in accept_language.split(","):
            tag = part.split(";")[0].strip().lower()
            if tag.startswith("en"):
                return "en"
            if tag.startswith("zh"):
                return "zh"
    return "zh"
