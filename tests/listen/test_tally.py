"""Running counts of responses and answers, as staff notice them on the results pages: a
submit, an erasure, a purge and the filters show the same figures as the rows say, and
`engage tally` finds and mends counts edited by hand."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone

from freezegun import freeze_time
from sqlalchemy import func, select, text

from engage.accounts.models import Role
from engage.ask.models import Survey
from engage.extensions import db
from engage.learn import results
from engage.learn.results import Filters, response_conditions, survey_scope
from engage.listen import retention, tally
from engage.listen.models import Answer, AnswerTally, Channel, RespondentGroup, Response
from engage.schema import utcnow
from tests.helpers.pages import ClientRequest, Page
from tests.helpers.respondent import (
    EASY,
    answer,
    begin,
    complete_easy_read,
    submission_token,
    submit_with_contact,
)
from tests.learn.results_factories import (
    flag,
    free_text_answer,
    make_response,
    make_service,
    make_survey,
    question,
)

FEEL = "How do you feel about the help you get?: the numbers"


def _easy_survey_id(app) -> int:
    with app.app_context():
        return db.session.scalar(select(Survey.id).where(Survey.slug == EASY))


def _page(client, survey_id: int, **filters) -> Page:
    return ClientRequest(client.application, client).get(
        "learn.survey_results", survey_id=survey_id, **filters
    )


def _submitted(page: Page) -> int:
    """The summary's count: "1 submitted response"."""
    return int(page.summary_list()["Responses"].split()[0])


def _written(page: Page) -> list[int]:
    """Each written question's count of answers, in page order."""
    return [int(n) for n in re.findall(r"(\d+) written answers?\.", page.words())]


def _answered(survey: Survey, key: str, filters: Filters = Filters()) -> int:
    wanted = question(survey, key).id
    return next(n for qid, n, _chart in results.question_figures(survey, filters) if qid == wanted)


def _chosen(survey: Survey, key: str, filters: Filters = Filters()) -> dict[str, int]:
    wanted = question(survey, key).id
    chart = next(c for qid, _n, c in results.question_figures(survey, filters) if qid == wanted)
    return dict(zip(chart.categories, chart.series[0].values, strict=True))


def _table_numbers(page: Page, caption: str) -> dict[str, str]:
    """A one-column chart table as {row: number}; none is shown when nothing matches (read as
    all zero)."""
    if caption not in page.texts_of("caption"):
        assert "No responses match these filters." in page.words()
        return {"Very happy": "0", "Happy": "0", "Okay": "0", "Sad": "0", "Very sad": "0"}
    return {row: number for row, (number,) in page.table_rows(caption).items()}


def _sad_easy_read(client) -> str:
    begin(client, EASY)
    answer(client, EASY, "get_help", {"get_help": "yes"})
    answer(client, EASY, "feel_about_help", {"feel_about_help": "sad"})
    answer(client, EASY, "answered_how", {"answered_how": "own"})
    return submission_token(client, EASY)


# --- 1. submitting ------------------------------------------------------------------------


def test_a_web_submit_counts_once_even_when_sent_twice(app, client, staff_client, demo):
    survey_id = _easy_survey_id(app)
    staff = staff_client(Role.VIEWER)
    assert _submitted(_page(staff, survey_id)) == 0
    assert _table_numbers(_page(staff, survey_id), FEEL)["Happy"] == "0"

    token = complete_easy_read(client)
    first = client.post(f"/surveys/{EASY}/submit", data={"submission_token": token})
    again = client.post(f"/surveys/{EASY}/submit", data={"submission_token": token})
    assert first.status_code == again.status_code == 303
    assert first.headers["Location"] == again.headers["Location"]

    page = _page(staff, survey_id)
    assert _submitted(page) == 1
    assert _table_numbers(page, FEEL) == {
        "Very happy": "0",
        "Happy": "1",
        "Okay": "0",
        "Sad": "0",
        "Very sad": "0",
    }
    assert _written(page) == [0, 1]

    other = app.test_client()
    token = _sad_easy_read(other)
    other.post(f"/surveys/{EASY}/submit", data={"submission_token": token})
    other.post(f"/surveys/{EASY}/submit", data={"submission_token": token})
    page = _page(staff, survey_id)
    assert _submitted(page) == 2
    numbers = _table_numbers(page, FEEL)
    assert (numbers["Happy"], numbers["Sad"]) == ("1", "1")
    assert _written(page) == [0, 1]  # the second person wrote nothing


