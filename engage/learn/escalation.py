"""Escalating safeguarding flags nobody has acted on within the agreed time (SECURITY.md §3).

`engage escalate-flags` runs from cron (every 15 minutes, say). An urgent flag still "new"
after SAFEGUARDING_SLA_HOURS is escalated once (a concern waits in the queue, no alarm):
every safeguarding lead (lead and deputies) and every admin is sent a link, never the words,
with the out-of-hours routes. The escalation is an audit event on the flag, so it is
append-only like the rest of the record.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from engage.accounts import audit
from engage.accounts.models import AuditEvent, Role, User
from engage.extensions import db
from engage.learn.models import FlagStatus, SafeguardingFlag
from engage.learn.safeguarding import flag_link
from engage.learn.text.screen import Level
from engage.schema import utcnow

ESCALATED = "safeguarding_escalated"


def sla() -> timedelta:
    return timedelta(hours=current_app.config["SAFEGUARDING_SLA_HOURS"])


def overdue_flags(now: datetime | None = None) -> list[SafeguardingFlag]:
    """Flags still new after the agreed time (escalated or not)."""
    cutoff = (now or utcnow()) - sla()
    return list(
        db.session.scalars(
            select(SafeguardingFlag)
            .where(SafeguardingFlag.status == FlagStatus.NEW, SafeguardingFlag.created_at < cutoff)
            .order_by(SafeguardingFlag.created_at)
        )
    )


def _already_escalated() -> set[int]:
    ids = db.session.scalars(
        select(AuditEvent.object_id).where(
            AuditEvent.action == ESCALATED, AuditEvent.object_type == "safeguarding_flag"
        )
    )
    return {int(value) for value in ids if value and value.isdigit()}


def _recipients() -> list[str]:
    roles = (Role.SAFEGUARDING_LEAD, Role.ADMIN)
    query = select(User.email).where(User.role.in_(roles), User.active.is_(True))
    return sorted(set(db.session.scalars(query)))


def escalate_overdue(now: datetime | None = None) -> list[int]:
    """Escalate each overdue flag once; returns the flag ids escalated. The caller commits."""
    done = _already_escalated()
    escalated = []
    for flag in overdue_flags(now):
        if flag.id in done or flag.level is not Level.URGENT:
            continue
        message = escalation_message(flag)
        audit.record(ESCALATED, "safeguarding_flag", flag.id, detail=f"{len(message['to'])}")
        for deliver in current_app.extensions.get("engage_safeguarding_notifiers", []):
            deliver(message)
        escalated.append(flag.id)
    return escalated


def escalation_message(flag: SafeguardingFlag) -> dict:
    config = current_app.config
    hours = config["SAFEGUARDING_SLA_HOURS"]
    return {
        "to": _recipients(),
        "subject": "Still waiting: a response needs a safeguarding review",
        "body": (
            f"A response flagged for safeguarding review has had no decision for more than "
            f"{hours} hours.\n\n"
            f"Sign in to read it and record a decision: {flag_link(flag)}\n\n"
            "If a child may be at risk now, do not wait: call 999, or the children's social "
            f"care front door (MASH) on {config.get('MASH_PHONE', 'the number in your policy')}"
            " (out of hours: the emergency duty team).\n\n"
            "This email does not include what was written.\n"
        ),
        "flag_id": flag.id,
    }
