"""Every count on the staff pages equals the rows it counts.

One fixture (three surveys in three engagements, three services of two commissioners,
responses on many days from every group and channel, drafts, themes, sentiments, actions and
a published update); each page is read as a staff member sees it (parsed with BeautifulSoup,
tests/helpers/pages.py) and each number compared with a count made here directly from the rows,
not from the running counts the pages read."""

from __future__ import annotations

import random
import re
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, time, timedelta

import pytest

from engage.accounts.models import Role
from engage.ask.models import QuestionKind, Survey
from engage.extensions import db
from engage.improve.models import Action, ActionStatus
from engage.inform.models import (
    CommissioningStage,
    Engagement,
    Organisation,
    OrganisationKind,
    Service,
)
from engage.languages import english_name
from engage.learn import tally as learn_tally
from engage.learn.models import Coding, CodingSource, Sentiment, SentimentLabel, Theme
from engage.learn.scope import SENTIMENT_LABELS
from engage.listen.models import (
    CHANNEL_LABELS,
    GROUP_LABELS,
    AnsweredHow,
    Channel,
    RespondentGroup,
    Response,
    ResponseStatus,
)
from engage.respond.models import Update, UpdateStatus
from engage.schema import utcnow
from tests.helpers.pages import ClientRequest, Page, text_of
from tests.learn.results_factories import make_response, make_service, make_survey

TODAY = utcnow().date()
CLOSABLE = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)
FEELINGS = ["very_happy", "happy", "okay", "sad", "very_sad"]
AGREE = ["strongly_agree", "agree", "neither", "disagree", "strongly_disagree"]
HELPS = ["pictures", "games", "someone_listening"]
POSITIVE = {"very_happy", "happy", "strongly_agree", "agree"}
THEMES = ["Waiting times", "Communication", "Staff kindness"]


def _fixture() -> None:
    chance = random.Random(18)  # noqa: S311 - varied test data, not security
    council = Organisation(name="Test council", kind=OrganisationKind.COUNCIL)
    nhs = Organisation(name="Test NHS board", kind=OrganisationKind.NHS)
    db.session.add_all([council, nhs])
    db.session.flush()
    therapy = make_service("Speech and language therapy")
    breaks = make_service("Short breaks")
    camhs = make_service("Emotional health")
    for service in (therapy, breaks):
        service.commissioner = council
    camhs.commissioner = nhs
    surveys = [
        make_survey("school", services=[therapy], title="Help at school"),
        make_survey("breaks", services=[therapy, breaks], title="Short breaks survey"),
        make_survey("feelings", services=[camhs], title="Feelings survey"),
    ]
    stages = [CommissioningStage.REVIEW, CommissioningStage.PLAN, CommissioningStage.UNDERSTAND]
    for number, (survey, stage) in enumerate(zip(surveys, stages, strict=True)):
        survey.engagement.stage = stage
        survey.engagement.opens_on = TODAY - timedelta(days=90)
        survey.engagement.closes_on = TODAY - timedelta(days=30 - number)
    themes = []
    for name in THEMES:
        theme = Theme(slug=name.lower().replace(" ", "-"), name=name, plain_name=name)
        db.session.add(theme)
        themes.append(theme)
    db.session.flush()

    for survey, submitted in zip(surveys, (23, 17, 11), strict=True):
        for number in range(submitted + 3):
            when = datetime.combine(
                TODAY - timedelta(days=chance.randint(2, 70)), time(chance.randint(0, 23)), UTC
            )
            response = make_response(
                survey,
                feel=chance.choice([*FEELINGS, None]),
                listened_to=chance.choice([*AGREE, None]),
                helps=chance.sample(HELPS, chance.randint(1, 3)) if chance.random() < 0.8 else None,
                better=f"Answer {number} about waiting" if chance.random() < 0.7 else None,
                group=chance.choice(list(RespondentGroup)),
                channel=chance.choice(list(Channel)),
                how=chance.choice(list(AnsweredHow)),
                submitted=number < submitted,  # three drafts, never counted
                when=when,
            )
            written = next((a for a in response.answers if a.text), None)
            if written is None:
                continue
            with learn_tally.recount([written.id]):
                for theme in chance.sample(themes, chance.randint(0, 2)):
                    db.session.add(
                        Coding(answer_id=written.id, theme_id=theme.id, source=CodingSource.AUTO)
                    )
                if chance.random() < 0.8:
                    db.session.add(
                        Sentiment(
                            answer_id=written.id,
                            label=chance.choice(list(SentimentLabel)),
                            confirmed_label=(
                                chance.choice(list(SentimentLabel))
                                if chance.random() < 0.3
                                else None
                            ),
                            score=0.0,
                            analyser_version="test",
                        )
                    )
    statuses = [
        (ActionStatus.PLANNED, TODAY - timedelta(days=3), therapy),
        (ActionStatus.IN_PROGRESS, TODAY + timedelta(days=30), therapy),
        (ActionStatus.DONE, TODAY - timedelta(days=10), breaks),
        (ActionStatus.NOT_POSSIBLE, TODAY - timedelta(days=10), camhs),
        (ActionStatus.IN_PROGRESS, TODAY - timedelta(days=1), camhs),
    ]
    actions = []
    for number, (status, due_on, service) in enumerate(statuses):
        action = Action(
            title=f"We will act {number}",
            owner_organisation=service.commissioner,
            themes=[themes[number % len(themes)]],
            status=status,
            due_on=due_on,
            service=service,
            engagement=surveys[number % len(surveys)].engagement,
            not_possible_reason="No money" if status == ActionStatus.NOT_POSSIBLE else None,
        )
        db.session.add(action)
        actions.append(action)
    db.session.add(
        Update(
            slug="waits-are-shorter",
            engagement=surveys[0].engagement,
            theme=themes[0],
            title="Waits are shorter",
            you_said="<p>Waits are long.</p>",
            we_did="<p>We hired staff.</p>",
            easy_read_you_said="<p>You said waits are long.</p>",
            easy_read_we_did="<p>We got more staff.</p>",
            status=UpdateStatus.PUBLISHED,
            published_at=datetime.combine(TODAY - timedelta(days=20), time(9), UTC),
            actions=[actions[1]],
        )
    )
    db.session.commit()


