"""Staff accounts: usernames, hashed passwords (werkzeug's scrypt), and the roles admin and clerk."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from .db import users

ROLES = ("admin", "clerk")
MIN_PASSWORD = 8


class AccountError(ValueError):
    """A username or password that cannot be used, in both languages."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


def create(engine: Engine, username: str, password: str, role: str) -> int:
    """A new account's id; the password is stored only as a salted hash."""
    username = username.strip()
    if not username or len(username) > 80:
        raise AccountError("用户名不能为空，最多80个字符", "the username must be 1 to 80 characters")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"密码至少{MIN_PASSWORD}个字符", f"the password needs at least {MIN_PASSWORD} characters")
    if role not in ROLES:
        raise AccountError("角色只能是管理员或办事员", "the role must be admin or clerk")
    try:
        with engine.begin() as conn:
            result = conn.execute(
                users.insert().values(username=username, password_hash=generate_password_hash(password), role=role)
            )
    except IntegrityError:
        raise AccountError(f"用户名“{username}”已存在", f"the username {username!r} is taken") from None
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def authenticate(engine: Engine, username: str, password: str) -> dict[str, Any] | None:
    """The account if the password matches, else None."""
    with engine.connect() as conn:
        row = conn.execute(select(users).where(users.c.username == username.strip())).mappings().first()
    if row is None or not check_password_hash(row["password_hash"], password):
        return None
    return dict(row)


def get(engine: Engine, user_id: int) -> dict[str, Any] | None:
    """The account with this id."""
    with engine.connect() as conn:
        row = conn.execute(select(users).where(users.c.id == user_id)).mappings().first()
    return dict(row) if row else None


def all_accounts(engine: Engine) -> list[dict[str, Any]]:
    """Every account, by username."""
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(select(users).order_by(users.c.username)).mappings()]


def delete(engine: Engine, user_id: int) -> None:
    """Remove an account."""
    with engine.begin() as conn:
        conn.execute(users.delete().where(users.c.id == user_id))
