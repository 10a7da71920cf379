"""Figures cache: the numbers behind the results pages and the dashboard, kept in each process
until the data under them change.

Correctness rests on one row, `figures_version`: every transaction that writes to a table
these figures read gives it a new random token before it commits, in the same transaction
(session events below, so every write path is covered without each one remembering to). A
cached entry is used only if it was computed under the token the database holds now, so any
worker process sees a change on its next request, at the cost of one primary-key read.
Computing under token T always reads data at least as new as T, so an entry is never older
than its token. Only plain data are cached (no ORM objects, no HTML: pages carry a CSRF
token and a CSP nonce per request).
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from itertools import chain
from typing import TypeVar

from flask import current_app
from sqlalchemy import text
from sqlalchemy.orm import Session

from engage.database import listen_to_session
from engage.extensions import db
from engage.listen.tally import is_draft, response_of

T = TypeVar("T")
DEFAULT_ENTRIES = 256
_CHANGED = "engage_figures_changed"
# Tables no results figure reads: writing them leaves the cache alone.
IGNORED_TABLES = frozenset(
    {
        "figures_version",
        "audit_event",
        "user",
        "password_reset_token",
        "outbox_message",
        "contact_detail",
        "erasure",
        "flag_event",
    }
)
_READ = text("SELECT token FROM figures_version WHERE id = 1")
# The same statement on SQLite (3.24+) and PostgreSQL.
_BUMP = text(
    "INSERT INTO figures_version (id, token) VALUES (1, :token) "
    "ON CONFLICT (id) DO UPDATE SET token = excluded.token"
)


class FiguresCache:
    """A small LRU of (token, value) per key; thread-safe."""

    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, tuple[int, object]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable, token: int) -> tuple[bool, object]:
        with self._lock:
            found = self._entries.get(key)
            if found is None or found[0] != token:
                self.misses += 1
                return False, None
            self._entries.move_to_end(key)
            self.hits += 1
            return True, found[1]

    def put(self, key: Hashable, token: int, value: object) -> None:
        if self.max_entries <= 0:
            return
        with self._lock:
            self._entries[key] = (token, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)


def figures_cache() -> FiguresCache:
    """This app's cache (one per app, so tests on other databases never share entries)."""
    found = current_app.extensions.get("engage_figures_cache")
    if found is None:
        entries = int(current_app.config.get("FIGURES_CACHE_ENTRIES", DEFAULT_ENTRIES))
        found = current_app.extensions["engage_figures_cache"] = FiguresCache(entries)
    return found


def current_token() -> int | None:
    """None until the first write after the table was made: nothing is cached then."""
    return db.session.execute(_READ).scalar()


def cached(key: Hashable, compute: Callable[[], T]) -> T:
    """compute()'s value, from the cache if nothing changed since it was last computed.

    key must name the kind of figures, their scope and every filter that changes them.
    """
    session = db.session()
    if _uncommitted_changes(session):
        # This transaction's own writes are not in the token yet: count them afresh.
        return compute()
    token = current_token()
    if token is None:
        return compute()
    store = figures_cache()
    found, value = store.get(key, token)
    if found:
        return value  # type: ignore[return-value]
    value = compute()
    store.put(key, token, value)
    return value


def touch() -> None:
    """Give the figures a new token, as any write to their data does: after editing the
    database by hand, and for benchmarks of the first page load after a change."""
    db.session.execute(_BUMP, {"token": secrets.randbits(62)})
    db.session.commit()


def _uncommitted_changes(session: Session) -> bool:
    return bool(session.info.get(_CHANGED) or session.new or session.dirty or session.deleted)


# --- noticing writes ---------------------------------------------------------------------


def _table(instance) -> str | None:
    return getattr(type(instance), "__tablename__", None)


def _flush_changes_figures(session: Session) -> bool:
    # Respondents saving draft answers page by page is most of the writing while a survey
    # runs; it changes no figure, so it must not empty every cache.
    for instance in chain(session.new, session.dirty, session.deleted):
        table = _table(instance)
        if table is None or table in IGNORED_TABLES:
            continue
        if table == "response" and is_draft(instance):
            continue
        if table == "answer" and is_draft(response_of(session, instance)):
            continue
        return True
    return False


def _after_flush(session: Session, _context) -> None:
    if not session.info.get(_CHANGED) and _flush_changes_figures(session):
        session.info[_CHANGED] = True


def _on_execute(state) -> None:
    # Bulk statements (submit's UPDATE, purge, synthetic inserts) bypass the flush.
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(getattr(state.statement, "table", None), "name", None)
    if table not in IGNORED_TABLES:
        state.session.info[_CHANGED] = True


def _before_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return
    # Commit flushes after this hook: flush now so that its changes are seen.
    session.flush()
    if session.info.get(_CHANGED):
        session.execute(_BUMP, {"token": secrets.randbits(62)})


def _after_transaction_end(session: Session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(_CHANGED, None)


def install() -> None:
    """Listen to db.session's writes (once per process)."""
    listen_to_session(
        ("after_flush", _after_flush),
        ("do_orm_execute", _on_execute),
        ("before_commit", _before_commit),
        ("after_transaction_end", _after_transaction_end),
    )
