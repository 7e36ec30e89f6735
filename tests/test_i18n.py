"""Every message in every template has an English translation, and placeholders survive translation."""

from __future__ import annotations

import re

from service import i18n
from service.render.environment import TEMPLATES


def test_every_template_message_has_english() -> None:
    messages = i18n.template_messages(TEMPLATES / "html", TEMPLATES / "docx")
    assert len(messages) > 20  # the extractor found the templates' messages
    english = i18n.catalog("en")
    missing = {
        m: sorted(files)
        for (context, m), files in messages.items()
        if not ((found := english.get(m, context=context)) and found.string)
    }
    assert not missing, missing


def test_translations_keep_their_placeholders() -> None:
    for message in i18n.catalog("en"):
        if message.id:
            assert set(re.findall(r"%\((\w+)\)s", message.id)) == set(re.findall(r"%\((\w+)\)s", message.string)), (
                message.id
            )


def test_chinese_is_the_source_language() -> None:
    assert i18n.gettext("特此公告。", "zh") == "特此公告。"
    assert i18n.gettext("特此公告。", "en") == "Hereby announced."


def test_no_message_is_translated_twice() -> None:
    from babel.messages.pofile import read_po

    seen: dict[tuple[str | None, str], tuple[str, str]] = {}
    clashes = []
    for path in i18n.catalog_files("en"):
        with path.open("rb") as fh:
            for message in read_po(fh, locale="en"):
                if not message.id:
                    continue
                key = (message.context, str(message.id))
                if key in seen:
                    clashes.append((key, seen[key][0], path.name))
                seen[key] = (path.name, str(message.string))
    assert not clashes, f"translate each message in one .po file only (use msgctxt for other meanings): {clashes}"
