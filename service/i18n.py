"""Message catalogs: templates are written in Chinese and translated to English through gettext."""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LANGS = ("zh", "en")
CATALOG_DIR = Path(__file__).parent / "translations"


def catalog_path(lang: str) -> Path:
    """The .po file of a language."""
    return CATALOG_DIR / lang / "LC_MESSAGES" / "messages.po"


@cache
def translations(lang: str) -> NullTranslations:
    """The gettext translations of a language; Chinese is the source language and needs none."""
    if lang == "zh":
        return NullTranslations()
    with catalog_path(lang).open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    buf = io.BytesIO()
    write_mo(buf, catalog)  # compiled in memory, so no build step and no stale .mo file
    buf.seek(0)
    return Translations(buf)


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
