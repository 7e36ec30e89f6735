"""API keys for systems: made once, shown once, kept only as a SHA-256 hash, revocable.

A key is ``ed_`` followed by 43 URL-safe characters: 256 random bits from the ``secrets`` module. It is stored as
its plain SHA-256 digest, looked up by that digest. A slow password hash (scrypt, bcrypt) or a salt protects
*guessable* secrets against dictionary and rainbow-table attacks after a database leak; a 256-bit random token
has no dictionary, and inverting SHA-256 on it is out of reach, so a slow hash would only add milliseconds to
every API call. A keyed hash (HMAC with a pepper) would add nothing for such tokens either, and would tie every
key to a second secret that must never change.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, select, update
from sqlalchemy.exc import IntegrityError

from .db import api_keys
from .principal import SCOPES, Principal

PREFIX = "ed_"
REGION = re.compile(r"\d{6}(\d{3})?")
NAME = re.compile(r"[\w.@-]{1,80}")


class KeyProblem(ValueError):
    """A key that cannot be made as asked, in both languages."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


def digest(token: str) -> str:
    """The stored form of a key."""
    return hashlib.sha256(token.encode()).hexdigest()


def create(
    engine: Engine, name: str, scopes: list[str] | tuple[str, ...], region: str | None = None, created_by: str = ""
) -> str:
    """Make a key and return it; this is the only time it exists outside the caller's hands."""
    name = name.strip()
    if not NAME.fullmatch(name):
        raise KeyProblem("名称应为1至80个字母、数字或 . _ - @", "the name must be 1 to 80 letters, digits or . _ - @")
    wanted = sorted(set(scopes))
    if not wanted or any(s not in SCOPES for s in wanted):
        raise KeyProblem("权限只能是 render、batch 或 admin", "the scope must be render, batch or admin")
    region = (region or "").strip() or None
    if region is not None and not REGION.fullmatch(region):
        raise KeyProblem(
            "区域应为6位县级代码或9位乡镇级代码", "the region must be a 6-digit county or 9-digit township code"
        )
    token = PREFIX + secrets.token_urlsafe(32)
    try:
        with engine.begin() as conn:
            conn.execute(
                api_keys.insert().values(
                    name=name,
                    key_hash=digest(token),
                    prefix=token[: len(PREFIX) + 6],
                    scopes=",".join(wanted),
                    region=region,
                    created_by=created_by or "cli",
                )
            )
    except IntegrityError:
        raise KeyProblem(f"名称“{name}”已被使用", f"the name {name!r} is taken (names are never reused)") from None
    return token


def principal_for(engine: Engine, token: str) -> Principal | None:
    """The principal of a key, or None for an unknown or revoked one."""
    if not token.startswith(PREFIX):
        return None
    with engine.connect() as conn:
        row = (
            conn.execute(
                select(api_keys.c.name, api_keys.c.scopes, api_keys.c.region).where(
                    api_keys.c.key_hash == digest(token), api_keys.c.revoked_at.is_(None)
                )
            )
            .mappings()
            .first()
        )
    if row is None:
        return None
    return Principal(f"key:{row['name']}", frozenset(row["scopes"].split(",")), row["region"])


def all_keys(engine: Engine) -> list[dict[str, Any]]:
    """Every key (never the key itself), newest first."""
    columns = [c for c in api_keys.c if c.name != "key_hash"]
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(select(*columns).order_by(api_keys.c.id.desc())).mappings()]


def any_active(engine: Engine) -> bool:
    """Whether at least one key can still be used."""
    with engine.connect() as conn:
        return conn.execute(select(api_keys.c.id).where(api_keys.c.revoked_at.is_(None)).limit(1)).first() is not None


def revoke(engine: Engine, name: str) -> bool:
    """Revoke a key by name; False when there is no such active key."""
    with engine.begin() as conn:
        result = conn.execute(
            update(api_keys)
            .where(api_keys.c.name == name, api_keys.c.revoked_at.is_(None))
            .values(revoked_at=datetime.now(UTC))
        )
    return result.rowcount > 0
