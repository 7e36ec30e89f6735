"""The OpenAPI 3.1 description, built from the routes' contracts and the kinds' models."""

from __future__ import annotations

from functools import cache
from typing import Any

from .. import kinds
from ..auth import scope_for
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


_BINARY = {"type": "string", "format": "binary"}


def _json_response(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": {"type": "object"}}}}


def _batch_paths() -> dict[str, Any]:
    """POST /batches and the job's own endpoints (service/api/batches.py)."""
    job = {"name": "job_id", "in": "path", "required": True, "schema": {"type": "string"}}
    not_found = _problem("no such batch, or one outside the caller's region")
    return {
        "/api/v1/batches": {
            "post": {
                "summary": "提交批量打印任务 / submit a county's kits as a batch job",
                "parameters": [
                    {
                        "name": "Idempotency-Key",
                        "in": "header",
                        "schema": {"type": "string", "maxLength": 200},
                        "description": "the same key (from the same caller) returns the same job",
                    },
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "multipart/form-data": {
                            "schema": {
                                "type": "object",
                                "required": ["file", "kit"],
                                "properties": {
                                    "file": {
                                        "type": "string",
                                        "format": "binary",
                                        "description": "县选民表 XLSX/CSV，一行一名选民，含乡镇、村列",
                                    },
                                    "kit": {"description": "the kit, YAML or JSON (file or text)"},
                                    "webhook_url": {"type": "string"},
                                },
                            }
                        },
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["kit", "villages"],
                                "properties": {
                                    "kit": {"$ref": "#/components/schemas/BatchKit"},
                                    "villages": {
                                        "type": "array",
                                        "items": {"$ref": "#/components/schemas/BatchVillage"},
                                    },
                                    "webhook_url": {"type": "string"},
                                },
                            }
                        },
                    },
                },
                "responses": {
                    "202": _json_response("the job (Location: its URL)"),
                    "400": _problem("unreadable kit or body"),
                    "413": _problem("over a size or row limit"),
                    "422": _problem("invalid kit or villages, with paths"),
                },
            }
        },
        "/api/v1/batches/{job_id}": {
            "get": {
                "summary": "任务状态 / state, progress, time left, errors per village",
                "parameters": [job],
                "responses": {"200": _json_response("the job"), "404": not_found},
            }
        },
        "/api/v1/batches/{job_id}/manifest": {
            "get": {
                "summary": "文件清单 / every file with path, pages, sha256, size",
                "parameters": [job],
                "responses": {"200": _json_response("the manifest"), "404": not_found},
            }
        },
        "/api/v1/batches/{job_id}/files/{path}": {
            "get": {
                "summary": "下载一个文件 / one file of the manifest",
                "parameters": [job, {"name": "path", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {
                    "200": {
                        "description": "the file; X-Content-SHA256 carries its hash",
                        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
                    },
                    "404": not_found,
                },
            }
        },
        "/api/v1/batches/{job_id}/zip": {
            "get": {
                "summary": "全部文件的 ZIP / every file and the manifest, streamed",
                "parameters": [job],
                "responses": {
                    "200": {
                        "description": "ZIP",
                        "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
                    },
                    "404": not_found,
                },
            }
        },
        "/api/v1/batches/{job_id}/cancel": {
            "post": {
                "summary": "取消任务 / cancel",
                "parameters": [job],
                "responses": {
                    "200": _json_response("the job"),
                    "404": not_found,
                    "409": _problem("the job has already ended"),
                },
            }
        },
        "/api/v1/batches/{job_id}/villages/{key}/retry": {
            "post": {
                "summary": "重做失败的村 / retry a failed village",
                "parameters": [job, {"name": "key", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "responses": {
                    "202": _json_response("the reopened job"),
                    "404": not_found,
                    "409": _problem("the village has not failed"),
                },
            }
        },
    }
def _secure(paths: dict[str, Any]) -> None:
    """Every API operation: a Bearer key with the scope its URL needs (OpenAPI 3.1 role names), 401 and 403."""
    for path, ops in paths.items():
        scope = scope_for(path.split("{")[0])
        for op in ops.values():
            if scope is None:
                op["security"] = []  # open
                continue
            op["security"] = [{"bearer": [scope]}]
            op["summary"] += f" [{scope}]"
            op["responses"].setdefault(
                "401", _problem("no API key, or a wrong or revoked one (WWW-Authenticate: Bearer)")
            )
            op["responses"].setdefault("403", _problem(f"the key lacks the {scope} scope"))


_JSON_OBJECT = {"application/json": {"schema": {"type": "object"}}}
_REGION_PARAM = {
    "name": "region",
    "in": "query",
    "description": "地区代码（6位县级或9位乡级）；默认为调用者所属地区 / a county or township code, by default the "
    "caller's own: the most specific active custom template of the region is used",
    "schema": {"type": "string", "pattern": "^[0-9]{6}([0-9]{3})?$"},
}
_TEMPLATE = {
    "type": "object",
    "required": ["id", "kind", "format", "region", "version", "sha256", "lint", "active"],
    "properties": {
        "id": {"type": "integer"},
        "kind": {"type": "string"},
        "format": {"type": "string", "enum": ["docx", "html"]},
        "renders": {"type": "string", "enum": ["docx", "pdf"]},
        "region": {"type": ["string", "null"], "description": "null = everywhere"},
        "version": {"type": "integer"},
        "sha256": {"type": "string"},
        "size": {"type": "integer"},
        "filename": {"type": "string"},
        "note": {"type": "string"},
        "lint": {"type": "object", "description": "what the lint found: warnings and the variables used"},
        "active": {"type": "boolean"},
        "uploaded_by": {"type": "string"},
        "created_at": {"type": "string"},
        "activated_by": {"type": ["string", "null"]},
        "activated_at": {"type": ["string", "null"]},
        "links": {"type": "object"},
    },
}


def template_paths(kind_schema: dict[str, Any], doc_media: dict[str, Any]) -> dict[str, Any]:
    """The custom-template endpoints."""
    one = {"application/json": {"schema": {"$ref": "#/components/schemas/CustomTemplate"}}}
    tid = {"name": "template_id", "in": "path", "required": True, "schema": {"type": "integer"}}
    missing = _problem("no such template (or one of a region the caller does not see)")
    return {
        "/api/v1/templates": {
            "post": {
                "summary": "上传自定义模板 / upload a custom template (checked and linted; stored inactive)",
                "requestBody": {
                    "required": True,
                    "content": {
                        "multipart/form-data": {
                            "schema": {
                                "type": "object",
                                "required": ["kind", "file"],
                                "properties": {
                                    "kind": kind_schema,
                                    "file": {"type": "string", "format": "binary", "description": ".docx or .html"},
                                    "region": {"type": "string", "pattern": "^[0-9]{6}([0-9]{3})?$"},
                                    "note": {"type": "string"},
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "201": {"description": "the stored version", "content": one},
                    "400": _problem("kind, file or region missing or malformed"),
                    "403": _problem("no admin scope, or a region the caller does not see"),
                    "404": _problem("unknown kind"),
                    "413": _problem("over TEMPLATE_MAX_BYTES"),
                    "415": _problem("not multipart/form-data"),
                    "422": _problem("the checks or the lint failed: every problem listed; nothing stored"),
                },
            },
            "get": {
                "summary": "自定义模板列表 / the stored versions the caller sees",
                "parameters": [
                    {"name": "kind", "in": "query", "schema": kind_schema},
                    {**_REGION_PARAM, "description": "only this region (empty = the everywhere ones)"},
                ],
                "responses": {
                    "200": {
                        "description": "versions, newest first",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "templates": {
                                            "type": "array",
                                            "items": {"$ref": "#/components/schemas/CustomTemplate"},
                                        }
                                    },
                                }
                            }
                        },
                    },
                    "400": _problem("malformed region"),
                    "404": _problem("unknown kind"),
                },
            },
        },
        "/api/v1/templates/{template_id}": {
            "get": {
                "summary": "一个模板版本 / one stored version",
                "parameters": [tid],
                "responses": {"200": {"description": "the version", "content": one}, "404": missing},
            }
        },
        "/api/v1/templates/{template_id}/activate": {
            "post": {
                "summary": "启用该版本 / make this version the active one of its kind and region",
                "parameters": [tid],
                "responses": {
                    "200": {"description": "the version, now active", "content": one},
                    "403": _problem("no admin scope"),
                    "404": missing,
                },
            }
        },
        "/api/v1/templates/{template_id}/rollback": {
            "post": {
                "summary": "回退到上一版本 / re-activate the version before the active one (or the built-in)",
                "parameters": [tid],
                "responses": {
                    "200": {
                        "description": "what is active now",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    },
                    "400": _problem("no active version to roll back"),
                    "403": _problem("no admin scope"),
                    "404": missing,
                },
            }
        },
        "/api/v1/templates/{template_id}/preview": {
            "get": {
                "summary": "用示例数据预览 / the kind's sample rendered with this version",
                "parameters": [
                    tid,
                    {"name": "format", "in": "query", "schema": {"type": "string", "enum": ["pdf", "docx"]}},
                    {"name": "lang", "in": "query", "schema": {"type": "string", "enum": ["zh", "en"]}},
                ],
                "responses": {
                    "200": {"description": "the document", "content": doc_media},
                    "400": _problem("a format this template does not render"),
                    "404": missing,
                    "500": _problem("the template failed at render time"),
                    "503": _problem("render timed out"),
                },
            }
        },
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
    from ..batches.kit import Kit
    from ..batches.villages import VillageIn

    for model, name in ((Kit, "BatchKit"), (VillageIn, "BatchVillage")):
        schema = model.model_json_schema(ref_template="#/components/schemas/" + name + "__{model}")
        for def_name, d in schema.pop("$defs", {}).items():
            schemas[f"{name}__{def_name}"] = d
        schemas[name] = schema
    schemas["AuditPage"] = {
        "type": "object",
        "required": ["entries", "next"],
        "properties": {
            "entries": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "kind", "format", "lang", "sha256", "size", "created_at", "principal"],
                    "properties": {
                        "id": {"type": "integer"},
                        "kind": {"type": "string"},
                        "format": {"type": "string"},
                        "lang": {"type": "string"},
                        "sha256": {"type": "string"},
                        "size": {"type": "integer"},
                        "created_at": {"type": "string", "format": "date-time"},
                        "principal": {"type": "string"},
                        "region": {"type": ["string", "null"]},
                        "detail": {"type": ["object", "null"]},
                    },
                },
            },
            "next": {"type": ["string", "null"]},
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
    doc_media = _binary(list(MEDIA_TYPES.values()))
    doc: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {
            "title": "election-docs",
            "version": "1",
            "description": "村（社区）“两委”换届选举文书服务：以 JSON 提交数据，得到 Word 或 PDF 文书。"
            " Election paperwork as Word or PDF from JSON.\n\n"
            "除 /healthz、/openapi.json 和 /docs 外，每个接口都需要 API 密钥：`Authorization: Bearer <key>`"
            "（`election-docs keys create --name N --scope render|batch|admin`）。"
            " Every endpoint except /healthz, /openapi.json and /docs needs an API key sent as"
            " `Authorization: Bearer <key>`; each operation names the scope it needs (admin holds all).",
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
                    "description": "名单（中文表头和示例行；有分组的名单如职务和候选人，每行一人，组的列写在第一行）、"
                    "其他信息（名单以外的项目）和填写说明三个工作表。 The table sheet, a sheet of the other fields, "
                    "and notes; with lang=en (or Accept-Language: en) headers, sheet names and notes are in English, "
                    "and an upload reads English headers as well as Chinese ones.",
                    "parameters": [kind_param, {"name": "lang", "in": "query", "schema": {
                        "type": "string", "enum": ["zh", "en"]}, "description": "zh（默认）或 en"}],
                    "responses": {
                        "200": _file("the workbook", [XLSX], disposition=True),
                        "400": _problem("lang is neither zh nor en"),
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
                        _REGION_PARAM,
                    ],
                    "requestBody": {"required": True, "content": {
                        "application/json": {"schema": {"oneOf": one_of}},
                        "multipart/form-data": {"schema": {
                            "type": "object",
                            "required": ["file"],
                            "properties": {
                                "file": {"type": "string", "format": "binary",
                                         "description": "XLSX（按 template.xlsx 填写）、CSV（只含名单，"
                                         "UTF-8 或 GB18030）或 JSON / the filled template, a table CSV, or JSON"},
                                "data": {"type": "string", "description": "其余字段的 JSON（CSV 不含的项目）/ JSON of "
                                         "the fields outside the table; it wins over the file's"},
                            },
                        }},
                    }},
                    "responses": {
                        "200": _file(
                            "the document; a ZIP of one document per village for an upload naming several; "
                            "X-Template names the custom template used (if any)",
                            [*MEDIA_TYPES.values(), "application/zip"],
                            disposition=True,
                            document=True,
                        ),
                        "400": _problem("malformed JSON, file or parameter"),
                        "403": _problem("a region the caller does not see"),
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
                        "200": _json(
                            "validity, the elected, ties and further rounds, each with its rule; X-Content-SHA256 is "
                            "the hash the audit log keeps"
                        ),
                        "400": _problem("malformed JSON"),
                        "413": _problem("over the body size limit"),
                        "415": _problem("not JSON"),
                        "422": _problem("invalid content, with the path of every bad field"),
                    },
                }
            },
            **_batch_paths(),
            **template_paths({"type": "string", "enum": [k.id for k in kinds.all_kinds()]}, doc_media),
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
        "components": {
            "schemas": {**schemas, "CustomTemplate": _TEMPLATE},
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "an API key from `election-docs keys create` or the staff pages' API keys page",
                }
            },
        },
        "security": [{"bearer": []}],
    }
    doc["paths"].update(_more_paths())
    _secure(doc["paths"])
    return doc


