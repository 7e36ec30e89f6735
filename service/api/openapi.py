"""The OpenAPI 3.1 description, built from the routes' contracts and the kinds' models."""

from __future__ import annotations

from functools import cache
from typing import Any

from .. import kinds
from ..documents import MEDIA_TYPES
from ..domain.results.models import ResultsInput

_PROBLEM = {"$ref": "#/components/schemas/Problem"}


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_HEADERS: dict[str, dict[str, Any]] = {
    "Content-Disposition": {
        "description": "attachment; an ASCII file name and the Chinese one (RFC 6266, RFC 5987)",
        "schema": {"type": "string"},
    },
    "X-Content-SHA256": {"description": "hex SHA-256 of the body", "schema": {"type": "string"}},
    "Content-Language": {"description": "zh-CN or en", "schema": {"type": "string", "enum": ["zh-CN", "en"]}},
}


def _problem(description: str, headers: dict[str, Any] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"description": description, "content": {"application/problem+json": {"schema": _PROBLEM}}}
    if headers:
        out["headers"] = headers
    return out


def _busy() -> dict[str, Any]:
    retry = {"description": "seconds to wait before trying again", "schema": {"type": "integer", "minimum": 1}}
    return _problem(
        "too many renders in flight (with Retry-After), or a render ran past its time bound", {"Retry-After": retry}
    )


def _json(description: str, media_type: str = "application/json") -> dict[str, Any]:
    return {"description": description, "content": {media_type: {"schema": {"type": "object"}}}}


def _binary(media_types: list[str]) -> dict[str, Any]:
    return {mt: {"schema": {"type": "string", "format": "binary"}} for mt in media_types}


def _file(
    description: str, media_types: list[str], *, disposition: bool = False, document: bool = False
) -> dict[str, Any]:
    names = (["Content-Disposition"] if disposition else []) + (
        ["X-Content-SHA256", "Content-Language"] if document else []
    )
    return {
        "description": description,
        "headers": {name: _HEADERS[name] for name in names},
        "content": _binary(media_types),
    }


