"""Cross-field checks: every broken rule is collected with its own path, in both languages.

A model validator that raises one error reports it at the model's root; the clerk needs to see which field
is wrong. ``Problems`` gathers errors with their own locations and raises them as one ValidationError, which
service.validation turns into problem+json with a JSON pointer per error. Used by the kinds and the domain.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError

Loc = tuple[str | int, ...]


class Problems:
    """The errors found by a model's cross-field checks."""

    def __init__(self) -> None:
        self.details: list[InitErrorDetails] = []

    def add(self, loc: Loc, code: str, en: str, zh: str, value: Any = None, **ctx: Any) -> None:
        """Record one error at ``loc``; English is the message, Chinese (and any extra) travels in the context."""
        error = PydanticCustomError(code, en, {"zh": zh, **ctx})
        self.details.append(InitErrorDetails(type=error, loc=loc, input=value))

    def raise_if_any(self, title: str) -> None:
        """Raise one ValidationError holding every recorded error, if there is any."""
        if self.details:
            raise ValidationError.from_exception_data(title, self.details)
