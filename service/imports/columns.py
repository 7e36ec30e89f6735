"""Which list of a kind is its table, and which spreadsheet header names mean which field."""

from __future__ import annotations

import json
import re
import types
import typing
from collections import Counter
from dataclasses import dataclass, replace
from typing import Any, Literal

from annotated_types import MaxLen
from pydantic import BaseModel

from .. import i18n

# Header names clerks actually use, mapped to field names; "" means a column to ignore.
ALIASES: dict[str, str] = {
    "姓名": "name", "名字": "name", "名称": "name",
    "公民身份号码": "id_number", "身份证号": "id_number", "身份证号码": "id_number", "身份证": "id_number",
    "公民身份证号码": "id_number", "证件号码": "id_number",
    "性别": "sex", "出生日期": "birth", "出生年月": "birth", "生日": "birth",
    "村民小组": "group", "小组": "group", "组别": "group", "所在小组": "group",
    "备注": "note", "说明": "note", "登记类别": "category", "类别": "category",
    "序号": "", "编号": "",
    # English ones, as normalize_header leaves them (no spaces, lower case); each label's English is added too
    "id": "id_number", "idno.": "id_number", "idcardnumber": "id_number", "gender": "sex", "dateofbirth": "birth",
    "birthdate": "birth", "remarks": "note", "no.": "",
}
VILLAGE = "__village__"
VILLAGE_HEADERS = {"村", "村名", "村（社区）", "村（社区）名称", "村(社区)", "所在村", "village"}
# Labels of fields whose models carry no description (or only a list of choices).
LABELS = {"name": "姓名", "sex": "性别", "note": "备注", "birth": "出生日期", "id_number": "公民身份号码",
          "post": "职务", "seats": "应选名额", "posts": "职务和候选人", "candidates": "候选人", "votes": "得票数",
          "type": "类型", "members": "成员", "staff": "工作人员", "proxies": "委托投票", "prints": "印制记录",
          "write_ins": "另选人", "people": "合并选票得票", "elected_earlier": "此前已当选", "villages": "各村",
          "current": "本届", "previous": "上届", "stage": "候选人类别", "rule_set": "选举种类",
          "profile": "省份规则", "round": "轮次", "electorate": "登记选民数（应到会党员数）", "present": "到会党员数",
          "ballots_issued": "发出选票数", "ballots_returned": "收回选票数", "ballots_invalid": "无效票数",
          "stages": "工作阶段", "method": "书记选举方式", "excused": "请假人员", "election_id": "选举编号",
          "kind": "文书种类", "quantity": "印数", "serial_first": "起始流水号", "serial_last": "终止流水号",
          "status": "类别", "role": "职务", "election": "选举", "sha256": "SHA-256", "requested_by": "申请人",
          "created_at": "时间", "write_in": "是否另选人", "director": "主任得票", "deputy_director": "副主任得票",
          "member": "委员得票"}
# Chinese names of choice values whose field descriptions do not give them.
VALUE_LABELS = {"director": "主任", "deputy_director": "副主任", "member": "委员", "secretary": "书记",
                "deputy_secretary": "副书记", "committee_member": "支部委员", "heading": "标题",
                "paragraph": "段落", "list": "列表", "table": "表格", "male": "男", "female": "女",
                "villagers": "村民委员会", "residents": "居民委员会", "villagers-committee": "村民委员会",
                "residents-committee": "居民委员会", "party-branch": "党组织", "regular": "正式选举",
                "further": "另行选举", "reserved": "已预留", "printed": "已印制", "failed": "未印成"}
Shape = Literal["scalar", "lines", "json"]


@dataclass(frozen=True)
class Field:
    """One field of a flat form or spreadsheet column: its dotted path, Chinese label and choices."""

    path: str
    label: str
    choices: tuple[tuple[Any, str], ...] = ()  # (value, Chinese label)
    required: bool = False
    shape: Shape = "scalar"  # a list of texts is one line each in a cell; other lists and dicts are JSON
    parent: str = ""  # the label of the object it sits in, to tell apart two fields of the same name

    def parse(self, text: str) -> Any:
        """A cell's text as this field's value: a choice's label (Chinese or English) gives its value, lines give
        a list."""
        for value, name in self.choices:
            if text in (name, str(value)) or _fold(text) == _fold(tr(name, "en")):
                return value
        if self.shape == "lines" and text[:1] != "[":
            return [line.strip() for line in text.splitlines() if line.strip()]
        if self.shape != "scalar":
            return json.loads(text)  # the caller turns a JSONDecodeError into an error at the cell
        return text

    def text(self, value: Any) -> str:
        """A value as the text of its cell (the reverse of parse)."""
        if value is None:
            return ""
        for choice, name in self.choices:  # a value, or a choice written by its (Chinese) label: 书记
            if value == choice or str(value) in (str(choice), name) or tr(str(value), "en") == name:
                return name
        if self.shape == "lines" and all(isinstance(v, str) and "\n" not in v for v in value):
            return "\n".join(value)
        if isinstance(value, list | dict):
            return json.dumps(value, ensure_ascii=False)
        return str(value)


