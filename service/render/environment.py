"""The sandboxed Jinja2 environments shared by the DOCX and HTML template families."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

from jinja2 import FileSystemLoader, FunctionLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment, SecurityError

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


# Names a custom template may never reach, on top of the sandbox's own rules (anything starting with "_",
# function and frame internals): format-string tricks and methods that change the data being rendered.
UNSAFE_ATTRIBUTES = frozenset(
    {"mro", "format", "format_map", "globals", "builtins", "gi_frame", "gi_code", "cr_frame", "cr_code"}
    | {"f_globals", "f_locals", "f_back", "f_builtins", "tb_frame", "co_code", "im_func", "im_self", "func_globals"}
    | {"append", "extend", "insert", "pop", "popitem", "remove", "clear", "update", "setdefault", "sort", "reverse"}
    | {"add", "discard", "difference_update", "intersection_update", "symmetric_difference_update"}
)
MAX_REPEAT = 100_000  # longest string or list a custom template may make with * (a memory bomb otherwise)
PARTIAL = re.compile(r"^_[a-z0-9_]+\.html$")  # the built-in partials a custom HTML template may extend or import
_custom_sources: dict[str, str] = {}  # name → source of the custom HTML templates this process has seen


def unsafe_attribute(name: str) -> bool:
    """Whether a custom template must not touch an attribute or item of this name."""
    return name.startswith("_") or name.startswith("func_") or name in UNSAFE_ATTRIBUTES


class CustomSandbox(SandboxedEnvironment):
    """The sandbox for staff-uploaded templates: the built-in sandbox, minus mutation, format strings and bombs."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """Refuse what the lint refuses, in case a name is built at render time."""
        return not unsafe_attribute(attr) and super().is_safe_attribute(obj, attr, value)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        """``*`` and ``**`` with a bound on the size of what they make."""
        if operator == "%":
            return checked_format(left) % right
        if operator == "**":
            if isinstance(right, int) and abs(right) > 100:
                raise SecurityError("exponent too large for a template")
            return left**right
        for seq, n in ((left, right), (right, left)):
            if isinstance(seq, (str, list, tuple)) and isinstance(n, int) and len(seq) * n > MAX_REPEAT:
                raise SecurityError(f"a template may not build a sequence longer than {MAX_REPEAT}")
        return left * right


_WIDE_FORMAT = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\d{4,})|%(?:\([^)]*\))?[-#0 +]*\d*\.(\d{4,})")


def wide_format(text: str) -> bool:
    """Whether a %-format string asks for a width or precision of 1000 or more (a memory bomb)."""
    return any(int(w or p) >= 1000 for w, p in _WIDE_FORMAT.findall(text))


def checked_format(value: Any) -> Any:
    """``value`` if it is not a %-format string asking for a huge width, else SecurityError."""
    if isinstance(value, str) and wide_format(value):
        raise SecurityError("a format width or precision of 1000 or more is not allowed in a template")
    return value


def _bounded(func: Any, *, width_arg: bool) -> Any:
    def bounded(value: Any, *args: Any, **kwargs: Any) -> Any:
        if width_arg and any(isinstance(a, int) and a > 1000 for a in (*args, *kwargs.values())):
            raise SecurityError("a width of more than 1000 is not allowed in a template")
        return func(checked_format(value), *args, **kwargs)

    return bounded


def _load_custom(name: str) -> str | None:
    if name in _custom_sources:
        return _custom_sources[name]
    if PARTIAL.match(name) and (TEMPLATES / "html" / name).is_file():
        return (TEMPLATES / "html" / name).read_text("utf-8")
    return None  # anything else does not exist for a custom template


def add_custom_source(name: str, source: str) -> None:
    """Make a custom HTML template loadable by ``name`` in this process's custom environments."""
    if name not in _custom_sources and len(_custom_sources) >= 256:
        _custom_sources.clear()  # versions are few, but a worker lives long: forget and reload from the caller
    _custom_sources[name] = source


@cache
def _printable(value: Any) -> Any:
    """What an output tag of a custom template may print: values, not functions, classes or modules (their
    text is Python's own, with memory addresses: ``{{ lipsum }}`` would print ``<function … at 0x…>``)."""
    if callable(value) or isinstance(value, ModuleType):
        raise SecurityError("a template may print values, not functions, classes or modules")
    return value


def custom_environment(family: str, lang: str) -> CustomSandbox:
    """The environment of custom templates: the built-in one's filters and globals, in the stricter sandbox;
    an HTML template may load only the built-in partials (``_*.html``) besides itself."""
    base = environment(family, lang)
    env = CustomSandbox(
        loader=FunctionLoader(_load_custom) if family == "html" else None,
        autoescape=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=family == "html",
        lstrip_blocks=family == "html",
        auto_reload=False,
        finalize=_printable,
    )
    env.install_gettext_translations(i18n.translations(lang), newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(base.filters)
    env.tests.update(base.tests)
    env.globals.update(base.globals)
    for name in ("center", "indent", "wordwrap"):  # each pads or wraps to a width the template chooses
        env.filters[name] = _bounded(env.filters[name], width_arg=True)
    env.filters["format"] = _bounded(env.filters["format"], width_arg=False)
    return env
