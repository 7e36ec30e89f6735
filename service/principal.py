"""Who is asking: an API key, a staff user, or nobody (auth off); the contract between auth and the endpoints."""

from __future__ import annotations

from dataclasses import dataclass

from flask import g

SCOPES = ("render", "batch", "admin")


@dataclass(frozen=True)
class Principal:
    """The caller of a request: ``name`` for the audit log, its scopes, and the region it is limited to."""

    name: str  # "key:<name>", "user:<username>" or "anonymous"
    scopes: frozenset[str]
    region: str | None = None  # a county (6 digits) or township (9 digits) code; None = everywhere

    def can(self, scope: str) -> bool:
        """Whether the caller holds ``scope`` (admin holds every scope)."""
        return scope in self.scopes or "admin" in self.scopes

    def sees(self, region: str | None) -> bool:
        """Whether something stored for ``region`` is visible to this caller (a township is inside its county)."""
        if self.region is None:
            return True
        return region is not None and region.startswith(self.region)


ANONYMOUS = Principal("anonymous", frozenset(SCOPES))


def current() -> Principal:
    """The principal of the current request; anonymous with every scope when auth is off."""
    return g.get("principal", ANONYMOUS)
