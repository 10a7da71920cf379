"""Telling people who opted in: emails queued in the publishing transaction, sent after
commit by `engage send-updates`, retried on failure, given up after 10 attempts (as GOV.UK
Forms' `retry_on ... attempts: 10`)."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from urllib.parse import urlencode

from flask_babel import force_locale, gettext
from sqlalchemy import and_, case, func, select, update

from engage import content_translations as content
from engage.ask.models import Survey
from engage.extensions import db
from engage.inform import translations as inform_translations
from engage.languages import ENGLISH_LOCALE, SOURCE, language_name
from engage.listen.models import ContactDetail, Response, ResponseStatus
from engage.mail import deliver
from engage.respond import translations
from engage.respond.models import OutboxMessage, Update
from engage.schema import utcnow

MAX_ATTEMPTS = 10


def recipients(engagement_id: int) -> list[str]:
    """One address per person: opted in, on a submitted response to this engagement."""
    address = func.lower(func.trim(ContactDetail.email))
    return list(
        db.session.scalars(
            select(address)
            .join(Response, Response.id == ContactDetail.response_id)
            .join(Survey, Survey.id == Response.survey_id)
            .where(
                Survey.engagement_id == engagement_id,
                Response.status == ResponseStatus.SUBMITTED,
                ContactDetail.wants_updates.is_(True),
            )
            .group_by(address)
            .order_by(address)
        )
    )


def recipient_languages(engagement_id: int) -> dict[str, str]:
    """Each address that hears back, with the language of its latest submitted response to
    this engagement (the one to write to them in)."""
    address = func.lower(func.trim(ContactDetail.email))
    rows = db.session.execute(
        select(address, Response.language)
        .join(Response, Response.id == ContactDetail.response_id)
        .join(Survey, Survey.id == Response.survey_id)
        .where(
            Survey.engagement_id == engagement_id,
            Response.status == ResponseStatus.SUBMITTED,
            ContactDetail.wants_updates.is_(True),
        )
        .order_by(address, Response.submitted_at, Response.id)
    ).all()
    return {email: language or SOURCE for email, language in rows}


def _in_language(url: str, language: str) -> str:
    if language == SOURCE:
        return url
    return url + ("&" if "?" in url else "?") + urlencode({"lang": language})


def message_for(update: Update, page_url: str, language: str = SOURCE) -> tuple[str, str]:
    """Subject and body: the update's title and link, never anything a respondent wrote.

    In `language` when the update is offered in it (all its texts translated and marked
    complete), the link opening the page in it; else in English, with a first line in that
    language saying so."""
    title, engagement_title, written_in = update.title, update.engagement.title, SOURCE
    if language != SOURCE:
        shown = content.reading(
            translations.KIND, update.id, lambda: translations.update_texts(update), language
        )
        if shown.texts:
            written_in = language
            title = shown.texts.get("title", title)
            engagement = content.reading(
                inform_translations.KIND,
                update.engagement_id,
                lambda: inform_translations.engagement_texts(update.engagement),
                language,
            )
            engagement_title = (engagement.texts or {}).get("title", engagement_title)
    with force_locale(ENGLISH_LOCALE if written_in == SOURCE else written_in):
        subject = gettext("You said, we did: %(title)s", title=title)[:200]
        body = (
            gettext("Hello,")
            + "\n\n"
            + gettext(
                "You asked us to tell you what happened after you answered our survey about "
                "“%(engagement)s”.",
                engagement=engagement_title,
            )
            + "\n\n"
            + gettext("We have published an update: %(title)s", title=title)
            + "\n\n"
            + gettext("Read what people said and what we are doing about it:")
            + "\n"
            + _in_language(page_url, written_in)
            + "\n\n"
            + gettext("There is an easy read version on the same page.")
            + "\n\n"
            + gettext(
                "You are getting this email because you asked to hear back. We will not use "
                "your email address for anything else."
            )
            + "\n"
        )
    if written_in != language:
        with force_locale(language):
            note = gettext(
                "This update is not available in %(language)s yet, so this email is in English.",
                language=language_name(language),
            )
        body = note + "\n\n" + body
    return subject, body


def queue_for_update(update: Update, page_url: str) -> int:
    addresses = recipient_languages(update.engagement_id)
    messages: dict[str, tuple[str, str]] = {}
    for address, language in addresses.items():
        if language not in messages:
            messages[language] = message_for(update, page_url, language)
        subject, body = messages[language]
        db.session.add(OutboxMessage(to=address, subject=subject, body=body))
    return len(addresses)


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0
    given_up: int = 0


@dataclass
class OutboxSummary:
    waiting: int
    failing: int
    given_up: int
    sent: int


def summary() -> OutboxSummary:
    """For staff: how the emails to people who asked to hear back are getting on."""
    unsent = OutboxMessage.sent_at.is_(None)
    waiting, failing, given_up, sent = db.session.execute(
        select(
            func.count(case((and_(unsent, OutboxMessage.attempts == 0), 1))),
            func.count(
                case((and_(unsent, OutboxMessage.attempts.between(1, MAX_ATTEMPTS - 1)), 1))
            ),
            func.count(case((and_(unsent, OutboxMessage.attempts >= MAX_ATTEMPTS), 1))),
            func.count(OutboxMessage.sent_at),
        )
    ).one()
    return OutboxSummary(waiting, failing, given_up, sent)


def pending() -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts < MAX_ATTEMPTS)
            .order_by(OutboxMessage.id)
        )
    )


def _email(message: OutboxMessage, config: dict) -> EmailMessage:
    email = EmailMessage()
    email["From"] = config["MAIL_FROM"]
    email["To"] = message.to
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid(domain=config["MAIL_FROM"].rpartition("@")[2] or None)
    email.set_content(message.body)
    return email


def _describe(error: Exception) -> str:
    # The class and SMTP code say what went wrong without copying addresses into the log.
    code = getattr(error, "smtp_code", None)
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = sorted({str(value[0]) for value in error.recipients.values()})
        return f"SMTPRecipientsRefused {','.join(codes)}"[:200]
    return f"{type(error).__name__}{f' {code}' if code else ''}"[:200]


def _claim(message: OutboxMessage) -> bool:
    """Count the attempt before sending, atomically, so two senders never take one message."""
    claimed = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message.id,
            OutboxMessage.sent_at.is_(None),
            OutboxMessage.attempts == message.attempts,
        )
        .values(attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return claimed == 1


def send_pending(config: dict) -> SendReport:
    """Try every unsent message once. The attempt is committed before sending and the
    result after, so a crash part-way repeats at most the one message in flight."""
    report = SendReport()
    for message in pending():
        if not _claim(message):
            continue
        db.session.refresh(message)
        try:
            deliver(_email(message, config), config)
        except (smtplib.SMTPException, OSError) as error:
            message.last_error = _describe(error)
            report.failed += 1
            if message.attempts >= MAX_ATTEMPTS:
                report.given_up += 1
        else:
            message.sent_at = utcnow()
            message.last_error = None
            report.sent += 1
        db.session.commit()
    return report


def queue_safeguarding_notice(message: dict) -> None:
    """Queue learn's safeguarding notice (a link only) in the flag's own transaction."""
    for address in message["to"]:
        db.session.add(OutboxMessage(to=address, subject=message["subject"], body=message["body"]))
