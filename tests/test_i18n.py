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


def web_messages() -> dict[str, set[str]]:
    """Every t("…") message of the staff pages (templates and views), mapped to the files that use it."""
    from pathlib import Path

    from babel.messages.extract import extract

    root = Path(i18n.__file__).parent
    sources = [("jinja2", p) for p in sorted((root / "templates" / "web").glob("*.html"))]
    sources += [("python", p) for p in sorted((root / "web").glob("*.py"))]
    found: dict[str, set[str]] = {}
    for method, path in sources:
        with path.open("rb") as fh:
            for _, message, _, _ in extract(method, fh, keywords={"t": None}):
                assert isinstance(message, str), (path.name, message)  # t() takes one literal message
                found.setdefault(message, set()).add(path.name)
    return found


def test_every_web_message_has_english() -> None:
    messages = web_messages()
    assert len(messages) > 30 and "检查并预览" in messages and "用户名或密码不正确" in messages
    english = i18n.catalog("en")
    missing = {m: sorted(files) for m, files in messages.items() if not ((found := english.get(m)) and found.string)}
    assert not missing, f"add these to service/translations/en/web.po: {missing}"


def test_web_catalog_has_no_stale_messages() -> None:
    from babel.messages.pofile import read_po

    with (i18n.CATALOG_DIR / "en" / "web.po").open("rb") as fh:
        listed = {str(m.id) for m in read_po(fh, locale="en") if m.id}
    assert listed - set(web_messages()) == set()