def test_a_draft_counts_nowhere_until_submitted(app, client, staff_client, demo):
    survey_id = _easy_survey_id(app)
    staff = staff_client(Role.VIEWER)
    complete_easy_read(client)
    page = _page(staff, survey_id)
    assert _submitted(page) == 0 and _table_numbers(page, FEEL)["Happy"] == "0"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AnswerTally)) == 0


# --- 2. erasing one's own answers ---------------------------------------------------------


def test_erasing_own_answers_takes_them_off_the_results(app, client, staff_client, demo):
    survey_id = _easy_survey_id(app)
    staff = staff_client(Role.VIEWER)
    receipt = submit_with_contact(app, client)
    other = app.test_client()
    token = _sad_easy_read(other)
    other.post(f"/surveys/{EASY}/submit", data={"submission_token": token})
    page = _page(staff, survey_id)
    assert _submitted(page) == 2 and _table_numbers(page, FEEL)["Happy"] == "1"

    respondent = app.test_client()
    respondent.post("/my-answers", data={"code": receipt})
    deleted = respondent.post("/my-answers/delete", data={"confirm": "yes"})
    assert "Your answers have been deleted" in deleted.get_data(as_text=True)

    page = _page(staff, survey_id)
    assert _submitted(page) == 1
    numbers = _table_numbers(page, FEEL)
    assert (numbers["Happy"], numbers["Sad"]) == ("0", "1")
    assert _written(page) == [0, 0]


def test_erasing_with_an_answer_held_for_safeguarding_keeps_what_stays(
    app, client, staff_client, demo
):
    survey_id = _easy_survey_id(app)
    staff = staff_client(Role.VIEWER)
    receipt = submit_with_contact(app, client)
    with app.app_context():
        response = db.session.scalar(select(Response).where(Response.receipt_code == receipt))
        flag(response, free_text_answer(response))
        db.session.commit()
    page = _page(staff, survey_id)
    assert _submitted(page) == 1 and _table_numbers(page, FEEL)["Happy"] == "1"
    assert _written(page) == [0, 1]

    respondent = app.test_client()
    respondent.post("/my-answers", data={"code": receipt})
    respondent.post("/my-answers/delete", data={"confirm": "yes"})

    with app.app_context():
        kept = db.session.scalars(select(Answer)).all()
        assert [a.text for a in kept] == ["More time with my therapist <b>please</b>"]
        assert db.session.scalar(select(func.count()).select_from(Response)) == 1
        assert tally.differences() == []
    page = _page(staff, survey_id)
    # The response and its held words stay; the choices it made are gone.
    assert _submitted(page) == 1
    assert _table_numbers(page, FEEL)["Happy"] == "0"
    assert _written(page) == [0, 1]


# --- 3. retention purge -------------------------------------------------------------------


def test_purge_takes_cleared_free_text_off_people_answered(app_context):
    survey = make_survey()
    old = utcnow() - timedelta(days=800)
    make_response(survey, feel="happy", better="Old words", when=old)
    make_response(survey, better="Only words, long ago", when=old)
    make_response(survey, feel="sad", better="Recent words")
    db.session.commit()
    assert _answered(survey, "better") == 3
    assert _answered(survey, "feel") == 2
    assert results.response_counts(survey_scope(survey), Filters()).total == 3

    report = retention.purge()
    db.session.commit()
    assert report.texts == 2

    assert _answered(survey, "better") == 1
    assert _answered(survey, "feel") == 2
    # The response that was only words stays a submitted response.
    assert results.response_counts(survey_scope(survey), Filters()).total == 3
    # Per day too: nothing written is left on the old day.
    old_day = Filters(date_from=old.date(), date_to=old.date())
    assert _answered(survey, "better", old_day) == 0
    assert _answered(survey, "feel", old_day) == 1
    assert tally.differences() == []


