"""The Jinja lint of an uploaded template: what rendering would see, checked before anything is stored.

Three kinds of problems, each pointing at the text around it (for Word, the paragraph's plain text):
syntax errors; variables, fields and filters the kind does not have (compared with the kind's render context,
built from its sample); and constructs the sandbox would refuse or that could reach past the data (names
starting with ``_``, ``mro``, format strings, mutating methods, imports of anything but the built-in
partials, ``|safe`` and ``{% autoescape %}``), refused even where the sandbox would only fail at render time.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import Environment, TemplateNotFound, TemplateSyntaxError, meta, nodes

from .. import documents, kinds
from ..errors import FieldError
from ..render import docx, environment

UNKNOWN: Any = object()  # a value the lint cannot know from the sample (a method result, a loop counter)
_ALWAYS = frozenset({"caller", "loop", "varargs", "kwargs", "self", "super"})
_REFUSED_FILTERS = {
    "safe": ("会把数据当作标记插入文档", "would insert data as markup into the document"),
}
# filters whose string arguments name attributes (map(attribute='x'), selectattr('x'), sort(attribute='x') …)
_ATTRIBUTE_FILTERS = frozenset({"attr", "map", "selectattr", "rejectattr", "sort", "groupby", "sum", "unique"})
_ATTRIBUTE_FILTERS |= frozenset({"min", "max", "dictsort"})
_HTML_EXTRAS = ("face_w", "face_h", "stub_w")  # what a ballot face's context adds (service/ballots.py)


@dataclass
class Findings:
    """What the lint found: problems refuse the upload; warnings are kept with the stored version."""

    errors: list[FieldError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    variables: set[str] = field(default_factory=set)

    def add(self, path: str, code: str, near: str, zh: str, en: str) -> None:
        """Record a problem, with the text around it."""
        where_zh = f"（位置：“{near}”）" if near else ""
        where_en = f" (near: “{near}”)" if near else ""
        error = FieldError(path, code, zh + where_zh, en + where_en)
        if error not in self.errors:
            self.errors.append(error)


def sample_context(kind: kinds.Kind, family: str) -> dict[str, Any]:
    """What a template of the kind sees when it renders the kind's sample (the first chunk, for long tables)."""
    model = documents.validate(kind, kind.sample())
    ctx = documents.context(kind, model, "zh")
    if family == "html":
        ctx = next(iter(documents.chunk_contexts(kind, model, ctx, "zh", 1)))
        ctx.update(dict.fromkeys(_HTML_EXTRAS, 0))
    return ctx


class _Open(dict[str, Any]):
    """Items of a list whose rows differ in their fields (paragraphs, headings, tables): a field no sample
    row has may still come with other data, so it is a warning, not an error."""


def _element(value: Any) -> Any:
    """The shape of one item of a list from the sample: dict items merged, so any row's field counts."""
    if not isinstance(value, (list, tuple)) or not value:
        return UNKNOWN
    if all(isinstance(v, dict) for v in value):
        # rows that differ, or carry a discriminator ("kind": paragraph, heading, table …), are open
        mixed = len({frozenset(v) for v in value}) > 1 or any("kind" in v or "type" in v for v in value)
        merged: dict[str, Any] = _Open() if mixed else {}
        for item in value:
            for key, v in item.items():
                if merged.get(key) is None:
                    merged[key] = v
        return merged
    return value[0]


def assigned_names(tree: nodes.Template) -> set[str]:
    """Every name a template sets anywhere ({% set %}, loops, macros, imports), whichever branch sets it."""
    names = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    names |= {n.name for n in tree.find_all(nodes.Macro)}
    names |= {n.target for n in tree.find_all(nodes.Import)}
    for imp in tree.find_all(nodes.FromImport):
        names |= {n if isinstance(n, str) else n[1] for n in imp.names}
    return names


def partial_names(env: Environment, name: str, seen: frozenset[str] = frozenset()) -> set[str]:
    """The names a built-in partial sets (loop variables its scoped blocks pass to a child's blocks)."""
    if name in seen or env.loader is None:
        return set()
    try:
        source = env.loader.get_source(env, name)[0]
    except TemplateNotFound:
        return set()
    tree = env.parse(source)
    names = assigned_names(tree)
    for node in tree.find_all((nodes.Extends, nodes.Import, nodes.FromImport, nodes.Include)):
        target = getattr(node, "template", None)
        if isinstance(target, nodes.Const):
            names |= partial_names(env, target.value, seen | {name})
    return names


