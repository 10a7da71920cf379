"""Figures cache: the numbers behind the results pages and the dashboard, kept in each process
until the data under them change.

Correctness rests on one row, `figures_version` (engage.figures): every transaction that
writes to data these figures read renews its token, in the same transaction, by an explicit
call (engage.figures.renew; the running counts' calls make it for every answer written).
A cached entry is used only if it was computed under the token the database holds now, so
any worker process sees a change on its next request, at the cost of one primary-key read.
Only plain data are cached (no ORM objects, no HTML: pages carry a CSRF token and a CSP
nonce per request).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import current_app

from engage.extensions import db
from engage.figures import current_token, renew

T = TypeVar("T")
DEFAULT_ENTRIES = 256


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


def cached(key: Hashable, compute: Callable[[], T]) -> T:
    """compute()'s value, from the cache if nothing changed since it was last computed.

    key must name the kind of figures, their scope and every filter that changes them.
    """
    session = db.session()
    if session.new or session.dirty or session.deleted:
        # Changes not yet flushed have not renewed the token: count them afresh.
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
    """Give the figures a new token and commit: after editing the database by hand, and for
    benchmarks of the first page load after a change."""
    renew()
    db.session.commit()
