"""The known data sets the dashboard and governance report tests read: organisations,
services, engagements, coded responses, actions and updates with set dates."""

from datetime import UTC, date, datetime

from engage.extensions import db
from engage.improve.models import ActionStatus
from engage.inform.models import CommissioningStage, OrganisationKind
from engage.listen.models import AnsweredHow, RespondentGroup
from tests.improve import factories

ON = date(2026, 6, 10)  # the day the dashboard's data set is read
YOUNG = RespondentGroup.YOUNG_PERSON
PARENT = RespondentGroup.PARENT_CARER


def dashboard_fixture():
    council = factories.organisation("Council", OrganisationKind.COUNCIL)
    nhs = factories.organisation("NHS", OrganisationKind.NHS)
    breaks = factories.service(council, "Short breaks")
    therapy = factories.service(nhs, "Therapy")
    camhs = factories.service(nhs, "CAMHS")
    first = factories.engagement([breaks, therapy], "First", closes_on=date(2026, 5, 1))
    second = factories.engagement(
        [camhs], "Second", closes_on=date(2026, 3, 1), stage=CommissioningStage.PLAN
    )
    factories.engagement(
        [camhs], "Old", closes_on=date(2024, 3, 1), stage=CommissioningStage.DELIVER
    )
    themes = [factories.theme(name) for name in ("Waits", "Staff", "Buildings", "Unused")]
    survey = factories.survey(first)
    people = [
        (YOUNG, AnsweredHow.OWN),
        (YOUNG, AnsweredHow.WITH_HELP),
        (YOUNG, AnsweredHow.ON_BEHALF),
        (PARENT, AnsweredHow.NOT_SAID),
        (PARENT, AnsweredHow.NOT_SAID),
        (PARENT, AnsweredHow.NOT_SAID),
    ]
    for number, (group, how) in enumerate(people):
        response = factories.response(survey, group=group, answered_how=how)
        factories.code(response, themes[number % 3])
    factories.code(factories.response(survey, group=PARENT, submitted=False), themes[2])
    factories.code(factories.response(factories.survey(second), group=PARENT), themes[2])

    overdue = factories.action(
        themes=[themes[1]],
        service_=therapy,
        status=ActionStatus.IN_PROGRESS,
        due_on=date(2026, 5, 1),
    )
    factories.action(service_=therapy, status=ActionStatus.DONE, due_on=date(2026, 1, 1))
    factories.action(
        service_=therapy,
        status=ActionStatus.NOT_POSSIBLE,
        reason="No budget",
        due_on=date(2026, 1, 1),
    )
    factories.action(service_=breaks, due_on=date(2030, 1, 1))
    # Waits closed directly, Staff through its action; Buildings only has a draft.
    factories.update(first, themes[0], published_at=datetime(2026, 5, 15, 9, tzinfo=UTC))
    factories.update(first, published_at=datetime(2026, 6, 1, tzinfo=UTC), actions=[overdue])
    factories.update(second, themes[2])
    db.session.flush()


def governance_fixture():
    council = factories.organisation("Council")
    local_offer = factories.service(council, "Local offer")
    local_offer.slug = "local-offer"
    therapy = factories.service(factories.organisation("NHS"), "Therapy")
    website = factories.engagement([local_offer], "Finding help", closes_on=date(2026, 5, 1))
    talk = factories.engagement([therapy], "Talking help", closes_on=date(2026, 9, 1))
    factories.engagement([therapy], "Long ago", closes_on=date(2025, 1, 1))
    search = factories.theme('=HYPERLINK("http://evil.example")')
    waits = factories.theme("Waits")
    survey = factories.survey(website)
    for _number in range(6):
        factories.code(factories.response(survey, text="The <b>search</b> is hard"), search)
    factories.code(factories.response(factories.survey(talk)), waits)
    fix = factories.action(
        owner=council,
        themes=[search],
        title="We will rebuild search",
        status=ActionStatus.IN_PROGRESS,
        due_on=date(2026, 1, 1),
        service_=local_offer,
    )
    factories.update(
        website,
        search,
        title="Better search",
        published_at=datetime(2026, 5, 11, tzinfo=UTC),
        actions=[fix],
    )
    db.session.flush()
