"""Batch jobs over HTTP: submit a county's kit, follow it, fetch its files, cancel it, retry a village."""

from __future__ import annotations

import hashlib
import importlib
import json as jsonlib
from typing import Any
from urllib.parse import quote

from flask import Response, current_app, json, request, send_file, stream_with_context

from .. import errors, principal
from ..batches import artifacts, kit, runner, store
from ..batches.villages import check_unique, from_json
from ..errors import FieldError
from . import bp
from .documents import check_rows, read_json_body


def _read_submission() -> tuple[kit.Kit, list[dict[str, Any]], str | None]:
    """(kit, villages, webhook_url) from a multipart upload or a JSON body."""
    if request.mimetype == "multipart/form-data":
        upload = request.files.get("file")
        if upload is None:
            raise errors.BadRequest(
                zh="请在 file 字段上传县（市、区）选民表",
                en="upload the county spreadsheet as file",
                errors=[FieldError("/file", "missing", "缺少文件", "no file")],
            )
        kit_file = request.files.get("kit")
        kit_source: str | bytes | None = kit_file.read() if kit_file else request.form.get("kit")
        if not kit_source:
            raise errors.BadRequest(
                zh="缺少 kit（文件或文字字段）",
                en="the kit (file or text field) is missing",
                errors=[FieldError("/kit", "missing", "缺少 kit", "no kit")],
            )
        the_kit = kit.load(kit_source)
        # the county reader (service/batches/county.py), imported by name: it is another branch's module
        county = importlib.import_module("service.batches.county")
        villages = county.read_county(upload.filename or "", upload.read())
        return the_kit, villages, request.form.get("webhook_url") or None
    body = read_json_body()
    raw_kit = body.get("kit")
    the_kit = kit.load(raw_kit if isinstance(raw_kit, dict | str) else "", "/kit")
    villages = from_json(body.get("villages"))
    hook = body.get("webhook_url")
    if hook is not None and not isinstance(hook, str):
        raise errors.InvalidContent(
            zh="webhook_url 应为文字",
            en="webhook_url must be text",
            errors=[FieldError("/webhook_url", "type", "应为文字", "must be text")],
        )
    return the_kit, villages, hook


def _check_villages(villages: list[dict[str, Any]]) -> None:
    check_unique(villages)
    check_rows([v["voters"] for v in villages], current_app.config["MAX_ROWS"], "/villages")


