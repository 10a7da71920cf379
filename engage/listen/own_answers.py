"""A respondent's own answers, reached with their receipt code: see, download, erase."""

from __future__ import annotations

import time

from flask import session
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from engage.accounts import audit
from engage.extensions import db
from engage.listen import tally
from engage.listen.hooks import run_erase_hooks
from engage.listen.models import Response, ResponseStatus
from engage.listen.questions import describe
from engage.listen.runner import answers_by_key, easy_read, normalise_code

# Shared family and school devices: the answers stay open to this browser for a short time
# only, so whoever picks the device up next (a parent, a classmate) does not see them.
ACCESS_SECONDS = 15 * 60


def grant(response: Response) -> None:
    """Open the response's answers to this browser, for ACCESS_SECONDS."""
    session["own_response"] = {"id": response.id, "until": int(time.time()) + ACCESS_SECONDS}


def forget() -> None:
    session.pop("own_response", None)


def granted() -> Response | None:
    """The response this browser opened with its receipt code, while the window lasts."""
    held = session.get("own_response")
    if not isinstance(held, dict) or int(time.time()) > int(held.get("until", 0)):
        forget()
        return None
    response = db.session.get(Response, held.get("id"))
    if response is None or response.status != ResponseStatus.SUBMITTED:
        forget()
        return None
    return response


def find(receipt: str) -> Response | None:
    if not receipt.strip():
        return None
    return db.session.scalar(
        select(Response).where(
            Response.receipt_code == normalise_code(receipt),
            Response.status == ResponseStatus.SUBMITTED,
        )
    )


def rows(response: Response, plain: bool | None = None) -> list[tuple[str, str]]:
    """(question, answer) pairs in survey order, worded as the respondent saw them (or in
    the version asked for)."""
    survey = response.survey
    if plain is None:
        plain = easy_read(survey, response)
    answers = answers_by_key(response)
    result = []
    for question in survey.questions:
        if question.key in answers:
            wording = (question.easy_read_text or question.text) if plain else question.text
            result.append((wording, describe(question, answers[question.key], plain)))
    return result


def as_text(response: Response) -> str:
    """The answers as a plain text file a respondent can keep (nothing is interpreted)."""
    survey = response.survey
    lines = [survey.easy_read_title or survey.title if easy_read(survey) else survey.title, ""]
    for wording, answer in rows(response):
        lines += [wording, answer, ""]
    return "\n".join(lines)


def export(response: Response) -> dict:
    """Everything held about this response, for a subject access request."""
    answers = answers_by_key(response)
    return {
        "survey": response.survey.title,
        "receipt_code": response.receipt_code,
        "submitted_at": response.submitted_at.isoformat() if response.submitted_at else None,
        "channel": response.channel.value,
        "respondent_group": response.respondent_group.value,
        "age_band": response.age_band,
        "answered_how": response.answered_how.value,
        "answers": [
            {
                "question": question.text,
                "choice": answers[question.key].choice,
                "choices": answers[question.key].choices,
                "text": answers[question.key].text,
                "skipped": answers[question.key].skipped,
            }
            for question in response.survey.questions
            if question.key in answers
        ],
        "contact_email": response.contact.email if response.contact else None,
    }


def _delete_unless_held(response: Response) -> bool:
    """Delete the answers, then the response; True if any row is held (by a foreign key)."""
    held = False
    for answer in list(response.answers):
        try:
            with db.session.begin_nested():
                db.session.delete(answer)
        except IntegrityError:
            held = True
    db.session.expire(response)
    if not held:
        try:
            with db.session.begin_nested():
                db.session.delete(response)
        except IntegrityError:
            held = True
    return held


def erase(response: Response, *, tombstone: bool = True) -> bool:
    """Delete the response, its answers (and their theme codes) and contact details.

    Anything a later step holds on to for safeguarding is protected by a foreign key; those
    rows stay, and False is returned so the respondent can be told.
    """
    response_id = response.id
    if response.contact is not None:
        db.session.delete(response.contact)
        db.session.flush()
    with tally.recount([response_id]):
        run_erase_hooks([answer.id for answer in response.answers])
        held = _delete_unless_held(response)
    if tombstone:
        from engage.listen.retention import record_erasure

        record_erasure(response_id, complete=not held)
    audit.record("response_erased", "response", response_id, detail="held" if held else "all")
    return not held
