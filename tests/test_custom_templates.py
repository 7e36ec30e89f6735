"""Custom templates: upload an edited copy of a real template, activate it, render with it, roll it back;
regions; and every way an upload is refused (lint, hostile files) with a clear message and nothing stored."""

from __future__ import annotations

import io
import json
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import corpus
import pytest
from docx import Document
from flask import Flask, g
from flask.testing import FlaskClient
from jinja2.sandbox import SecurityError

from kit import docx_text, pdf_text, squash
from service import create_app, documents, kinds
from service.custom import CustomTemplate, check, files, lint
from service.principal import Principal
from service.render.environment import custom_environment
from service.render.pool import RenderPool

KIND = "announcement.candidates"
SOURCE = Path(__file__).resolve().parents[1] / "templates" / "docx" / f"{KIND}.docx"
LIMITS = files.Limits(5 << 20, 64 << 20, 200, 500)


def edited_docx(*paragraphs: str, base: Path = SOURCE) -> bytes:
    """The real Word template of a kind with paragraphs appended, as staff would edit it in Word."""
    doc = Document(str(base))
    for text in paragraphs:
        doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def replace_part(data: bytes, name: str, content: bytes | None, extra: dict[str, bytes] | None = None) -> bytes:
    """A copy of a .docx with one part replaced (or added), and optionally more parts."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, content if info.filename == name and content is not None else src.read(info))
        for extra_name, extra_data in (extra or {}).items():
            dst.writestr(extra_name, extra_data)
    return out.getvalue()


def upload(client: FlaskClient, data: bytes, name: str = "mine.docx", query: str = "", **form: str) -> Any:
    """POST /templates with a file and form fields."""
    fields: dict[str, Any] = {"kind": KIND, **form, "file": (io.BytesIO(data), name)}
    return client.post(f"/api/v1/templates{query}", data=fields, content_type="multipart/form-data")


def render_docx(client: FlaskClient, query: str = "") -> bytes:
    resp = client.post(f"/api/v1/documents/{KIND}?format=docx{query}", json=kinds.get(KIND).sample())
    assert resp.status_code == 200, resp.json
    return resp.data


def stored(client: FlaskClient) -> list[dict[str, Any]]:
    resp = client.get("/api/v1/templates")
    assert resp.status_code == 200
    templates: list[dict[str, Any]] = resp.json["templates"]
    return templates


# --- the journey ---------------------------------------------------------------------------------------


def test_upload_activate_render_rollback(client: FlaskClient) -> None:
    village = kinds.get(KIND).sample()["place"]["village"]
    assert "自定义模板一" not in docx_text(render_docx(client))

    first = upload(client, edited_docx("自定义模板一：{{ place.village }}"), note="加村名")
    assert first.status_code == 201, first.json
    body = first.json
    assert (body["kind"], body["format"], body["region"], body["version"], body["active"]) == (
        KIND,
        "docx",
        None,
        1,
        False,
    )
    assert len(body["sha256"]) == 64 and body["lint"]["ok"] is True and "place" in body["lint"]["variables"]
    assert first.headers["Location"] == f"/api/v1/templates/{body['id']}"
    schema = client.get("/openapi.json").json["components"]["schemas"]["CustomTemplate"]
    assert set(schema["required"]) <= set(body) <= set(schema["properties"])  # the response is what the spec says
    assert "自定义模板一" not in docx_text(render_docx(client))  # stored, not active yet

    resp = client.post(f"/api/v1/templates/{body['id']}/activate")
    assert resp.status_code == 200 and resp.json["active"] is True
    doc = client.post(f"/api/v1/documents/{KIND}?format=docx", json=kinds.get(KIND).sample())
    assert f"自定义模板一：{village}" in docx_text(doc.data)
    assert doc.headers["X-Template"] == f"{body['id']};v1;sha256={body['sha256']}"
    assert "特此公告" in docx_text(doc.data)  # the rest of the real template is still there

    second = upload(client, edited_docx("自定义模板二：{{ place.township }}")).json
    assert second["version"] == 2
    client.post(f"/api/v1/templates/{second['id']}/activate")
    text = docx_text(render_docx(client))
    assert "自定义模板二" in text and "自定义模板一" not in text
    assert [t["active"] for t in stored(client)] == [True, False]  # newest first; one active

    back = client.post(f"/api/v1/templates/{second['id']}/rollback")
    assert back.status_code == 200 and back.json["active"]["id"] == body["id"]
    text = docx_text(render_docx(client))
    assert "自定义模板一" in text and "自定义模板二" not in text

    back = client.post(f"/api/v1/templates/{body['id']}/rollback")
    assert back.json == {"kind": KIND, "format": "docx", "region": None, "active": None, "builtin": True}
    assert "自定义模板" not in docx_text(render_docx(client))
    assert client.post(f"/api/v1/templates/{body['id']}/rollback").status_code == 400  # nothing left to undo


def test_preview_renders_the_sample_with_an_inactive_version(client: FlaskClient) -> None:
    body = upload(client, edited_docx("预览：{{ place.village }}")).json
    resp = client.get(f"/api/v1/templates/{body['id']}/preview?lang=en")
    assert resp.status_code == 200
    assert resp.mimetype.endswith("wordprocessingml.document")
    assert "预览：" + kinds.get(KIND).sample()["place"]["village"] in docx_text(resp.data)
    assert client.get(f"/api/v1/templates/{body['id']}/preview?format=pdf").status_code == 400
    assert client.get("/api/v1/templates/999/preview").status_code == 404


def test_html_template_renders_the_pdf(client: FlaskClient, no_weasyprint_warnings: None) -> None:
    html = (
        '{% extends "_base.html" %}{% block body %}<h1 class="doc-title">{{ doc_title }}</h1>'
        "<p>定制公告：{{ place.village }}，共{{ total }}名候选人。</p>"
        '<img src="assets/seal-placeholder.svg" alt=""><a href="https://example.org/">link</a>{% endblock %}'
    )
    body = upload(client, html.encode(), name="mine.html").json
    assert (body["format"], body["renders"]) == ("html", "pdf")
    client.post(f"/api/v1/templates/{body['id']}/activate")
    resp = client.post(f"/api/v1/documents/{KIND}?format=pdf", json=kinds.get(KIND).sample())
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    assert "定制公告：" + kinds.get(KIND).sample()["place"]["village"] in squash(pdf_text(resp.data))
    docx = render_docx(client)  # Word documents still use the built-in Word template
    assert "定制公告" not in docx_text(docx)


# --- regions -------------------------------------------------------------------------------------------


def test_most_specific_region_wins(client: FlaskClient) -> None:
    for region, mark in (("", "全县通用"), ("330122", "县级模板"), ("330122101", "镇级模板")):
        body = upload(client, edited_docx(f"{mark}{{{{ place.village }}}}"), region=region).json
        assert body["region"] == (region or None)
        assert client.post(f"/api/v1/templates/{body['id']}/activate").status_code == 200
    assert "镇级模板" in docx_text(render_docx(client, "&region=330122101"))
    assert "县级模板" in docx_text(render_docx(client, "&region=330122102"))  # another township of the county
    assert "全县通用" in docx_text(render_docx(client, "&region=330106"))  # another county
    assert "全县通用" in docx_text(render_docx(client))  # a caller with no region
    resp = client.get("/api/v1/templates?region=330122")
    assert [t["region"] for t in resp.json["templates"]] == ["330122"]
    assert client.post(f"/api/v1/documents/{KIND}?region=33", json={}).status_code == 400


@pytest.fixture
def app(app: Flask) -> Flask:
    """The app, whose requests come from app.extensions["test_principal"] once a test sets it (as auth will)."""

    @app.before_request
    def _who() -> None:
        if "test_principal" in app.extensions:
            g.principal = app.extensions["test_principal"]

    return app


def as_principal(app: Flask, who: Principal) -> None:
    """Make the following requests of the app's client come from ``who``."""
    app.extensions["test_principal"] = who


