"""An upload kept on disk between the check and the downloads: its payloads, and PDFs and previews made from them."""

from __future__ import annotations

import json
import re
import secrets
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def _root(instance: str) -> Path:
    return Path(instance) / "uploads"


def expire(instance: str, max_age_hours: float) -> int:
    """Delete uploads older than ``max_age_hours`` (they hold voters' ID numbers); the number removed."""
    cutoff = time.time() - max_age_hours * 3600
    removed = 0
    for folder in _root(instance).glob("*"):
        if folder.is_dir() and folder.stat().st_mtime < cutoff:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


def save(instance: str, owner: int, kind_id: str, payloads: dict[str, dict[str, Any]],
         max_age_hours: float = 24) -> str:
    """Keep the validated payloads of an upload (and clear out expired ones); the token names it."""
    expire(instance, max_age_hours)
    token = secrets.token_urlsafe(24)
    folder = _root(instance) / token
    folder.mkdir(parents=True)
    body = {"owner": owner, "kind": kind_id, "villages": list(payloads), "payloads": list(payloads.values())}
    (folder / "job.json").write_text(json.dumps(body, ensure_ascii=False), "utf-8")
    return token


def load(instance: str, token: str, owner: int) -> tuple[Path, dict[str, Any]] | None:
    """The folder and record of an upload, if it exists and belongs to this account."""
    if not _TOKEN.match(token):
        return None
    folder = _root(instance) / token
    try:
        job = json.loads((folder / "job.json").read_text("utf-8"))
    except FileNotFoundError:
        return None
    return (folder, job) if job["owner"] == owner else None


def previews(pdf: Path, folder: Path, pages: int = 2, dpi: int = 90) -> list[Path]:
    """PNG images of the first pages of a PDF (poppler's pdftoppm), made once."""
    done = sorted(folder.glob("page-*.png"))
    if done:
        return done
    exe = shutil.which("pdftoppm")
    if exe is None:
        raise RuntimeError("pdftoppm (poppler-utils) is not installed")
    subprocess.run([exe, "-png", "-r", str(dpi), "-f", "1", "-l", str(pages), str(pdf), str(folder / "page")],
                   check=True, timeout=60, capture_output=True)
    return sorted(folder.glob("page-*.png"))
