"""The public survey runner: pages, skip logic, saving answers to the draft, submitting."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import asdict, dataclass, field
from datetime import timedelta

from flask import current_app, has_request_context
from sqlalchemy import bindparam, inspect, select, update
from sqlalchemy.orm import contains_eager, joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from engage.ask.kinds import ABOUT_YOU_KINDS
from engage.ask.models import Question, QuestionKind, Survey, SurveyMode
from engage.ask.schedule import schedule
from engage.extensions import db
from engage.languages import SOURCE, current_language
from engage.listen import tally
from engage.listen.answer_languages import answer_language
from engage.listen.hooks import prepare_submit_hooks, run_submit_hooks
from engage.listen.models import (
    Answer,
    AnsweredHow,
    Channel,
    ContactDetail,
    RespondentGroup,
    Response,
    ResponseStatus,
)
from engage.schema import utcnow

# Crockford's alphabet: no I, L, O or U, so codes survive being read aloud or written down.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_GROUPS = 3
CODE_GROUP_LENGTH = 4
ONLINE_CHANNELS = (Channel.ONLINE, Channel.EASY_READ_ONLINE)


class RunnerError(Exception):
    """Something the respondent must be told about."""


class SurveyNotOpen(RunnerError):
    pass


class NothingAnswered(RunnerError):
    """Every question was skipped: there is nothing to send, and the check page says so."""


class ResumeCodeExpired(RunnerError):
    pass


class ResumeCodeNotFound(RunnerError):
    pass


@dataclass
class Submitted:
    response: Response
    first_time: bool


@dataclass
class AnswerValue:
    """What the respondent gave for one question, as the form shows it."""

    choice: str | None = None
    choices: list[str] = field(default_factory=list)
    text: str | None = None
    skipped: bool = False

    @property
    def given(self) -> bool:
        return bool(self.choice or self.choices or (self.text and self.text.strip()))

    def matches(self, value: str) -> bool:
        return self.choice == value or value in self.choices


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUPS * CODE_GROUP_LENGTH))
    return "-".join(raw[i : i + CODE_GROUP_LENGTH] for i in range(0, len(raw), CODE_GROUP_LENGTH))


def normalise_code(code: str) -> str:
    """Accept codes typed with spaces, lower case, or O for 0 and I/L for 1."""
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    cleaned = cleaned.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))
    return "-".join(
        cleaned[i : i + CODE_GROUP_LENGTH] for i in range(0, len(cleaned), CODE_GROUP_LENGTH)
    )


def hash_code(code: str) -> str:
    # Codes carry 60 random bits, so a plain SHA-256 cannot be reversed by guessing.
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def find_survey(
    slug: str, *, with_questions: bool = True, with_options: bool = False
) -> Survey | None:
    """The survey with this slug. Question pages walk all questions (pages, skip logic,
    progress), so load them at once; a question page shows only its own questions' options,
    loaded when shown, while the check page and the preview show every option (with_options).
    The start, submit and confirmation pages show no question and skip those queries."""
    # Its engagement's dates may open and close it: in the same query.
    query = select(Survey).where(Survey.slug == slug).options(joinedload(Survey.engagement))
    if with_options:
        query = query.options(selectinload(Survey.questions).selectinload(Question.options))
    elif with_questions:
        query = query.options(selectinload(Survey.questions))
    return db.session.scalar(query)


def is_open(survey: Survey) -> bool:
    """Taking new answers: published, and its dates (or its engagement's) include now."""
    return schedule(survey).takes_new_answers


def takes_drafts(survey: Survey) -> bool:
    """Open, or closed less than its grace period ago: a draft started before may be sent."""
    return schedule(survey).takes_drafts


def easy_read(survey: Survey, response: Response | None = None) -> bool:
    """Easy read for an easy-read survey, and for a response begun in its easy-read version."""
    return survey.mode == SurveyMode.EASY_READ or (
        response is not None and response.channel == Channel.EASY_READ_ONLINE
    )


def offers_easy_read(survey: Survey) -> bool:
    """A standard survey with easy-read wording can be answered in easy read too."""
    return survey.mode == SurveyMode.STANDARD and bool(survey.easy_read_title)


# --- pages and skip logic -----------------------------------------------------------------


def pages(survey: Survey, easy: bool = False) -> list[list[Question]]:
    """Questions grouped into pages: one each (always in easy read), or consecutive questions
    of one section.

    A question whose skip logic depends on a question on the same page starts a new page,
    so the condition is always known before the page is shown (no script needed).
    """
    if easy or survey.one_question_per_page or survey.mode == SurveyMode.EASY_READ:
        return [[question] for question in survey.questions]
    result: list[list[Question]] = []
    for question in survey.questions:
        current = result[-1] if result else None
        same_section = current and current[0].section == question.section
        depends_here = current and question.show_if_key in {q.key for q in current}
        if current is not None and same_section and not depends_here:
            current.append(question)
        else:
            result.append([question])
    return result


def answers_by_key(response: Response) -> dict[str, AnswerValue]:
    return {
        answer.question.key: AnswerValue(
            answer.choice, list(answer.choices or []), answer.text, answer.skipped
        )
        for answer in response.answers
    }


def anything_answered(response: Response) -> bool:
    return any(value.given for value in answers_by_key(response).values())


def shown_keys(survey: Survey, answers: dict[str, AnswerValue]) -> set[str]:
    """Keys of the questions skip logic shows: a question with a condition shows when the
    question it depends on shows and has the answer named (so a hidden question hides its own
    follow-ups too)."""
    shown: set[str] = set()
    for question in survey.questions:
        earlier = answers.get(question.show_if_key or "")
        if not question.show_if_key or (
            question.show_if_key in shown
            and earlier is not None
            and earlier.matches(question.show_if_value or "")
        ):
            shown.add(question.key)
    return shown


def visible_pages(
    survey: Survey, answers: dict[str, AnswerValue], easy: bool = False
) -> list[list[Question]]:
    shown_here = shown_keys(survey, answers)
    shown = []
    for page in pages(survey, easy):
        questions = [question for question in page if question.key in shown_here]
        if questions:
            shown.append(questions)
    return shown


def page_for(survey: Survey, key: str, easy: bool = False) -> list[Question] | None:
    """The page holding the question with this key (a page's address is its first key)."""
    for page in pages(survey, easy):
        if key in {question.key for question in page}:
            return page
    return None


def neighbours(
    survey: Survey, key: str, answers: dict[str, AnswerValue], easy: bool = False
) -> tuple[str | None, str | None]:
    """Keys of the visible pages before and after the page starting at key."""
    shown = [page[0].key for page in visible_pages(survey, answers, easy)]
    every = [page[0].key for page in pages(survey, easy)]
    position = every.index(key)
    before = [k for k in shown if every.index(k) < position]
    after = [k for k in shown if every.index(k) > position]
    return (before[-1] if before else None, after[0] if after else None)


def possible_keys(survey: Survey, answers: dict[str, AnswerValue]) -> set[str]:
    """Keys of the questions this respondent may still see: shown, or depending on a question
    not answered yet (whose answer could still show them)."""
    possible: set[str] = set()
    for question in survey.questions:
        earlier = answers.get(question.show_if_key or "")
        if not question.show_if_key or (
            question.show_if_key in possible
            and (earlier is None or earlier.matches(question.show_if_value or ""))
        ):
            possible.add(question.key)
    return possible


def progress(survey: Survey, key: str, answers: dict[str, AnswerValue]) -> tuple[int, int]:
    """'Question n of m': n is this page's first question among those shown so far, m counts
    every question the respondent may still see. Each answer can only rule questions out, so
    going forward n grows and m never does: the count never jumps backwards."""
    possible = possible_keys(survey, answers)
    keys = [question.key for question in survey.questions if question.key in possible]
    number = keys.index(key) + 1 if key in keys else 1
    return number, len(keys)


def next_revealed(
    survey: Survey, key: str, answers: dict[str, AnswerValue], easy: bool = False
) -> str | None:
    """After changing the answer on the page at key: the first later page with a question
    the change showed and the respondent has not answered, or None when there is none."""
    every = [page[0].key for page in pages(survey, easy)]
    position = every.index(key)
    for page in visible_pages(survey, answers, easy):
        later = page[0].key in every and every.index(page[0].key) > position
        if later and any(question.key not in answers for question in page):
            return page[0].key
    return None


def first_unanswered(
    survey: Survey, answers: dict[str, AnswerValue], easy: bool = False
) -> str | None:
    for page in visible_pages(survey, answers, easy):
        if any(q.key not in answers for q in page):
            return page[0].key
    return None


# --- drafts --------------------------------------------------------------------------------


def start_draft(
    survey: Survey, channel: Channel | None = None, entered_by_id=None, easy: bool = False
) -> Response:
    if channel is None:
        channel = Channel.EASY_READ_ONLINE if easy or easy_read(survey) else Channel.ONLINE
    response = Response(
        survey=survey,
        channel=channel,
        submission_token=secrets.token_urlsafe(24),
        entered_by_id=entered_by_id,
    )
    db.session.add(response)
    db.session.flush()
    return response


def choose_version(response: Response, easy: bool) -> None:
    """A draft of a standard survey carries on in the version chosen now."""
    if response.survey.mode == SurveyMode.STANDARD and response.channel in ONLINE_CHANNELS:
        response.channel = Channel.EASY_READ_ONLINE if easy else Channel.ONLINE


def draft_for(survey: Survey, response_id: int | None) -> Response | None:
    if response_id is None:
        return None
    response = db.session.get(Response, response_id)
    if response is None or response.survey_id != survey.id:
        return None
    return response


def save_page(response: Response, values: dict[str, AnswerValue]) -> None:
    """Store the answers of one page on the draft (every page move saves)."""
    existing = {answer.question_id: answer for answer in response.answers}
    questions = {q.key: q for q in response.survey.questions}
    chosen = _chosen_language()
    for key, value in values.items():
        question = questions[key]
        answer = existing.get(question.id)
        if answer is None:
            answer = Answer(question=question)
            response.answers.append(answer)
        _fill(answer, value, chosen)
        _describe_response(response, question, value)
    # Also the draft's version: a submit prepared before this save reads the draft again.
    response.updated_at = utcnow()
    _set_aside_hidden(response)


def _chosen_language() -> str:
    """The language the respondent is answering in: the page's (English outside a request)."""
    return current_language() if has_request_context() else SOURCE


def _fill(answer: Answer, value: AnswerValue, chosen: str = SOURCE) -> None:
    answer.choice = value.choice
    answer.choices = value.choices or None
    text = value.text if value.text and value.text.strip() else None
    if text != answer.text or answer.language is None:
        answer.language = answer_language(text, chosen)
    answer.text = text
    answer.skipped = value.skipped or not value.given


def _describe_response(response: Response, question: Question, value: AnswerValue) -> None:
    if question.kind not in ABOUT_YOU_KINDS:
        return
    if question.kind == QuestionKind.RESPONDENT_GROUP:
        response.respondent_group = RespondentGroup(value.choice or "not_said")
    elif question.kind == QuestionKind.ANSWERED_HOW:
        response.answered_how = AnsweredHow(value.choice or "not_said")
    elif question.kind == QuestionKind.AGE_BAND:
        response.age_band = value.choice if value.choice and value.choice != "not_said" else None


def _from_data(data: dict) -> AnswerValue:
    return AnswerValue(
        data.get("choice"),
        list(data.get("choices") or []),
        data.get("text"),
        bool(data.get("skipped")),
    )


def _set_aside_hidden(response: Response) -> None:
    """Answers to questions a change now hides move aside (they must not count in results),
    and answers set aside earlier come back when their questions show again."""
    current = answers_by_key(response)
    aside = {key: _from_data(data) for key, data in (response.set_aside_answers or {}).items()}
    shown = shown_keys(response.survey, {**aside, **current})
    kept: dict[str, dict] = {}
    for answer in list(response.answers):
        if answer.question.key not in shown:
            kept[answer.question.key] = asdict(current[answer.question.key])
            response.answers.remove(answer)
    questions = {question.key: question for question in response.survey.questions}
    for key, value in aside.items():
        if key in current or key not in questions:
            continue
        if key in shown:
            answer = Answer(question=questions[key])
            _fill(answer, value, _chosen_language())
            response.answers.append(answer)
        else:
            kept[key] = asdict(value)
    response.set_aside_answers = kept or None


def set_aside(response: Response) -> list[tuple[Question, AnswerValue]]:
    """The answers a change set aside, in survey order."""
    aside = response.set_aside_answers or {}
    return [
        (question, _from_data(aside[question.key]))
        for question in response.survey.questions
        if question.key in aside
    ]


# --- save and come back later --------------------------------------------------------------


def issue_resume_code(response: Response) -> str:
    code = new_code()
    response.resume_token_hash = hash_code(code)
    days = current_app.config["DRAFT_RESUME_DAYS"]
    response.resume_expires_at = utcnow() + timedelta(days=days)
    return code


def email_resume_code(survey: Survey, email: str, code: str) -> None:
    """Email the code itself (never a link with it): the address is not stored."""
    from flask import url_for

    from engage.mail import send_email

    send_email(
        email,
        f"Your code to carry on: {survey.easy_read_title or survey.title}",
        "You saved your answers.\n\n"
        f"Your code to carry on is: {code}\n\n"
        f"Go to {url_for('listen.resume', _external=True)} and enter the code.\n"
        "It works once. If you did not ask for this email, you can ignore it.\n",
    )


def resume(code: str) -> Response:
    """The draft a resume code belongs to; the code is used up."""
    response = db.session.scalar(
        select(Response).where(Response.resume_token_hash == hash_code(code))
    )
    if response is None or response.status != ResponseStatus.DRAFT:
        raise ResumeCodeNotFound(code)
    if response.resume_expires_at is None or response.resume_expires_at < utcnow():
        raise ResumeCodeExpired(code)
    response.resume_token_hash = None
    response.resume_expires_at = None
    return response


# --- submit --------------------------------------------------------------------------------


def _with_answers():
    # The submit hooks read every answer, and the analysis each question's words: one query
    # for them all, not a lazy load inside each hook.
    return joinedload(Response.answers).joinedload(Answer.question)


def _draft_to_submit(survey_id: int, submission_token: str) -> Response | None:
    return (
        db.session.scalars(
            select(Response)
            .where(Response.survey_id == survey_id, Response.submission_token == submission_token)
            .options(_with_answers())
        )
        .unique()
        .first()
    )


def draft_to_submit(slug: str, submission_token: str) -> Response | None:
    """The response with this token in the survey with this slug, its survey and answers
    loaded in the same queries (the submit's first read)."""
    return (
        db.session.scalars(
            select(Response)
            .join(Response.survey)
            .where(Survey.slug == slug, Response.submission_token == submission_token)
            .options(contains_eager(Response.survey).joinedload(Survey.engagement), _with_answers())
        )
        .unique()
        .first()
    )


@dataclass
class PreparedSubmit:
    """A draft read, and its hooks' slow work done, before the submit's write transaction.
    The draft is kept out of the session (expunged) with its answers as read, so the write
    need not read it again; `version` is its updated_at then."""

    response: Response
    version: object
    hooks: dict


def prepare_submit(
    survey: Survey, submission_token: str, response: Response | None = None
) -> PreparedSubmit | None:
    """The submit hooks' slow work on the draft with this token (or this draft, already read),
    for submit(); None when there is no draft to submit. Call it before the write transaction
    (database.reading_first), so that work does not hold SQLite's write lock."""
    if response is None:
        response = _draft_to_submit(survey.id, submission_token)
    if response is None or response.status != ResponseStatus.DRAFT:
        return None
    hooks = prepare_submit_hooks(response)
    # Expunged with its answers (cascade), so the read transaction's end does not expire them.
    db.session.expunge(response)
    return PreparedSubmit(response, response.updated_at, hooks)


# Built once: the submit is the hottest write, and building the statement cost more than
# running it.
_MARK_SUBMITTED = (
    update(Response)
    .where(Response.id == bindparam("draft_id"), Response.status == ResponseStatus.DRAFT)
    .values(
        status=ResponseStatus.SUBMITTED,
        submitted_at=bindparam("now"),
        updated_at=bindparam("now"),
        receipt_code=bindparam("receipt_code"),
        language=bindparam("language"),
        resume_token_hash=None,
        resume_expires_at=None,
        # Answers a change set aside are not sent: the check page lists them beforehand.
        set_aside_answers=None,
        analysis_pending=bindparam("analysis_pending"),
    )
    .execution_options(synchronize_session=False)
)
_MARK_UNCHANGED_SUBMITTED = _MARK_SUBMITTED.where(Response.updated_at == bindparam("version"))


def _mark_submitted(response: Response, version=None) -> bool:
    """The conditional UPDATE that makes a draft a submitted response, once (and, given a
    version, only if updated_at is still that); on success the object holds the values
    written, without reading the row back."""
    now, receipt_code = utcnow(), new_code()
    language = _chosen_language()
    params = {
        "draft_id": response.id,
        "now": now,
        "receipt_code": receipt_code,
        "language": language,
        # Sentiment and themes are left to the analysis worker (engage.learn.worker).
        "analysis_pending": any((answer.text or "").strip() for answer in response.answers),
    }
    statement = _MARK_SUBMITTED
    if version is not None:
        statement, params["version"] = _MARK_UNCHANGED_SUBMITTED, version
    if not db.session.execute(statement, params).rowcount:
        return False
    for name, value in (
        ("status", ResponseStatus.SUBMITTED),
        ("submitted_at", now),
        ("updated_at", now),
        ("receipt_code", receipt_code),
        ("language", language),
        ("resume_token_hash", None),
        ("resume_expires_at", None),
        ("set_aside_answers", None),
        ("analysis_pending", params["analysis_pending"]),
    ):
        set_committed_value(response, name, value)
    return True


def _first_submit(response: Response, hooks: dict | None) -> Submitted:
    run_submit_hooks(response, hooks)
    tally.add_submitted(response)
    return Submitted(response, first_time=True)


def submit(
    survey: Survey, submission_token: str, prepared: PreparedSubmit | None = None
) -> Submitted:
    """Submit the draft with this token, once; a repeat finds the same response.

    The conditional UPDATE is the guard: of two concurrent submits only one changes a
    draft into a submitted response, and the other is shown the same confirmation. The
    submit hooks run only for the one that changed it, with what prepare_submit worked out.

    With a prepared draft the UPDATE also requires updated_at unchanged since it was read
    (every save of a page sets it, save_page), so its answers are the ones prepared and are
    not read again; if it changed, the draft is read afresh and the hooks check their work
    against the answers as submitted.
    """
    hooks = prepared.hooks if prepared is not None else None
    # A session that already holds this draft (two prepared in one session) reads it again.
    if prepared is not None and not anything_answered(prepared.response):
        raise NothingAnswered("every question skipped")
    if prepared is not None and inspect(prepared.response).key not in db.session.identity_map:
        response = prepared.response
        db.session.add(response)
        if _mark_submitted(response, prepared.version):
            return _first_submit(response, hooks)
        db.session.expunge(response)
    # After reading_first the survey is expired; its key needs no query.
    response = _draft_to_submit(inspect(survey).identity[0], submission_token)
    if response is None:
        raise RunnerError("unknown submission")
    if response.status == ResponseStatus.SUBMITTED:
        return Submitted(response, first_time=False)
    if not anything_answered(response):
        raise NothingAnswered("every question skipped")
    if not _mark_submitted(response):
        # Another request submitted this draft first: show its receipt.
        db.session.refresh(response)
        return Submitted(response, first_time=False)
    return _first_submit(response, hooks)


def find_by_receipt(survey: Survey, receipt: str | None) -> Response | None:
    if not receipt:
        return None
    return db.session.scalar(
        select(Response).where(
            Response.survey_id == survey.id,
            Response.receipt_code == normalise_code(receipt),
            Response.status == ResponseStatus.SUBMITTED,
        )
    )


def add_contact(response: Response, email: str) -> ContactDetail:
    contact = response.contact or ContactDetail(response=response, email=email)
    contact.email = email
    contact.wants_updates = True
    db.session.add(contact)
    return contact
