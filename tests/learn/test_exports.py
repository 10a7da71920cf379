"""Exports: one row per response, codings, formula injection neutralised, streamed."""

from __future__ import annotations

import csv
import io
import re
import secrets
import tracemalloc
from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import String, case, cast, false, insert, literal, null, select

from engage.accounts.models import Role
from engage.ask.models import Question, QuestionKind
from engage.extensions import db
from engage.learn import exports
from engage.learn.exports import stream_csv, stream_xlsx
from engage.learn.models import SentimentLabel
from engage.learn.results import Filters
from engage.listen import tally
from engage.listen.models import (
    Answer,
    AnsweredHow,
    Channel,
    RespondentGroup,
    Response,
    ResponseStatus,
)
from tests.learn.results_factories import (
    code,
    feel,
    flag,
    free_text_answer,
    make_response,
    make_survey,
    make_theme,
)

DANGEROUS = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tTAB", "\rCR", "\0NUL", "|pipe", "%x"]


def _csv_rows(export) -> list[list[str]]:
    text = "".join(stream_csv(export))
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline="")))


@settings(max_examples=200, deadline=None)
@given(st.sampled_from("=+-@\t\r\0|%"), st.text(max_size=30))
def test_csv_cells_round_trip_neutralised(start, rest):
    export = exports.Export("x", ["Question " + start + rest], iter([[start + rest, 1]]))
    header, row = _csv_rows(export)
    assert header == ["Question " + start + rest]  # only a cell's start matters
    assert row == ["'" + start + rest, "1"]


def test_responses_export_has_one_row_per_response_and_neutralises_answers(app_context):
    survey = make_survey()
    survey.questions[3].text = '=HYPERLINK("http://evil")'  # a question title is a header cell
    make_response(survey, feel="happy", helps=["pictures", "games"], better="=cmd|'/c calc'!A1")
    make_response(survey, feel="sad", better="-1 out of 10", group=RespondentGroup.PARENT_CARER)
    make_response(survey, feel="okay", better="draft", submitted=False)
    make_response(survey)  # submitted with no answers at all still gets a row
    rows = _csv_rows(exports.responses_export(survey, Filters()))
    header, body = rows[0], rows[1:]
    assert header[:6] == [
        "Response",
        "Submitted (UTC)",
        "Group",
        "Channel",
        "Answered how",
        "Age band",
    ]
    assert header[9] == '\'=HYPERLINK("http://evil")'
    assert len(body) == 3
    first = dict(zip(header, body[0], strict=True))
    assert first["How do you feel about the help?"] == "Happy"
    assert first["What helps most?"] == "Pictures and symbols; Games"
    assert first['\'=HYPERLINK("http://evil")'] == "'=cmd|'/c calc'!A1"
    assert body[1][9] == "'-1 out of 10"
    assert body[1][2] == "Parents and carers"  # labels, not codes
    assert all(cell == "" for cell in body[2][6:-1])
    assert header[-1] == "Language" and body[2][-1] == "English"


def test_filters_apply_to_exports(app_context):
    survey = make_survey()
    make_response(survey, feel="happy")
    make_response(survey, feel="sad", group=RespondentGroup.PARENT_CARER)
    rows = _csv_rows(exports.responses_export(survey, Filters(group=RespondentGroup.PARENT_CARER)))
    assert len(rows) == 2 and rows[1][6] == "Sad"


def test_flagged_words_are_withheld_from_exports(app_context):
    survey = make_survey()
    worrying = make_response(survey, better="Someone hurts me")
    answer = free_text_answer(worrying)
    flag(worrying, answer)
    code(answer, make_theme("Safety"))
    response_rows = _csv_rows(exports.responses_export(survey, Filters()))
    coding_rows = _csv_rows(exports.codings_export(survey, Filters()))
    for rows in (response_rows, coding_rows):
        flat = "".join("".join(row) for row in rows)
        assert "hurts" not in flat and exports.WITHHELD in flat


def test_codings_export(app_context):
    survey = make_survey()
    answer = free_text_answer(make_response(survey, better="+44 waiting"))
    code(answer, make_theme("Waiting times"), confirmed=True)
    feel(answer, SentimentLabel.NEGATIVE, confirmed=SentimentLabel.NEUTRAL)
    rows = _csv_rows(exports.codings_export(survey, Filters()))
    assert rows[1][3:] == [
        "Waiting times",
        "Automatic",
        "Yes",
        "Neutral",
        "Yes",
        "'+44 waiting",
        "English",
        "",
    ]


