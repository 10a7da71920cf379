"""/readyz: is this app server ready for traffic, i.e. can it reach the database?"""

from __future__ import annotations

import logging

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from engage.accounts.access import public
from engage.errors import RETRY_AFTER
from engage.extensions import db

log = logging.getLogger("engage.readiness")


@public
def readyz():
    # Load balancers poll this; /healthz (inform) only says the process is up.
    try:
        db.session.execute(text("SELECT 1"))
        db.session.rollback()
    except SQLAlchemyError as error:
        db.session.rollback()
        log.warning("database not ready: %s", type(error).__name__)
        return {"status": "unavailable", "database": "unreachable"}, 503, RETRY_AFTER
    return {"status": "ok", "database": "ok"}
