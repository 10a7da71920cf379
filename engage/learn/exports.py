"""CSV and XLSX exports of submitted responses and their codings, streamed in constant memory.

Rows come from the database in batches (yield_per) and leave as they are written, so an export
of a large survey never holds every answer at once. Every text cell is neutralised against
spreadsheet formula injection by engage.spreadsheet: staff open children's words in Excel.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import groupby

from openpyxl import Workbook
from sqlalchemy import select

from engage.ask.kinds import ABOUT_YOU_KINDS, AGE_BAND, STANDARD_OPTIONS
from engage.ask.models import Question, QuestionKind, Survey
from engage.extensions import db
from engage.languages import english_name
from engage.learn.models import (
    Coding,
    CodingSource,
    SafeguardingFlag,
    Sentiment,
    SentimentLabel,
    Theme,
)
from engage.learn.results import Filters, effective_sentiment, response_conditions, survey_scope
from engage.learn.scope import SENTIMENT_LABELS
from engage.listen.models import CHANNEL_LABELS, GROUP_LABELS, HOW_LABELS, Answer, Response
from engage.spreadsheet import column_width, csv_lines, sheet_title, write_sheet

BATCH = 500
ROWS_PER_CHUNK = 200
XLSX_CHUNK = 64 * 1024
WITHHELD = "[withheld: flagged for safeguarding; see the safeguarding queue]"
AGE_LABELS = {option.value: option.text for option in AGE_BAND}
SOURCE_LABELS = {CodingSource.AUTO: "Automatic", CodingSource.STAFF: "Staff"}
# Characters wide in a spreadsheet: written answers get room to be read.
FREE_TEXT_WIDTH = 60


@dataclass(frozen=True)
class Export:
    filename: str
    header: list[str]
    rows: Iterable[list[object]]
    # Column widths for XLSX, decided before any row is read (the rows are streamed).
    widths: list[float] = field(default_factory=list)

    def column_widths(self) -> list[float]:
        return self.widths or [column_width(cell) for cell in self.header]


def _option_texts(survey: Survey) -> dict[int, dict[str, str]]:
    texts: dict[int, dict[str, str]] = {}
    for question in survey.questions:
        options = {o.value: o.text for o in question.options}
        for standard in STANDARD_OPTIONS.get(question.kind, ()):
            options.setdefault(standard.value, standard.text)
        texts[question.id] = options
    return texts


def _flagged_response_ids(survey: Survey) -> set[int]:
    return set(
        db.session.scalars(
            select(SafeguardingFlag.response_id)
            .join(Response, Response.id == SafeguardingFlag.response_id)
            .where(Response.survey_id == survey.id)
        )
    )


def responses_export(survey: Survey, filters: Filters) -> Export:
    """One row per submitted response, one column per question. "About you" questions are
    the Group, Answered how and Age band columns, so they are not repeated."""
    questions: list[Question] = [q for q in survey.questions if q.kind not in ABOUT_YOU_KINDS]
    position = {question.id: index for index, question in enumerate(questions)}
    options = _option_texts(survey)
    flagged = _flagged_response_ids(survey)
    header = [
        "Response",
        "Submitted (UTC)",
        "Group",
        "Channel",
        "Answered how",
        "Age band",
        *[question.text for question in questions],
        # Last, so the question columns keep their places in earlier spreadsheets.
        "Language",
    ]
    widths = (
        [10, 18, 26, 18, 26, 12]
        + [
            FREE_TEXT_WIDTH
            if question.kind == QuestionKind.FREE_TEXT
            else column_width(question.text)
            for question in questions
        ]
        + [12]
    )
    query = (
        select(
            Response.id,
            Response.submitted_at,
            Response.respondent_group,
            Response.channel,
            Response.answered_how,
            Response.age_band,
            Answer.question_id,
            Answer.choice,
            Answer.choices,
            Answer.text,
            Response.language,
        )
        .select_from(Response)
        .outerjoin(Answer, Answer.response_id == Response.id)
        .where(*response_conditions(survey_scope(survey), filters))
        .order_by(Response.id, Answer.id)
    )

    def rows() -> Iterator[list[object]]:
        result = db.session.execute(query, execution_options={"yield_per": BATCH})
        for response_id, answers in groupby(result, key=lambda row: row[0]):
            cells: list[object] = [""] * len(questions)
            first = None
            for row in answers:
                first = first or row
                question_id = row[6]
                if question_id is None or question_id not in position:
                    continue
                cells[position[question_id]] = _answer_cell(
                    row, options[question_id], withheld=response_id in flagged
                )
            assert first is not None  # noqa: S101 - groupby never yields an empty group
            yield [
                response_id,
                first[1],
                GROUP_LABELS[first[2]],
                CHANNEL_LABELS[first[3]],
                HOW_LABELS[first[4]],
                AGE_LABELS.get(first[5], first[5] or ""),
                *cells,
                english_name(first[10]),
            ]

    return Export(f"{survey.slug}-responses", header, rows(), widths)


def _answer_cell(row, options: dict[str, str], *, withheld: bool) -> str:
    choice, choices, text = row[7], row[8], row[9]
    if text:
        return WITHHELD if withheld else text
    if choice:
        return options.get(choice, choice)
    if isinstance(choices, list):
        return "; ".join(options.get(value, value) for value in choices)
    return ""


def codings_export(survey: Survey, filters: Filters) -> Export:
    """One row per theme coded on a free-text answer, with its sentiment."""
    flagged = _flagged_response_ids(survey)
    label = effective_sentiment()
    header = [
        "Response",
        "Answer",
        "Question",
        "Theme",
        "Source",
        "Confirmed by staff",
        "Sentiment",
        "Sentiment confirmed by staff",
        "Answer text",
        "Answer language",
        "Staff translation",
    ]
    query = (
        select(
            Response.id,
            Answer.id,
            Question.key,
            Theme.name,
            Coding.source,
            Coding.confirmed,
            label,
            Sentiment.confirmed_label,
            Answer.text,
            Answer.language,
            Answer.translation,
        )
        .select_from(Coding)
        .join(Theme, Theme.id == Coding.theme_id)
        .join(Answer, Answer.id == Coding.answer_id)
        .join(Question, Question.id == Answer.question_id)
        .join(Response, Response.id == Answer.response_id)
        .outerjoin(Sentiment, Sentiment.answer_id == Answer.id)
        .where(
            *response_conditions(survey_scope(survey), filters),
            Question.kind == QuestionKind.FREE_TEXT,
        )
        .order_by(Response.id, Answer.id, Theme.name)
    )

    def rows() -> Iterator[list[object]]:
        result = db.session.execute(query, execution_options={"yield_per": BATCH})
        for row in result:
            sentiment = SentimentLabel(row[6]) if isinstance(row[6], str) else row[6]
            yield [
                row[0],
                row[1],
                row[2],
                row[3],
                SOURCE_LABELS[row[4]],
                bool(row[5]),
                SENTIMENT_LABELS.get(sentiment, ""),
                row[7] is not None,
                WITHHELD if row[0] in flagged else (row[8] or ""),
                english_name(row[9] or "en"),
                WITHHELD if row[0] in flagged else (row[10] or ""),
            ]

    widths = [10, 10, 18, 30, 12, 12, 12, 14, FREE_TEXT_WIDTH, 12, FREE_TEXT_WIDTH]
    return Export(f"{survey.slug}-codings", header, rows(), widths)


def stream_csv(export: Export) -> Iterator[str]:
    """RFC 4180 CSV with a BOM, every cell neutralised, sent a few hundred rows at a time."""
    batch: list[str] = []
    for line in csv_lines(export.header, export.rows):
        batch.append(line)
        if len(batch) >= ROWS_PER_CHUNK:
            yield "".join(batch)
            batch.clear()
    if batch:
        yield "".join(batch)


def stream_xlsx(export: Export) -> Iterator[bytes]:
    """A write-only workbook saved to a temporary file, then sent in pieces: rows go to disk as
    they are read, so neither the rows nor the finished file are ever all in memory."""
    workbook = Workbook(write_only=True)
    write_sheet(
        workbook,
        sheet_title(export.filename.rsplit("-", 1)[-1].capitalize()),
        export.header,
        export.rows,
        export.column_widths(),
    )
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    try:
        workbook.save(path)
        with open(path, "rb") as file:
            while chunk := file.read(XLSX_CHUNK):
                yield chunk
    finally:
        os.unlink(path)
