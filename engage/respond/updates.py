"""'You said, we did' updates: drafting from a theme or an engagement, editing, publishing,
and finding the published ones for the public pages."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from flask import current_app
from markupsafe import escape
from sqlalchemy import distinct, exists, func, select
from sqlalchemy.orm import selectinload

from engage import figures
from engage.accounts.audit import record
from engage.ask.models import Survey
from engage.extensions import db
from engage.improve.models import STATUS_LABELS, Action, ActionStatus, action_theme
from engage.inform.models import Engagement, EngagementStatus, Service, engagement_service
from engage.learn.models import Coding, Theme
from engage.listen.models import Answer, Response, ResponseStatus
from engage.respond import outbox, richtext
from engage.respond.models import Update, UpdateStatus
from engage.schema import utcnow

# ICO Children's code standard 9: published counts under 5 could identify someone.
SMALL_COUNT = 5


class UpdateError(Exception):
    """An update cannot be saved or published as it is; `field` names the form field."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def people_phrase(count: int) -> str:
    """'fewer than 5 people' below the threshold, so small groups cannot be picked out."""
    if count < SMALL_COUNT:
        return "fewer than 5 people"
    return f"{count} people"


def _coded_responses(engagement_id: int):
    return (
        select(Coding.theme_id, func.count(distinct(Response.id)).label("responses"))
        .join(Answer, Answer.id == Coding.answer_id)
        .join(Response, Response.id == Answer.response_id)
        .join(Survey, Survey.id == Response.survey_id)
        .where(Survey.engagement_id == engagement_id, Response.status == ResponseStatus.SUBMITTED)
        .group_by(Coding.theme_id)
    )


def responses_by_theme(engagement_id: int) -> dict[int, int]:
    """How many submitted responses to the engagement have an answer coded to each theme."""
    return dict(db.session.execute(_coded_responses(engagement_id)).all())


def quote_choices(update: Update) -> list[tuple[int, str]]:
    """Quotes staff have approved and de-identified for publishing (learn's quotes browser)
    that may be added to this update: (approval id, approved wording)."""
    from engage.learn.quotes import approved_choices

    return approved_choices(update.engagement_id, update.theme_id)


def _wording():
    """The macros that write a draft's wording (templates/respond/_draft_wording.html)."""
    return current_app.jinja_env.get_template("respond/_draft_wording.html").module


def quote_html(quote: str) -> str:
    return str(_wording().quote(quote))


def add_quote(update: Update, approval_id: int, *, easy_read: bool = False) -> str:
    """Add one approved quote, in its approved wording, to what people said: only ever at a
    staff member's request, never by drafting. Returns the wording added."""
    figures.renew()
    chosen = dict(quote_choices(update)).get(approval_id)
    if chosen is None:
        raise UpdateError("quote", "Choose a quote approved for this update")
    field = "easy_read_you_said" if easy_read else "you_said"
    setattr(update, field, richtext.clean(getattr(update, field) + quote_html(chosen)))
    mark_edited(update)
    db.session.flush()
    return chosen


# The innermost paragraph or list item: a quote is taken out with the block that holds it.
BLOCK = re.compile(r"<(p|li)\b[^>]*>((?:(?!<(?:p|li|ul|ol)\b).)*?)</\1>", re.DOTALL)
EMPTY_LIST = re.compile(r"<(ul|ol)>\s*</\1>")
QUOTE_MARKS = str.maketrans("", "", "“”\"‘’'")
# Shorter wording is only matched as the whole block, so "Too slow" does not take out
# every sentence that happens to contain those words.
SHORT_WORDING = 20
UPDATE_FIELDS = ("you_said", "easy_read_you_said", "we_did", "easy_read_we_did")


def _words(text: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).translate(QUOTE_MARKS).split())


def without_quote(text: str, wording: str) -> str | None:
    """The rich text with every block quoting `wording` taken out; None if none does."""
    target = _words(escape(wording)).casefold()
    if not target:
        return None
    found = False

    def drop(block: re.Match) -> str:
        nonlocal found
        words = _words(block.group(2)).casefold()
        if words == target or (len(target) >= SHORT_WORDING and target in words):
            found = True
            return ""
        return block.group(0)

    kept = EMPTY_LIST.sub("", BLOCK.sub(drop, text))
    return richtext.clean(kept) if found else None