class _Checker:
    def __init__(
        self,
        env: Environment,
        ctx: dict[str, Any],
        partials: frozenset[str],
        found: Findings,
        path: str,
        near: Callable[[int], str],
    ) -> None:
        self.env, self.ctx, self.partials, self.found, self.path, self.near = env, ctx, partials, found, path, near

    def error(self, node: nodes.Node, code: str, zh: str, en: str) -> None:
        self.found.add(self.path, code, self.near(node.lineno), zh, en)

    # --- what the sandbox refuses -------------------------------------------------------------------
    def safety(self, tree: nodes.Template) -> None:
        callables = set(self.env.globals) | {"caller"}
        callables |= {n.name for n in tree.find_all(nodes.Macro)}
        for imp in tree.find_all(nodes.FromImport):
            callables |= {n if isinstance(n, str) else n[1] for n in imp.names}
        callables |= {n.target for n in tree.find_all(nodes.Import)}
        for node in tree.find_all(nodes.Node):
            self._safety(node, callables)

    def _unsafe_name(self, node: nodes.Node, name: str) -> None:
        self.error(
            node,
            "unsafe",
            f"不允许访问 {name}（以下划线开头的名称、mro、format 及修改数据的方法均被沙箱禁止）",
            f"access to {name!r} is not allowed (names starting with _, mro, format and methods that change "
            "data are refused by the sandbox)",
        )

    def _safety(self, node: nodes.Node, callables: set[str]) -> None:
        if isinstance(node, nodes.Getattr) and environment.unsafe_attribute(node.attr):
            self._unsafe_name(node, node.attr)
        elif isinstance(node, nodes.Getitem):
            arg = node.arg
            if isinstance(arg, nodes.Const) and isinstance(arg.value, str):
                if environment.unsafe_attribute(arg.value):
                    self._unsafe_name(node, arg.value)
            elif any(isinstance(c.value, str) and "_" in c.value for c in arg.find_all(nodes.Const)):
                self.error(node, "unsafe", "不允许用拼接出的名称取值", "an item name built from pieces is not allowed")
        elif isinstance(node, nodes.Const) and isinstance(node.value, str) and environment.wide_format(node.value):
            self.error(
                node,
                "unsafe",
                "格式宽度或精度不能超过1000",
                "a format width or precision of 1000 or more is not allowed",
            )
        elif isinstance(node, (nodes.Filter, nodes.Test)):
            self._filter(node)
        elif isinstance(node, nodes.Call):
            callee = node.node
            if isinstance(callee, nodes.Name) and callee.name not in callables:
                self.error(
                    node,
                    "unsafe_call",
                    f"调用了 {callee.name}，它不是模板可用的函数",
                    f"calls {callee.name!r}, which is not a function templates may call",
                )
        elif isinstance(node, (nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)):
            target = node.template
            name = target.value if isinstance(target, nodes.Const) and isinstance(target.value, str) else None
            if name not in self.partials:
                shown = name or "（运行时计算的名称）"
                self.error(
                    node,
                    "import",
                    f"只能引用内置的模板片段（{', '.join(sorted(self.partials)) or '无'}），不能引用 {shown}",
                    f"only the built-in partials ({', '.join(sorted(self.partials)) or 'none'}) may be extended, "
                    f"included or imported, not {name or 'a name computed at render time'!r}",
                )
        elif isinstance(node, (nodes.EvalContextModifier, nodes.ScopedEvalContextModifier)):
            self.error(node, "autoescape", "不允许关闭自动转义", "turning autoescaping off is not allowed")
        elif isinstance(node, (nodes.ExtensionAttribute, nodes.ImportedName, nodes.InternalName)):
            self.error(node, "unsafe", "不允许的模板结构", "a construct templates may not use")

    def _filter(self, node: nodes.Filter | nodes.Test) -> None:
        table = self.env.filters if isinstance(node, nodes.Filter) else self.env.tests
        what_zh, what_en = ("过滤器", "filter") if isinstance(node, nodes.Filter) else ("判断", "test")
        if node.name not in table:
            self.error(
                node, "unknown_filter", f"没有名为 {node.name} 的{what_zh}", f"there is no {what_en} {node.name!r}"
            )
        elif isinstance(node, nodes.Filter) and node.name in _REFUSED_FILTERS:
            zh, en = _REFUSED_FILTERS[node.name]
            self.error(node, "unsafe", f"不允许使用 |{node.name}：{zh}", f"|{node.name} is not allowed: it {en}")
        elif node.name in _ATTRIBUTE_FILTERS:
            args = [*node.args, *(kw.value for kw in node.kwargs)]
            for arg in args:
                if isinstance(arg, nodes.Const) and isinstance(arg.value, str):
                    bad = [p for p in arg.value.split(".") if environment.unsafe_attribute(p)]
                    if bad:
                        self._unsafe_name(node, bad[0])
                elif node.name == "attr":
                    self.error(node, "unsafe", "|attr 只能用固定的名称", "|attr takes only a fixed name")

    # --- variables and fields the kind does not have ---------------------------------------------------
    def variables(self, tree: nodes.Template) -> None:
        try:
            names = meta.find_undeclared_variables(tree) - assigned_names(tree)
        except TemplateSyntaxError:  # an unknown filter or test, already reported by the safety pass
            names = set()
        self.found.variables |= names
        known = set(self.ctx) | set(self.env.globals) | _ALWAYS
        for ext in tree.find_all(nodes.Extends):
            if isinstance(ext.template, nodes.Const) and ext.template.value in self.partials:
                known |= partial_names(self.env, ext.template.value)
        for name in sorted(names - known):
            node: nodes.Node = next((n for n in tree.find_all(nodes.Name) if n.name == name), tree)
            self.error(
                node,
                "unknown_variable",
                f"这种文书没有变量 {name}",
                f"this kind of document has no variable {name!r}",
            )
        self._walk(tree, {})

    def _walk(self, node: nodes.Node, scope: dict[str, Any]) -> None:
        if isinstance(node, nodes.For):
            self._expr(node.iter, scope)
            inner = {**scope, "loop": UNKNOWN}
            self._bind(node.target, _element(self._shape(node.iter, scope)), inner)
            for child in [*([node.test] if node.test else []), *node.body]:
                self._walk(child, inner)
            for child in node.else_:
                self._walk(child, scope)
        elif isinstance(node, nodes.Assign):
            self._expr(node.node, scope)
            self._bind(node.target, self._shape(node.node, scope), scope)
        elif isinstance(node, (nodes.Macro, nodes.CallBlock)):
            inner = {**scope, "caller": UNKNOWN, "varargs": UNKNOWN, "kwargs": UNKNOWN}
            for arg in node.args:
                inner[arg.name] = UNKNOWN
            if isinstance(node, nodes.CallBlock):
                self._expr(node.call, scope)
            for child in node.body:
                self._walk(child, inner)
        elif isinstance(node, (nodes.AssignBlock, nodes.With, nodes.FromImport, nodes.Import)):
            inner = scope
            for sub in node.iter_child_nodes():
                if isinstance(sub, nodes.Expr):
                    self._expr(sub, scope)
            for target in node.find_all(nodes.Name):
                if target.ctx in ("store", "param"):
                    inner[target.name] = UNKNOWN
            for child in getattr(node, "body", []):
                self._walk(child, inner)
            if isinstance(node, nodes.Import):
                scope[node.target] = UNKNOWN
            elif isinstance(node, nodes.FromImport):
                for n in node.names:
                    scope[n if isinstance(n, str) else n[1]] = UNKNOWN
        elif isinstance(node, nodes.Expr):
            self._expr(node, scope)
        else:
            for child in node.iter_child_nodes():
                self._walk(child, scope)

    def _bind(self, target: nodes.Node, value: Any, scope: dict[str, Any]) -> None:
        if isinstance(target, nodes.Name):
            scope[target.name] = value
        else:
            for name in target.find_all(nodes.Name):
                scope[name.name] = UNKNOWN

    def _expr(self, expr: nodes.Node, scope: dict[str, Any]) -> None:
        for node in [expr, *expr.find_all((nodes.Getattr, nodes.Getitem))]:
            if isinstance(node, (nodes.Getattr, nodes.Getitem)):
                self._shape(node, scope)

    def _shape(self, node: nodes.Node, scope: dict[str, Any]) -> Any:
        """The sample's value of an expression, or UNKNOWN; a field the sample's value lacks is reported."""
        if isinstance(node, nodes.Name):
            return scope[node.name] if node.name in scope else self.ctx.get(node.name, UNKNOWN)
        if isinstance(node, nodes.Getattr):
            name: Any = node.attr
        elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
            name = node.arg.value
        else:
            return UNKNOWN
        base = self._shape(node.node, scope)
        if base is UNKNOWN or base is None:
            return UNKNOWN
        if isinstance(base, dict):
            if name in base:
                return base[name]
            if isinstance(name, str) and hasattr(base, name):
                return UNKNOWN  # a dict method (items, get …)
        elif isinstance(base, (list, tuple)) and isinstance(name, int):
            return base[name] if -len(base) <= name < len(base) else _element(base)
        elif isinstance(name, str) and hasattr(base, name):
            return UNKNOWN
        owner = _dotted(node.node)
        if isinstance(base, _Open):
            note = f"{owner} has no field {name!r} in the sample (line {node.lineno}): check it is spelt right"
            if note not in self.found.warnings:
                self.found.warnings.append(note)
            return UNKNOWN
        self.error(
            node,
            "unknown_field",
            f"{owner} 没有字段 {name}",
            f"{owner} has no field {name!r}",
        )
        return UNKNOWN