def test_principal_region_chooses_and_limits(app: Flask, client: FlaskClient) -> None:
    ids = {}
    for region, mark in (("", "通用模板"), ("330122101", "本镇模板"), ("330122102", "邻镇模板")):
        ids[region] = upload(client, edited_docx(mark), region=region).json["id"]
        client.post(f"/api/v1/templates/{ids[region]}/activate")
    as_principal(app, Principal("key:town", frozenset({"render"}), "330122101"))
    assert "本镇模板" in docx_text(render_docx(client))  # the caller's own region, without asking
    assert [t["region"] for t in stored(client)] == ["330122101"]  # sees only its own
    assert client.get(f"/api/v1/templates/{ids['330122102']}").status_code == 404
    assert client.post(f"/api/v1/templates/{ids['330122101']}/activate").status_code == 403  # no admin scope
    assert client.post(f"/api/v1/documents/{KIND}?format=docx&region=330122102", json={}).status_code == 403


def test_a_regional_admin_manages_only_its_region(app: Flask, client: FlaskClient) -> None:
    as_principal(app, Principal("user:clerk", frozenset({"admin"}), "330122101"))
    mine = upload(client, edited_docx("本镇"))
    assert mine.status_code == 201 and mine.json["region"] == "330122101"  # the uploader's region by default
    assert mine.json["uploaded_by"] == "user:clerk"
    assert upload(client, edited_docx("全县"), region="330122").status_code == 403
    assert [t["id"] for t in stored(client)] == [mine.json["id"]]