def _fold(text: str) -> str:
    """English text compared without case or curly quotes."""
    return text.replace("’", "'").casefold()


def tr(text: str, lang: str) -> str:
    """A label or sheet name in a language: Chinese is the source, English comes from the gettext catalogs
    (service/translations/en/fields.po), where msgctxt "field" words a label apart from a document's wording."""
    if not text or lang == "zh":
        return text
    own = str(i18n.translations(lang).pgettext("field", text))
    return own if own != text else i18n.gettext(text, lang)


def translated(f: Field, lang: str) -> Field:
    """A field with its label, parent and choice names in a language (what a page or template shows)."""
    if lang == "zh":
        return f
    return replace(f, label=tr(f.label, lang), parent=tr(f.parent, lang),
                   choices=tuple((value, tr(name, lang)) for value, name in f.choices))


def _unwrap(annotation: Any) -> Any:
    """The annotation without Optional/Annotated."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


def _item_model(annotation: Any) -> type[BaseModel] | None:
    ann = _unwrap(annotation)
    if typing.get_origin(ann) is list:
        (item,) = typing.get_args(ann) or (None,)
        item = _unwrap(item)
        if isinstance(item, type) and issubclass(item, BaseModel):
            return item
    return None


def _is_model(annotation: Any) -> type[BaseModel] | None:
    ann = _unwrap(annotation)
    return ann if isinstance(ann, type) and issubclass(ann, BaseModel) else None


def table_field(model: type[BaseModel]) -> str | None:
    """The top-level list of objects that is the kind's table: the one allowed the most rows."""
    best, best_len = None, -1
    for name, info in model.model_fields.items():
        if _item_model(info.annotation) is None:
            continue
        limit = max((m.max_length for m in info.metadata if isinstance(m, MaxLen)), default=0)
        if limit > best_len:
            best, best_len = name, limit
    return best


def table_item(model: type[BaseModel]) -> type[BaseModel] | None:
    """The model of one table row."""
    name = table_field(model)
    return _item_model(model.model_fields[name].annotation) if name else None


def label(name: str, description: str | None) -> str:
    """The short Chinese label of a field: its description up to the first note, else a known name."""
    if description and not re.match(r"^[a-z_]+[ /]", description) and " / " not in description.split("：")[0]:
        short = re.split(r"[：:，,；;]", description, maxsplit=1)[0].strip()
        if short.count("（") > short.count("）"):  # cut inside a note: "是否带存根（存根上印流水号"
            short = short[: short.rindex("（")]
        return short or name
    return LABELS.get(name, name)


def _choices(annotation: Any, description: str | None) -> tuple[tuple[Any, str], ...]:
    ann = _unwrap(annotation)
    if ann is bool:
        return ((True, "是"), (False, "否"))
    if typing.get_origin(ann) is not Literal:
        return ()
    values = list(typing.get_args(ann))
    text = description or ""
    names = []
    for v in values:  # "director 主任 / member 委员", "正式党员 full / 预备党员 probationary"
        found = re.search(rf"(?<![\w-]){re.escape(str(v))}\s+([^\s/；;，,a-z]+)", text) or re.search(
            rf"([^\s/；;，,：a-z]+)\s+{re.escape(str(v))}(?![\w-])", text)
        names.append(found.group(1) if found else "")
    if len(values) == 1:
        names = [str(values[0])]
    elif not all(names):  # "推选方式：村民会议、村民代表会议或各村民小组会议"
        names = re.split(r"\s*(?:/|、|或|；)\s*", text.split("：", 1)[-1])
        if len(names) != len(values) or any(re.search(r"[A-Za-z]", n) for n in names):
            names = [VALUE_LABELS.get(str(v), str(v)) for v in values]
    return tuple(zip(values, names, strict=True))


