"""Safeguarding: the phrase screen run at submit, flags raised by staff, the flag's status
trail, telling the safeguarding leads (a link only), and keeping flagged text out of quotes.

Flags are never deleted: a guard on the session refuses it, whoever asks.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, has_app_context, url_for
from sqlalchemy import event, or_, select
from sqlalchemy.orm import Session
from werkzeug.routing import BuildError

from engage.accounts import audit
from engage.accounts.models import Role, User
from engage.extensions import db
from engage.learn.models import FlagEvent, FlagStatus, SafeguardingFlag
from engage.learn.text import lemma, lemmas, tokens

DEFAULT_PHRASES_FILE = Path(__file__).parent / "data" / "safeguarding_phrases.txt"
SCREEN_REASON = "Phrase screen"
# A word of safety is negated by one of these up to three words before it
# ("I don't really feel safe", "never safe at home").
NEGATIONS = frozenset({"not", "no", "never", "nowhere", "hardly", "rarely", "nobody", "without"})
NEGATION_WINDOW = 3


class FlagError(RuntimeError):
    """A safeguarding flag cannot be changed that way."""


# -- the phrase screen (no database) ----------------------------------------------------------


@dataclass(frozen=True)
class _Phrase:
    words: tuple[str, ...]  # lemmas; "*" is any one word
    label: str


class PhraseScreen:
    """Concern phrases flag wherever they appear, negated or not; words of safety ("feel
    safe") flag only when negated. Negation never clears a concern phrase: a DSL would
    rather read "he doesn't hit me any more" than miss it."""

    def __init__(self, concern: Iterable[str], safe: Iterable[str]) -> None:
        self.concern = self._index(concern)
        self.safe = self._index(safe)
        self.first_words = frozenset(self.concern) | frozenset(self.safe)

    @staticmethod
    def _index(phrases: Iterable[str]) -> dict[str, list[_Phrase]]:
        index: dict[str, list[_Phrase]] = {}
        for phrase in phrases:
            words = tuple(
                "*" if word == "*" else lemma(word) for word in tokens(phrase.replace("*", " * "))
            )
            if words and words[0] != "*":
                index.setdefault(words[0], []).append(_Phrase(words, " ".join(phrase.split())))
        return index

    @staticmethod
    def _matches(words: Sequence[str], start: int, phrase: _Phrase) -> bool:
        end = start + len(phrase.words)
        if end > len(words):
            return False
        if "*" not in phrase.words:
            return tuple(words[start:end]) == phrase.words
        return all(
            want == "*" or want == words[start + offset] for offset, want in enumerate(phrase.words)
        )

    def reasons(self, text: str, text_lemmas: Sequence[str] | None = None) -> list[str]:
        """Why this text should be read by a safeguarding lead; empty when nothing matched."""
        words = text_lemmas if text_lemmas is not None else lemmas(text)
        found: list[str] = []
        first_words = self.first_words
        # Only the words that start a phrase, in order: a few in most answers.
        for position in [at for at, word in enumerate(words) if word in first_words]:
            word = words[position]
            for phrase in self.concern.get(word, ()):
                if phrase.label not in found and self._matches(words, position, phrase):
                    found.append(phrase.label)
            for phrase in self.safe.get(word, ()):
                label = f"not {phrase.label}"
                if label in found or not self._matches(words, position, phrase):
                    continue
                before = words[max(0, position - NEGATION_WINDOW) : position]
                if any(negation in before for negation in NEGATIONS):
                    found.append(label)
        return found


def parse_phrases(text: str) -> PhraseScreen:
    sections: dict[str, list[str]] = {"concern": [], "safe": []}
    current = "concern"
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1].strip().lower()
            if current not in sections:
                raise ValueError(f"unknown section [{current}] in the safeguarding phrases")
            continue
        sections[current].append(line)
    return PhraseScreen(sections["concern"], sections["safe"])


_screens: dict[tuple[str, float], PhraseScreen] = {}
_lock = threading.Lock()


def current_screen() -> PhraseScreen:
    """The screen from SAFEGUARDING_PHRASES_FILE if set, else the default list; re-read when
    the file changes, so a new phrase applies without a restart."""
    configured = current_app.config.get("SAFEGUARDING_PHRASES_FILE") if has_app_context() else None
    path = Path(configured) if configured else DEFAULT_PHRASES_FILE
    key = (str(path), path.stat().st_mtime)
    with _lock:
        screen = _screens.get(key)
    if screen is None:
        screen = parse_phrases(path.read_text(encoding="utf-8"))
        with _lock:
            _screens.clear()
            _screens[key] = screen
    return screen


# -- flags ----------------------------------------------------------------------------------


def _new_flag(response, answer, reason: str, verbatim: str | None, user: User | None):
    flag = SafeguardingFlag(
        response=response,
        response_id=response.id,
        answer_id=answer.id if answer is not None else None,
        reason=reason[:200],
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
    audit.record(
        "safeguarding_flag_raised",
        "safeguarding_flag",
        flag.id,
        detail="phrase screen" if user is None else "raised by staff",
        user_id=user.id if user is not None else None,
    )
    notify_safeguarding_leads(flag)
    return flag


def screen_response(response, screen: PhraseScreen | None = None) -> list[SafeguardingFlag]:
    """Screen every text answer of a response; add a flag per matching answer to the session,
    without committing, so the flag commits with the response. An answer already flagged by
    the screen is not flagged again (re-analysis is idempotent)."""
    screen = screen or current_screen()
    answers = [answer for answer in response.answers if (answer.text or "").strip()]
    if not answers:
        return []
    db.session.flush()
    already = set(
        db.session.scalars(
            select(SafeguardingFlag.answer_id).where(
                SafeguardingFlag.answer_id.in_([answer.id for answer in answers]),
                SafeguardingFlag.raised_by_id.is_(None),
            )
        )
    )
    flags = []
    for answer in answers:
        if answer.id in already:
            continue
        found = screen.reasons(answer.text)
        if found:
            reason = f"{SCREEN_REASON}: " + "; ".join(found)
            flags.append(_new_flag(response, answer, reason, answer.text, None))
    return flags


def flag_screened_answers(found: Sequence[tuple[object, Sequence[str]]]) -> list[SafeguardingFlag]:
    """Flags for answers the screen already matched (answer, reasons), in one query for the
    batch; answers the screen flagged before are skipped. Does not commit."""
    found = [(answer, reasons) for answer, reasons in found if reasons]
    if not found:
        return []
    already = set(
        db.session.scalars(
            select(SafeguardingFlag.answer_id).where(
                SafeguardingFlag.answer_id.in_([answer.id for answer, _ in found]),
                SafeguardingFlag.raised_by_id.is_(None),
            )
        )
    )
    return [
        _new_flag(
            answer.response, answer, f"{SCREEN_REASON}: " + "; ".join(reasons), answer.text, None
        )
        for answer, reasons in found
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
    area = current_app.config.get("AREA_NAME", "") if has_app_context() else ""
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