# --- the lint ------------------------------------------------------------------------------------------


def refused(client: FlaskClient, data: bytes, name: str = "mine.docx", status: int = 422) -> list[dict[str, str]]:
    """Upload, expect a refusal listing problems in both languages, and check nothing was stored."""
    resp = upload(client, data, name=name, query="?lang=en")
    assert resp.status_code == status, resp.json
    assert resp.mimetype == "application/problem+json"
    errors_en: list[dict[str, str]] = resp.json["errors"]
    zh = upload(client, data, name=name, query="?lang=zh").json
    assert len(zh["errors"]) == len(errors_en) and zh["errors"][0]["message"] != errors_en[0]["message"]
    assert stored(client) == []
    return errors_en


@pytest.fixture
def en(client: FlaskClient) -> Iterator[FlaskClient]:
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    yield client


def test_syntax_error_shows_the_paragraph_text(en: FlaskClient) -> None:
    errors = refused(en, edited_docx("请各位选民注意：{{ place.village }", "下一段"))
    assert len(errors) == 1 and errors[0]["code"] == "syntax"
    assert errors[0]["path"] == "/file/word/document.xml"
    assert "请各位选民注意：{{ place.village }" in errors[0]["message"]
    assert "下一段" not in errors[0]["message"]  # the paragraph, not the document


def test_unknown_variables_and_fields_are_named(en: FlaskClient) -> None:
    errors = refused(
        en,
        edited_docx(
            "{{ villagee }}",
            "{{ place.villag }}",
            "{% for p in posts %}{% for c in p.candidates %}{{ c.nmae }}{% endfor %}{% endfor %}",
        ),
    )
    messages = " | ".join(e["message"] for e in errors)
    assert "no variable 'villagee'" in messages
    assert "place has no field 'villag'" in messages
    assert "c has no field 'nmae'" in messages
    assert {e["code"] for e in errors} == {"unknown_variable", "unknown_field"}


@pytest.mark.parametrize(
    "tag, name",
    [
        ("{{ ''.__class__ }}", "__class__"),
        ("{{ place._foo }}", "_foo"),
        ("{{ cycler.__init__.__globals__ }}", "__init__"),
        ("{{ place['__class__'] }}", "__class__"),
        ("{{ place|attr('__dict__') }}", "__dict__"),
        ("{{ '{0.__class__}'.format(place) }}", "format"),
        ("{{ posts.append(1) }}", "append"),
        ("{{ ''.mro }}", "mro"),
    ],
)
def test_constructs_the_sandbox_refuses_are_refused(en: FlaskClient, tag: str, name: str) -> None:
    errors = refused(en, edited_docx(f"说明：{tag}"))
    assert any(e["code"] == "unsafe" and repr(name) in e["message"] and tag in e["message"] for e in errors), errors