def test_xlsx_export_neutralises_and_keeps_text():
    header = ["Response", "=question title"]
    export = exports.Export(
        "survey-responses", header, iter([[n, v] for n, v in enumerate(DANGEROUS)])
    )
    data = b"".join(stream_xlsx(export))
    sheet = load_workbook(io.BytesIO(data), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Response", "'=question title")
    values = [row[1] for row in rows[1:]]
    assert values[:4] == ["'=1+1", "'+SUM(A1)", "'-2+3", "'@cmd"]
    assert values[-2:] == ["'|pipe", "'%x"]
    # XLSX cannot hold NUL at all, so it goes; tab and CR keep their mark.
    assert values[4].startswith("'") and values[5].startswith("'") and values[6] == "NUL"
    # Nothing in the file is a formula.
    assert not [v for row in rows for v in row if isinstance(v, str) and v.startswith("=")]


def test_xlsx_download_through_the_page(app, staff_client):
    with app.app_context():
        survey = make_survey()
        make_response(survey, better="Fine")
        db.session.commit()
        survey_id = survey.id
    response = staff_client(Role.ADMIN).get(
        f"/staff/results/surveys/{survey_id}/export/codings.xlsx"
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.get_data()), read_only=True)
    assert next(workbook.active.iter_rows(values_only=True))[0] == "Response"


# --- constant memory ---------------------------------------------------------------------

# Enough rows for the export to be many batches (exports.BATCH rows a fetch) and its CSV
# megabytes, few enough that building them is quick: memory while streaming is the same at
# 1,000 or 10,000 responses, so more would show nothing more.
RESPONSES = 3_000
QUESTIONS = 10  # 30,000 answers
ANSWER_TEXT = "x" * 80


def _bulk_survey() -> int:
    """3,000 submitted responses with 10 answers each, written straight to the tables."""
    survey = make_survey(extra_questions=QUESTIONS - 4)
    when = datetime(2026, 3, 2, tzinfo=UTC)
    db.session.execute(
        Response.__table__.insert(),
        [
            {
                "survey_id": survey.id,
                "status": ResponseStatus.SUBMITTED,
                "channel": Channel.ONLINE,
                "respondent_group": RespondentGroup.YOUNG_PERSON,
                "answered_how": AnsweredHow.OWN,
                "submission_token": secrets.token_hex(8),
                "started_at": when,
                "updated_at": when,
                "submitted_at": when,
            }
            for _ in range(RESPONSES)
        ],
    )
    # Every response answers every question, in one INSERT ... SELECT: row-by-row inserts
    # would make the set-up, not the export, the slow part of this test on PostgreSQL.
    choice = case(
        (Question.kind == QuestionKind.FREE_TEXT, null()),
        (Question.kind == QuestionKind.FEELINGS_SCALE, "happy"),
        else_="agree",
    )
    text = case(
        (
            Question.kind == QuestionKind.FREE_TEXT,
            literal(ANSWER_TEXT + " ") + cast(Response.id, String),
        ),
        else_=null(),
    )
    answers = (
        select(Response.id, Question.id, choice, text, false())
        .select_from(Response)
        .join(Question, Question.survey_id == Response.survey_id)
        .where(Response.survey_id == survey.id)
    )
    db.session.execute(
        insert(Answer).from_select(
            ["response_id", "question_id", "choice", "text", "skipped"], answers
        )
    )
    # Bulk statements bypass the flush that keeps the running counts: say what was written.
    tally.add(db.session.scalars(select(Response.id).where(Response.survey_id == survey.id)))
    db.session.commit()
    return survey.id