def take_out_quote(answer_id: int, wording: str) -> list[str]:
    """Take a withdrawn quote's wording out of every update, draft or published (the public
    pages, feed and JSON are built from these fields); each change is in the audit log."""
    figures.renew()
    changed = []
    for update in db.session.scalars(select(Update).order_by(Update.id)):
        touched = False
        for field in UPDATE_FIELDS:
            kept = without_quote(getattr(update, field) or "", wording)
            if kept is not None:
                setattr(update, field, kept)
                touched = True
        if touched:
            mark_edited(update)
            record(
                "update_quote_removed",
                "update",
                update.id,
                detail=f"answer {answer_id}, {update.status.value}",
            )
            changed.append(update.title)
    return changed


def unique_slug(title: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:70] or "update"
    slug, number = base, 1
    while db.session.scalar(select(Update.id).where(Update.slug == slug)) is not None:
        number += 1
        slug = f"{base}-{number}"
    return slug


def _theme_actions(theme: Theme) -> list[Action]:
    return list(
        db.session.scalars(
            select(Action)
            .join(action_theme, action_theme.c.action_id == Action.id)
            .where(action_theme.c.theme_id == theme.id)
            .order_by(Action.id)
        )
    )


def draft(engagement: Engagement, theme: Theme | None = None) -> Update:
    """A draft pre-filled with counts and the linked actions' status. No quote goes in by
    itself: staff add approved quotes one by one (add_quote)."""
    figures.renew()
    counts = responses_by_theme(engagement.id)
    wording = _wording()
    if theme is not None:
        name = theme.plain_name or theme.name
        found = _theme_actions(theme)
        said = people_phrase(counts.get(theme.id, 0))
        you_said = wording.theme_said(
            said[0].upper() + said[1:], engagement.title, theme.name.lower(), theme.description
        )
        easy_you_said = wording.theme_said_easy(name.lower())
        title = f"{name}: {engagement.title}"
        easy_title = f"{name}: {engagement.easy_read_title or engagement.title}"
    else:
        found = list(
            db.session.scalars(
                select(Action).where(Action.engagement_id == engagement.id).order_by(Action.id)
            )
        )
        themes = {
            theme.id: theme
            for theme in db.session.scalars(select(Theme).where(Theme.id.in_(counts)))
        }
        ranked = sorted(counts.items(), key=lambda item: (-item[1], themes[item[0]].name))
        you_said = wording.engagement_said(
            engagement.title,
            [(themes[theme_id].name, people_phrase(count)) for theme_id, count in ranked],
        )
        easy_you_said = wording.engagement_said_easy(
            [themes[theme_id].plain_name or themes[theme_id].name for theme_id, _count in ranked]
        )
        title = engagement.title
        easy_title = engagement.easy_read_title or ""
    doing = [
        (action.title, STATUS_LABELS[action.status], action.not_possible_reason) for action in found
    ]
    update = Update(
        slug=unique_slug(title),
        engagement=engagement,
        theme=theme,
        title=title[:200],
        easy_read_title=easy_title[:200],
        you_said=str(you_said),
        we_did=str(wording.actions(doing, "We are deciding what to do. We will update this page.")),
        easy_read_you_said=str(easy_you_said),
        easy_read_we_did=str(wording.actions(doing, "We are still deciding what to do.")),
        actions=found,
        status=UpdateStatus.DRAFT,
    )
    db.session.add(update)
    db.session.flush()
    return update


@dataclass
class UpdateFields:
    title: str
    you_said: str
    we_did: str
    easy_read_you_said: str
    easy_read_we_did: str
    action_ids: tuple[int, ...] = ()
    easy_read_title: str = ""


def save(update: Update, fields: UpdateFields) -> Update:
    """Staff edits; every rich-text part is cleaned before it is stored."""
    figures.renew()
    title = fields.title.strip()
    if not title:
        raise UpdateError("title", "Enter a title")
    if len(title) > 200:
        raise UpdateError("title", "Title must be 200 characters or fewer")
    if update.status == UpdateStatus.DRAFT and title != update.title:
        # The address follows the title until publishing; after that links must keep working.
        update.slug = unique_slug(title)
    easy_title = fields.easy_read_title.strip()
    if len(easy_title) > 200:
        raise UpdateError("easy_read_title", "Easy read title must be 200 characters or fewer")
    update.title = title
    update.easy_read_title = easy_title
    update.you_said = richtext.from_form(fields.you_said)
    update.we_did = richtext.from_form(fields.we_did)
    update.easy_read_you_said = richtext.from_form(fields.easy_read_you_said)
    update.easy_read_we_did = richtext.from_form(fields.easy_read_we_did)
    update.actions = (
        list(db.session.scalars(select(Action).where(Action.id.in_(fields.action_ids))))
        if fields.action_ids
        else []
    )
    mark_edited(update)
    db.session.flush()
    return update


def mark_edited(update: Update) -> None:
    figures.renew()
    if update.status == UpdateStatus.PUBLISHED:
        update.edited_at = utcnow()


