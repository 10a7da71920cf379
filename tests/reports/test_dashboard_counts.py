"""Dashboard figures on varied data: responses by group and satisfaction this year and last,
per service and commissioner, with answers on the edges of the 12 and 24 month windows (whole
UTC days), in other time zones, on other channels, skipped, in drafts, and in surveys that
concern no service."""

from datetime import UTC, date, datetime, time, timedelta, timezone

from engage.ask.models import Question, QuestionKind
from engage.extensions import db
from engage.inform.models import OrganisationKind
from engage.learn.models import Coding, CodingSource
from engage.listen import tally
from engage.listen.models import (
    Answer,
    AnsweredHow,
    Channel,
    RespondentGroup,
    Response,
    ResponseStatus,
)
from engage.reports import dashboard
from tests.improve import factories

ON = date(2026, 6, 10)
YOUNG = RespondentGroup.YOUNG_PERSON
PARENT = RespondentGroup.PARENT_CARER


def _at(day: date, hour: int = 0, minute: int = 0, zone=UTC) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=zone)


# In the last 12 months: from the first moment of the day a year before, to the end of today.
RECENT_FIRST = _at(ON - timedelta(days=365))
RECENT_LAST = _at(ON, 23, 59)
RECENT = _at(ON - timedelta(days=100), 12)
# The 12 months before: up to the last minute before that, back to the first moment 24 months ago.
BEFORE_LAST = _at(ON - timedelta(days=366), 23, 59)
BEFORE_FIRST = _at(ON - timedelta(days=730))
BEFORE = _at(ON - timedelta(days=500), 12)
# 00:30 in UTC+1 on the first day of the last 12 months is 23:30 UTC the day before.
BEFORE_ELSEWHERE = _at(ON - timedelta(days=365), 0, 30, timezone(timedelta(hours=1)))
# Counted as responses, but outside both windows.
TOO_OLD = _at(ON - timedelta(days=731), 23, 59)
OLDER = _at(ON - timedelta(days=1000))
TOMORROW = _at(ON + timedelta(days=1))


def _question(survey, key: str, kind: QuestionKind) -> Question:
    question = Question(position=len(survey.questions) + 1, key=key, kind=kind, text=key)
    survey.questions.append(question)
    db.session.flush()
    return question


def _response(
    survey,
    group: RespondentGroup,
    how: AnsweredHow,
    when: datetime,
    choices: dict[Question, str | None],
    channel: Channel = Channel.ONLINE,
    submitted: bool = True,
    theme=None,
) -> Response:
    response = factories.response(
        survey,
        text=None,
        group=group,
        answered_how=how,
        submitted=submitted,
        submitted_at=when,
    )
    with tally.recount([response.id]):
        response.channel = channel
        for question, choice in choices.items():
            response.answers.append(
                Answer(question=question, choice=choice, skipped=choice is None)
            )
        if theme is not None:
            comment = Answer(question=survey.questions[0], text="Waiting took months")
            response.answers.append(comment)
            db.session.flush()
            db.session.add(
                Coding(answer_id=comment.id, theme_id=theme.id, source=CodingSource.STAFF)
            )
    return response


