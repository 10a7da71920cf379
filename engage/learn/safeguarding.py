"""Safeguarding: the phrase screen run at submit, flags raised by staff, the flag's status
trail, telling the safeguarding leads (a link only), and keeping flagged text out of quotes.

Flags are never deleted: a guard on the session refuses it, whoever asks.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app, has_app_context, url_for
from sqlalchemy import event, or_, select
from sqlalchemy.orm import Session
from werkzeug.routing import BuildError

from engage import figures
from engage.accounts import audit
from engage.accounts.models import Role, User
from engage.ask.models import Audience, SurveyMode
from engage.extensions import db
from engage.languages import english_name
from engage.learn.models import FlagEvent, FlagStatus, SafeguardingFlag
from engage.learn.quotes import withdraw_unsafe
from engage.learn.text.screen import (
    UNREADABLE,
    Level,
    Match,
    PhraseScreen,
    PhrasesFileError,
    Screening,
    parse_rules,
)
from engage.listen.answer_languages import needs_translation
from engage.listen.models import Channel, RespondentGroup

DEFAULT_PHRASES_FILE = Path(__file__).parent / "text" / "data" / "safeguarding_phrases.txt"
SCREEN_REASON = "Phrase screen"
STAFF_CATEGORY = "Raised by staff"
log = logging.getLogger(__name__)


class FlagError(RuntimeError):
    """A safeguarding flag cannot be changed that way."""


# -- the phrase screen: the built-in list and an area's own -----------------------------------


def parse_phrases(text: str, source: str = "") -> PhraseScreen:
    """A screen from a phrases file alone (the benchmarks and tests use the built-in one)."""
    return PhraseScreen(parse_rules(text, source))


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return -1.0


def _read_local(path: Path, builtin) -> PhraseScreen:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        why = f"cannot be read ({error.__class__.__name__})"
        raise PhrasesFileError(0, why, str(path)) from error
    return PhraseScreen(parse_rules(text, str(path), builtin))


@dataclass
class _Loaded:
    builtin_key: float = -2.0
    builtin: object = None  # the built-in rules
    screens: dict[str, tuple[float, PhraseScreen]] = field(default_factory=dict)
    # A refused local file: (its modification time, why), by path.
    refused: dict[str, tuple[float, str]] = field(default_factory=dict)


_loaded = _Loaded()
_lock = threading.Lock()


def _builtin_rules():
    key = _mtime(DEFAULT_PHRASES_FILE)
    if _loaded.builtin is None or key != _loaded.builtin_key:
        _loaded.builtin = parse_rules(
            DEFAULT_PHRASES_FILE.read_text(encoding="utf-8"), DEFAULT_PHRASES_FILE.name
        )
        _loaded.builtin_key = key
        _loaded.screens.clear()
    return _loaded.builtin


def current_screen() -> PhraseScreen:
    """The built-in list plus the area's SAFEGUARDING_PHRASES_FILE, re-read when either file
    changes, so a new phrase applies without a restart. A local file that cannot be used is
    refused as a whole (logged with its line number, shown on the queue) and the last list
    that worked stays in force."""
    configured = current_app.config.get("SAFEGUARDING_PHRASES_FILE") if has_app_context() else None
    path = str(configured) if configured else ""
    with _lock:
        builtin = _builtin_rules()
        if "" not in _loaded.screens:
            # Built once per list: a screen takes about 0.2 s to build, a submit milliseconds.
            _loaded.screens[""] = (0.0, PhraseScreen(builtin))
        builtin_screen = _loaded.screens[""][1]
        if not path:
            return builtin_screen
        mtime = _mtime(Path(path))
        cached = _loaded.screens.get(path)
        if cached is not None and cached[0] == mtime:
            return cached[1]
        in_force = cached[1] if cached is not None else builtin_screen
        refused = _loaded.refused.get(path)
        if refused is not None and refused[0] == mtime:
            return in_force
        try:
            screen = _read_local(Path(path), builtin)
        except PhrasesFileError as error:
            _loaded.refused[path] = (mtime, str(error))
            log.error("safeguarding phrases file refused, the previous list stays: %s", error)
            return in_force
        _loaded.refused.pop(path, None)
        _loaded.screens[path] = (mtime, screen)
        return screen


def phrases_file_problem() -> str:
    """Why the area's phrases file was refused, or "" when it is in use (or none is set)."""
    configured = current_app.config.get("SAFEGUARDING_PHRASES_FILE") if has_app_context() else None
    if not configured:
        return ""
    current_screen()
    with _lock:
        refused = _loaded.refused.get(str(configured))
    return refused[1] if refused else ""


