"""The ``election-docs`` command: serve the API, render one document from a JSON file, manage accounts and keys."""

from __future__ import annotations

import contextlib
import json
import logging
import sys
from pathlib import Path
from typing import Any

import click

from .principal import SCOPES


@click.group()
def main() -> None:
    """election-docs: election paperwork as Word and PDF."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True)
@click.option("--workers", default=2, show_default=True, help="gunicorn worker processes")
def serve(host: str, port: int, workers: int) -> None:
    """Start the service under gunicorn."""
    from gunicorn.app.wsgiapp import run

    sys.argv = [
        "gunicorn",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--threads",
        "4",
        "--timeout",
        "300",
        "--access-logfile",
        "-",
        "service:create_app()",
    ]
    click.echo(f"election-docs: http://{host}:{port}/docs")
    run()


@main.command()
@click.argument("kind")
@click.argument("data", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=False)
@click.option("--format", "fmt", type=click.Choice(["pdf", "docx"]), default="pdf", show_default=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option(
    "-o", "--out", type=click.Path(dir_okay=False, path_type=Path), help="output file (default: the document's name)"
)
def render(kind: str, data: Path | None, fmt: str, lang: str, out: Path | None) -> None:
    """Render KIND from a JSON file (or the kind's sample) to a file."""
    from . import documents, errors, kinds
    from .render.pool import RenderPool

    payload = json.loads(data.read_text("utf-8")) if data else kinds.get(kind).sample()
    pool = RenderPool(1)
    try:
        doc = documents.produce(kind, payload, fmt, lang, pool=pool, timeout=300)
    except errors.ElectionDocsError as exc:
        problem = exc.problem(lang)
        click.echo(json.dumps(problem, ensure_ascii=False, indent=1), err=True)
        raise SystemExit(1) from None
    finally:
        pool.close()
    target = out or Path(doc.filename)
    tmp = target.with_suffix(target.suffix + ".part")
    tmp.write_bytes(doc.data)
    tmp.replace(target)  # never leave a half-written file under the real name
    click.echo(f"{target}  sha256={doc.sha256}")


@main.command("create-admin")
@click.argument("username")
@click.password_option(help="the password (asked for when not given)")
def create_admin(username: str, password: str) -> None:
    """Create a staff account with the admin role (the first admin of a new installation)."""
    from . import accounts, create_app

    app = create_app({"BATCH_RUNNER": "off"})  # no batch work in a one-off command
    try:
        accounts.create(app.extensions["db"], username, password, "admin")
    except accounts.AccountError as exc:
        click.echo(exc.zh, err=True)
        raise SystemExit(1) from None
    click.echo(f"admin {username} created")


@main.command()
def worker() -> None:
    """Render batch villages in this process (no HTTP), with the ELECTION_DOCS_* settings; stop with Ctrl-C."""
    import signal
    import threading

    from . import config, db
    from .batches.runner import Runner
    from .render.pool import RenderPool

    settings = config.load({"BATCH_BACKEND": "local"})
    pool = RenderPool(settings["RENDER_WORKERS"], settings["FONT_DIR"])
    runner = Runner(settings, db.connect(settings["DATABASE_URL"]), lambda: pool).start()
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    click.echo(f"election-docs worker: {settings['BATCH_WORKERS']} village(s) at once", err=True)
    with contextlib.suppress(KeyboardInterrupt):
        done.wait()
    runner.stop()
    pool.close()


@main.command()
@click.argument("county", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--kit",
    "kit_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="the kit (YAML or JSON)",
)
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path), help="output folder")
@click.option("--workers", type=int, default=None, help="PDF worker processes (default: every core)")
def batch(county: Path, kit_path: Path, out: Path, workers: int | None) -> None:
    """Print a county's kits into OUT: every village's documents, print PDFs and a manifest.

    COUNTY is the county spreadsheet (XLSX or CSV, one row per voter) or a JSON list of villages. Run it again
    after an interruption and it goes on where it stopped (its state is kept in OUT/.batch.sqlite3).
    """
    import hashlib
    import importlib
    import time

    from . import config, db, errors
    from .batches import kit as kits
    from .batches import runner as runners
    from .batches import store
    from .batches.villages import check_unique, from_json
    from .render.pool import RenderPool

    out.mkdir(parents=True, exist_ok=True)
    data, kit_text = county.read_bytes(), kit_path.read_bytes()
    try:
        the_kit = kits.load(kit_text)
        if county.suffix.lower() == ".json":
            raw = json.loads(data.decode("utf-8-sig"))
            villages = from_json(raw["villages"] if isinstance(raw, dict) else raw)
        else:
            villages = importlib.import_module("service.batches.county").read_county(county.name, data)
        check_unique(villages)
    except (errors.ElectionDocsError, ValueError) as exc:
        problem = exc.problem("zh") if isinstance(exc, errors.ElectionDocsError) else {"detail": str(exc)}
        click.echo(json.dumps(problem, ensure_ascii=False, indent=1), err=True)
        raise SystemExit(1) from None
    overrides: dict[str, object] = {
        "INSTANCE_DIR": str(out / ".batch"),
        "DATABASE_URL": f"sqlite:///{out / '.batch.sqlite3'}",
        "BATCH_DIR": str(out),
        "BATCH_BACKEND": "local",
        "BATCH_POLL_SECONDS": 0.3,
    }
    if workers:
        overrides.update(RENDER_WORKERS=workers, BATCH_WORKERS=workers)
    settings = config.load(overrides)
    engine = db.connect(settings["DATABASE_URL"])
    key = hashlib.sha256(data + b"\0" + kit_text).hexdigest()
    existing = [j for j in _jobs(engine) if j["idempotency_key"] != key]
    if existing:
        click.echo(f"{out} holds another batch (other input); choose an empty folder", err=True)
        raise SystemExit(1)
    job_id, created = store.create(
        engine,
        kit=the_kit.model_dump(mode="json"),
        villages=villages,
        principal="cli",
        region=the_kit.region,
        idempotency_key=key,
        webhook_url=None,
    )
    if not created:
        click.echo("resuming the batch in this folder", err=True)
    # a run killed while holding villages: this process is their only worker, so take them back now
    store.release_all(engine, job_id)
    for v in store.villages(engine, job_id):  # and a run that ended with failures tries those villages again
        if v["state"] == "failed":
            store.retry(engine, job_id, v["position"])
    pool = RenderPool(settings["RENDER_WORKERS"], settings["FONT_DIR"])
    runner = runners.Runner(settings, engine, lambda: pool, flat=True).start()
    try:
        with click.progressbar(length=len(villages), label="villages", show_pos=True, show_eta=True) as bar:
            shown = 0
            while True:
                job = store.get(engine, job_id)
                assert job is not None
                ended = sum(1 for v in store.villages(engine, job_id) if v["state"] not in store.ACTIVE)
                bar.update(ended - shown)
                shown = ended
                if job["state"] not in store.ACTIVE:
                    break
                time.sleep(0.5)
    finally:
        runner.stop()
        pool.close()
    failed = [v for v in store.villages(engine, job_id) if v["state"] != "done"]
    for v in failed:
        click.echo(f"{v['township']}{v['village']}: {v['errors']}", err=True)
    click.echo(f"{out}: {len(villages) - len(failed)} of {len(villages)} villages done; manifest.json lists the files")
    raise SystemExit(1 if failed else 0)