# --- reading pages -----------------------------------------------------------------------


def _page(client, url: str) -> Page:
    return ClientRequest(client.application, client).get(url)


def _same_tables(soup: Page, expected: list[tuple[str, dict]]) -> None:
    """The page's tables are exactly the expected ones (order aside): a table that is added
    to a page without a direct count here fails, so that every count stays checked."""

    def key(entry):
        caption, rows = entry
        return caption, sorted((name, tuple(values)) for name, values in rows.items())

    assert sorted(map(key, soup.tables())) == sorted(map(key, expected))


# --- direct counts from the rows ---------------------------------------------------------


def _submitted(surveys: list[Survey]) -> list[Response]:
    ids = [survey.id for survey in surveys]
    return [
        response
        for response in db.session.scalars(db.select(Response).order_by(Response.id))
        if response.survey_id in ids and response.status == ResponseStatus.SUBMITTED
    ]


def _written(responses: list[Response]):
    return [answer for response in responses for answer in response.answers if answer.text]


def _sentiment_of(answer) -> SentimentLabel | None:
    found = db.session.scalar(db.select(Sentiment).where(Sentiment.answer_id == answer.id))
    if found is None:
        return None
    return found.confirmed_label or found.label


def _codings_of(answer) -> list[Theme]:
    return list(
        db.session.scalars(
            db.select(Theme)
            .join(Coding, Coding.theme_id == Theme.id)
            .where(Coding.answer_id == answer.id)
        )
    )


def _by_size(table: dict[str, Counter]) -> list[str]:
    return sorted(table, key=lambda name: (-sum(table[name].values()), name))


def _stacked(rows: dict[str, list[int]]) -> dict[str, list[str]]:
    """Rows of a chart table: the values, then a total where there is more than one series."""
    return {
        name: [str(v) for v in values] + ([str(sum(values))] if len(values) > 1 else [])
        for name, values in rows.items()
    }


