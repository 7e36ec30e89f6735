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
    "FONT_DIR": ("", str, "folder of licensed standard fonts (仿宋_GB2312 …) the PDFs should use before the stand-ins"),
}


def _coerce(name: str, value: Any) -> Any:
    kind = SETTINGS[name][1]
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
    cfg["SECRET_KEY"] = cfg["SECRET_KEY"] or _instance_secret(instance)
    if len(cfg["SECRET_KEY"]) < 32:
        raise RuntimeError("ELECTION_DOCS_SECRET_KEY must be at least 32 characters")
    positive = ("MAX_CONTENT_LENGTH", "MAX_ROWS", "RENDER_WORKERS", "PAGES_PER_CHUNK", "MAX_PAGES",
                "MAX_RENDERS_IN_FLIGHT", "MAX_UPLOAD_UNPACKED", "MAX_CELL_CHARS")
    for name in positive:
        if cfg[name] < 1:
            raise RuntimeError(f"setting {name} must be positive")
    if cfg["FONT_DIR"] and not Path(cfg["FONT_DIR"]).is_dir():
        raise RuntimeError(f"ELECTION_DOCS_FONT_DIR {cfg['FONT_DIR']!r} is not a folder")
    if cfg["RENDER_TIMEOUT"] <= 0:
        raise RuntimeError("setting RENDER_TIMEOUT must be positive")
    return cfg


def _instance_secret(instance: Path) -> str:
    """A random key made once per installation and kept private in the instance folder (never a fixed dev key)."""
    path = instance / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(48))
    return path.read_text().strip()