def _fixture():
    council = factories.organisation("Council", OrganisationKind.COUNCIL)
    nhs = factories.organisation("NHS", OrganisationKind.NHS)
    breaks = factories.service(council, "Short breaks")
    therapy = factories.service(nhs, "Therapy")
    camhs = factories.service(nhs, "CAMHS")
    first = factories.engagement([breaks, therapy], "First")
    second = factories.engagement([therapy, camhs], "Second")  # two services of one commissioner
    third = factories.engagement([camhs], "Third")
    unlinked = factories.engagement([], "No service")
    waits, staff, buildings = (factories.theme(name) for name in ("Waits", "Staff", "Buildings"))
    factories.update(third, waits, published_at=_at(ON - timedelta(days=10)))

    # First engagement, first survey: a feelings scale, a 'listened to' agree scale, and a
    # single choice with a 'happy' option that is not a scale.
    survey = factories.survey(first)
    feel = _question(survey, "feel", QuestionKind.FEELINGS_SCALE)
    listened = _question(survey, "listened_to", QuestionKind.AGREE_SCALE)
    liked = _question(survey, "liked", QuestionKind.SINGLE_CHOICE)
    own, helped, behalf, unsaid = (
        AnsweredHow.OWN,
        AnsweredHow.WITH_HELP,
        AnsweredHow.ON_BEHALF,
        AnsweredHow.NOT_SAID,
    )
    for group, how, when, feeling, agreed, channel, theme in (
        (YOUNG, own, RECENT_FIRST, "very_happy", "agree", Channel.ONLINE, waits),
        (YOUNG, own, RECENT_LAST, "sad", "strongly_agree", Channel.EASY_READ_ONLINE, None),
        (YOUNG, helped, RECENT, "happy", "disagree", Channel.PAPER, None),
        (YOUNG, behalf, BEFORE_LAST, "happy", "agree", Channel.ONLINE, None),
        (PARENT, unsaid, BEFORE_FIRST, "okay", "agree", Channel.ONLINE, None),
        (PARENT, unsaid, BEFORE_ELSEWHERE, "very_happy", "disagree", Channel.PHONE, None),
        (RespondentGroup.PROFESSIONAL, unsaid, TOO_OLD, "happy", "agree", Channel.ONLINE, None),
        (RespondentGroup.NOT_SAID, unsaid, TOMORROW, "happy", "agree", Channel.ONLINE, None),
    ):
        _response(
            survey,
            group,
            how,
            when,
            {feel: feeling, listened: agreed, liked: "happy"},
            channel=channel,
            theme=theme,
        )
    _response(survey, PARENT, unsaid, RECENT, {feel: "happy"}, submitted=False, theme=buildings)

    # First engagement, second survey: another 'listened' question, no feelings scale.
    survey = factories.survey(first)
    heard = _question(survey, "were_you_listened_to", QuestionKind.AGREE_SCALE)
    _response(survey, YOUNG, own, RECENT, {heard: "strongly_agree"})
    _response(survey, PARENT, unsaid, BEFORE, {heard: "disagree"})
    _response(survey, RespondentGroup.OTHER, unsaid, OLDER, {heard: "agree"})

    survey = factories.survey(second)
    feel = _question(survey, "feel", QuestionKind.FEELINGS_SCALE)
    _response(survey, PARENT, unsaid, RECENT_FIRST, {feel: "happy"}, theme=staff)
    _response(survey, PARENT, unsaid, BEFORE, {feel: "sad"})
    _response(survey, YOUNG, behalf, RECENT, {feel: "very_happy"})
    _response(survey, YOUNG, helped, RECENT, {feel: None})  # skipped

    survey = factories.survey(third)
    listened = _question(survey, "listened_to", QuestionKind.AGREE_SCALE)
    _response(survey, YOUNG, own, RECENT, {listened: "agree"}, theme=waits)
    _response(survey, PARENT, unsaid, BEFORE_LAST, {listened: "neither"})

    # Surveys that concern no service count nowhere on the dashboard.
    for survey in (factories.survey(unlinked), factories.survey(None)):
        feel = _question(survey, "feel", QuestionKind.FEELINGS_SCALE)
        for _ in range(2):
            _response(survey, PARENT, unsaid, RECENT, {feel: "happy"}, theme=staff)
    db.session.flush()


def _figures(row) -> dict:
    return {
        "groups": (row.young_people, row.parents, row.others, row.responses),
        "themes": (row.themes, row.themes_closed),
        "satisfied": (row.satisfied, row.satisfied_before),
        "listened": (row.listened, row.listened_before),
    }