def _people(responses: list[Response]) -> list[tuple[str, dict]]:
    """The "Who responded" charts' tables (none when nobody responded)."""
    if not responses:
        return []
    by_group = Counter(response.respondent_group for response in responses)
    by_channel = Counter(response.channel for response in responses)
    by_how = Counter(response.answered_how for response in responses)
    pairs = Counter((response.respondent_group, response.answered_how) for response in responses)
    groups = [group for group in RespondentGroup if by_group[group]]
    hows = [how for how in AnsweredHow if by_how[how]]
    return [
        (
            "Responses by who answered: the numbers",
            {GROUP_LABELS[g]: [str(by_group[g])] for g in groups},
        ),
        (
            "How each group answered: the numbers",
            _stacked({GROUP_LABELS[g]: [pairs[g, h] for h in hows] for g in groups}),
        ),
        (
            "Responses by channel: the numbers",
            {CHANNEL_LABELS[c]: [str(by_channel[c])] for c in Channel if by_channel[c]},
        ),
    ]


def _own_voice(responses: list[Response]) -> int:
    return sum(
        1
        for response in responses
        if response.respondent_group == RespondentGroup.YOUNG_PERSON
        and response.answered_how in (AnsweredHow.OWN, AnsweredHow.WITH_HELP)
    )


def _question_tables(survey: Survey, responses: list[Response]) -> list[tuple[str, dict]]:
    tables = []
    for question in survey.questions:
        if question.kind == QuestionKind.FREE_TEXT:
            continue
        chosen = Counter()
        for response in responses:
            for answer in response.answers:
                if answer.question_id == question.id and not answer.skipped:
                    chosen.update(answer.choices or [answer.choice])
        if any(chosen[option.value] for option in question.options):
            tables.append(
                (
                    f"{question.text}: the numbers",
                    {option.text: [str(chosen[option.value])] for option in question.options},
                )
            )
    return tables


def _answered(survey: Survey, responses: list[Response], kind_free_text: bool) -> list[int]:
    """People who answered each question, in page order, of the free-text ones or the others."""
    counts = []
    for question in survey.questions:
        if (question.kind == QuestionKind.FREE_TEXT) != kind_free_text:
            continue
        counts.append(
            sum(
                1
                for response in responses
                for answer in response.answers
                if answer.question_id == question.id
                and not answer.skipped
                and (answer.choice or answer.choices or answer.text)
            )
        )
    return counts


def _theme_tables(responses: list[Response]) -> list[tuple[str, dict]]:
    by_sentiment: dict[str, Counter] = defaultdict(Counter)
    by_group: dict[str, Counter] = defaultdict(Counter)
    sentiments = Counter()
    for answer in _written(responses):
        label = _sentiment_of(answer)
        if label is not None:
            sentiments[label] += 1
        for theme in _codings_of(answer):
            by_group[theme.name][answer.response.respondent_group] += 1
            if label is not None:
                by_sentiment[theme.name][label] += 1
    groups = [g for g in RespondentGroup if any(by_group[t][g] for t in by_group)]
    tables = [
        (
            "Sentiment of all written answers",
            {name: [str(sentiments[label])] for label, name in SENTIMENT_LABELS.items()},
        )
    ]
    if by_sentiment:
        tables.append(
            (
                "Sentiment by theme: the numbers",
                _stacked(
                    {
                        t: [by_sentiment[t][s] for s in SentimentLabel]
                        for t in _by_size(by_sentiment)
                    }
                ),
            )
        )
    if by_group:
        tables.append(
            (
                "Themes by group: the numbers",
                _stacked({t: [by_group[t][g] for g in groups] for t in _by_size(by_group)}),
            )
        )
    return tables


def _days(responses: list[Response]) -> list[date]:
    return [response.submitted_at.astimezone(UTC).date() for response in responses]


