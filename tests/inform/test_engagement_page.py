"""Public engagement pages, with the easy-read switch remembered for the visit."""

from datetime import date

from freezegun import freeze_time

from engage.extensions import db
from engage.inform.models import Engagement, EngagementStatus
from tests.improve import factories


def test_home_lists_open_engagements(client, demo):
    page = client.get("/").get_data(as_text=True)
    assert "Speech and language therapy in schools" in page
    assert "/engagements/talking-help-at-school" in page


def test_easy_read_switch_is_remembered_for_the_visit(client, demo):
    standard = client.get("/engagements/talking-help-at-school").get_data(as_text=True)
    assert "Speech and language therapy in schools" in standard
    assert "Easy read version" in standard
    easy = client.get("/engagements/talking-help-at-school?version=easy-read").get_data(
        as_text=True
    )
    assert "Help with talking at school" in easy
    assert "We are checking the help you get." in easy
    later = client.get("/engagements/local-offer-and-sen-support").get_data(as_text=True)
    assert "Finding help and support" in later
    back = client.get("/engagements/local-offer-and-sen-support?version=standard")
    assert "The Local Offer and SEN support" in back.get_data(as_text=True)


def test_engagement_page_links_to_its_survey(client, demo):
    page = client.get("/engagements/talking-help-at-school").get_data(as_text=True)
    assert "/surveys/talking-help-at-school" in page


def test_unknown_engagement_is_not_found(client, demo):
    assert client.get("/engagements/nope").status_code == 404


def test_an_engagement_closed_early_never_says_it_closed_on_a_day_to_come(app, client):
    with app.app_context():
        factories.engagement(
            title="Short breaks review", closes_on=date(2027, 3, 31), status=EngagementStatus.OPEN
        )
        db.session.commit()
    with freeze_time("2027-03-10 12:00:00"):
        page = client.get("/engagements/short-breaks-review").get_data(as_text=True)
        assert "Closes on 31 March 2027" in page
        with app.app_context():
            found = db.session.scalar(db.select(Engagement))
            found.status = EngagementStatus.CLOSED  # staff closed it three weeks early
            db.session.commit()
        page = client.get("/engagements/short-breaks-review").get_data(as_text=True)
        assert "Closed on 31 March 2027" not in page
        assert "Closed early: it was due to close on 31 March 2027" in page
    with freeze_time("2027-04-02 12:00:00"):
        page = client.get("/engagements/short-breaks-review").get_data(as_text=True)
        assert "Closed on 31 March 2027" in page
