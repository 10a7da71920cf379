"""Hooks later steps register to act on a response inside the submit transaction.

Listen knows nothing of learn: learn appends its analyser here in its init_app, and the
submit runs every hook before the one commit, so a safeguarding flag commits with the response.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app

SubmitHook = Callable[[object], None]


def add_submit_hook(app: Flask, hook: SubmitHook) -> None:
    app.extensions.setdefault("engage_submit_hooks", []).append(hook)


def run_submit_hooks(response) -> None:
    for hook in current_app.extensions.get("engage_submit_hooks", []):
        hook(response)
