"""A decision: which rule was applied, what came out, why (in zh and en) and where the rule comes from."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from service.rules import Rule, Setting, Source, Text

Outcome = Literal["pass", "fail", "warning", "info"]


@dataclass(frozen=True)
class Names:
    """A list of names, joined the way each language writes lists."""

    items: tuple[str, ...]

    def render(self, lang: str) -> str:
        """`、` in Chinese, `, ` in English; a dash when empty."""
        if not self.items:
            return "—"
        return ("、" if lang == "zh" else ", ").join(self.items)


@dataclass(frozen=True)
class Decision:
    """One application of one rule to this count."""

    rule: str
    outcome: Outcome
    reason: Text
    source: Source
    subject: str | None = None
    values: Mapping[str, Any] = field(default_factory=dict)
    setting: Mapping[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        data: dict[str, Any] = {
            "rule": self.rule,
            "outcome": self.outcome,
            "reason": {"zh": self.reason.zh, "en": self.reason.en},
            "source": self.source.as_dict(),
        }
        if self.subject is not None:
            data["subject"] = self.subject
        if self.values:
            data["values"] = dict(self.values)
        if self.setting is not None:
            data["setting"] = dict(self.setting)
        return data


def _render(value: Any, lang: str) -> Any:
    if isinstance(value, Text):
        return value.zh if lang == "zh" else value.en
    if isinstance(value, Names):
        return value.render(lang)
    return value


def _plain(value: Any) -> Any:
    if isinstance(value, Names):
        return list(value.items)
    return value


def setting_ref(profile: str, key: str, setting: Setting) -> dict[str, Any]:
    """How a decision names the profile setting it relied on."""
    return {"profile": profile, "key": key, "value": setting.value, "source": setting.source.as_dict()}


def decide(
    rule: Rule,
    outcome: Outcome,
    *,
    message: str | None = None,
    subject: str | None = None,
    setting: Mapping[str, Any] | None = None,
    source: Source | None = None,
    **values: Any,
) -> Decision:
    """Fill the rule's reason template for `outcome` (or `message`) with `values`, in both languages."""
    template = rule.messages[message or outcome]
    # Templates come from our own rule files; names and numbers are only ever substituted *into* them.
    zh = template.zh.format_map({k: _render(v, "zh") for k, v in values.items()})
    en = template.en.format_map({k: _render(v, "en") for k, v in values.items()})
    plain = {k: _plain(v) for k, v in values.items() if not isinstance(v, Text)}
    return Decision(
        rule=rule.id,
        outcome=outcome,
        reason=Text(zh=zh, en=en),
        source=source or rule.source,
        subject=subject,
        values=plain,
        setting=setting,
    )


def warnings_of(decisions: Sequence[Decision]) -> list[Decision]:
    """The failed checks among `decisions` (validity checks: each one voids the vote)."""
    return [d for d in decisions if d.outcome == "fail"]