def check_phrases_file(path: Path) -> PhraseScreen:
    """The screen a phrases file would give on top of the built-in list; raises
    PhrasesFileError naming the line (the `engage check-phrases` command)."""
    with _lock:
        builtin = _builtin_rules()
    return _read_local(path, builtin)


def added_phrases(screen: PhraseScreen) -> list:
    """The phrases a screen has beyond the built-in list (an area's own)."""
    with _lock:
        builtin = _builtin_rules()
    return screen.phrases[len(builtin.phrases) :]


# -- flags ----------------------------------------------------------------------------------


def _new_flag(
    response, answer, reason: str, verbatim: str | None, user: User | None, found=None
) -> SafeguardingFlag:
    """A flag with the screen's level, categories and matched words (`found`), or a staff
    member's concern (urgent: they chose to tell the leads). Urgent flags e-mail the leads in
    this same transaction; a concern waits in the queue without an alarm."""
    level = found.level if found else Level.URGENT
    flag = SafeguardingFlag(
        response=response,
        response_id=response.id,
        answer_id=answer.id if answer is not None else None,
        reason=reason[:200],
        level=level,
        category=("; ".join(found.categories) if found else STAFF_CATEGORY)[:300],
        matched_words=found.words if found else None,
        verbatim=verbatim,
        raised_by_id=user.id if user is not None else None,
        status=FlagStatus.NEW,
    )
    flag.events.append(
        FlagEvent(
            status=FlagStatus.NEW,
            user_id=user.id if user is not None else None,
            note="Raised by the phrase screen" if user is None else "Raised by staff",
        )
    )
    db.session.add(flag)
    db.session.flush()
    withdraw_unsafe(response_ids=[response.id])
    figures.renew()
    audit.record(
        "safeguarding_flag_raised",
        "safeguarding_flag",
        flag.id,
        detail=("phrase screen" if user is None else "raised by staff") + f", {level.value}",
        user_id=user.id if user is not None else None,
    )
    if level is Level.URGENT:
        notify_safeguarding_leads(flag)
    return flag


def from_a_child(response) -> bool:
    """Whether an answer is read as a child's: a young people's or easy-read survey, the
    easy-read runner, or a respondent who said they are a young person."""
    survey = response.survey
    return (
        survey.audience is Audience.YOUNG_PEOPLE
        or survey.mode is SurveyMode.EASY_READ
        or response.channel is Channel.EASY_READ_ONLINE
        or response.respondent_group is RespondentGroup.YOUNG_PERSON
    )


def _as_read(answer, found: Screening) -> Screening:
    # Safety over tidiness: a child's answer the screen cannot read goes to a person.
    if not from_a_child(answer.response):
        return found
    found = found.as_child_answer()
    if found or not needs_translation(answer.language, answer.translation):
        return found
    # Another language (answer_languages), not yet translated: the phrase list cannot read it.
    why = f"written in {english_name(answer.language)}, not yet translated"
    return Screening((Match(UNREADABLE, Level.CONCERN, why, ()),), found.text)


def _already_flagged(answer_ids: list[int]) -> set[int]:
    return set(
        db.session.scalars(
            select(SafeguardingFlag.answer_id).where(
                SafeguardingFlag.answer_id.in_(answer_ids),
                SafeguardingFlag.raised_by_id.is_(None),
            )
        )
    )


def screen_response(response, screen: PhraseScreen | None = None) -> list[SafeguardingFlag]:
    """Screen every text answer of a response; add a flag per matching answer to the session,
    without committing, so the flag commits with the response. An answer already flagged by
    the screen is not flagged again (re-analysis is idempotent)."""
    screen = screen or current_screen()
    answers = [answer for answer in response.answers if (answer.text or "").strip()]
    if not answers:
        return []
    db.session.flush()
    return flag_screened_answers([(answer, screen.screen(answer.text)) for answer in answers])


def flag_screened_answers(found: Sequence[tuple[object, Screening]]) -> list[SafeguardingFlag]:
    """Flags for answers the screen has read (answer, screening), in one query for the
    batch; answers the screen flagged before are skipped. Does not commit."""
    found = [(answer, _as_read(answer, screening)) for answer, screening in found]
    found = [(answer, screening) for answer, screening in found if screening]
    if not found:
        return []
    already = _already_flagged([answer.id for answer, _ in found])
    return [
        _new_flag(
            answer.response,
            answer,
            f"{SCREEN_REASON}: " + "; ".join(screening.reasons),
            answer.text,
            None,
            screening,
        )
        for answer, screening in found
        if answer.id not in already
    ]