def _per_week(responses: list[Response]) -> tuple[str, dict]:
    weeks = Counter(day - timedelta(days=day.weekday()) for day in _days(responses))
    week, rows = min(weeks), {}
    while week <= max(weeks):
        rows[f"w/c {week:%d %b %Y}"] = [str(weeks[week])]
        week += timedelta(days=7)
    return "Responses per week: the numbers", rows


def _months(days: list[date]) -> list[date]:
    month, last, found = min(days).replace(day=1), max(days).replace(day=1), []
    while month <= last:
        found.append(month)
        month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    return found


def _positive_share(responses: list[Response], listened_only: bool) -> tuple[str, dict]:
    pairs: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for response in responses:
        for answer in response.answers:
            question = answer.question
            if question.kind not in (QuestionKind.FEELINGS_SCALE, QuestionKind.AGREE_SCALE):
                continue
            if answer.skipped or answer.choice is None:
                continue
            if listened_only and "listened" not in question.key:
                continue
            month = response.submitted_at.astimezone(UTC).date().replace(day=1)
            pairs[month][0] += answer.choice in POSITIVE
            pairs[month][1] += 1
    title = "Felt listened to, per month" if listened_only else "Satisfaction per month"
    rows = {}
    for month in _months(list(pairs)):
        good, every = pairs.get(month, [0, 0])
        rows[f"{month:%b %Y}"] = [
            str(good),
            str(every),
            str(round(100 * good / every)) if every else "–",
        ]
    return f"{title}: the numbers", rows


def _numbers(pattern: str, soup: Page) -> list[int]:
    """The numbers in the page's words (not in the charts' drawings, which repeat them)."""
    return [int(found) for found in re.findall(pattern, soup.words())]


def _submitted_phrase(count: int) -> str:
    return f"{count} submitted response" + ("" if count == 1 else "s")


# --- the pages ---------------------------------------------------------------------------


@pytest.fixture
def counted(app, staff_client):
    with app.app_context():
        _fixture()
    return staff_client(Role.ADMIN)


def test_results_index_counts_each_survey_once(app, counted):
    soup = _page(counted, "/staff/results")
    with app.app_context():
        surveys = list(db.session.scalars(db.select(Survey)))
        expected = {survey.title: [str(len(_submitted([survey])))] for survey in surveys}
    (table,) = [rows for caption, rows in soup.tables() if caption.startswith("Surveys")]
    assert table == expected
    assert sorted(table.values()) == [["11"], ["17"], ["23"]]


def _top_themes(responses: list[Response]) -> tuple[str, dict]:
    """The summary's top five themes: written answers coded to each, and their sentiment."""
    coded: Counter = Counter()
    feelings: dict[str, Counter] = defaultdict(Counter)
    for answer in _written(responses):
        label = _sentiment_of(answer)
        for theme in _codings_of(answer):
            coded[theme.name] += 1
            if label is not None:
                feelings[theme.name][label] += 1
    top = sorted(coded, key=lambda name: (-coded[name], name))[:5]
    return (
        "Top themes, with the sentiment of what people wrote",
        {
            name: [str(coded[name])] + [str(feelings[name][label]) for label in SentimentLabel]
            for name in top
        },
    )


def _results_page_tables(surveys: list[Survey]) -> list[tuple[str, dict]]:
    responses = _submitted(surveys)
    tables = _people(responses)
    if _top_themes(responses)[1]:
        tables.append(_top_themes(responses))
    for survey in surveys:
        tables += _question_tables(survey, [r for r in responses if r.survey_id == survey.id])
    return tables + _theme_tables(responses) + [_per_week(responses)]


def _summary(soup: Page) -> dict[str, str]:
    """The results summary's figures: {key: value} of its summary list."""
    return {
        text_of(row.dt): text_of(row.dd)
        for row in soup.select("dl.govuk-summary-list .govuk-summary-list__row")
    }


