"""Synthetic submitted responses in bulk, for demonstrations and benchmarks at area scale.

Answers follow each survey's questions, options and skip logic, so results, exports and
analysis see data shaped like the real thing. Rows go in through SQLAlchemy Core
executemany in chunks: the ORM's unit of work would take minutes for 100,000 responses.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import insert, select

from engage import figures
from engage.ask.models import QuestionKind, Survey, SurveyMode, SurveyStatus
from engage.extensions import db
from engage.listen import tally
from engage.listen.models import (
    Answer,
    AnsweredHow,
    Channel,
    RespondentGroup,
    Response,
    ResponseStatus,
)
from engage.listen.runner import CODE_ALPHABET, CODE_GROUP_LENGTH, CODE_GROUPS
from engage.schema import utcnow

CHUNK = 5000
SKIP_RATE = 0.06

# Free text is assembled from parts so that 100,000 answers are not 100,000 copies of a few
# sentences: theme-finding and sentiment then have varied words to work on.
OPENINGS = (
    "",
    "Honestly, ",
    "To be fair, ",
    "As a parent, ",
    "For us, ",
    "In my experience, ",
    "I think ",
    "Mostly ",
)
PRAISE = (
    "the speech and language therapist has been brilliant and really listens",
    "school have been supportive and the SENCO keeps us informed",
    "the short breaks have made a real difference to our family",
    "the Local Offer website helped me find the right service quickly",
    "the occupational therapy sessions have helped with handwriting",
    "my child is happier since the new support plan started",
    "staff at the resource base understand my son's needs",
    "the parent carer forum gave us good advice",
)
PROBLEMS = (
    "we waited over a year for an assessment",
    "nobody replies to emails and we have to chase every time",
    "the EHC plan review was late and the targets were copied from last year",
    "the Local Offer website is hard to search and the links are out of date",
    "therapy stopped when she moved to secondary school",
    "the CAMHS waiting list is far too long",
    "transport to school keeps changing without warning",
    "there are not enough teaching assistants so support is patchy",
    "the forms are too long and full of jargon",
    "we were told different things by health and the council",
)
WISHES = (
    "more therapy time in school",
    "one named person to contact",
    "shorter waiting times for assessments",
    "clearer information about what support we can ask for",
    "training for teachers on autism and ADHD",
    "more after school clubs that include disabled children",
    "being told what is happening with the plan",
    "help earlier, before things get to crisis point",
    "easy read letters",
    "more short breaks in the holidays",
)
YOUNG_PERSON = (
    "I like the games we play",
    "I want more time with my therapist",
    "the pictures help me say what I mean",
    "sometimes I miss my favourite lesson to go",
    "I do not like being taken out of class",
    "my teacher helps me a lot",
    "it is boring sometimes",
    "I can talk to my friends better now",
)
# A small share mentions harm, as real comments sometimes do, so the safeguarding screen
# meets the cases it exists for.
CONCERNS = (
    "my son says he does not feel safe at school because of bullying",
    "she has been self harming and we cannot get help",
    "he is scared of one of the adults on the bus",
)
CONCERN_RATE = 0.004

ONLINE_CHANNELS = {
    SurveyMode.EASY_READ: (
        (Channel.EASY_READ_ONLINE, 0.8),
        (Channel.PAPER, 0.12),
        (Channel.FOCUS_GROUP, 0.08),
    ),
    SurveyMode.STANDARD: ((Channel.ONLINE, 0.85), (Channel.PAPER, 0.08), (Channel.PHONE, 0.07)),
}


# (generator, survey slug, a young person's survey?, the answer's length limit) -> text
TextWriter = Callable[[random.Random, str, bool, int], str]


@dataclass
class Generated:
    responses: int
    answers: int

    @property
    def lines(self) -> list[str]:
        return [f"Added {self.responses} synthetic responses with {self.answers} answers."]


def free_text(rng: random.Random, young: bool, limit: int) -> str:
    if young:
        parts = rng.sample(YOUNG_PERSON, rng.randint(1, 2))
        text = " and ".join(parts) + "."
        text = text[0].upper() + text[1:]
    else:
        opening = rng.choice(OPENINGS)
        roll = rng.random()
        if roll < 0.3:
            body = f"{rng.choice(PRAISE)}."
        elif roll < 0.75:
            body = f"{rng.choice(PROBLEMS)}. We need {rng.choice(WISHES)}."
        else:
            body = (
                f"{rng.choice(PRAISE)}, but {rng.choice(PROBLEMS)}. "
                f"What would help most is {rng.choice(WISHES)}."
            )
        text = (opening + body)[0].upper() + (opening + body)[1:]
    if rng.random() < CONCERN_RATE:
        text += f" Also {rng.choice(CONCERNS)}."
    return text[:limit]


def _default_writer(rng: random.Random, _survey_slug: str, young: bool, limit: int) -> str:
    return free_text(rng, young, limit)


def receipt_code() -> str:
    """A code like the runner's; from secrets, not the seeded generator, so that two runs with
    one seed still give unique codes."""
    bits = secrets.randbits(5 * CODE_GROUPS * CODE_GROUP_LENGTH)
    length = CODE_GROUPS * CODE_GROUP_LENGTH
    raw = "".join(CODE_ALPHABET[(bits >> (5 * i)) & 31] for i in range(length))
    return "-".join(raw[i : i + CODE_GROUP_LENGTH] for i in range(0, len(raw), CODE_GROUP_LENGTH))


@dataclass(frozen=True, slots=True)
class _Question:
    """A question's fields as plain values: read a million times in a large run, where each
    ORM attribute read costs a Python call."""

    id: int
    key: str
    kind: QuestionKind
    required: bool
    show_if_key: str | None
    show_if_value: str | None
    max_length: int | None
    values: list[str]
    # Earlier options (happier, more agreeing) a little more often, as in real surveys.
    weights: list[int]


@dataclass
class _Plan:
    """One survey's questions, read once, in the shape the generator needs."""

    survey_id: int
    slug: str
    young: bool
    questions: list[_Question]
    channels: tuple[tuple[Channel, float], ...]