def _shape(annotation: Any) -> Shape | None:
    """How a list or dict field fits in one cell; None for a scalar."""
    ann = _unwrap(annotation)
    if typing.get_origin(ann) is list:
        (item,) = typing.get_args(ann) or (None,)
        return "lines" if _unwrap(item) is str else "json"
    return "json" if typing.get_origin(ann) is dict else None


def _literal_keys(annotation: Any) -> tuple[Any, ...]:
    """The keys of a dict keyed by a fixed set of choices (a scalar value each), else ()."""
    ann = _unwrap(annotation)
    if typing.get_origin(ann) is not dict:
        return ()
    key, value = typing.get_args(ann)
    key = _unwrap(key)
    if typing.get_origin(key) is not Literal or _shape(value) or _is_model(value):
        return ()
    return typing.get_args(key)


def fields(model: type[BaseModel], prefix: str = "", skip: tuple[str | None, ...] = (),
           lists: bool = False, parent: str = "") -> list[Field]:
    """The fields of a model, nested objects flattened to dotted paths; lists and dicts only with ``lists``.

    Two fields with the same label (本届 and 上届 村民委员会) get their parent's label in front."""
    out: list[Field] = []
    for name, info in model.model_fields.items():
        if name in skip:
            continue
        nested = _is_model(info.annotation)
        if nested is not None:
            parent_label = re.sub(r"（.*", "", label(name, info.description))
            out.extend(fields(nested, f"{prefix}{name}.", lists=lists, parent=parent_label))
            continue
        keys = _literal_keys(info.annotation)
        if keys:  # seats: {director: 1, member: 3} → 主任应选名额, 委员应选名额
            out.extend(Field(f"{prefix}{name}.{k}", VALUE_LABELS.get(str(k), str(k)) + label(name, info.description),
                             parent=parent) for k in keys)
            continue
        shape = _shape(info.annotation)
        if shape is not None and not lists:
            continue
        out.append(
            Field(f"{prefix}{name}", label(name, info.description), _choices(info.annotation, info.description),
                  info.is_required(), shape or "scalar", parent)
        )
    if prefix:
        return out
    counts = Counter(f.label for f in out)
    return [replace(f, label=f.parent + f.label) if counts[f.label] > 1 and f.parent else f for f in out]


SLOT = "@"  # stands for the inner list's path in a column's pointer pattern


@dataclass(frozen=True)
class Layout:
    """How a kind's table lies on a sheet: one row per item or, when each item holds a list of its own (a post
    and its candidates), one row per inner item with the outer item's columns first. The first outer column is
    the group's key: rows with the same key (or a blank one, as merged cells read) form one item. When an item
    holds several lists of the same kind (本届/上届 村党组织委员会/村民委员会), a 名单 column says which."""

    table: str  # dotted path of the list: voters, or count.combined.people
    outer: tuple[Field, ...]
    inner: tuple[tuple[str, str], ...] = ()  # (dotted path in the item, label) of each list inside an item
    inner_fields: tuple[Field, ...] = ()
    sheet: str = "名单"
    lang: str = "zh"  # the language of its labels

    def translated(self, lang: str) -> Layout:
        """The layout with its sheet name, list names and columns in a language."""
        if lang == "zh":
            return self
        return replace(self, outer=tuple(translated(f, lang) for f in self.outer),
                       inner=tuple((path, tr(name, lang)) for path, name in self.inner),
                       inner_fields=tuple(translated(f, lang) for f in self.inner_fields), sheet=tr(self.sheet, lang),
                       lang=lang)

    @property
    def pointer(self) -> str:
        """The JSON pointer of the list: /voters, /count/combined/people."""
        return "/" + self.table.replace(".", "/")

    @property
    def selector(self) -> Field | None:
        """The column that picks the list a row goes to, when an item holds several."""
        return Field(SLOT, tr("名单", self.lang), self.inner, True) if len(self.inner) > 1 else None

    def columns(self) -> list[tuple[str, Field]]:
        """Every column as (JSON-pointer pattern, field), in sheet order; SLOT stands for the inner list."""
        out = [(f"{self.pointer}/*/{f.path.replace('.', '/')}", f) for f in self.outer]
        if self.selector:
            out.append((f"{self.pointer}/*/{SLOT}", self.selector))
        return out + [(f"{self.pointer}/*/{SLOT}/*/{f.path.replace('.', '/')}", f) for f in self.inner_fields]