# Each action's status on an easy-read page: plain words and the symbol shown beside them.
EASY_READ_STATUS = {
    ActionStatus.PLANNED: ("We plan to do this", "1F4C5"),
    ActionStatus.IN_PROGRESS: ("We are doing this now", "1F6A7"),
    ActionStatus.DONE: ("We have done this", "2705"),
    ActionStatus.NOT_POSSIBLE: ("We could not do this", "274C"),
}

PARTS = (
    ("you_said", "Write what people said before publishing"),
    ("we_did", "Write what we did or will do before publishing"),
    ("easy_read_you_said", "Write the easy read version of what people said before publishing"),
    ("easy_read_we_did", "Write the easy read version of what we did before publishing"),
)


def publish(update: Update, page_url: str) -> int:
    """Publish and queue the emails in the caller's transaction: both commit, or neither.

    Returns how many emails were queued."""
    figures.renew()
    if update.status == UpdateStatus.PUBLISHED:
        raise UpdateError("title", "This update is already published")
    for field, message in PARTS:
        if not richtext.plain(getattr(update, field)):
            raise UpdateError(field, message)
    update.status = UpdateStatus.PUBLISHED
    update.published_at = utcnow()
    if update.engagement.status == EngagementStatus.CLOSED:
        update.engagement.status = EngagementStatus.RESPONDED
    queued = outbox.queue_for_update(update, page_url)
    db.session.flush()
    return queued


def staff_updates() -> list[Update]:
    return list(
        db.session.scalars(
            select(Update)
            .options(selectinload(Update.engagement), selectinload(Update.theme))
            .order_by(Update.status, Update.created_at.desc())
        )
    )


def published_updates(
    service_slug: str | None = None, engagement_slug: str | None = None
) -> list[Update]:
    query = (
        select(Update)
        .join(Engagement, Engagement.id == Update.engagement_id)
        .where(Update.status == UpdateStatus.PUBLISHED)
        .options(selectinload(Update.engagement), selectinload(Update.actions))
    )
    if engagement_slug:
        query = query.where(Engagement.slug == engagement_slug)
    if service_slug:
        query = query.where(
            exists()
            .where(engagement_service.c.engagement_id == Engagement.id)
            .where(engagement_service.c.service_id == Service.id)
            .where(Service.slug == service_slug)
        )
    return list(db.session.scalars(query.order_by(Update.published_at.desc(), Update.id.desc())))


def published_for_survey(survey: Survey) -> list[Update]:
    """The published updates about a survey's engagement, newest first."""
    if survey.engagement_id is None:
        return []
    return list(
        db.session.scalars(
            select(Update)
            .where(
                Update.engagement_id == survey.engagement_id,
                Update.status == UpdateStatus.PUBLISHED,
            )
            .order_by(Update.published_at.desc(), Update.id.desc())
        )
    )


def published_update(slug: str) -> Update | None:
    return db.session.scalar(
        select(Update).where(Update.slug == slug, Update.status == UpdateStatus.PUBLISHED)
    )


def public_filters() -> dict[str, list]:
    """Only services and engagements that have something published are worth offering."""
    published = select(Update.engagement_id).where(Update.status == UpdateStatus.PUBLISHED)
    return {
        "engagements": list(
            db.session.scalars(
                select(Engagement).where(Engagement.id.in_(published)).order_by(Engagement.title)
            )
        ),
        "services": list(
            db.session.scalars(
                select(Service)
                .join(engagement_service, engagement_service.c.service_id == Service.id)
                .where(engagement_service.c.engagement_id.in_(published))
                .distinct()
                .order_by(Service.name)
            )
        ),
    }


def themes_without_action_or_update() -> list[tuple[Theme, int]]:
    """Themes people raised (coded answers on submitted responses) that nobody has acted on
    or published an update about, with how many responses raised them."""
    acted = select(action_theme.c.theme_id)
    answered = select(Update.theme_id).where(
        Update.status == UpdateStatus.PUBLISHED, Update.theme_id.is_not(None)
    )
    rows = db.session.execute(
        select(Theme, func.count(distinct(Response.id)))
        .join(Coding, Coding.theme_id == Theme.id)
        .join(Answer, Answer.id == Coding.answer_id)
        .join(Response, Response.id == Answer.response_id)
        .where(
            Response.status == ResponseStatus.SUBMITTED,
            Theme.id.not_in(acted),
            Theme.id.not_in(answered),
        )
        .group_by(Theme.id)
        .order_by(func.count(distinct(Response.id)).desc(), Theme.name)
    )
    return [(theme, count) for theme, count in rows]