def test_dashboard_counts_on_varied_data(app_context):
    _fixture()
    assert db.session.query(Response).filter_by(status=ResponseStatus.SUBMITTED).count() == 21
    board = dashboard.build(ON, use_cache=False)

    # First: 4 young people in their own voice (one more answered for), 3 parents, of 11.
    # This year 5 positive of 7 scale answers (3 of 4 to 'listened' questions), the year
    # before 4 of 7 (2 of 4); the answers over two years old or from tomorrow count nowhere.
    first = {
        "groups": (4, 3, 4, 11),
        "themes": (1, 1),
        "satisfied": ((5, 7), (4, 7)),
        "listened": ((3, 4), (2, 4)),
    }
    services = {row.name: _figures(row) for row in board.services}
    assert services["Short breaks"] == first
    assert services["Therapy"] == {
        "groups": (5, 5, 5, 15),
        "themes": (2, 1),
        "satisfied": ((7, 9), (4, 8)),
        "listened": ((3, 4), (2, 4)),
    }
    assert services["CAMHS"] == {
        "groups": (2, 3, 1, 6),
        "themes": (2, 1),
        "satisfied": ((3, 3), (0, 2)),
        "listened": ((1, 1), (0, 1)),
    }

    commissioners = {row.name: _figures(row) for row in board.commissioners}
    assert commissioners["Council"] == first
    # Second concerns two NHS services and counts once for the NHS.
    assert commissioners["NHS"] == {
        "groups": (6, 6, 5, 17),
        "themes": (2, 1),
        "satisfied": ((8, 10), (4, 9)),
        "listened": ((4, 5), (2, 5)),
    }


def test_dashboard_counts_follow_a_changed_answer(app_context):
    _fixture()
    answer = db.session.scalars(
        db.select(Answer)
        .join(Question, Question.id == Answer.question_id)
        .where(Question.key == "were_you_listened_to", Answer.choice == "disagree")
    ).one()
    with tally.recount([answer.response_id]):
        answer.choice = "agree"
    [breaks] = [
        row for row in dashboard.build(ON, use_cache=False).services if row.name == "Short breaks"
    ]
    assert (breaks.satisfied_before, breaks.listened_before) == ((5, 7), (3, 4))


def test_surveys_wholly_in_one_year_or_outside_both(app_context):
    nhs = factories.organisation("NHS", OrganisationKind.NHS)
    therapy = factories.service(nhs, "Therapy")
    engagement = factories.engagement([therapy], "Years")
    surveys = [factories.survey(engagement) for _ in range(4)]
    feel = [_question(survey, "feel", QuestionKind.FEELINGS_SCALE) for survey in surveys]
    heard = _question(surveys[1], "listened_to", QuestionKind.AGREE_SCALE)
    this_year, last_year, too_old, future = surveys
    for when, feeling in ((RECENT_FIRST, "happy"), (RECENT_LAST, "sad"), (RECENT, "very_happy")):
        _response(this_year, PARENT, AnsweredHow.NOT_SAID, when, {feel[0]: feeling})
    for when, feeling, agreed in (
        (BEFORE_FIRST, "happy", "agree"),
        (BEFORE_LAST, "okay", "disagree"),
        (BEFORE_ELSEWHERE, "very_happy", None),
    ):
        _response(last_year, YOUNG, AnsweredHow.OWN, when, {feel[1]: feeling, heard: agreed})
    for when in (TOO_OLD, OLDER):
        _response(too_old, YOUNG, AnsweredHow.OWN, when, {feel[2]: "happy"})
    _response(future, YOUNG, AnsweredHow.ON_BEHALF, TOMORROW, {feel[3]: "happy"})

    [row] = dashboard.build(ON, use_cache=False).services
    assert _figures(row) == {
        "groups": (5, 3, 1, 9),
        "themes": (0, 0),
        "satisfied": ((2, 3), (3, 5)),
        "listened": ((0, 0), (1, 2)),
    }
