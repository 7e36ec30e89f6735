"""/healthz, /openapi.json and the readable API docs page at /docs."""

from __future__ import annotations

import subprocess
from typing import Any

from flask import Blueprint, Response, current_app, json, render_template_string

from .. import kinds
from ..render import fonts
from .openapi import spec

bp = Blueprint("meta", __name__)


@bp.get("/healthz")
def healthz() -> Response:
    """Fonts present and both renderers usable; 503 when not."""
    checks: dict[str, Any] = {"fonts": fonts.missing_fonts() or "ok"}
    try:
        from ..documents import produce

        kind = kinds.all_kinds()[0]
        for fmt in ("docx", "pdf"):
            produce(kind.id, kind.sample(), fmt, "zh", pool=current_app.extensions["render_pool"], timeout=30)
            checks[fmt] = "ok"
    except Exception as exc:  # a health check reports failures, it does not raise them
        checks["render"] = f"{type(exc).__name__}: {exc}"
    ok = checks["fonts"] == "ok" and checks.get("pdf") == "ok" and checks.get("docx") == "ok"
    body = {"status": "ok" if ok else "unhealthy", "checks": checks}
    return Response(json.dumps(body, ensure_ascii=False), status=200 if ok else 503, mimetype="application/json")


@bp.get("/openapi.json")
def openapi() -> Response:
    """The OpenAPI 3.1 description of the API."""
    return Response(json.dumps(spec(), ensure_ascii=False), mimetype="application/json")


_DOCS = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>election-docs API</title>
<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5}
code,pre{background:#f4f4f4;padding:.1rem .3rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .5rem;text-align:left}</style>
</head><body><h1>election-docs API</h1><p>{{ info.description }}</p>
<p>机器可读描述 / machine-readable: <a href="/openapi.json">/openapi.json</a></p>
<h2>接口 Endpoints</h2>
{% for path, ops in paths.items() %}{% for method, op in ops.items() %}
<h3><code>{{ method|upper }} {{ path }}</code></h3><p>{{ op.summary }}</p>
{% if op.parameters %}<table><tr><th>参数 parameter</th><th>in</th><th>说明</th></tr>
{% for p in op.parameters %}<tr><td><code>{{ p.name }}</code></td><td>{{ p["in"] }}</td><td>{{ p.description }}</td></tr>{% endfor %}</table>{% endif %}
<p>响应 responses: {% for code, r in op.responses.items() %}<code>{{ code }}</code> {{ r.description }}{% if not loop.last %}; {% endif %}{% endfor %}</p>
{% endfor %}{% endfor %}
<h2>文书种类 Document kinds</h2><table><tr><th>id</th><th>名称</th><th>title</th><th></th></tr>
{% for k in kinds %}<tr><td><code>{{ k.id }}</code></td><td>{{ k.title_zh }}</td><td>{{ k.title_en }}</td>
<td><a href="/api/v1/kinds/{{ k.id }}/schema">schema</a> · <a href="/api/v1/kinds/{{ k.id }}/sample">sample</a></td></tr>{% endfor %}</table>
<h2>示例 Example</h2><pre>curl -s http://127.0.0.1:8000/api/v1/kinds/roster.voters/sample &gt; voters.json
curl -s -X POST -H 'Content-Type: application/json' --data @voters.json \\
  'http://127.0.0.1:8000/api/v1/documents/roster.voters?format=pdf&amp;lang=zh' -o voters.pdf</pre>
</body></html>"""


@bp.get("/docs")
def docs() -> str:
    """A readable page describing every endpoint and kind, rendered from the OpenAPI description."""
    s = spec()
    return render_template_string(_DOCS, info=s["info"], paths=s["paths"], kinds=kinds.all_kinds())