def test_export_of_30k_answers_streams_in_constant_memory(app, staff_client):
    with app.app_context():
        survey_id = _bulk_survey()
        assert db.session.query(Answer).count() == RESPONSES * QUESTIONS
    client = staff_client(Role.COMMISSIONER)
    response = client.get(
        f"/staff/results/surveys/{survey_id}/export/responses.csv", buffered=False
    )
    assert response.is_streamed
    chunks = iter(response.response)
    tracemalloc.start()
    try:
        first = next(chunks)  # the query is running: set-up costs are behind us
        first = first if isinstance(first, bytes) else first.encode()
        baseline, _ignored = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        total, pieces, lines = len(first), 1, first.count(b"\r\n")
        for chunk in chunks:
            data = chunk if isinstance(chunk, bytes) else chunk.encode()
            total += len(data)
            lines += data.count(b"\r\n")
            pieces += 1
        _current, streaming_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        response.close()
    assert lines == RESPONSES + 1
    assert pieces > 10  # it arrived in pieces, not as one body
    assert total > 2_000_000  # the whole CSV is megabytes
    # While the rest streams, memory grows by about one batch of rows (measured: 0.86 MB at
    # 1,000 and at 3,000 responses, on SQLite and PostgreSQL alike, 0.4 of this CSV). An export
    # that held every row would need at least the whole CSV.
    growth = streaming_peak - baseline
    assert growth < total / 2, (growth, total)


# --- what a commissioner sees in Excel -------------------------------------------------------


def _about_you_question(survey) -> None:
    from engage.ask.kinds import RESPONDENT_GROUP
    from engage.ask.models import Option

    question = Question(
        position=9, key="respondent_group", kind=QuestionKind.RESPONDENT_GROUP, text="Who are you?"
    )
    question.options = [
        Option(position=i, value=o.value, text=o.text) for i, o in enumerate(RESPONDENT_GROUP)
    ]
    survey.questions.append(question)
    db.session.flush()


def test_xlsx_responses_export_reads_well_in_excel(app, staff_client):
    with app.app_context():
        survey = make_survey()
        _about_you_question(survey)
        make_response(survey, feel="happy", better="More clubs", group=RespondentGroup.PARENT_CARER)
        make_response(survey, feel="sad", better="Shorter waits", channel=Channel.PAPER)
        db.session.commit()
        survey_id = survey.id
    response = staff_client(Role.ADMIN).get(
        f"/staff/results/surveys/{survey_id}/export/responses.xlsx"
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"] == exports_type("xlsx")
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    header = [cell.value for cell in sheet[1]]
    # The header row: bold, frozen in view, with a filter over every column and row.
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(header)).column_letter}3"
    # No column twice: the "about you" question is the Group column.
    assert len(header) == len(set(header)) and "Who are you?" not in header
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(2)]
    assert [row["Group"] for row in rows] == ["Parents and carers", "Children and young people"]
    assert [row["Channel"] for row in rows] == ["Online", "Paper"]
    assert rows[0]["Answered how"] == "On their own"
    # A real date and time, shown as one.
    submitted = sheet.cell(2, header.index("Submitted (UTC)") + 1)
    assert isinstance(submitted.value, datetime) and submitted.number_format == "yyyy-mm-dd hh:mm"
    # Widths to read by: written answers wide, the response number narrow.
    width = {
        name: sheet.column_dimensions[sheet.cell(1, i + 1).column_letter].width
        for i, name in enumerate(header)
    }
    assert width["What would make it better?"] == exports.FREE_TEXT_WIDTH
    assert width["Response"] < width["Submitted (UTC)"] < width["What would make it better?"]


def exports_type(fmt: str) -> str:
    from engage.learn.views import EXPORT_FORMATS

    return EXPORT_FORMATS[fmt]


def test_xlsx_codings_export_says_yes_and_no_with_labels(app_context):
    survey = make_survey()
    answer = free_text_answer(make_response(survey, better="Waiting too long"))
    code(answer, make_theme("Waiting times"), confirmed=False)
    feel(answer, SentimentLabel.NEGATIVE)
    sheet = load_workbook(
        io.BytesIO(b"".join(stream_xlsx(exports.codings_export(survey, Filters()))))
    ).active
    header = [cell.value for cell in sheet[1]]
    row = dict(zip(header, (cell.value for cell in sheet[2]), strict=True))
    assert row["Source"] == "Automatic"
    assert row["Confirmed by staff"] == "No"
    assert row["Sentiment"] == "Negative"
    assert row["Sentiment confirmed by staff"] == "No"
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:K2"


def test_csv_export_names_its_charset_once(app, staff_client):
    with app.app_context():
        survey = make_survey()
        make_response(survey, better="Fine")
        db.session.commit()
        survey_id = survey.id
    response = staff_client(Role.ADMIN).get(
        f"/staff/results/surveys/{survey_id}/export/responses.csv"
    )
    assert response.headers.getlist("Content-Type") == ["text/csv; charset=utf-8"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True)[1:], newline="")))
    # Excel reads this as a date and time.
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", rows[1][1])