@pytest.mark.parametrize(
    "tag, code",
    [
        ("{% include 'report.summary.html' %}", "import"),
        ("{% import name as x %}", "import"),
        ("{{ place.village|safe }}", "unsafe"),
        ("{% autoescape false %}{{ place.village }}{% endautoescape %}", "autoescape"),
        ("{{ getattr(place, 'x') }}", "unsafe_call"),
        ("{{ place['_' ~ '_class__'] }}", "unsafe"),
        ("{{ _('%(v)099999999d', v=1) }}", "unsafe"),
        ("{{ place.village|nosuchfilter }}", "unknown_filter"),
    ],
)
def test_other_refused_constructs(en: FlaskClient, tag: str, code: str) -> None:
    assert code in {e["code"] for e in refused(en, edited_docx(tag))}


def test_html_lint_refuses_urls_the_fetcher_would_refuse(en: FlaskClient) -> None:
    html = (
        '{% extends "_base.html" %}{% block body %}<img src="http://169.254.169.254/x">'
        '<link rel="attachment" href="file:///etc/passwd"><div style="background: url(//evil/x.png)"></div>'
        '<style>@import "https://evil/x.css";</style><p>{{ place.village }}</p>{% endblock %}'
    )
    errors = refused(en, html.encode(), name="mine.html")
    assert [e["code"] for e in errors] == ["remote_url"] * 4
    assert "169.254.169.254" in errors[0]["message"] and "file:///etc/passwd" in errors[1]["message"]