def _plan(survey: Survey) -> _Plan:
    questions = []
    for q in survey.questions:
        values = [o.value for o in q.options]
        questions.append(
            _Question(
                q.id,
                q.key,
                q.kind,
                q.required,
                q.show_if_key,
                q.show_if_value,
                q.max_length,
                values,
                [len(values) - i + 1 for i in range(len(values))],
            )
        )
    return _Plan(
        survey.id,
        survey.slug,
        survey.mode == SurveyMode.EASY_READ,
        questions,
        ONLINE_CHANNELS[survey.mode],
    )


def _answers_for(
    plan: _Plan, rng: random.Random, writer: TextWriter = _default_writer
) -> tuple[list[dict], dict]:
    """Answers keyed by question, honouring skip logic, and what they say about the response."""
    given: dict[str, set[str]] = {}
    rows: list[dict] = []
    about: dict = {}
    young = plan.young
    for question in plan.questions:
        values = question.values
        if question.show_if_key and question.show_if_value not in given.get(
            question.show_if_key, set()
        ):
            continue
        row = {
            "question_id": question.id,
            "choice": None,
            "choices": None,
            "text": None,
            "skipped": False,
        }
        if not question.required and rng.random() < SKIP_RATE:
            row["skipped"] = True
            given[question.key] = set()
        elif question.kind == QuestionKind.FREE_TEXT:
            row["text"] = writer(rng, plan.slug, young, question.max_length)
        elif question.kind == QuestionKind.MULTIPLE_CHOICE:
            picked = rng.sample(values, rng.randint(1, min(3, len(values))))
            row["choices"] = picked
            given[question.key] = set(picked)
        else:
            choice = rng.choices(values, weights=question.weights)[0]
            row["choice"] = choice
            given[question.key] = {choice}
            if question.kind == QuestionKind.RESPONDENT_GROUP:
                about["respondent_group"] = RespondentGroup(choice)
            elif question.kind == QuestionKind.ANSWERED_HOW:
                about["answered_how"] = AnsweredHow(choice)
            elif question.kind == QuestionKind.AGE_BAND and choice != "not_said":
                about["age_band"] = choice
        rows.append(row)
    if young and "respondent_group" not in about:
        about["respondent_group"] = RespondentGroup.YOUNG_PERSON
    return rows, about


def _count_into(
    counts: tally.Counts, response_rows: list[dict], answer_rows: list[list[dict]]
) -> None:
    tally.count_responses(
        counts,
        (
            (
                (
                    response["survey_id"],
                    response["submitted_at"],
                    # Plain values: an Enum's hash is a Python call, made millions of times.
                    response["respondent_group"].value,
                    response["channel"].value,
                    response["answered_how"].value,
                ),
                [
                    (a["question_id"], a["choice"], a["choices"], a["text"], a["skipped"])
                    for a in answers
                ],
            )
            for response, answers in zip(response_rows, answer_rows, strict=True)
        ),
    )


