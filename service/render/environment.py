"""The sandboxed Jinja2 environments shared by the DOCX and HTML template families."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from .. import filters, i18n

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"


@cache
def environment(family: str, lang: str) -> SandboxedEnvironment:
    """The environment for ``family`` ("html" or "docx") in ``lang``; autoescaping is always on."""
    loader = FileSystemLoader(str(TEMPLATES / "html")) if family == "html" else None
    env = SandboxedEnvironment(
        loader=loader,
        autoescape=True,  # HTML and WordprocessingML both need &, < and > escaped
        undefined=StrictUndefined,  # a missing variable is an error that names it, never a blank
        extensions=["jinja2.ext.i18n"],
        trim_blocks=family == "html",
        lstrip_blocks=family == "html",
        auto_reload=False,
    )
    env.install_gettext_translations(i18n.translations(lang), newstyle=True)  # type: ignore[attr-defined]
    filters.install(env, lang)
    env.globals["lang"] = lang
    return env
