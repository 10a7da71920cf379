"""Staff changes to engagements, and the unique slugs that engagements and surveys share."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from engage import figures, form_tokens
from engage.extensions import db
from engage.inform.models import CommissioningStage, Engagement, EngagementStatus, Service
from engage.schema import utcnow

SLUG_LENGTH = 80


class EngagementError(ValueError):
    """A change to an engagement that cannot be made; names the form field to blame."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message, self.field = message, field


def slugify(text: str, *, separator: str = "-", limit: int = SLUG_LENGTH) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    slug = ""
    for word in words:
        candidate = f"{slug}{separator}{word}" if slug else word
        if len(candidate) > limit:
            break
        slug = candidate
    # A first word longer than the limit is cut rather than lost.
    return (slug or words[0][:limit]) if words else ""


def unique_slug(model, text: str, *, fallback: str, reserved: frozenset[str] = frozenset()) -> str:
    """A slug from the text, with -2, -3… added when taken (URLs stay stable once made)."""
    base = slugify(text, limit=SLUG_LENGTH - 4) or fallback
    taken = set(db.session.scalars(select(model.slug).where(model.slug.startswith(base))))
    taken |= reserved
    slug, number = base, 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    return slug


@dataclass
class EngagementFields:
    title: str
    stage: CommissioningStage
    status: EngagementStatus
    easy_read_title: str = ""
    summary: str = ""
    easy_read_summary: str = ""
    why: str = ""
    easy_read_why: str = ""
    next_steps: str = ""
    easy_read_next_steps: str = ""
    opens_on: date | None = None
    closes_on: date | None = None
    service_ids: tuple[int, ...] = field(default_factory=tuple)
    organisation_id: int | None = None


TEXT_FIELDS = (
    "title",
    "easy_read_title",
    "summary",
    "easy_read_summary",
    "why",
    "easy_read_why",
    "next_steps",
    "easy_read_next_steps",
)


def all_services() -> list[Service]:
    return list(db.session.scalars(select(Service).order_by(Service.name)))


def in_use():
    """Engagements not archived: the ones lists and menus offer."""
    return Engagement.archived_at.is_(None)


def all_engagements(*conditions, archived: bool = False) -> list[Engagement]:
    """Engagements in use (or, with archived=True, the archived ones), newest first."""
    return list(
        db.session.scalars(
            select(Engagement)
            .where(~in_use() if archived else in_use(), *conditions)
            .order_by(Engagement.created_at.desc(), Engagement.id)
        )
    )


def archived_count(*conditions) -> int:
    return len(all_engagements(*conditions, archived=True))


def create_engagement(fields: EngagementFields, token: str | None) -> tuple[Engagement, bool]:
    """(engagement, True) when made now; (the one this form already made, False) when the
    same form is submitted again."""
    figures.renew()
    return form_tokens.create_once(Engagement, token, lambda: save_engagement(None, fields))


def archive_engagement(engagement: Engagement) -> None:
    figures.renew()
    if engagement.archived_at is not None:
        raise EngagementError("This engagement is already archived")
    if engagement.status == EngagementStatus.OPEN:
        raise EngagementError(
            "Close the engagement before you archive it: people can still take part"
        )
    engagement.archived_at = utcnow()


def restore_engagement(engagement: Engagement) -> None:
    figures.renew()
    if engagement.archived_at is None:
        raise EngagementError("This engagement is not archived")
    engagement.archived_at = None


def save_engagement(engagement: Engagement | None, fields: EngagementFields) -> Engagement:
    """Create (slug from the title) or change an engagement; the caller commits."""
    figures.renew()
    if fields.opens_on and fields.closes_on and fields.closes_on < fields.opens_on:
        raise EngagementError("The closing date must be on or after the opening date", "closes_on")
    if fields.status == EngagementStatus.OPEN and not (
        fields.summary.strip() or fields.easy_read_summary.strip()
    ):
        raise EngagementError("Write a summary before opening the engagement", "summary")
    if engagement is not None and engagement.archived_at and fields.status == EngagementStatus.OPEN:
        raise EngagementError("Take the engagement out of the archive before you open it", "status")
    services = []
    if fields.service_ids:
        chosen = select(Service).where(Service.id.in_(fields.service_ids))
        services = list(db.session.scalars(chosen))
        if len(services) != len(set(fields.service_ids)):
            raise EngagementError("Select services from the list", "services")
    if engagement is None:
        engagement = Engagement(slug=unique_slug(Engagement, fields.title, fallback="engagement"))
        db.session.add(engagement)
    for name in TEXT_FIELDS:
        setattr(engagement, name, getattr(fields, name).strip())
    engagement.stage = fields.stage
    engagement.status = fields.status
    engagement.opens_on = fields.opens_on
    engagement.closes_on = fields.closes_on
    engagement.services = sorted(services, key=lambda service: service.name)
    engagement.organisation_id = fields.organisation_id
    db.session.flush()
    return engagement