def _expected_summary(responses: list[Response]) -> dict[str, str]:
    groups = Counter(r.respondent_group for r in responses)
    channels = Counter(r.channel for r in responses)
    scales = [
        a
        for r in responses
        for a in r.answers
        if a.question.kind in (QuestionKind.FEELINGS_SCALE, QuestionKind.AGREE_SCALE)
        and a.choice
        and not a.skipped
    ]
    listened = [a for a in scales if "listened" in a.question.key]
    own = _own_voice(responses)
    return {
        "Responses": _submitted_phrase(len(responses)),
        "From": " ".join(f"{GROUP_LABELS[g]}: {groups[g]}" for g in RespondentGroup if groups[g]),
        "Young people in their own words": (
            f"{own}, on their own or with help ({_percent(own, len(responses))} of responses)"
        ),
        "By channel": " ".join(
            f"{CHANNEL_LABELS[c]}: {channels[c]}" for c in Channel if channels[c]
        ),
        "Satisfied": (
            f"{_percent(sum(a.choice in POSITIVE for a in scales), len(scales))} positive, of "
            f"{len(scales)} answers to feelings and agree scales"
        ),
        "Felt listened to": (
            f"{_percent(sum(a.choice in POSITIVE for a in listened), len(listened))} positive, "
            f"of {len(listened)} answers to the 'listened to' questions"
        ),
    }


def _check_results_page(soup: Page, surveys: list[Survey], *, survey_page: bool = False) -> None:
    responses = _submitted(surveys)
    assert _submitted_phrase(len(responses)) in text_of(soup.body)
    assert _numbers(r"with help\): (\d+)\.", soup) == [_own_voice(responses)]
    answered, written = [], []
    for survey in surveys:
        mine = [r for r in responses if r.survey_id == survey.id]
        answered += _answered(survey, mine, kind_free_text=False)
        written += _answered(survey, mine, kind_free_text=True)
    assert _numbers(r"(\d+) people answered", soup) == answered
    assert _numbers(r"(\d+) written answers?\.", soup) == written
    _same_tables(soup, _results_page_tables(surveys))
    expected = _expected_summary(responses)
    if survey_page:
        # A survey's page also counts its responses by the language they were given in.
        languages = Counter(r.language for r in responses)
        expected["By language"] = " ".join(
            f"{english_name(code)}: {number}"
            for code, number in sorted(languages.items(), key=lambda item: (-item[1], item[0]))
        )
    assert _summary(soup) == expected
    # The contents list leads to every question's section.
    questions = [q for survey in surveys for q in survey.questions]
    links = [a["href"] for a in soup.select("nav.engage-contents a")]
    assert [f"#question-{q.id}" for q in questions] == [h for h in links if "question-" in h]
    assert all(soup.find(id=href[1:]) for href in links)


def test_survey_and_engagement_results_pages(app, counted):
    with app.app_context():
        for survey in db.session.scalars(db.select(Survey)):
            _check_results_page(
                _page(counted, f"/staff/results/surveys/{survey.id}"), [survey], survey_page=True
            )
        for engagement in db.session.scalars(db.select(Engagement)):
            url = f"/staff/results/engagements/{engagement.id}"
            soup = _page(counted, url)
            _check_results_page(soup, list(engagement.surveys))
            # Its latest actions (none has progress yet: the newest first), never another's.
            own = db.session.scalars(
                db.select(Action)
                .where(Action.engagement_id == engagement.id)
                .order_by(Action.created_at.desc(), Action.id.desc())
            ).all()
            (listed,) = [h for h in soup.find_all("h3") if text_of(h) == "Latest actions"]
            shown = [text_of(a) for a in listed.find_next("ul").find_all("a")]
            assert shown == [a.title for a in own][:3] and shown
            overdue = [a.title for a in own if a.status in CLOSABLE and a.due_on < TODAY]
            tagged = [
                text_of(item.a)
                for item in listed.find_next("ul").find_all("li")
                if "Overdue" in text_of(item)
            ]
            assert tagged == overdue
        # Under a filter too: parents and carers only.
        survey = db.session.scalars(db.select(Survey).where(Survey.slug == "school")).one()
        soup = _page(counted, f"/staff/results/surveys/{survey.id}?group=parent_carer")
        parents = [
            r for r in _submitted([survey]) if r.respondent_group == RespondentGroup.PARENT_CARER
        ]
        assert _submitted_phrase(len(parents)) in text_of(soup.body)
        assert (
            dict(soup.tables())["Responses by channel: the numbers"]
            == dict(_people(parents))["Responses by channel: the numbers"]
        )