def _more_paths() -> dict[str, Any]:
    """The audit log."""
    return {
        "/api/v1/audit": {
            "get": {
                "summary": "审计日志：谁生成了什么 / the audit log: who produced what",
                "parameters": [
                    {
                        "name": "kind",
                        "in": "query",
                        "description": "种类 id 或其开头，如 ballot.",
                        "schema": {"type": "string"},
                    },
                    {
                        "name": "principal",
                        "in": "query",
                        "description": "key:<name> 或 user:<name>",
                        "schema": {"type": "string"},
                    },
                    {
                        "name": "since",
                        "in": "query",
                        "description": "ISO 8601 日期或时间",
                        "schema": {"type": "string"},
                    },
                    {
                        "name": "limit",
                        "in": "query",
                        "description": "每页条数（1–1000，默认 100）",
                        "schema": {"type": "integer", "minimum": 1, "maximum": 1000},
                    },
                    {
                        "name": "before",
                        "in": "query",
                        "description": "只要 id 小于此值的条目（翻页用 next）",
                        "schema": {"type": "integer", "minimum": 1},
                    },
                ],
                "responses": {
                    "200": {
                        "description": "entries newest first; next links the following page, null at the end",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AuditPage"}}},
                    },
                    "400": _problem("a bad filter"),
                },
            }
        },
    }
