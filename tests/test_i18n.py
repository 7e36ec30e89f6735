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


HAN = re.compile(r"[\u3400-\u9fff]")


def field_labels() -> dict[str, set[str]]:
    """Every label a kind shows on its form, its Excel template's headers and its choices, mapped to the kinds."""
    from service import kinds
    from service.imports import columns
    from service.web.pages import form_fields

    found: dict[str, set[str]] = {}
    for kind in kinds.all_kinds():
        lays = columns.layouts(kind.model)
        shown = columns.fields(kind.model, lists=True) + [f for lay in lays for _, f in lay.columns()]
        shown += [f for part in form_fields(kind) for f in part]
        words = [lay.sheet for lay in lays] + [name for lay in lays for _, name in lay.inner]
        words += [w for f in shown for w in (f.label, f.parent, *(name for _, name in f.choices))]
        for word in words:
            if word and HAN.search(word):
                found.setdefault(word, set()).add(kind.id)
    return found


def test_every_field_label_has_english() -> None:
    from service.imports import columns

    labels = field_labels()
    assert len(labels) > 200 and "公民身份号码" in labels and "主任应选名额" in labels
    missing = {w: sorted(ids) for w, ids in labels.items() if HAN.search(columns.tr(w, "en"))}
    assert not missing, f"add these to service/translations/en/fields.po: {missing}"
    assert columns.tr("选举编号", "en") == "Election ID"  # msgctxt "field" words a label apart from a document


def test_fields_catalog_has_no_stale_messages() -> None:
    from babel.messages.pofile import read_po

    with (i18n.CATALOG_DIR / "en" / "fields.po").open("rb") as fh:
        listed = {str(m.id) for m in read_po(fh, locale="en") if m.id}
    assert listed - set(field_labels()) == set()


def test_english_labels_tell_columns_apart() -> None:
    """Two columns (or two fields of the 其他信息 sheet) of a kind may not share an English label: an upload of
    the English template could not tell them apart."""
    from service import kinds
    from service.imports import columns

    for kind in kinds.all_kinds():
        lays = columns.layouts(kind.model)
        groups = [[f.label for _, f in lay.translated("en").columns()] for lay in lays]
        groups.append([columns.tr(f.label, "en") for f in columns.other_fields(kind.model, lays)])
        for labels in groups:
            normalized = [columns.normalize_header(w) for w in labels]
            assert len(set(normalized)) == len(normalized), (kind.id, labels)