def test_service_results_pages(app, counted):
    with app.app_context():
        for service in db.session.scalars(db.select(Service)):
            surveys = [s for e in _engagements_of(service) for s in e.surveys]
            responses = _submitted(surveys)
            soup = _page(counted, f"/staff/results/services/{service.id}")
            assert _submitted_phrase(len(responses)) in text_of(soup.body)
            months = Counter(day.replace(day=1) for day in _days(responses))
            themes = Counter(
                theme.name for answer in _written(responses) for theme in _codings_of(answer)
            )
            top = sorted(themes.items(), key=lambda item: (-item[1], item[0]))[:5]
            _same_tables(
                soup,
                [
                    (
                        "Responses per month: the numbers",
                        {f"{m:%b %Y}": [str(months[m])] for m in _months(list(months))},
                    ),
                    _positive_share(responses, listened_only=False),
                    _positive_share(responses, listened_only=True),
                    ("The themes people wrote about most", {n: [str(c)] for n, c in top}),
                ],
            )


def _engagements_of(service: Service) -> list[Engagement]:
    return [e for e in db.session.scalars(db.select(Engagement)) if service in e.services]


def _percent(good: int, every: int) -> str:
    return f"{round(100 * good / every)}%" if every else "–"


def _dashboard_row(engagements: list[Engagement], actions: list[Action]) -> list[str]:
    responses = _submitted([s for e in engagements for s in e.surveys])
    young = sum(
        1
        for r in responses
        if r.respondent_group == RespondentGroup.YOUNG_PERSON
        and r.answered_how in (AnsweredHow.OWN, AnsweredHow.WITH_HELP)
    )
    parents = sum(1 for r in responses if r.respondent_group == RespondentGroup.PARENT_CARER)
    scales = [
        a
        for r in responses
        for a in r.answers
        if a.question.kind in (QuestionKind.FEELINGS_SCALE, QuestionKind.AGREE_SCALE) and a.choice
    ]
    listened = [a for a in scales if "listened" in a.question.key]
    raised = {theme.id for a in _written(responses) for theme in _codings_of(a)}
    published = [
        u for u in db.session.scalars(db.select(Update)) if u.status == UpdateStatus.PUBLISHED
    ]
    closed = {u.theme_id for u in published} | {
        t.id for u in published for action in u.actions for t in action.themes
    }
    open_ = [a for a in actions if a.status not in (ActionStatus.DONE, ActionStatus.NOT_POSSIBLE)]
    days = []
    for engagement in engagements:
        first = min(
            (u.published_at.date() for u in published if u.engagement_id == engagement.id),
            default=None,
        )
        if first is not None:
            days.append((first - engagement.closes_on).days)
    return [
        str(young),
        str(parents),
        str(len(responses) - young - parents),
        _percent(sum(a.choice in POSITIVE for a in scales), len(scales)),
        _percent(sum(a.choice in POSITIVE for a in listened), len(listened)),
        str(len(raised)),
        str(len(open_)),
        str(sum(1 for a in open_ if a.due_on < TODAY)),
        str(sum(1 for a in actions if a.status == ActionStatus.DONE)),
        _percent(len(raised & closed), len(raised)),
        str(round(sum(days) / len(days))) if days else "–",
    ]


