"""The figures token: one row whose token every write to data behind the results pages and the
dashboard renews, in its own transaction, by calling renew() (engage.learn.cache keeps the
figures computed under a token)."""

from __future__ import annotations

import secrets

from sqlalchemy import BigInteger, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from engage.extensions import db


class FiguresVersion(db.Model):
    """The one row (id 1) whose token changes whenever data behind the results pages or the
    dashboard change: every worker process checks it before using its cache."""

    __tablename__ = "figures_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Random rather than counted up: a restored backup never brings back a token that a
    # process has already cached other figures under.
    token: Mapped[int] = mapped_column(BigInteger)


def upsert(dialect_name: str, table):
    """INSERT … ON CONFLICT for this engine (SQLite or PostgreSQL)."""
    return (postgresql if dialect_name == "postgresql" else sqlite).insert(table)


def renew() -> None:
    """Figures change with this transaction: give them a new token, committed with it. Called
    by every write to what the figures read (engage.listen.tally's calls renew it for counts)."""
    connection = db.session.connection()
    statement = upsert(connection.dialect.name, FiguresVersion.__table__)
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=["id"], set_={"token": statement.excluded.token}
        ),
        {"id": 1, "token": secrets.randbits(62)},
    )


def current_token() -> int | None:
    """None until the first write after the table was made: nothing is cached then."""
    return db.session.scalar(select(FiguresVersion.token).where(FiguresVersion.id == 1))