def raise_concern(response, user: User, reason: str, answer=None) -> SafeguardingFlag:
    """A staff member's concern about a response (or one of its answers). Does not commit."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise FlagError("Say why you are concerned")
    verbatim = answer.text if answer is not None else _response_text(response)
    return _new_flag(response, answer, reason, verbatim, user)


def _response_text(response) -> str | None:
    texts = [answer.text.strip() for answer in response.answers if (answer.text or "").strip()]
    return "\n\n".join(texts) or None


def set_flag_status(
    flag: SafeguardingFlag, status: FlagStatus, user: User, note: str = ""
) -> FlagEvent:
    """Record a decision about a flag; earlier decisions stay in its trail. Does not commit."""
    figures.renew()
    if not isinstance(status, FlagStatus):
        raise FlagError("Choose what happened")
    if status is not FlagStatus.REVIEWED and status is not FlagStatus.NEW and not note.strip():
        # A referral or a "no action" decision is what an inspector asks about: say why.
        raise FlagError("Add a note saying what was decided and why")
    flag_event = FlagEvent(flag=flag, status=status, user_id=user.id, note=note.strip())
    flag.status = status
    db.session.add(flag_event)
    db.session.flush()
    audit.record(
        "safeguarding_flag_status",
        "safeguarding_flag",
        flag.id,
        detail=status.value,
        user_id=user.id,
    )
    return flag_event


def notify_safeguarding_leads(flag: SafeguardingFlag) -> dict:
    """Compose the message to the safeguarding leads: a link, never the words flagged.

    Recorded in the audit log; returns the message for the outbox (wired by respond).
    With no safeguarding lead set up, admins are told, so no flag goes unseen.
    """
    leads = list(
        db.session.scalars(
            select(User.email).where(User.role == Role.SAFEGUARDING_LEAD, User.active.is_(True))
        )
    )
    if not leads:
        leads = list(
            db.session.scalars(
                select(User.email).where(User.role == Role.ADMIN, User.active.is_(True))
            )
        )
    link = flag_link(flag)
    area = current_app.config["AREA_NAME"] if has_app_context() else ""
    message = {
        "to": sorted(leads),
        "subject": "A response needs a safeguarding review",
        "body": (
            f"A response to an Engage survey{' in ' + area if area else ''} has been flagged "
            "for safeguarding review.\n\n"
            f"Sign in to read it: {link}\n\n"
            "This email does not include what was written.\n"
        ),
        "flag_id": flag.id,
    }
    audit.record(
        "safeguarding_leads_notified",
        "safeguarding_flag",
        flag.id,
        detail=f"{len(leads)} recipient(s)",
    )
    # Later steps (respond's outbox) deliver it, in this same transaction.
    for deliver in current_app.extensions.get("engage_safeguarding_notifiers", []):
        deliver(message)
    return message


def add_safeguarding_notifier(app, deliver) -> None:
    """Register how a later step delivers notify_safeguarding_leads' message."""
    app.extensions.setdefault("engage_safeguarding_notifiers", []).append(deliver)


FLAG_ENDPOINT = "learn.flag"


def flag_link(flag: SafeguardingFlag) -> str:
    try:
        return url_for(FLAG_ENDPOINT, flag_id=flag.id, _external=True)
    except (BuildError, RuntimeError):
        return f"/staff/safeguarding/{flag.id}"


def flagged_answer_ids(answer_ids: Iterable[int]) -> set[int]:
    """Of these answers, those whose text must stay out of public quotes: flagged answers and
    every answer of a response flagged as a whole. Any flag counts, whatever its status."""
    from engage.listen.models import Answer

    ids = list(answer_ids)
    if not ids:
        return set()
    rows = db.session.execute(
        select(Answer.id)
        .join(SafeguardingFlag, SafeguardingFlag.response_id == Answer.response_id)
        .where(
            Answer.id.in_(ids),
            or_(SafeguardingFlag.answer_id == Answer.id, SafeguardingFlag.answer_id.is_(None)),
        )
    ).scalars()
    return set(rows)


def is_flagged(answer) -> bool:
    return bool(answer.id) and answer.id in flagged_answer_ids([answer.id])


# -- flags are never deleted ---------------------------------------------------------------


def _refuse_deleting_flags(session: Session, _context, _instances) -> None:
    for instance in session.deleted:
        if isinstance(instance, SafeguardingFlag | FlagEvent):
            raise FlagError("Safeguarding flags and their history are never deleted")
    for instance in session.dirty:
        if isinstance(instance, FlagEvent) and session.is_modified(instance):
            raise FlagError("A flag's history cannot be changed; add a new status instead")


def install_deletion_guard() -> None:
    if not event.contains(Session, "before_flush", _refuse_deleting_flags):
        event.listen(Session, "before_flush", _refuse_deleting_flags)