def test_dashboard(app, counted):
    soup = _page(counted, "/staff/dashboard")
    with app.app_context():
        services = list(db.session.scalars(db.select(Service)))
        actions = list(db.session.scalars(db.select(Action)))
        commissioners = {service.commissioner for service in services}
        by_service = {
            s.name: _dashboard_row(_engagements_of(s), [a for a in actions if a.service_id == s.id])
            for s in services
        }
        by_commissioner = {
            o.name: _dashboard_row(
                list({e for s in services if s.commissioner == o for e in _engagements_of(s)}),
                [a for a in actions if a.service.commissioner == o],
            )
            for o in commissioners
        }
        engagements = list(db.session.scalars(db.select(Engagement)))
        timings = {}
        for engagement in engagements:
            published = [
                u.published_at.date()
                for u in db.session.scalars(db.select(Update))
                if u.engagement_id == engagement.id and u.status == UpdateStatus.PUBLISHED
            ]
            first = min(published, default=None)
            timings[engagement.title] = [
                engagement.closes_on.strftime("%-d %b %Y"),
                first.strftime("%-d %b %Y") if first else "Not yet",
                str((first - engagement.closes_on).days) if first else "–",
            ]
        stages = list(CommissioningStage)
        cycle = {
            s.name: [
                str(n)
                if (n := sum(1 for e in _engagements_of(s) if e.stage == stage))
                else "None –"
                for stage in stages
            ]
            for s in services
        }
    tables = dict(soup.tables())
    # "was N%" appears only with answers from the year before: this fixture has none.
    assert tables["By service"] == by_service
    assert tables["By commissioner"] == by_commissioner
    assert tables["Engagements: from close to first update"] == timings
    (caption,) = [c for c in tables if c.startswith("Engagement across the commissioning cycle")]
    assert tables[caption] == cycle


def _descriptions(soup: Page) -> dict[str, str]:
    """Each chart's description in words (its SVG's <desc>), by the chart's title."""
    return {svg.title.get_text(): svg.desc.get_text() for svg in soup.find_all("svg")}


def _quarter_label(day: date) -> str:
    months = ("Jan–Mar", "Apr–Jun", "Jul–Sep", "Oct–Dec")
    return f"{months[(day.month - 1) // 3]} {day.year}"


def _quarter_rows(services: list[Service], listened_only: bool) -> dict[str, list[str]]:
    """Per quarter, each service's per cent positive and answers, counted from the answers."""
    pairs: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    quarters = set()
    for service in services:
        for response in _submitted([s for e in _engagements_of(service) for s in e.surveys]):
            for answer in response.answers:
                question = answer.question
                if question.kind not in (QuestionKind.FEELINGS_SCALE, QuestionKind.AGREE_SCALE):
                    continue
                if answer.skipped or answer.choice is None:
                    continue
                if listened_only and "listened" not in question.key:
                    continue
                quarter = _quarter_label(response.submitted_at.astimezone(UTC).date())
                quarters.add(quarter)
                pairs[service.name, quarter][0] += answer.choice in POSITIVE
                pairs[service.name, quarter][1] += 1
    shown = [s.name for s in services if any(pairs[s.name, q][1] for q in quarters)]
    order = sorted(quarters, key=lambda label: (label[-4:], label))
    rows = {}
    for quarter in order:
        cells = []
        for name in shown:
            good, every = pairs[name, quarter]
            cells.append(f"{_percent(good, every)} {every} answer{'s' if every != 1 else ''}")
            if not every:
                cells[-1] = "– no answers"
        rows[quarter] = cells
    return rows