def test_purge_on_the_command_line_shows_on_the_results_page(app, client, staff_client, demo):
    survey_id = _easy_survey_id(app)
    staff = staff_client(Role.VIEWER)
    submit_with_contact(app, client)
    assert _written(_page(staff, survey_id)) == [0, 1]
    with freeze_time(utcnow() + timedelta(days=731)):
        purged = app.test_cli_runner().invoke(args=["purge"])
    assert "free-text answers cleared: 1" in purged.output
    page = _page(staff, survey_id)
    assert _written(page) == [0, 0]
    assert _submitted(page) == 1 and _table_numbers(page, FEEL)["Happy"] == "1"
    with app.app_context():
        assert tally.differences() == []


# --- 4. filters ---------------------------------------------------------------------------


def _rows_total(survey: Survey, filters: Filters) -> int:
    """Submitted responses counted from the rows, as the pages did before the running counts."""
    return db.session.scalar(
        select(func.count(Response.id)).where(*response_conditions(survey_scope(survey), filters))
    )


def _varied_survey():
    school = make_service("School nursing")
    survey = make_survey(services=[school])
    late = datetime(2026, 3, 2, 23, 59, 59, tzinfo=UTC)
    midnight = datetime(2026, 3, 3, 0, 0, tzinfo=UTC)
    # 00:30 in UTC+1 is 23:30 UTC the day before.
    east = datetime(2026, 3, 3, 0, 30, tzinfo=timezone(timedelta(hours=1)))
    make_response(survey, feel="happy", helps=["games"], when=late)
    make_response(survey, feel="sad", helps=["games", "pictures"], better="Words", when=midnight)
    make_response(
        survey,
        feel="happy",
        better="More words",
        group=RespondentGroup.PARENT_CARER,
        channel=Channel.PHONE,
        when=east,
    )
    make_response(
        survey,
        listened_to="agree",
        group=RespondentGroup.PARENT_CARER,
        channel=Channel.PAPER,
        when=datetime(2026, 2, 1, 9, 0, tzinfo=UTC),
    )
    make_response(survey, feel="very_happy", submitted=False, when=late)
    other = make_survey(services=[make_service("Physiotherapy")])
    make_response(other, feel="sad", when=late)
    db.session.commit()
    return survey, school, other


def test_filters_give_the_figures_the_rows_give(app_context):
    survey, school, other = _varied_survey()
    cases = [
        (Filters(), 4, {"Happy": 2, "Sad": 1}, 2, {"Games": 2, "Pictures and symbols": 1}),
        (Filters(group=RespondentGroup.PARENT_CARER), 2, {"Happy": 1, "Sad": 0}, 1, {}),
        (Filters(channel=Channel.PHONE), 1, {"Happy": 1, "Sad": 0}, 1, {}),
        (Filters(channel=Channel.ONLINE), 2, {"Happy": 1, "Sad": 1}, 1, {"Games": 2}),
        # 2 March in UTC: 23:59:59 and 23:30 (00:30 UTC+1 on the 3rd), not 00:00 on the 3rd.
        (
            Filters(date_from=date(2026, 3, 2), date_to=date(2026, 3, 2)),
            2,
            {"Happy": 2, "Sad": 0},
            1,
            {"Games": 1, "Pictures and symbols": 0},
        ),
        (
            Filters(date_from=date(2026, 3, 3)),
            1,
            {"Happy": 0, "Sad": 1},
            1,
            {"Games": 1, "Pictures and symbols": 1},
        ),
        (Filters(date_to=date(2026, 2, 28)), 1, {"Happy": 0, "Sad": 0}, 0, {}),
        (Filters(service_id=school.id), 4, {"Happy": 2, "Sad": 1}, 2, {"Games": 2}),
        (Filters(service_id=other.engagement.services[0].id), 0, {"Happy": 0}, 0, {}),
        (
            Filters(group=RespondentGroup.YOUNG_PERSON, date_from=date(2026, 3, 3)),
            1,
            {"Happy": 0, "Sad": 1},
            1,
            {},
        ),
    ]
    for filters, total, feel, written, helps in cases:
        page = results.results_page([survey], filters, use_cache=False)
        assert page.counts.total == total == _rows_total(survey, filters), filters
        chosen = _chosen(survey, "feel", filters)
        assert {k: chosen[k] for k in feel} == feel, filters
        assert _answered(survey, "better", filters) == written, filters
        picked = _chosen(survey, "helps", filters)
        assert {k: picked[k] for k in helps} == helps, filters
        figures = dict((q.question.key, q.answered) for _s, found in page.questions for q in found)
        assert figures["better"] == written, filters
    by_group = results.response_counts(survey_scope(survey), Filters()).by_group
    assert by_group == {RespondentGroup.YOUNG_PERSON: 2, RespondentGroup.PARENT_CARER: 2}


