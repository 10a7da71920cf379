"""'You said, we did': drafting with suppressed small counts, cleaning staff text, publishing
with the outbox in the same transaction, and sending with retries to a real SMTP server."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from engage.accounts.models import Role
from engage.extensions import db
from engage.improve.models import ActionStatus
from engage.respond import outbox, richtext, traceability, updates
from engage.respond.models import OutboxMessage, Update, UpdateStatus
from tests.improve import factories
from tests.respond.smtp import smtp_server

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _engagement_with_codings(count: int, theme=None):
    theme = theme or factories.theme("Waiting times", description="Long waits for therapy")
    engagement = factories.engagement(title="Talking help")
    survey = factories.survey(engagement)
    for number in range(count):
        factories.code(factories.response(survey, text=f"answer {number}"), theme)
    return engagement, theme, survey


@pytest.mark.parametrize(
    ("count", "phrase"),
    [(1, "Fewer than 5 people"), (4, "Fewer than 5 people"), (5, "5 people"), (12, "12 people")],
)
def test_counts_under_five_are_suppressed(app_context, count, phrase):
    engagement, theme, _survey = _engagement_with_codings(count)
    draft = updates.draft(engagement, theme)
    assert draft.you_said.startswith(f"<p>{phrase} who answered")
    whole = updates.draft(engagement)
    expected = "fewer than 5 people" if count < 5 else f"{count} people"
    assert f"Waiting times: {expected}" in whole.you_said


def test_draft_uses_no_respondent_text_and_lists_linked_actions(app_context):
    engagement, theme, survey = _engagement_with_codings(6)
    factories.code(factories.response(survey, text=XSS), theme)
    factories.action(
        themes=[theme], title="We will <hire> therapists", status=ActionStatus.IN_PROGRESS
    )
    draft = updates.draft(engagement, theme)
    assert "answer 1" not in draft.you_said and "alert" not in draft.you_said
    assert "We will &lt;hire&gt; therapists</strong>: In progress" in draft.we_did
    assert [a.title for a in draft.actions] == ["We will <hire> therapists"]
    assert draft.status == UpdateStatus.DRAFT


def test_staff_rich_text_is_cleaned_with_nh3(app_context):
    engagement = factories.engagement()
    update = factories.update(engagement)
    updates.save(
        update,
        updates.UpdateFields(
            title="Waits",
            you_said='<p onclick="x()">Waits <strong>too long</strong></p>' + XSS,
            we_did='<ul><li><a href="javascript:alert(1)">bad</a></li>'
            '<li><a href="https://example.org/plan" style="x">plan</a></li></ul>',
            easy_read_you_said="<h1>Big</h1><em>ok</em>",
            easy_read_we_did="<iframe src=x></iframe>fine",
        ),
    )
    assert update.you_said == "<p>Waits <strong>too long</strong></p>"
    assert 'href="javascript' not in update.we_did
    assert '<a href="https://example.org/plan" rel="noopener noreferrer">plan</a>' in update.we_did
    assert update.easy_read_you_said == "Big<em>ok</em>"
    assert update.easy_read_we_did == "fine"
    assert richtext.plain("<p>Fish &amp; chips</p>") == "Fish & chips"


def test_publishing_queues_one_email_per_opted_in_person_in_the_same_transaction(app_context):
    engagement, theme, survey = _engagement_with_codings(0)
    other_survey = factories.survey(engagement)
    factories.response(survey, email="Parent@Example.org")
    factories.response(other_survey, email="parent@example.org ")  # the same person twice
    factories.response(survey, email="young@example.org")
    factories.response(survey, email="no@example.org", wants_updates=False)
    factories.response(survey, email="draft@example.org", submitted=False)
    factories.response(factories.survey(factories.engagement()), email="elsewhere@example.org")
    update = factories.update(engagement, theme, title="Waits")
    db.session.commit()

    queued = updates.publish(update, "https://engage.example/you-said-we-did/waits")
    assert queued == 2
    # Rolled back: neither the publishing nor the emails happened.
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    assert db.session.get(Update, update.id).status == UpdateStatus.DRAFT

    update = db.session.get(Update, update.id)
    updates.publish(update, "https://engage.example/you-said-we-did/waits")
    db.session.commit()
    messages = list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.to)))
    assert [m.to for m in messages] == ["parent@example.org", "young@example.org"]
    assert "https://engage.example/you-said-we-did/waits" in messages[0].body
    assert "appointment" not in messages[0].body  # the answers' words never go out
    assert update.published_at is not None and update.status == UpdateStatus.PUBLISHED
    with pytest.raises(updates.UpdateError):
        updates.publish(update, "https://engage.example/again")


def test_publishing_needs_both_parts_in_both_versions(app_context):
    update = factories.update(factories.engagement())
    update.easy_read_we_did = "<p> </p>"
    with pytest.raises(updates.UpdateError) as error:
        updates.publish(update, "https://engage.example/x")
    assert error.value.field == "easy_read_we_did"


def _queue(to: str) -> OutboxMessage:
    message = OutboxMessage(to=to, subject="You said, we did: Waits", body="Read it: https://x")
    db.session.add(message)
    db.session.commit()
    return message


def test_send_updates_delivers_once_and_retries_after_a_failure(app):
    with app.app_context():
        first = _queue("one@example.org").id
        second = _queue("two@example.org").id
        with smtp_server() as (server, port):
            config = {**app.config, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port}
            server.refuse_next = 1
            report = outbox.send_pending(config)
            assert (report.sent, report.failed) == (1, 1)
            failed = db.session.get(OutboxMessage, first)
            assert failed.sent_at is None and failed.attempts == 1
            assert "451" in failed.last_error and "one@" not in failed.last_error
            assert [to for to, _m in server.messages] == [["two@example.org"]]

            report = outbox.send_pending(config)
            assert (report.sent, report.failed) == (1, 0)
            retried = db.session.get(OutboxMessage, first)
            assert retried.sent_at is not None and retried.attempts == 2
            assert retried.last_error is None

            # Nothing left: a third run sends nothing again.
            assert outbox.send_pending(config).sent == 0
            assert sorted(to[0] for to, _m in server.messages) == [
                "one@example.org",
                "two@example.org",
            ]
            sent = server.messages[0][1]
            assert sent["Subject"] == "You said, we did: Waits"
            assert sent["From"] == app.config["MAIL_FROM"]
        assert db.session.get(OutboxMessage, second).attempts == 1


def test_send_updates_gives_up_after_ten_attempts(app):
    with app.app_context():
        message_id = _queue("never@example.org").id
        with smtp_server() as (server, port):
            config = {**app.config, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port}
            server.refuse_next = 100
            given_up = 0
            for _run in range(12):
                given_up += outbox.send_pending(config).given_up
            message = db.session.get(OutboxMessage, message_id)
            assert message.attempts == 10 and message.sent_at is None
            assert given_up == 1
            assert server.messages == []


def test_send_updates_command(app):
    with app.app_context():
        _queue("cli@example.org")
    with smtp_server() as (server, port):
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
        try:
            result = app.test_cli_runner().invoke(args=["send-updates"])
        finally:
            app.config.update(MAIL_PORT=25)
        assert result.exit_code == 0, result.output
        assert "Sent 1" in result.output
        assert len(server.messages) == 1


def test_response_traces_forward_to_actions_and_updates(app_context):
    engagement, theme, survey = _engagement_with_codings(0)
    said = factories.response(survey, text="Waits are long")
    factories.code(said, theme)
    action = factories.action(themes=[theme])
    about_theme = factories.update(engagement, theme, title="About waits")
    about_action = factories.update(engagement, title="About hiring", actions=[action])
    factories.update(engagement, title="Unrelated")
    outcome = traceability.outcome_of_response(said.id)
    assert outcome.actions == [action]
    assert {u.title for u in outcome.updates} == {about_theme.title, about_action.title}


def test_draft_edit_and_publish_through_the_staff_pages(app, staff_client):
    with app.app_context():
        engagement, theme, survey = _engagement_with_codings(3)
        factories.response(survey, email="hear@example.org")
        db.session.commit()
        engagement_id, theme_id = engagement.id, theme.id
    client = staff_client(Role.COMMISSIONER)
    response = client.post(
        "/staff/updates/new", data={"engagement": str(engagement_id), "theme": str(theme_id)}
    )
    assert response.status_code == 303
    edit_url = response.headers["Location"]
    form = client.get(edit_url).get_data(as_text=True)
    assert "Fewer than 5 people" in form
    response = client.post(
        edit_url,
        data={
            "title": "Shorter waits",
            "you_said": "<p>You told us waits were <strong>long</strong>.</p>" + XSS,
            "we_did": "<p>We hired two therapists.</p>",
            "easy_read_you_said": "<p>You said you waited a long time.</p>",
            "easy_read_we_did": "<p>We got more staff.</p>",
        },
    )
    assert response.status_code == 303
    show_url = response.headers["Location"]
    page = client.get(show_url).get_data(as_text=True)
    assert "<strong>long</strong>" in page and "onerror" not in page and "<script>" not in page
    # Publishing asks first, on a page of its own; an unconfirmed POST publishes nothing.
    assert 'href="' + show_url + '/publish"' in page
    confirm = client.get(show_url + "/publish").get_data(as_text=True)
    assert "Are you sure you want to publish this update?" in confirm
    assert "1 person who asked to hear back is sent an email about it" in confirm
    assert 'name="confirmed" value="yes"' in confirm
    unconfirmed = client.post(show_url + "/publish")
    assert unconfirmed.status_code == 303
    assert unconfirmed.headers["Location"].endswith("/publish")
    with app.app_context():
        assert db.session.scalar(select(Update)).status == UpdateStatus.DRAFT
    response = client.post(show_url + "/publish", data={"confirmed": "yes"})
    assert response.status_code == 303
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "1 email queued for someone who asked to hear back" in shown
    assert "email(s)" not in shown
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 1
        update = db.session.scalar(select(Update))
        assert update.status == UpdateStatus.PUBLISHED
        assert update.published_at <= datetime.now(UTC)
    # A second confirmed publish is refused on the update's page, and queues nothing more.
    again = client.post(show_url + "/publish", data={"confirmed": "yes"})
    assert again.status_code == 400
    assert "This update is already published" in again.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 1
    assert staff_client(Role.VIEWER).post(show_url + "/publish").status_code == 403


def test_address_follows_the_title_until_published(app_context):
    update = factories.update(factories.engagement(), title="First title")
    fields = dict(
        you_said="<p>a</p>",
        we_did="<p>b</p>",
        easy_read_you_said="<p>c</p>",
        easy_read_we_did="<p>d</p>",
    )
    updates.save(update, updates.UpdateFields(title="Better title", **fields))
    assert update.slug == "better-title"
    updates.publish(update, "https://engage.example/x")
    updates.save(update, updates.UpdateFields(title="Renamed later", **fields))
    assert update.slug == "better-title"


def test_themes_with_no_action_and_no_published_update(app, staff_client):
    with app.app_context():
        engagement, waits, survey = _engagement_with_codings(2)
        staff, rooms, drafts, quiet = (
            factories.theme(name) for name in ("Staff", "Rooms", "Drafted only", "Quiet")
        )
        for theme in (staff, rooms, drafts):
            factories.code(factories.response(survey), theme)
        factories.code(factories.response(survey, submitted=False), quiet)  # a draft only
        factories.action(themes=[staff])
        factories.update(engagement, rooms, published_at=datetime(2026, 6, 1, tzinfo=UTC))
        factories.update(engagement, drafts)  # a draft update does not answer a theme
        found = [(theme.name, count) for theme, count in updates.themes_without_action_or_update()]
        assert found == [("Waiting times", 2), ("Drafted only", 1)]
        db.session.commit()
    page = staff_client(Role.VIEWER).get("/staff/updates").get_data(as_text=True)
    assert 'Create action<span class="govuk-visually-hidden"> for Waiting times' in page


def test_publishing_marks_a_closed_engagement_responded(app_context):
    from engage.inform.models import EngagementStatus

    engagement = factories.engagement(status=EngagementStatus.CLOSED)
    updates.publish(factories.update(engagement), "https://engage.example/x")
    assert engagement.status == EngagementStatus.RESPONDED


def test_staff_see_how_the_emails_are_getting_on(app, staff_client):
    with app.app_context():
        _queue("waiting@example.org")
        failing = _queue("failing@example.org")
        failing.attempts = 3
        stuck = _queue("stuck@example.org")
        stuck.attempts = 10
        done = _queue("done@example.org")
        done.attempts, done.sent_at = 1, datetime(2026, 6, 1, tzinfo=UTC)
        db.session.commit()
        summary = outbox.summary()
        assert (summary.sent, summary.waiting, summary.failing, summary.given_up) == (1, 1, 1, 1)
    page = staff_client(Role.VIEWER).get("/staff/updates").get_data(as_text=True)
    assert "1 sent, 1 waiting, 1 being retried, 1 given up after 10 attempts" in page


def test_plain_text_from_the_box_without_javascript_becomes_paragraphs_and_lists():
    assert richtext.from_form("We heard you.\r\n\r\n* Waits\r\n- Letters <late>\n\nThanks") == (
        "<p>We heard you.</p><ul><li>Waits</li><li>Letters &lt;late&gt;</li></ul><p>Thanks</p>"
    )
    # Lines of one paragraph join; HTML typed into the box is cleaned, not escaped.
    assert richtext.from_form("one\ntwo") == "<p>one two</p>"
    assert richtext.from_form('<p onclick="x()">Hi</p><p></p><iframe src=x></iframe>') == (
        "<p>Hi</p>"
    )
    assert richtext.from_form("  ") == ""
