"""One-time form tokens for create forms: the form carries a token, the row it creates keeps
it (a unique column), and a repeated submit of the same form finds that row instead of making
a second one (a double click, a resent POST after a slow network)."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from engage.extensions import db

T = TypeVar("T")
TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def new_token() -> str:
    return secrets.token_urlsafe(24)


def _usable(token: str | None) -> str | None:
    return token if token and TOKEN.match(token) else None


def created_with(model, token: str | None):
    """The row an earlier submit of this form created, if any."""
    token = _usable(token)
    if token is None:
        return None
    return db.session.scalar(select(model).where(model.creation_token == token))


def create_once(model, token: str | None, build: Callable[[], T]) -> tuple[T, bool]:
    """(the new row, True); or (the row an earlier submit of the same form made, False).

    A form without a usable token creates as before. The caller commits."""
    token = _usable(token)
    earlier = created_with(model, token)
    if earlier is not None:
        return earlier, False
    try:
        with db.session.begin_nested():
            row = build()
            row.creation_token = token
            db.session.flush()
    except IntegrityError:
        # Both submits arrived together and the other one's row was stored first.
        earlier = created_with(model, token)
        if earlier is None:
            raise
        return earlier, False
    return row, True
