"""Settings: embedded defaults, overridden by ELECTION_DOCS_* environment variables or a config dict."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

# name: (default, type, description) — the README's configuration table is written from this.
SETTINGS: dict[str, tuple[Any, type, str]] = {
    "INSTANCE_DIR": (str(ROOT / "instance"), str, "folder for the SQLite file, outputs and the generated secret key"),
    "DATABASE_URL": ("", str, "SQLAlchemy URL; empty means sqlite:///<INSTANCE_DIR>/election-docs.sqlite3"),
    "OUTPUT_DIR": ("", str, "folder for produced files; empty means <INSTANCE_DIR>/output"),
    "SECRET_KEY": ("", str, "signing key (≥ 32 characters); empty means one generated once and kept in INSTANCE_DIR"),
    "MAX_CONTENT_LENGTH": (16 * 1024 * 1024, int, "largest request body in bytes (413 above it)"),
    "MAX_ROWS": (50_000, int, "most rows in one table of one document (413 above it)"),
    "COUNTY_MAX_ROWS": (500_000, int, "most voter rows in one county spreadsheet of a batch (413 above it)"),
    "RENDER_TIMEOUT": (120.0, float, "seconds one PDF render (or chunk of pages) may take (503 after it)"),
    "RENDER_WORKERS": (os.cpu_count() or 1, int, "PDF worker processes"),
    "PAGES_PER_CHUNK": (25, int, "pages of a long table rendered per PDF chunk, in parallel"),
    "MAX_PAGES": (2_000, int, "most pages of one PDF document (413 above it)"),
    "MAX_RENDERS_IN_FLIGHT": (16, int, "documents one server process renders at once (503 with Retry-After above it)"),
    "MAX_UPLOAD_UNPACKED": (
        64 * 1024 * 1024,
        int,
        "largest total unpacked size of an uploaded XLSX in bytes (a zip bomb is refused before it is read)",
    ),
    "MAX_CELL_CHARS": (10_000, int, "longest text of one spreadsheet or CSV cell (400 above it)"),
    "UPLOAD_TTL_HOURS": (24.0, float, "hours an upload on the staff pages (with its previews) is kept before deletion"),
    "BATCH_MAX_UPLOAD": (256 * 1024 * 1024, int, "largest batch submission in bytes (a county's voters; 413 above it)"),
    "BATCH_DIR": ("", str, "folder for batch jobs' files; empty means <INSTANCE_DIR>/batches"),
    "BATCH_BACKEND": ("local", str, "who renders batch villages: local (threads feeding the PDF workers) or celery"),
    "BATCH_RUNNER": ("auto", str, "run the batch runner in this process: on, off, or auto (on unless TESTING)"),
    "BATCH_WORKERS": (os.cpu_count() or 1, int, "villages rendered at once by the local runner"),
    "BATCH_PAGES_PER_CHUNK": (60, int, "pages of a long table per PDF chunk in batch jobs: villages already run "
                              "in parallel, so fewer, longer chunks (a 2,000-voter roster still takes two cores)"),
    "BATCH_LEASE_SECONDS": (60.0, float, "a village's claim lasts this long unless renewed; a killed worker's "
                            "villages are taken over after it"),
    "BATCH_POLL_SECONDS": (1.0, float, "how often an idle runner looks for work"),
    "REDIS_URL": ("redis://127.0.0.1:6379/0", str, "Redis for the Celery backend (broker and results)"),
    "CELERY_BROKER_URL": ("", str, "Celery broker; empty means REDIS_URL"),
    "WEBHOOK_SECRET": ("", str, "HMAC-SHA256 key signing batch webhooks (X-Election-Docs-Signature); "
                       "a batch with a webhook_url is refused while it is empty"),
    "WEBHOOK_ATTEMPTS": (5, int, "tries of a batch webhook before it is given up"),
    "WEBHOOK_BACKOFF": (1.0, float, "seconds before the second try of a webhook, doubling after each"),
    "AUTH_REQUIRED": (
        None,
        bool,
        "API calls need an API key (Authorization: Bearer); empty means yes, except in tests (TESTING)",
    ),
    "TEMPLATE_MAX_BYTES": (
        5 * 1024 * 1024,
        int,
        "largest uploaded custom template (.docx or .html) in bytes (413 above it)",
    ),
    "TEMPLATE_MAX_UNZIPPED": (64 * 1024 * 1024, int, "most bytes a custom .docx may unpack to, all parts together"),
    "TEMPLATE_MAX_RATIO": (200, int, "highest compression ratio of one part (over 64 KB) of a custom .docx"),
    "TEMPLATE_MAX_ENTRIES": (500, int, "most parts (zip entries) in a custom .docx"),
    "FONT_DIR": ("", str, "folder of licensed standard fonts (仿宋_GB2312 …) the PDFs should use before the stand-ins"),
}

TEMPLATE_LIMITS = ("TEMPLATE_MAX_BYTES", "TEMPLATE_MAX_UNZIPPED", "TEMPLATE_MAX_RATIO", "TEMPLATE_MAX_ENTRIES")


_BOOLS = {"1": True, "true": True, "yes": True, "on": True, "0": False, "false": False, "no": False, "off": False}


def _coerce(name: str, value: Any) -> Any:
    kind = SETTINGS[name][1]
    if kind is bool and not isinstance(value, bool):  # bool("false") is True: read the word instead
        if str(value).strip().lower() not in _BOOLS:
            raise RuntimeError(f"setting {name} must be true or false, got {value!r}")
        return _BOOLS[str(value).strip().lower()]
    try:
        return kind(value)
    except (TypeError, ValueError):
        raise RuntimeError(f"setting {name} must be a {kind.__name__}, got {value!r}") from None


def load(overrides: dict[str, Any] | None) -> dict[str, Any]:
    """Defaults, then the environment, then the overrides; fails fast on unusable settings."""
    cfg = {name: default for name, (default, _, _) in SETTINGS.items()}
    for name in SETTINGS:
        env = os.environ.get(f"ELECTION_DOCS_{name}")
        if env is not None and env != "":
            cfg[name] = _coerce(name, env)
    for name, value in (overrides or {}).items():
        cfg[name] = _coerce(name, value) if name in SETTINGS else value
    instance = Path(cfg["INSTANCE_DIR"]).resolve()
    instance.mkdir(parents=True, exist_ok=True)
    cfg["INSTANCE_DIR"] = str(instance)
    cfg["DATABASE_URL"] = cfg["DATABASE_URL"] or f"sqlite:///{instance / 'election-docs.sqlite3'}"
    cfg["OUTPUT_DIR"] = cfg["OUTPUT_DIR"] or str(instance / "output")
    Path(cfg["OUTPUT_DIR"]).mkdir(parents=True, exist_ok=True)
    cfg["BATCH_DIR"] = cfg["BATCH_DIR"] or str(instance / "batches")
    cfg["CELERY_BROKER_URL"] = cfg["CELERY_BROKER_URL"] or cfg["REDIS_URL"]
    if cfg["BATCH_BACKEND"] not in ("local", "celery"):
        raise RuntimeError("setting BATCH_BACKEND must be local or celery")
    if cfg["BATCH_RUNNER"] not in ("on", "off", "auto"):
        raise RuntimeError("setting BATCH_RUNNER must be on, off or auto")
    if cfg["AUTH_REQUIRED"] is None:  # on in production; tests opt in with AUTH_REQUIRED
        cfg["AUTH_REQUIRED"] = not cfg.get("TESTING", False)
    cfg["SECRET_KEY"] = cfg["SECRET_KEY"] or _instance_secret(instance)
    if len(cfg["SECRET_KEY"]) < 32:
        raise RuntimeError("ELECTION_DOCS_SECRET_KEY must be at least 32 characters")
    positive = ("MAX_CONTENT_LENGTH", "MAX_ROWS", "COUNTY_MAX_ROWS", "RENDER_WORKERS", "PAGES_PER_CHUNK",
                "BATCH_PAGES_PER_CHUNK", "BATCH_WORKERS", "BATCH_MAX_UPLOAD", "WEBHOOK_ATTEMPTS", "MAX_PAGES",
                "MAX_RENDERS_IN_FLIGHT",
                "MAX_UPLOAD_UNPACKED", "MAX_CELL_CHARS")
    for name in (*positive, *TEMPLATE_LIMITS):
        if cfg[name] < 1:
            raise RuntimeError(f"setting {name} must be positive")
    if cfg["FONT_DIR"] and not Path(cfg["FONT_DIR"]).is_dir():
        raise RuntimeError(f"ELECTION_DOCS_FONT_DIR {cfg['FONT_DIR']!r} is not a folder")
    for name in ("RENDER_TIMEOUT", "BATCH_LEASE_SECONDS", "BATCH_POLL_SECONDS"):
        if cfg[name] <= 0:
            raise RuntimeError(f"setting {name} must be positive")
    return cfg


def _instance_secret(instance: Path) -> str:
    """A random key made once per installation and kept private in the instance folder (never a fixed dev key)."""
    path = instance / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(48))
    return path.read_text().strip()