@cache
def spec() -> dict[str, Any]:
    """The whole description; kind schemas go under components with their own $defs inlined."""
    schemas: dict[str, Any] = {
        "Problem": {
            "type": "object",
            "required": ["type", "title", "status"],
            "properties": {
                "type": {"type": "string"},
                "title": {"type": "string"},
                "status": {"type": "integer"},
                "detail": {"type": "string"},
                "instance": {"type": "string"},
                "errors": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "path": {"type": "string"},
                            "code": {"type": "string"},
                            "message": {"type": "string"},
                        },
                    },
                },
            },
        },
    }
    one_of = []
    for k in kinds.all_kinds():
        name = k.id.replace(".", "_").replace("-", "_")
        schema = k.model.model_json_schema(ref_template="#/components/schemas/" + name + "__{model}")
        for def_name, d in schema.pop("$defs", {}).items():
            schemas[f"{name}__{def_name}"] = d
        schemas[name] = schema
        one_of.append({"$ref": f"#/components/schemas/{name}"})
    results_schema = ResultsInput.model_json_schema(ref_template="#/components/schemas/results__{model}")
    for def_name, d in results_schema.pop("$defs", {}).items():
        schemas[f"results__{def_name}"] = d
    schemas["ResultsInput"] = results_schema
    kind_param = {
        "name": "kind_id",
        "in": "path",
        "required": True,
        "description": "文书种类 id, e.g. roster.voters",
        "schema": {"type": "string", "enum": [k.id for k in kinds.all_kinds()]},
    }
    lang_param = {
        "name": "lang",
        "in": "query",
        "description": "zh（默认）或 en",
        "schema": {"type": "string", "enum": ["zh", "en"]},
    }
    upload = {
        "type": "object",
        "required": ["file"],
        "properties": {
            "file": {"type": "string", "format": "binary", "description": "XLSX、CSV（UTF-8 或 GB18030）或 JSON"},
            "data": {"type": "string", "description": "JSON object of the fields the file does not hold"},
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "election-docs",
            "version": "1",
            "description": "村（社区）“两委”换届选举文书服务：以 JSON 提交数据，得到 Word 或 PDF 文书。"
            " Election paperwork as Word or PDF from JSON.",
        },
        "paths": {
            "/api/v1/kinds": {
                "get": {
                    "summary": "所有文书种类 / every kind",
                    "responses": {"200": _json("kinds")},
                }
            },
            "/api/v1/kinds/{kind_id}/schema": {
                "get": {
                    "summary": "某种文书的输入 JSON Schema / a kind's input schema",
                    "parameters": [kind_param],
                    "responses": {
                        "200": _json("JSON Schema", "application/schema+json"),
                        "404": _problem("unknown kind"),
                    },
                }
            },
            "/api/v1/kinds/{kind_id}/sample": {
                "get": {
                    "summary": "某种文书的示例数据 / a kind's sample input",
                    "parameters": [kind_param],
                    "responses": {"200": _json("sample"), "404": _problem("unknown kind")},
                }
            },
            "/api/v1/kinds/{kind_id}/template.xlsx": {
                "get": {
                    "summary": "某种文书的 Excel 模板 / a kind's Excel template",
                    "parameters": [kind_param],
                    "responses": {
                        "200": _file("the workbook", [XLSX], disposition=True),
                        "404": _problem("unknown kind"),
                    },
                }
            },
            "/api/v1/documents/{kind_id}": {
                "post": {
                    "summary": "生成文书 / render a document",
                    "parameters": [
                        kind_param,
                        {
                            "name": "format",
                            "in": "query",
                            "description": "pdf 或 docx（也可用 Accept 头）",
                            "schema": {"type": "string", "enum": ["pdf", "docx"]},
                        },
                        lang_param,
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {"schema": {"oneOf": one_of}},
                            "multipart/form-data": {"schema": upload},
                        },
                    },
                    "responses": {
                        "200": _file(
                            "the document; a ZIP of one document per village for an upload naming several",
                            [*MEDIA_TYPES.values(), "application/zip"],
                            disposition=True,
                            document=True,
                        ),
                        "400": _problem("malformed JSON, file or parameter"),
                        "404": _problem("unknown kind"),
                        "406": _problem("no acceptable format"),
                        "413": _problem("over a size, row or page limit"),
                        "415": _problem("neither JSON nor a multipart upload"),
                        "422": _problem(
                            "invalid content, with the path of every bad field: the schema's checks and the election"
                            " rules the schema cannot say (e.g. more seats than candidates)"
                        ),
                        "503": _busy(),
                    },
                }
            },
            "/api/v1/ballot-prints": {
                "get": {
                    "summary": "选票印制记录 / the printed-ballots report",
                    "parameters": [
                        {
                            "name": "election",
                            "in": "query",
                            "description": "选举 id（election_id），不填为全部 / one election, or all",
                            "schema": {"type": "string"},
                        },
                        {
                            "name": "format",
                            "in": "query",
                            "description": "json（默认）、pdf 或 docx",
                            "schema": {"type": "string", "enum": ["json", "pdf", "docx"]},
                        },
                        lang_param,
                    ],
                    "responses": {
                        "200": {
                            "description": "the report",
                            "content": {
                                "application/json": {"schema": {"type": "object"}},
                                **_binary(list(MEDIA_TYPES.values())),
                            },
                        },
                        "400": _problem("unknown format"),
                        "422": _problem("an election id holding characters no document can hold"),
                        "503": _busy(),
                    },
                }
            },
            "/api/v1/results": {
                "post": {
                    "summary": "计票结果：有效性、当选、平票与另行选举 / results of a count",
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ResultsInput"}}},
                    },
                    "responses": {
                        "200": _json("validity, the elected, ties and further rounds, each with its rule"),
                        "400": _problem("malformed JSON"),
                        "413": _problem("over the body size limit"),
                        "415": _problem("not JSON"),
                        "422": _problem("invalid content, with the path of every bad field"),
                    },
                }
            },
            "/healthz": {
                "get": {
                    "summary": "健康检查 / fonts and renderers",
                    "responses": {"200": _json("healthy"), "503": _json("unhealthy")},
                }
            },
            "/openapi.json": {
                "get": {"summary": "本文档 / this description", "responses": {"200": _json("OpenAPI 3.1")}},
            },
            "/docs": {
                "get": {
                    "summary": "接口说明页 / the readable API docs",
                    "responses": {
                        "200": {"description": "HTML", "content": {"text/html": {"schema": {"type": "string"}}}}
                    },
                }
            },
        },
        "components": {"schemas": schemas},
    }
