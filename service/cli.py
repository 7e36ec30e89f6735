"""The ``election-docs`` command: serve the API, render one document from a JSON file, manage accounts and keys."""

from __future__ import annotations

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

    app = create_app()
    try:
        accounts.create(app.extensions["db"], username, password, "admin")
    except accounts.AccountError as exc:
        click.echo(exc.zh, err=True)
        raise SystemExit(1) from None
    click.echo(f"admin {username} created")


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
        return create_app().extensions["db"]
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
