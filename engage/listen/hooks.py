"""Hooks later steps register: to act on a response inside the submit transaction, and to
say where a closed survey's respondents can read what was done with their answers.

Listen knows nothing of learn: learn appends its analyser here in its init_app, and the
submit runs every hook before the one commit, so a safeguarding flag commits with the response.
A hook may come with a prepare step that does its slow work on the draft before the submit's
write transaction begins (on SQLite, before it takes the one write lock).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from flask import Flask, current_app

SubmitHook = Callable[..., None]
# Given the draft as read before the write; returns plain data for the hook (prepared=...).
PrepareHook = Callable[[object], object]


def add_submit_hook(app: Flask, hook: SubmitHook, prepare: PrepareHook | None = None) -> None:
    app.extensions.setdefault("engage_submit_hooks", []).append(hook)
    if prepare is not None:
        app.extensions.setdefault("engage_submit_prepares", {})[hook] = prepare


def prepare_submit_hooks(response) -> dict[SubmitHook, object]:
    """What the registered hooks' prepare steps work out from this draft, by hook."""
    prepares = current_app.extensions.get("engage_submit_prepares", {})
    return {
        hook: prepares[hook](response)
        for hook in current_app.extensions.get("engage_submit_hooks", [])
        if hook in prepares
    }


def run_submit_hooks(response, prepared: Mapping[SubmitHook, object] | None = None) -> None:
    """Run every hook; one prepared before the write is given what its prepare step returned
    (it must still check that result against the answers submitted)."""
    for hook in current_app.extensions.get("engage_submit_hooks", []):
        if prepared and hook in prepared:
            hook(response, prepared=prepared[hook])
        else:
            hook(response)


# Before a respondent's answers are erased, later steps let go of what they made of them
# (learn withdraws their approved quotes, wherever published). Given the answers' ids.
EraseHook = Callable[[list[int]], None]


def add_erase_hook(app: Flask, hook: EraseHook) -> None:
    app.extensions.setdefault("engage_erase_hooks", []).append(hook)


def run_erase_hooks(answer_ids: list[int]) -> None:
    for hook in current_app.extensions.get("engage_erase_hooks", []):
        hook(answer_ids)


# Where people can read what was done with a closed survey's answers. Listen knows nothing of
# respond: respond registers a finder that gives (title, address) pairs for a survey.
ClosedSurveyLinks = Callable[[object], list[tuple[str, str]]]


def add_closed_survey_links(app: Flask, finder: ClosedSurveyLinks) -> None:
    app.extensions.setdefault("engage_closed_survey_links", []).append(finder)


def closed_survey_links(survey) -> list[tuple[str, str]]:
    return [
        link
        for finder in current_app.extensions.get("engage_closed_survey_links", [])
        for link in finder(survey)
    ]