def _dotted(node: nodes.Node) -> str:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_dotted(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        return f"{_dotted(node.node)}[{node.arg.value!r}]"
    return "…"


def lint_source(
    source: str,
    *,
    env: Environment,
    ctx: dict[str, Any],
    partials: frozenset[str],
    found: Findings,
    path: str,
    near: Callable[[int], str],
    suspects: list[str] | None = None,
) -> None:
    """Lint one template source (a whole HTML file, or one patched part of a .docx). ``suspects`` are the
    paragraphs whose tags do not close, which a syntax error most likely comes from."""
    try:
        tree = env.parse(source)
    except TemplateSyntaxError as exc:
        where = suspects[0] if suspects else near(exc.lineno)
        found.add(path, "syntax", where, f"模板语法错误：{exc.message}", f"template syntax error: {exc.message}")
        return
    checker = _Checker(env, ctx, partials, found, path, near)
    checker.safety(tree)
    checker.variables(tree)


def _lines(text: str, strip_tags: bool) -> Callable[[int], str]:
    lines = text.splitlines()

    def near(lineno: int) -> str:
        if not 0 < lineno <= len(lines):
            return ""
        line = lines[lineno - 1]
        if strip_tags:
            line = re.sub(r"<[^>]+>", "", line)
        return " ".join(line.split())[:200]

    return near


_PARAGRAPH = re.compile(r"<w:p[ >].*?</w:p>", re.DOTALL)


def unclosed_paragraphs(xml: str) -> list[str]:
    """The plain text of each paragraph of a part whose {{ }} or {% %} do not pair up."""
    out = []
    for para in _PARAGRAPH.findall(xml):
        text = re.sub(r"<[^>]+>", "", para)
        if text.count("{{") != text.count("}}") or text.count("{%") != text.count("%}"):
            out.append(" ".join(text.split())[:200])
    return out


def lint_docx(kind: kinds.Kind, data: bytes, parts: dict[str, bytes]) -> Findings:
    """Lint every templated part of a .docx as docxtpl will see it after its own patching."""
    found = Findings()
    env = environment.custom_environment("docx", "zh")
    ctx = sample_context(kind, "docx")
    tpl = DocxTemplate(io.BytesIO(data))
    for name, raw in sorted(parts.items()):
        if not docx.templated_part(name) or b"{" not in raw:
            continue
        xml = raw.decode("utf-8")
        src = docx.patched(tpl, xml)
        lint_source(
            src,
            env=env,
            ctx=ctx,
            partials=frozenset(),
            found=found,
            path=f"/file/{name}",
            near=_lines(src, strip_tags=True),
            suspects=unclosed_paragraphs(xml),
        )
    return found


def builtin_partials() -> frozenset[str]:
    """The built-in HTML partials a custom HTML template may extend, include or import."""
    folder = environment.TEMPLATES / "html"
    return frozenset(p.name for p in folder.iterdir() if environment.PARTIAL.match(p.name))


def lint_html(kind: kinds.Kind, text: str) -> Findings:
    """Lint an HTML template against the kind's context; it may use the built-in partials."""
    found = Findings()
    env = environment.custom_environment("html", "zh")
    lint_source(
        text,
        env=env,
        ctx=sample_context(kind, "html"),
        partials=builtin_partials(),
        found=found,
        path="/file",
        near=_lines(text, strip_tags=False),
    )
    return found