def _chunks(total: int, size: int) -> Iterable[int]:
    while total > 0:
        yield min(size, total)
        total -= size


def generate(
    count: int,
    *,
    slugs: Sequence[str] | None = None,
    seed: int | None = None,
    days: int = 365,
    status: ResponseStatus = ResponseStatus.SUBMITTED,
    now: datetime | None = None,
    chunk: int = CHUNK,
    writer: TextWriter = _default_writer,
) -> Generated:
    """Add `count` responses spread over the published surveys (or those named) and `days`.

    Each chunk is committed, so a large run holds little memory. Drafts (status DRAFT) have
    complete answers but no receipt: benchmarks submit them over HTTP. `writer` words the
    free-text answers (the living demo gives each survey its own topic).
    """
    query = select(Survey).order_by(Survey.id)
    if slugs:
        query = query.where(Survey.slug.in_(list(slugs)))
    else:
        query = query.where(Survey.status == SurveyStatus.PUBLISHED)
    plans = [_plan(survey) for survey in db.session.scalars(query)]
    if not plans:
        raise ValueError("no surveys to add responses to: load the demo data first")
    # Not for secrets: only the shape of made-up answers (receipts and tokens use secrets).
    rng = random.Random(seed if seed is not None else secrets.randbits(64))  # noqa: S311
    now = now or utcnow()
    submitted = status == ResponseStatus.SUBMITTED
    response_table = Response.__table__
    answer_table = Answer.__table__
    total_answers = 0
    # Until the last chunk commits, the running counts lag the rows; a run stopped half-way
    # leaves them behind until `engage tally rebuild` (demonstration data only).
    counts = tally.Counts()
    last_chunk = (count - 1) // chunk
    for chunk_number, size in enumerate(_chunks(count, chunk)):
        response_rows: list[dict] = []
        answer_rows: list[list[dict]] = []
        for _ in range(size):
            plan = plans[rng.randrange(len(plans))]
            answers, about = _answers_for(plan, rng, writer)
            channels, weights = zip(*plan.channels, strict=True)
            finished = now - timedelta(seconds=rng.uniform(0, days * 86400))
            started = finished - timedelta(seconds=rng.uniform(90, 1800))
            response_rows.append(
                {
                    "survey_id": plan.survey_id,
                    "status": status,
                    "channel": rng.choices(channels, weights=weights)[0],
                    "respondent_group": about.get("respondent_group", RespondentGroup.NOT_SAID),
                    "age_band": about.get("age_band"),
                    "answered_how": about.get("answered_how", AnsweredHow.NOT_SAID),
                    "submission_token": secrets.token_urlsafe(24),
                    "receipt_code": receipt_code() if submitted else None,
                    "resume_token_hash": None,
                    "resume_expires_at": None,
                    "entered_by_id": None,
                    "started_at": started,
                    "updated_at": finished,
                    "submitted_at": finished if submitted else None,
                }
            )
            answer_rows.append(answers)
        # RETURNING in parameter order ties each new id to its answers on SQLite and PostgreSQL.
        ids = (
            db.session.execute(
                insert(response_table).returning(response_table.c.id, sort_by_parameter_order=True),
                response_rows,
            )
            .scalars()
            .all()
        )
        flat = [
            {**row, "response_id": response_id}
            for response_id, rows in zip(ids, answer_rows, strict=True)
            for row in rows
        ]
        # Rows without choices leave the column out, so it holds SQL NULL, not JSON 'null'.
        with_choices = [row for row in flat if row["choices"] is not None]
        without = [
            {k: v for k, v in row.items() if k != "choices"}
            for row in flat
            if row["choices"] is None
        ]
        for rows in (with_choices, without):
            if rows:
                db.session.execute(insert(answer_table), rows)
        if submitted:
            # Counted from the rows, once for the whole run (the same keys recur in every
            # chunk), with the last chunk.
            _count_into(counts, response_rows, answer_rows)
            if chunk_number == last_chunk:
                tally.apply(counts)
            figures.renew()
        db.session.commit()
        total_answers += len(flat)
    return Generated(count, total_answers)
