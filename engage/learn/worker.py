"""The analysis worker (`engage worker`): sentiment and themes of submitted answers, within
seconds of the submit and outside it.

The submit marks a response with free text as awaiting analysis (Response.analysis_pending),
in its own transaction. The worker claims marked responses a batch at a time, analyses their
answers and clears the mark, all in one transaction: a worker stopped mid-batch leaves its
batch marked (the transaction rolls back), and the next one analyses it, once. The claim is
one UPDATE that clears the mark: on PostgreSQL it picks its rows with SELECT … FOR UPDATE
SKIP LOCKED, so several workers share the queue and never take the same response; on SQLite
the transaction holds the one write lock from its start, so a second worker waits its turn.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from sqlalchemy import exists, func, select, update
from sqlalchemy.orm import selectinload

from engage import figures
from engage.database import reading_first
from engage.extensions import db
from engage.learn.analysis import ANALYSABLE, Analyser, analyse_answers, current_analyser
from engage.learn.scope import Filters, Scope, response_conditions
from engage.listen.models import Answer, Response

# Responses per batch: on SQLite, submits wait for the write lock while a batch is analysed.
BATCH_RESPONSES = 50
IDLE_SECONDS = 1.0
logger = logging.getLogger(__name__)


def _claim(batch_size: int) -> list[int]:
    waiting = (
        select(Response.id)
        .where(Response.analysis_pending)
        .order_by(Response.id)
        .limit(batch_size)
        .with_for_update(skip_locked=True)  # rendered on PostgreSQL only
    )
    claimed = (
        update(Response)
        .where(Response.id.in_(waiting.scalar_subquery()), Response.analysis_pending)
        .values(analysis_pending=False)
        .returning(Response.id)
        .execution_options(synchronize_session=False)
    )
    return list(db.session.scalars(claimed))


def analyse_batch(
    batch_size: int = BATCH_RESPONSES, analyser: Analyser | None = None
) -> tuple[int, int]:
    """Claim up to batch_size waiting responses, analyse their answers and commit; returns
    how many responses were claimed (0: none was waiting) and how many answers analysed."""
    ids = _claim(batch_size)
    if not ids:
        db.session.rollback()
        return 0, 0
    answers = db.session.scalars(
        select(Answer)
        .where(Answer.response_id.in_(ids), Answer.text.is_not(None), Answer.text != "")
        .options(selectinload(Answer.question), selectinload(Answer.response))
        .order_by(Answer.id)
    ).all()
    analysed = analyse_answers(answers, analyser or current_analyser())
    # The number awaiting analysis, on the results pages, changed even if nothing was stored.
    figures.renew()
    db.session.commit()
    return len(ids), analysed


def anything_waiting() -> bool:
    with reading_first():
        return bool(db.session.scalar(select(exists().where(Response.analysis_pending))))


def drain(batch_size: int = BATCH_RESPONSES) -> int:
    """Analyse every response waiting now; returns how many answers were analysed."""
    done = 0
    while True:
        claimed, analysed = analyse_batch(batch_size)
        if not claimed:
            return done
        done += analysed


def run(
    batch_size: int = BATCH_RESPONSES,
    idle_seconds: float = IDLE_SECONDS,
    stop: Callable[[], bool] = lambda: False,
) -> None:
    """Work until stopped: drain, then look again every idle_seconds (a read only, so an idle
    worker never takes SQLite's write lock)."""
    while not stop():
        try:
            if anything_waiting():
                drain(batch_size)
                continue
        except Exception:
            # The batch rolled back and stays waiting; the worker carries on.
            db.session.rollback()
            logger.exception("analysis batch failed")
        time.sleep(idle_seconds)


def awaiting_analysis(scope: Scope, filters: Filters) -> int:
    """Written answers of submitted responses in scope that the worker has yet to analyse."""
    return db.session.scalar(
        select(func.count(Answer.id))
        .join(Response, Response.id == Answer.response_id)
        .where(
            *response_conditions(scope, filters),
            Response.analysis_pending,
            Answer.text.is_not(None),
            Answer.text != "",
            ANALYSABLE,
        )
    )