def _lists_inside(model: type[BaseModel], prefix: str = "", parent: str = "") -> list[tuple[str, str, Any]]:
    """The lists of objects in a model, through nested objects: (dotted path, label, item model)."""
    out: list[tuple[str, str, Any]] = []
    for name, info in model.model_fields.items():
        own = LABELS.get(name) if prefix else None
        name_label = own or re.sub(r"（.*", "", label(name, info.description))
        if (item := _item_model(info.annotation)) is not None:
            out.append((f"{prefix}{name}", parent + name_label, item))
        elif (nested := _is_model(info.annotation)) is not None:
            out.extend(_lists_inside(nested, f"{prefix}{name}.", parent + (LABELS.get(name) or name_label)))
    return out


def _layout(table: str, item: type[BaseModel], sheet: str = "名单") -> Layout:
    """The layout of one list of ``item`` objects."""
    inside = _lists_inside(item)
    models = {m for _, _, m in inside}
    richest = max(models, key=lambda m: len(m.model_fields), default=None)
    if richest is None or not all(issubclass(richest, m) for m in models):  # lists of unrelated kinds: JSON cells
        return Layout(table, tuple(fields(item, lists=True)), sheet=sheet)
    paths = {p for p, _, _ in inside}
    outer = tuple(f for f in fields(item, lists=True) if f.path not in paths)
    return Layout(table, outer, tuple((p, lab) for p, lab, _ in inside), tuple(fields(richest, lists=True)), sheet)


def layout(model: type[BaseModel]) -> Layout | None:
    """The layout of a kind's main table (its top-level list with the most rows), or None."""
    table = table_field(model)
    item = table_item(model)
    return _layout(table, item) if table and item else None


def layouts(model: type[BaseModel]) -> list[Layout]:
    """Every table of a kind: its main table or, without one, each list inside its objects (a count's posts,
    its combined ballot's people), each on a sheet named after it."""
    main = layout(model)
    if main is not None:
        return [main]
    found = [(p, m) for p, _, m in _lists_inside(model)]
    named = [LABELS.get(p.rsplit(".", 1)[-1]) or p for p, _ in found]
    return [_layout(p, m, sheet) for (p, m), sheet in zip(found, named, strict=True)]


def other_fields(model: type[BaseModel], lays: list[Layout]) -> list[Field]:
    """The fields outside every table (the 其他信息 sheet, the form)."""
    tables = tuple(lay.table for lay in lays)
    return [f for f in fields(model, lists=True) if not any(f.path == t or f.path.startswith(t + ".")
                                                              for t in tables)]


def normalize_header(text: str) -> str:
    """A header cell without spaces, BOM, required-marks or case, and with full-width parentheses."""
    text = text.replace("\ufeff", "").replace("(", "（").replace(")", "）").replace("’", "'")
    return re.sub(r"[\s*＊]", "", text).casefold()


def header_map(item: type[BaseModel]) -> dict[str, str]:
    """Every accepted header (normalized) of a flat table of ``item`` rows, mapped to its field's dotted path (or
    VILLAGE, or "" for a column to ignore)."""
    own = {f.path: f for f in fields(item)}
    out: dict[str, str] = {}
    for alias, target in ALIASES.items():
        if target == "" or target in own:
            out[alias] = target
    for f in own.values():
        out[normalize_header(f.label)] = f.path
        out.setdefault(normalize_header(tr(f.label, "en")), f.path)  # the English template's header
        out[f.path] = f.path
    for h in VILLAGE_HEADERS:
        out.setdefault(normalize_header(h), VILLAGE)
    return out


def layout_headers(lay: Layout) -> dict[str, str]:
    """Every accepted header (normalized) of a table, mapped to its column's pointer pattern (or VILLAGE, or "")."""
    cols = lay.columns()
    by_name = {p.rsplit("/*/", 1)[1].replace("/", "."): p for p, _ in reversed(cols)}  # the outer field wins
    out: dict[str, str] = {}
    for alias, target in ALIASES.items():
        if target == "" or target in by_name:
            out[alias] = by_name.get(target, "")
    for pattern, f in cols:
        out.setdefault(normalize_header(f.label), pattern)
        out.setdefault(f.path, pattern)
    for pattern, f in cols:  # the English template's headers, after every Chinese one
        out.setdefault(normalize_header(tr(f.label, "en")), pattern)
    for h in VILLAGE_HEADERS:
        out.setdefault(normalize_header(h), VILLAGE)
    return out