def test_dashboard_charts_equal_their_tables_and_the_rows(app, counted):
    soup = _page(counted, "/staff/dashboard")
    tables = dict(soup.tables())
    described = _descriptions(soup)
    with app.app_context():
        services = sorted(db.session.scalars(db.select(Service)), key=lambda s: s.name)
        actions = list(db.session.scalars(db.select(Action)))
        statuses = {
            "Planned": ActionStatus.PLANNED,
            "In progress": ActionStatus.IN_PROGRESS,
            "Done": ActionStatus.DONE,
            "Not possible": ActionStatus.NOT_POSSIBLE,
        }
        by_status = {}
        for label, status in statuses.items():
            mine = [a for a in actions if a.status == status]
            late = sum(1 for a in mine if a.due_on < TODAY and status in CLOSABLE)
            by_status[label] = [str(len(mine) - late), str(late), str(len(mine))]
        own_voice = {}
        for service in services:
            responses = _submitted([s for e in _engagements_of(service) for s in e.surveys])
            if responses:
                own_voice[service.name] = [_percent(_own_voice(responses), len(responses))]
        commissioners = sorted({s.commissioner for s in services}, key=lambda o: o.name)
        closure = {}
        for organisation in commissioners:
            row = _dashboard_row(
                list(
                    {
                        e
                        for s in services
                        if s.commissioner == organisation
                        for e in _engagements_of(s)
                    }
                ),
                [],
            )
            if row[5] != "0":  # themes raised
                closure[organisation.name] = [row[9]]
        satisfied = _quarter_rows(services, listened_only=False)
        listened = _quarter_rows(services, listened_only=True)

    assert tables["Actions by status: the numbers"] == by_status
    assert sum(int(row[1]) for row in by_status.values()) == 2  # the fixture's two overdue
    assert described["Actions by status"].endswith(
        "; ".join(
            f"{label}: {total} (Not overdue {on_time}, Overdue {late})"
            for label, (on_time, late, total) in by_status.items()
        )
        + "."
    )
    assert tables["Young people's own voice, per service: the numbers"] == own_voice
    assert described["Young people's own voice, per service"].endswith(
        "; ".join(f"{name}: {share}" for name, (share,) in own_voice.items()) + "."
    )
    assert tables["Loop closure per commissioner: the numbers"] == closure
    # The same figure as the commissioners' table beside it.
    assert {
        name: [row[9]] for name, row in tables["By commissioner"].items() if name in closure
    } == closure
    assert tables["Satisfaction per service, by quarter: the numbers"] == satisfied
    assert tables["Felt listened to, per service, by quarter: the numbers"] == listened
    assert len(satisfied) >= 2  # the fixture's answers fall in more than one quarter
    for title in (
        "Satisfaction per service, by quarter",
        "Felt listened to, per service, by quarter",
    ):
        quarter, shares = next(iter(tables[f"{title}: the numbers"].items()))
        assert described[title].split(". ")[-1].startswith(f"{quarter}: ")


def test_governance_report(app, counted):
    first = (TODAY - timedelta(days=40)).strftime("%Y-%m")
    last = TODAY.strftime("%Y-%m")
    soup = _page(counted, f"/staff/reports/governance?period={first}..{last}")
    with app.app_context():
        engagements = list(db.session.scalars(db.select(Engagement).order_by(Engagement.title)))
        rows = {}
        for engagement in engagements:
            row = _dashboard_row([engagement], [])[:3]
            total = len(_submitted(list(engagement.surveys)))
            rows[engagement.title] = [*row, str(total)]
        responses = _submitted([s for e in engagements for s in e.surveys])
        raised: dict[int, set[int]] = defaultdict(set)
        for answer in _written(responses):
            for theme in _codings_of(answer):
                raised[theme.id].add(answer.response_id)
        published = [
            u for u in db.session.scalars(db.select(Update)) if u.status == UpdateStatus.PUBLISHED
        ]
        closed = {u.theme_id for u in published} | {
            t.id for u in published for action in u.actions for t in action.themes
        }
        themes = {}
        for theme in db.session.scalars(db.select(Theme)):
            if raised[theme.id]:
                count = len(raised[theme.id])
                actions = db.session.scalar(
                    db.select(db.func.count())
                    .select_from(Action)
                    .where(Action.themes.contains(theme))
                )
                themes[theme.name] = [
                    str(count) if count >= 5 else "fewer than 5",
                    str(actions),
                    "Yes" if theme.id in closed else "Not yet",
                ]
        action_count = db.session.scalar(db.select(db.func.count()).select_from(Action))
    tables = dict(soup.tables())
    assert tables["Responses by group and engagement"] == rows
    assert tables["Themes, with how many responses raised each"] == themes
    assert len(tables["Actions, by due date"]) == action_count
    summary = [text_of(item) for item in soup.select("ul.figures li")]
    assert summary[:5] == [
        f"{len(responses)} responses",
        f"{sum(int(r[0]) for r in rows.values())} from young people in their own voice",
        f"{sum(int(r[1]) for r in rows.values())} from parents and carers",
        f"{len(themes)} themes raised",
        f"{action_count} actions",
    ]
