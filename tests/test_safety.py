"""User data is data: template syntax, markup and URLs typed into fields print literally and fetch nothing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document
from flask.testing import FlaskClient
from jinja2.sandbox import SandboxedEnvironment

from kit import docx_text, pdf_text, squash
from service import errors, kinds
from service.render import docx as docx_render
from service.render.environment import environment
from service.render.pdf import ASSETS, AssetFetcher
from service.render.pool import RenderPool

KIND = "announcement.election-committee"
HOSTILE = [
    "{{7*7}}",
    "{% raw %}x{% endraw %}",
    '<img src="file:///etc/passwd">',
    '<link rel="attachment" href="file:///etc/passwd">',
    "</w:t></w:r><w:r><w:t>injected",
    "{{ ''.__class__.__mro__ }}",
    "& < > \" '",
]


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_text_prints_literally_in_docx(client: FlaskClient, payload: str) -> None:
    data = kinds.get(KIND).sample()
    data["contact"] = payload
    resp = client.post(f"/api/v1/documents/{KIND}?format=docx", json=data)
    assert resp.status_code == 200
    Document(io.BytesIO(resp.data))  # still a valid document
    text = docx_text(resp.data)
    assert payload in text
    assert "49" not in text  # {{7*7}} was not evaluated


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_text_prints_literally_in_pdf_and_fetches_nothing(
    client: FlaskClient, payload: str, no_weasyprint_warnings: None
) -> None:
    data = kinds.get(KIND).sample()
    data["contact"] = payload
    resp = client.post(f"/api/v1/documents/{KIND}?format=pdf", json=data)
    assert resp.status_code == 200
    text = squash(pdf_text(resp.data))
    assert squash(payload) in text
    assert b"/EmbeddedFile" not in resp.data  # <link rel=attachment> did not attach anything


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "FILE:///etc/passwd",
        "http://127.0.0.1:8000/healthz",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::ffff:127.0.0.1]/",
        "data:text/css,body{color:red}",
        "file://localhost/etc/passwd",
        (ASSETS / ".." / ".." / ".." / "pyproject.toml").as_uri(),
        (ASSETS / "missing.png").as_uri(),
    ],
)
def test_fetcher_refuses_everything_but_assets(url: str) -> None:
    with pytest.raises(ValueError, match="refused"):
        AssetFetcher().fetch(url)


def test_fetcher_serves_an_asset(tmp_path: Path) -> None:
    asset = ASSETS / "seal-placeholder.svg"
    response = AssetFetcher().fetch(asset.as_uri())
    assert response.status == 200


def test_sandbox_refuses_underscore_attributes() -> None:
    env = environment("html", "zh")
    from jinja2.exceptions import SecurityError

    with pytest.raises(SecurityError):
        env.from_string("{{ x.__class__.__mro__[1].__subclasses__() }}").render(x="")


def _docx_with(tmp_path: Path, text: str) -> Path:
    doc = Document()
    doc.add_paragraph("第一段：开头")
    doc.add_paragraph(text)
    doc.add_paragraph("第三段：结尾")
    path = tmp_path / "bad.docx"
    doc.save(str(path))
    return path


def test_template_syntax_error_names_the_file_and_the_text_around(tmp_path: Path) -> None:
    path = _docx_with(tmp_path, "候选人：{{ name( }}")
    with pytest.raises(errors.TemplateFailure) as info:
        docx_render.CompiledDocx("test.kind", path, environment("docx", "zh"))
    problem = info.value.problem("en")
    assert problem["template"] == "bad.docx" and problem["kind"] == "test.kind"
    assert "第一段：开头" in problem["near"] or "候选人" in problem["near"]


def test_missing_variable_is_named(tmp_path: Path) -> None:
    path = _docx_with(tmp_path, "候选人：{{ candidate_name }}")
    compiled = docx_render.CompiledDocx("test.kind", path, environment("docx", "zh"))
    with pytest.raises(errors.TemplateFailure) as info:
        compiled.render({})
    assert "candidate_name" in info.value.en


def test_render_past_its_time_bound_is_stopped_and_the_pool_recovers() -> None:
    pool = RenderPool(1)
    try:
        huge = "<table>" + "<tr><td>张三</td><td>李四</td></tr>" * 20000 + "</table>"
        with pytest.raises(errors.RenderTimeout):
            pool.render([huge], timeout=0.5)
        data = pool.render(["<p>恢复正常</p>"], timeout=60)
        assert "恢复正常" in pdf_text(data)
    finally:
        pool.close()


def test_environment_is_sandboxed_and_autoescaped() -> None:
    for family in ("html", "docx"):
        env = environment(family, "zh")
        assert isinstance(env, SandboxedEnvironment)
        assert env.from_string("{{ x }}").render(x="<b>&") == "&lt;b&gt;&amp;"