def _fingerprint(*parts: Any) -> str:
    return hashlib.sha256(jsonlib.dumps(parts, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def _job(job_id: str) -> dict[str, Any]:
    """The job, if it exists and the caller may see its region; 404 otherwise (existence is not revealed)."""
    job = store.get(current_app.extensions["db"], job_id)
    if job is None or not principal.current().sees(job["region"]):
        raise errors.NotFound(zh="没有这个批次", en="there is no such batch")
    return job


def _json(body: Any, status: int = 200) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status=status, mimetype="application/json")


def _wake() -> None:
    batch_runner = current_app.extensions.get("batch_runner")
    if batch_runner is not None:
        batch_runner.wake()


@bp.post("/batches")
def create_batch() -> Response:
    """Submit a county's kit; 202 with the job's id and Location. An Idempotency-Key makes retries safe."""
    who = principal.current()
    key = request.headers.get("Idempotency-Key")
    if key is not None and not 1 <= len(key) <= 200:
        raise errors.BadRequest(zh="Idempotency-Key 应为1至200个字符", en="Idempotency-Key must be 1 to 200 characters")
    engine = current_app.extensions["db"]
    request.max_content_length = current_app.config["BATCH_MAX_UPLOAD"]  # a county is more than one document
    the_kit, villages, hook = _read_submission()
    _check_villages(villages)
    hook = hook or the_kit.webhook_url
    if hook and not hook.startswith(("http://", "https://")):
        raise errors.InvalidContent(
            zh="webhook_url 应为 http(s) 地址",
            en="webhook_url must be an http(s) URL",
            errors=[FieldError("/webhook_url", "scheme", "应为 http(s) 地址", "http(s) only")],
        )
    if hook and not current_app.config["WEBHOOK_SECRET"]:
        raise errors.InvalidContent(
            zh="服务未设置 WEBHOOK_SECRET，不能发送签名通知",
            en="WEBHOOK_SECRET is not set: webhooks cannot be signed",
            errors=[FieldError("/webhook_url", "no_secret", "未设置签名密钥", "no signing key configured")],
        )
    region = the_kit.region or who.region
    if not who.sees(region):
        raise errors.InvalidContent(
            zh="kit 的区划不在您的权限范围内",
            en="the kit's region is outside yours",
            errors=[FieldError("/kit/region", "region", "超出权限范围", "outside your region")],
        )
    job_id, created = store.create(
        engine,
        kit=the_kit.model_dump(mode="json"),
        villages=villages,
        principal=who.name,
        region=region,
        idempotency_key=key,
        webhook_url=hook,
        fingerprint=_fingerprint(the_kit.model_dump(mode="json"), villages, hook),
    )
    _wake()
    job = store.get(engine, job_id)
    assert job is not None
    resp = _json(runner.status(engine, job), 202)
    resp.headers["Location"] = f"/api/v1/batches/{job_id}"
    if not created:
        resp.headers["Idempotent-Replayed"] = "true"
    return resp


@bp.get("/batches/<job_id>")
def batch_status(job_id: str) -> Response:
    """State, progress (villages and pages), the time left, errors per village."""
    job = _job(job_id)
    return _json(runner.status(current_app.extensions["db"], job))


@bp.get("/batches/<job_id>/manifest")
def batch_manifest(job_id: str) -> Response:
    """Every recorded file with path, pages, sha256 and size."""
    job = _job(job_id)
    body = artifacts.manifest(store.files(current_app.extensions["db"], job_id))
    return _json({"id": job_id, "state": job["state"], **body})


def _root(job_id: str) -> Any:
    from pathlib import Path

    return Path(current_app.config["BATCH_DIR"]) / job_id


@bp.get("/batches/<job_id>/files/<path:path>")
def batch_file(job_id: str, path: str) -> Response:
    """One recorded file; only paths in the manifest are served (nothing outside the job's folder)."""
    _job(job_id)
    recorded = {f["path"]: f for f in store.files(current_app.extensions["db"], job_id)}
    target = artifacts.resolve(_root(job_id), path) if path in recorded else None
    if target is None or not target.is_file():
        raise errors.NotFound(zh="批次中没有这个文件", en="the batch has no such file")
    row = recorded[path]
    resp = send_file(
        target,
        mimetype="application/pdf"
        if row["format"] == "pdf"
        else "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        as_attachment=True,
        download_name=target.name,
        conditional=True,
    )
    resp.headers["X-Content-SHA256"] = row["sha256"]
    return resp


@bp.get("/batches/<job_id>/zip")
def batch_zip(job_id: str) -> Response:
    """Every recorded file and the manifest, as a ZIP streamed while it is made."""
    _job(job_id)
    rows = store.files(current_app.extensions["db"], job_id)
    manifest = jsonlib.dumps(artifacts.manifest(rows), ensure_ascii=False, indent=1).encode()
    stream = artifacts.zip_stream(_root(job_id), rows, {"manifest.json": manifest})
    resp = Response(stream_with_context(stream), mimetype="application/zip")
    resp.headers["Content-Disposition"] = (
        f"attachment; filename=\"batch-{job_id}.zip\"; filename*=UTF-8''{quote('批次')}-{job_id}.zip"
    )
    return resp


@bp.post("/batches/<job_id>/cancel")
def batch_cancel(job_id: str) -> Response:
    """Cancel a queued or running job (villages being rendered stop after their current file)."""
    job = _job(job_id)
    engine = current_app.extensions["db"]
    if not store.cancel(engine, job_id) and job["state"] != "cancelled":
        raise errors.Conflict(
            zh="批次已结束，不能取消", en=f"the batch has ended ({job['state']}); it cannot be cancelled"
        )
    ended = store.get(engine, job_id)
    assert ended is not None
    return _json(runner.status(engine, ended))


@bp.post("/batches/<job_id>/villages/<int:key>/retry")
def batch_retry(job_id: str, key: int) -> Response:
    """Queue a failed (or cancelled) village again; the job reopens and is finished anew."""
    _job(job_id)
    engine = current_app.extensions["db"]
    if not any(v["position"] == key for v in store.villages(engine, job_id)):
        raise errors.NotFound(zh="批次中没有这个村", en="the batch has no such village")
    if not store.retry(engine, job_id, key):
        raise errors.Conflict(zh="只能重试失败或已取消的村", en="only a failed or cancelled village can be retried")
    _wake()
    job = store.get(engine, job_id)
    assert job is not None
    return _json(runner.status(engine, job), 202)