def test_html_must_be_utf8_and_ballot_faces_need_word(en: FlaskClient) -> None:
    errors = refused(en, "<p>{{ place.village }}村</p>".encode("gb18030"), name="mine.html")
    assert errors[0]["code"] == "encoding"
    resp = en.post(
        "/api/v1/templates",
        data={"kind": "ballot.villagers-committee", "file": (io.BytesIO(b"<p>x</p>"), "b.html")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 422 and resp.json["errors"][0]["code"] == "imposed"


# --- hostile files ---------------------------------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>
<w:t>&lol3;</w:t></w:r></w:p></w:body></w:document>"""
XXE = b"""<?xml version="1.0"?><!DOCTYPE cp [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
 xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>&xxe;</dc:title></cp:coreProperties>"""


def test_zip_bomb_is_refused(en: FlaskClient) -> None:
    bomb = replace_part(SOURCE.read_bytes(), "", None, {"word/bomb.xml": b"\0" * (20 << 20)})
    assert len(bomb) < 200_000
    errors = refused(en, bomb)
    assert errors[0]["code"] == "zip_bomb" and errors[0]["path"] == "/file/word/bomb.xml"


def test_zip_that_unpacks_past_the_total_limit_is_refused(tmp_path: Path, render_pool: RenderPool) -> None:
    app = create_app({"TESTING": True, "INSTANCE_DIR": str(tmp_path), "TEMPLATE_MAX_UNZIPPED": 500_000})
    app.extensions["render_pool"] = render_pool
    errors = refused(app.test_client(), SOURCE.read_bytes())  # the real template unpacks to about 0.85 MB
    assert errors[0]["code"] == "zip_bomb"


def test_billion_laughs_and_xxe_parts_are_refused(en: FlaskClient) -> None:
    for name, part in (("word/document.xml", BILLION_LAUGHS), ("docProps/core.xml", XXE)):
        errors = refused(en, replace_part(SOURCE.read_bytes(), name, part))
        assert [(e["path"], e["code"]) for e in errors] == [(f"/file/{name}", "xml_declaration")]
        assert "DOCTYPE or ENTITY" in errors[0]["message"]
    disguised = replace_part(SOURCE.read_bytes(), "", None, {"word/notes.txt": XXE})  # XML whatever its name
    assert [e["code"] for e in refused(en, disguised)] == ["xml_declaration"]


def test_path_traversal_nested_zip_and_outside_links_are_refused(en: FlaskClient) -> None:
    traversal = replace_part(SOURCE.read_bytes(), "", None, {"../../evil.xml": b"<x/>"})
    assert refused(en, traversal)[0]["code"] == "zip_path"
    nested = replace_part(SOURCE.read_bytes(), "", None, {"word/embeddings/x.docx": SOURCE.read_bytes()})
    assert refused(en, nested)[0]["code"] == "zip_nested"
    ole = replace_part(SOURCE.read_bytes(), "", None, {"word/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0"})
    assert refused(en, ole)[0]["code"] == "zip_nested"
    rels = (
        b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        b'2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/attachedTemplate" Target="http://evil.example/t.dotm" TargetMode="External"/></Relationships>'
    )
    linked = replace_part(SOURCE.read_bytes(), "", None, {"word/_rels/settings.xml.rels": rels})
    assert refused(en, linked)[0]["code"] == "external_link"
    assert refused(en, b"not a zip at all")[0]["code"] == "not_docx"


def test_oversized_file_is_413(tmp_path: Path, render_pool: RenderPool) -> None:
    # a small limit keeps the upload in memory (werkzeug spools bodies over 500 KB to a temporary file)
    app = create_app({"TESTING": True, "INSTANCE_DIR": str(tmp_path), "TEMPLATE_MAX_BYTES": 100_000})
    app.extensions["render_pool"] = render_pool
    big = b"<p>{{ place.village }}</p>" + b" " * 100_000
    errors = refused(app.test_client(), big, name="big.html", status=413)
    assert errors[0]["code"] == "too_large" and "larger than the limit of 100000 bytes" in errors[0]["message"]


# --- rendering stays bounded -----------------------------------------------------------------------------


def warm(pool: RenderPool) -> None:
    """Start the worker and load what checks and renders import: a fresh worker's start is not the template's."""
    pool.call(check.examine_in_worker, KIND, "x.docx", SOURCE.read_bytes(), LIMITS, timeout=300)
    pool.call(
        documents.render_custom,
        KIND,
        documents.validate(kinds.get(KIND), kinds.get(KIND).sample()),
        "docx",
        "zh",
        CustomTemplate(0, KIND, "docx", "", 1, "0" * 64, SOURCE.read_bytes()),
        1,
        timeout=300,
    )


# stopping a stuck worker kills it; the pipes of the killed process are closed by the garbage collector later
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_checks_and_renders_are_stopped_by_render_timeout(tmp_path: Path) -> None:
    pool = RenderPool(1)
    try:
        app = create_app({"TESTING": True, "INSTANCE_DIR": str(tmp_path), "RENDER_TIMEOUT": 4})
        app.extensions["render_pool"] = pool
        client = app.test_client()

        # docxtpl's patching is quadratic in unclosed tags: 40,000 of them (80 KB) run far past the 4 s bound even on
        # an idle machine (10,000 did not, once the machine was quiet), so the lint runs in a worker under that bound
        warm(pool)
        started = time.monotonic()
        resp = upload(client, edited_docx("{%" * 40000), query="?lang=en")
        assert resp.status_code == 422 and resp.json["errors"][0]["code"] == "too_slow"
        assert time.monotonic() - started < 4 + 10
        assert stored(client) == []

        warm(pool)
        slow = "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}"
        body = upload(client, edited_docx(slow)).json  # passes the lint: loops are allowed
        client.post(f"/api/v1/templates/{body['id']}/activate")
        started = time.monotonic()
        resp = client.post(f"/api/v1/documents/{KIND}?format=docx", json=kinds.get(KIND).sample())
        assert resp.status_code == 503 and resp.json["type"].endswith("/render-timeout")
        assert time.monotonic() - started < 4 + 10

        client.post(f"/api/v1/templates/{body['id']}/rollback")
        assert client.post(f"/api/v1/documents/{KIND}?format=docx", json=kinds.get(KIND).sample()).status_code == 200
    finally:
        pool.close()


def test_a_macro_that_calls_itself_fails_as_a_template_error(client: FlaskClient) -> None:
    body = upload(client, edited_docx("{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}")).json
    resp = client.get(f"/api/v1/templates/{body['id']}/preview?lang=en")
    assert resp.status_code == 500 and resp.json["type"].endswith("/template-error")
    assert resp.json["template_id"] == body["id"] and "recursion" in resp.json["detail"]
    assert client.post(f"/api/v1/documents/{KIND}?format=docx", json=kinds.get(KIND).sample()).status_code == 200


def test_a_tag_that_cuts_the_word_xml_fails_as_a_template_error(client: FlaskClient) -> None:
    doc = Document(str(SOURCE))
    doc.add_table(rows=1, cols=1).cell(0, 0).text = "{% if not place.village %}"  # opens inside a table
    doc.add_paragraph("{% endif %}")  # closes outside it: the filled XML loses the table's end tags
    out = io.BytesIO()
    doc.save(out)
    body = upload(client, out.getvalue()).json
    resp = client.get(f"/api/v1/templates/{body['id']}/preview?lang=en")
    assert resp.status_code == 500 and resp.json["type"].endswith("/template-error")
    assert "{%p %}" in resp.json["detail"]


def test_the_custom_sandbox_refuses_at_render_time_what_a_lint_cannot_see() -> None:
    env = custom_environment("docx", "zh")
    for source, data, message in [
        ("{{ d[k] }}", {"d": {}, "k": "__class__"}, "unsafe"),  # a name that comes from data
        ("{{ d[k]() }}", {"d": [], "k": "append"}, "unsafe"),
        ("{{ 'x' * n }}", {"n": 10**9}, "longer than"),
        ("{{ f % 1 }}", {"f": "%0999999999d"}, "format width"),
        ("{{ 'x'|center(n) }}", {"n": 10**9}, "width"),
        ("{{ 2 ** n }}", {"n": 10**9}, "exponent"),
    ]:
        with pytest.raises(SecurityError, match=message):
            env.from_string(source).render(data)
    assert env.from_string("{{ 'ab' * 2 }}{{ '%05d' % 7 }}{{ place.village }}").render(place={"village": "石门"}) == (
        "abab00007石门"
    )


# --- every built-in template passes its own lint ---------------------------------------------------------


@pytest.mark.parametrize("kind", [k.id for k in kinds.all_kinds()])
def test_builtin_templates_pass_the_lint(kind: str) -> None:
    k = kinds.get(kind)
    checked = check.examine(k, "x.docx", k.docx_template.read_bytes(), LIMITS)
    assert checked.format == "docx" and checked.variables  # passed, and saw the variables it uses
    if not getattr(k.model, "imposed", False):
        html = (Path(lint.environment.TEMPLATES) / "html" / k.html_template).read_bytes()
        assert check.examine(k, "x.html", html, LIMITS).format == "html"


def test_lint_template_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from service.cli import main

    monkeypatch.setenv("ELECTION_DOCS_INSTANCE_DIR", str(tmp_path))
    bad = tmp_path / "bad.docx"
    bad.write_bytes(edited_docx("{{ place.villag }}"))
    result = CliRunner().invoke(main, ["lint-template", KIND, str(bad), "--lang", "en"])
    assert result.exit_code == 1 and "place has no field 'villag'" in result.output
    result = CliRunner().invoke(main, ["lint-template", KIND, str(SOURCE)])
    assert result.exit_code == 0 and '"ok": true' in result.output


JINJA_PAYLOADS = [p for p in corpus.INJECTION if "{{" in p or "{%" in p or "{#" in p]


@pytest.mark.parametrize("payload", JINJA_PAYLOADS)
def test_injection_payloads_in_an_uploaded_template_are_refused_or_harmless(
    app: Flask, client: FlaskClient, payload: str
) -> None:
    """A template is code, so ``{{7*7}}`` may print 49; but no payload reaches the app, its config or Python's
    internals: the lint refuses it (nothing stored), or it renders without leaking anything."""
    resp = upload(client, edited_docx(f"[[{payload}]]"))
    if resp.status_code == 422:
        assert stored(client) == []
        return
    assert resp.status_code == 201, resp.json
    preview = client.get(f"/api/v1/templates/{resp.json['id']}/preview")
    assert preview.status_code in (200, 500), preview.json  # 500: a named template error, never a crash
    text = docx_text(preview.data) if preview.status_code == 200 else json.dumps(preview.json)
    for leak in (app.config["SECRET_KEY"], "<class", "<function", "<bound", "<module", "__globals__", "Config",
                 "Request", "subclasses", "os.environ"):
        assert leak not in text, (payload, leak)
