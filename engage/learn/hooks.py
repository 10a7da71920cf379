"""What later steps add to the results pages. Learn knows nothing of improve: improve registers
a finder of the latest actions about a set of engagements, and an engagement's results summary
lists what the finders give."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from flask import Flask, current_app


@dataclass(frozen=True)
class ResultsAction:
    title: str
    status: str
    due_on: date | None
    overdue: bool
    address: str


# Given engagement ids and how many to give; returns the most recently changed first.
LatestActions = Callable[[Sequence[int], int], list[ResultsAction]]


def add_latest_actions(app: Flask, finder: LatestActions) -> None:
    app.extensions.setdefault("engage_results_actions", []).append(finder)


def latest_actions(engagement_ids: Sequence[int], limit: int = 3) -> list[ResultsAction]:
    return [
        action
        for finder in current_app.extensions.get("engage_results_actions", [])
        for action in finder(engagement_ids, limit)
    ][:limit]
