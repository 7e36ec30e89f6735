"""Versioned election rule sets and province profiles, read once from the YAML files beside this module."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

RULES_DIR = Path(__file__).parent
PROFILES_DIR = RULES_DIR / "profiles"
RULE_SET_NAMES = ("villagers-committee", "residents-committee", "party-branch")
RuleSetName = Literal["villagers-committee", "residents-committee", "party-branch"]


class RuleDataError(Exception):
    """A rule set or profile file is missing or does not match its schema."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Source(_Frozen):
    """Where a rule comes from: the law and, when checked, the article."""

    law: str
    article: str | None = None
    verified: bool = False
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON form, leaving out an empty note."""
        data: dict[str, Any] = {"law": self.law, "article": self.article, "verified": self.verified}
        return data | ({"note": self.note} if self.note else {})


class Text(_Frozen):
    """A short text in Chinese and English."""

    zh: str
    en: str


class Rule(_Frozen):
    """One rule: its id, its wording, its source, the numbers the engine reads and the reason templates."""

    id: str = Field(pattern=r"^[a-z]{2}\.[a-z_]+$")
    zh: str
    en: str
    source: Source
    params: dict[str, Any] = Field(default_factory=dict)
    messages: dict[str, Text] = Field(default_factory=dict)


class PostTitle(_Frozen):
    """The printed title of a post and its rank (1 is highest)."""

    zh: str
    en: str
    rank: int = Field(ge=1)


class RuleSet(_Frozen):
    """A versioned set of rules for one kind of election."""

    rule_set: RuleSetName
    version: str
    title: Text
    laws: dict[str, str]
    posts: dict[str, PostTitle]
    rules: tuple[Rule, ...]

    def rule(self, rule_id: str) -> Rule:
        """The rule with this id; a KeyError names the missing id."""
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(f"{self.rule_set} {self.version} has no rule {rule_id!r}")

    def by_suffix(self, suffix: str) -> Rule:
        """The rule whose id ends with `.suffix` (rule sets share suffixes, not prefixes)."""
        prefix = self.rules[0].id.split(".")[0]
        return self.rule(f"{prefix}.{suffix}")


class Setting(_Frozen):
    """A profile value with the source that justifies it."""

    value: Any
    source: Source


class Profile(_Frozen):
    """A province (or the national default) profile: settings per rule set, each with a source."""

    profile: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    version: str
    title: Text
    extends: str | None = None
    applies_to: tuple[RuleSetName, ...]
    settings: dict[RuleSetName, dict[str, Setting]] = Field(default_factory=dict)

    def setting(self, rule_set: str, key: str) -> Setting:
        """The setting for this rule set; a KeyError names what is missing."""
        try:
            return self.settings[rule_set][key]  # type: ignore[index]
        except KeyError as exc:
            raise KeyError(f"profile {self.profile!r} has no setting {rule_set}.{key}") from exc


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        with path.open(encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except FileNotFoundError as exc:
        raise RuleDataError(f"missing rule file {path.name}") from exc
    except yaml.YAMLError as exc:
        raise RuleDataError(f"{path.name} is not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise RuleDataError(f"{path.name} does not hold a mapping")
    return data


@cache
def load_rule_set(name: str) -> RuleSet:
    """The rule set called `name`, parsed and checked once per process."""
    if name not in RULE_SET_NAMES:
        raise RuleDataError(f"unknown rule set {name!r}")
    try:
        rule_set = RuleSet.model_validate(_read_yaml(RULES_DIR / f"{name}.yaml"))
    except ValidationError as exc:
        raise RuleDataError(f"{name}.yaml: {exc}") from exc
    ids = [rule.id for rule in rule_set.rules]
    if len(ids) != len(set(ids)):
        raise RuleDataError(f"{name}.yaml repeats a rule id")
    return rule_set


def available_profiles() -> tuple[str, ...]:
    """Names of the profile files, sorted."""
    return tuple(sorted(path.stem for path in PROFILES_DIR.glob("*.yaml")))


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    # Settings merge one level deep per rule set: a province replaces whole settings, never half of one,
    # so a value never travels without the source that justifies it.
    merged = {rule_set: dict(values) for rule_set, values in base.items()}
    for rule_set, values in override.items():
        merged.setdefault(rule_set, {}).update(values)
    return merged


@cache
def load_profile(name: str) -> Profile:
    """The profile called `name`, merged over the profile it extends, checked once per process."""
    if name not in available_profiles():
        raise RuleDataError(f"unknown profile {name!r}")
    raw = _read_yaml(PROFILES_DIR / f"{name}.yaml")
    parent = raw.get("extends")
    if parent:
        if parent == name:
            raise RuleDataError(f"profile {name!r} extends itself")
        inherited = load_profile(parent).model_dump()["settings"]
        raw = raw | {"settings": _merge(inherited, raw.get("settings") or {})}
    try:
        return Profile.model_validate(raw)
    except ValidationError as exc:
        raise RuleDataError(f"profiles/{name}.yaml: {exc}") from exc
