"""Keeping the learning models fitted in this process, refitted in the background.

A model is fitted from the examples staff confirmed in the database, kept in this process and
refitted once REFIT_EVERY more have been confirmed since (or at once when what it is fitted
on changes shape: the codebook's themes). Outside a request (`engage analyse`, the shell, the
benchmarks) a refit happens there and then. In a request it never does: the page gets the
model already fitted, and a background thread of this process fits the new one and swaps it
in, then re-analyses the answers still waiting for review so that the review queue's order
and the suggested codes follow the newest model.

Why a thread and not a job row in the database: a fitted model lives in the memory of the
process that uses it (nothing is pickled or written to disk, so every process derives it
from the same rows and there is no stale or tampered file to load), so every app process has
to fit its own anyway; a thread is how it does so off the request. Several processes are
safe: each fits from the database alone, and the re-analysis they may both run is idempotent
(an answer already analysed by the same model version is skipped; the models of two
processes at the same confirmations have the same version).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from flask import current_app, has_request_context

log = logging.getLogger(__name__)

REFIT_EVERY = 20


@dataclass(frozen=True)
class Fitted:
    key: Hashable  # the exact examples it was fitted on
    count: int  # how many confirmed examples that was
    shape: Hashable  # what the model's outputs are (the themes), refitted at once on change
    value: Any


_all: list[Refitter] = []


class Refitter:
    """One model kind's fitted models, one per database this process serves."""

    def __init__(self, name: str) -> None:
        _all.append(self)
        self.name = name
        self._fitted: dict[str, Fitted] = {}
        self._running: dict[str, threading.Thread] = {}
        self._lock = threading.Lock()

    def get(
        self,
        scope: str,
        key: Hashable,
        count: int,
        shape: Hashable,
        fit: Callable[[], Any],
        minimum: int,
        after_fit: Callable[[], None] | None = None,
    ) -> Any:
        """The model for these confirmed examples: the one kept if it is close enough (fewer
        than REFIT_EVERY confirmations behind, same shape), else a new one, fitted here or,
        in a request, in the background while the kept one (or none) serves."""
        with self._lock:
            fitted = self._fitted.get(scope)
        if fitted is not None and (
            fitted.key == key
            or (
                fitted.value is not None
                and fitted.shape == shape
                and abs(count - fitted.count) < refit_every()
            )
        ):
            return fitted.value
        # Too few examples for a model: nothing worth a thread, and quick to find out here.
        if count < minimum or not has_request_context():
            value = fit()
            self._keep(scope, Fitted(key, count, shape, value))
            return value
        self._start(scope, Fitted(key, count, shape, None), fit, after_fit)
        return fitted.value if fitted is not None else None

    def _keep(self, scope: str, fitted: Fitted) -> None:
        with self._lock:
            self._fitted[scope] = fitted

    def _start(self, scope, pending: Fitted, fit, after_fit) -> None:
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        with self._lock:
            running = self._running.get(scope)
            if running is not None and running.is_alive():
                return

            def work() -> None:
                try:
                    with app.app_context():
                        value = fit()
                        self._keep(scope, Fitted(pending.key, pending.count, pending.shape, value))
                        if after_fit is not None and value is not None:
                            after_fit()
                except Exception:  # a failed refit leaves the kept model serving
                    log.exception("refitting the %s model failed", self.name)

            thread = threading.Thread(target=work, name=f"refit-{self.name}", daemon=True)
            self._running[scope] = thread
        thread.start()

    def wait(self, timeout: float | None = None) -> None:
        """Wait for this process's background refits (the CLI before exiting, and tests)."""
        with self._lock:
            threads = list(self._running.values())
        for thread in threads:
            thread.join(timeout)

    def forget(self) -> None:
        with self._lock:
            self._fitted.clear()


def forget_all() -> None:
    """A new app starts from the database alone (tests make many apps on one database)."""
    for refitter in _all:
        refitter.forget()


def wait_all(timeout: float | None = None) -> None:
    for refitter in _all:
        refitter.wait(timeout)


def refit_every() -> int:
    return int(current_app.config.get("LEARNING_REFIT_EVERY", REFIT_EVERY))


def scope() -> str:
    """The database this process is serving (tests serve several in one process)."""
    from engage.extensions import db

    return db.engine.url.render_as_string(hide_password=True)