def test_date_filters_on_the_page_are_whole_utc_days(app, staff_client):
    with app.app_context():
        survey, _school, _other = _varied_survey()
        survey_id = survey.id
    staff = staff_client(Role.VIEWER)
    second = _page(staff, survey_id, date_from="2026-03-02", date_to="2026-03-02")
    third = _page(staff, survey_id, date_from="2026-03-03", date_to="2026-03-03")
    assert (_submitted(second), _submitted(third)) == (2, 1)
    assert _table_numbers(second, "How do you feel about the help?: the numbers")["Happy"] == "2"
    assert _table_numbers(third, "How do you feel about the help?: the numbers")["Sad"] == "1"


# --- 7. all-time rows ---------------------------------------------------------------------


def test_the_page_without_dates_equals_a_range_covering_everything(app_context):
    survey, school, _other = _varied_survey()
    everything = Filters(date_from=date(2000, 1, 1), date_to=date(2100, 1, 1))
    for plain, dated in [
        (Filters(), everything),
        (
            Filters(group=RespondentGroup.PARENT_CARER),
            Filters(
                group=RespondentGroup.PARENT_CARER,
                date_from=everything.date_from,
                date_to=everything.date_to,
            ),
        ),
        (
            Filters(service_id=school.id),
            Filters(
                service_id=school.id, date_from=everything.date_from, date_to=everything.date_to
            ),
        ),
    ]:
        without = results.results_page([survey], plain, use_cache=False)
        within = results.results_page([survey], dated, use_cache=False)
        assert without.counts == within.counts
        assert results.question_figures(survey, plain) == results.question_figures(survey, dated)
        assert without.sentiment == within.sentiment
    assert results.response_counts(survey_scope(survey), Filters()).total == 4
    # The all-time rows are what the page reads: taking them away empties the plain page only.
    db.session.execute(text("DELETE FROM response_tally WHERE day = :day"), {"day": tally.ALL_TIME})
    assert results.response_counts(survey_scope(survey), Filters()).total == 0
    assert results.response_counts(survey_scope(survey), everything).total == 4
    db.session.rollback()


# --- 6. engage tally check / rebuild ------------------------------------------------------


def test_tally_check_finds_a_count_edited_by_hand_and_rebuild_mends_it(app):
    with app.app_context():
        survey = make_survey()
        make_response(survey, feel="happy", better="Words")
        make_response(survey, feel="happy")
        db.session.commit()
        survey_id = survey.id
        feel_id = question(survey, "feel").id
    runner = app.test_cli_runner()
    fine = runner.invoke(args=["tally", "check"])
    assert fine.exit_code == 0, fine.output
    assert "The counts agree with the rows." in fine.output

    with app.app_context():
        db.session.execute(
            text(
                "UPDATE answer_tally SET answers = answers + 5 "
                "WHERE survey_id = :survey AND question_id = :question AND value = 'happy' "
                "AND day = :day"
            ),
            {"survey": survey_id, "question": feel_id, "day": tally.ALL_TIME},
        )
        db.session.commit()
        survey = db.session.get(Survey, survey_id)
        assert _chosen(survey, "feel")["Happy"] == 7  # what a page would now show
    broken = runner.invoke(args=["tally", "check"])
    assert broken.exit_code == 1
    assert "The counts differ from the rows" in broken.output
    assert "engage tally rebuild" in broken.output
    assert re.search(
        rf"answers \({survey_id}, '0001-01-01'|answers \({survey_id}, datetime.date\(1, 1, 1\)",
        broken.output,
    ), broken.output
    assert f"{feel_id}, 'happy'): stored +5 against the rows" in broken.output

    mended = runner.invoke(args=["tally", "rebuild"])
    assert mended.exit_code == 0, mended.output
    assert runner.invoke(args=["tally", "check"]).exit_code == 0
    with app.app_context():
        survey = db.session.get(Survey, survey_id)
        assert _chosen(survey, "feel")["Happy"] == 2
        assert tally.differences() == []