def _jobs(engine: object) -> list[dict[str, object]]:
    from sqlalchemy import select

    from .db import batches

    with engine.connect() as conn:  # type: ignore[attr-defined]
        return [dict(r._mapping) for r in conn.execute(select(batches))]
def _engine() -> Any:
    """The database of the app of ``flask --app service``, or of the app the environment describes."""
    from flask import current_app, has_app_context
    from flask.cli import ScriptInfo

    from . import create_app

    if has_app_context():
        return current_app.extensions["db"]
    info = click.get_current_context().find_object(ScriptInfo)
    if info:
        return info.load_app().extensions["db"]
    hint = logging.getLogger("service.auth")
    hint.disabled = True  # "no key yet, create one" is noise while creating one
    try:
        return create_app({"BATCH_RUNNER": "off"}).extensions["db"]
    finally:
        hint.disabled = False


@click.group("keys")
def keys_group() -> None:
    """API keys for systems that call the API (Authorization: Bearer <key>)."""


@keys_group.command("create")
@click.option("--name", required=True, help="who or what uses the key; never reused, the audit log names it")
@click.option(
    "--scope",
    "scopes",
    required=True,
    multiple=True,
    type=click.Choice(SCOPES),
    help="render, batch or admin (admin holds all); repeat for several",
)
@click.option("--region", help="limit the key to a county (6-digit) or township (9-digit) code")
def keys_create(name: str, scopes: tuple[str, ...], region: str | None) -> None:
    """Create a key and print it once (only its hash is kept): KEY=$(election-docs keys create …)."""
    from . import keys

    try:
        token = keys.create(_engine(), name, scopes, region, created_by="cli")
    except keys.KeyProblem as exc:
        click.echo(exc.en, err=True)
        raise SystemExit(1) from None
    click.echo(token)
    click.echo(f"key {name!r} created ({', '.join(sorted(scopes))}); it is shown only this once", err=True)


@keys_group.command("list")
def keys_list() -> None:
    """Every key: name, scopes, region, the first characters, and whether it is revoked."""
    from . import keys

    for k in keys.all_keys(_engine()):
        state = f"revoked {k['revoked_at']:%Y-%m-%d %H:%M}" if k["revoked_at"] else "active"
        click.echo(f"{k['name']}\t{k['scopes']}\t{k['region'] or '-'}\t{k['prefix']}…\t{state}")


@keys_group.command("revoke")
@click.argument("name")
def keys_revoke(name: str) -> None:
    """Revoke the key NAME at once; calls with it get 401 from then on."""
    from . import keys

    if not keys.revoke(_engine(), name):
        click.echo(f"no active key named {name!r}", err=True)
        raise SystemExit(1)
    click.echo(f"key {name!r} revoked")


main.add_command(keys_group)
@main.command("lint-template")
@click.argument("kind")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
def lint_template(kind: str, file: Path, lang: str) -> None:
    """Check a custom Word or HTML template for KIND as an upload would, without storing it."""
    from . import config, errors, kinds
    from .custom import check, files

    cfg = config.load(None)
    limits = files.Limits(*(cfg[name] for name in config.TEMPLATE_LIMITS))
    try:
        checked = check.examine(kinds.get(kind), file.name, file.read_bytes(), limits)
    except errors.ElectionDocsError as exc:
        click.echo(json.dumps(exc.problem(lang), ensure_ascii=False, indent=1), err=True)
        raise SystemExit(1) from None
    click.echo(json.dumps(checked.record(), ensure_ascii=False, indent=1))
