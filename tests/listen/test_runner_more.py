"""Grouped pages, concurrent double submits, and emailing a resume code to a real SMTP server."""

from __future__ import annotations

import re
import socket
import threading

from sqlalchemy import func, select

from engage.ask.models import Survey
from engage.extensions import db
from engage.listen import runner
from engage.listen.models import Response, ResponseStatus
from tests.helpers.respondent import EASY, STANDARD, answer, begin, complete_easy_read


def test_standard_survey_can_group_questions_by_section(app, client, demo):
    with app.app_context():
        survey = db.session.scalar(select(Survey).where(Survey.slug == STANDARD))
        survey.one_question_per_page = False
        db.session.commit()
        pages = [[q.key for q in page] for page in runner.pages(survey)]
        easy_read_pages = runner.pages(survey, easy=True)
    # The follow-ups depend on used_local_offer (and the box on looked_for), so they start
    # their own page; its easy-read version has one question on each page.
    assert pages == [
        ["respondent_group"],
        ["used_local_offer"],
        ["found_information", "looked_for"],
        ["looked_for_other"],
        ["sen_support", "listened_to"],
        ["one_change"],
    ]
    assert [len(page) for page in easy_read_pages] == [1] * 8
    begin(client, STANDARD)
    answer(client, STANDARD, "respondent_group", {"respondent_group": "parent_carer"})
    answer(client, STANDARD, "used_local_offer", {"used_local_offer": "no"})
    page = client.get(f"/surveys/{STANDARD}/questions/sen_support").get_data(as_text=True)
    assert "SEN support in school" in page
    assert "How well does SEN support" in page and "I feel listened to" in page
    moved = answer(
        client, STANDARD, "sen_support", {"sen_support": "very_well", "listened_to": "bogus"}
    )
    assert moved.status_code == 400
    assert 'value="very_well" checked' in moved.get_data(as_text=True)


def test_concurrent_double_submit_records_one_response(app, client, demo):
    token = complete_easy_read(client)
    cookie = client.get_cookie("session").value
    results = []

    def post():
        other = app.test_client()
        other.set_cookie("session", cookie)
        results.append(other.post(f"/surveys/{EASY}/submit", data={"submission_token": token}))

    threads = [threading.Thread(target=post) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [r.status_code for r in results] == [303] * 4
    assert len({r.headers["Location"] for r in results}) == 1
    with app.app_context():
        count = db.session.scalar(
            select(func.count())
            .select_from(Response)
            .where(Response.status == ResponseStatus.SUBMITTED)
        )
    assert count == 1


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_resume_code_is_emailed_only_when_asked(app, client, demo):
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Sink

    received = []

    class Keep(Sink):
        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd API
            received.append((envelope.rcpt_tos, envelope.content.decode()))
            return "250 OK"

    port = _free_port()
    controller = Controller(Keep(), hostname="127.0.0.1", port=port)
    controller.start()
    old = (app.config["MAIL_SERVER"], app.config["MAIL_PORT"])
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    try:
        begin(client, EASY)
        saved = answer(client, EASY, "get_help", {"get_help": "yes"}, action="save")
        page = client.get(saved.headers["Location"]).get_data(as_text=True)
        code = re.search(r'id="resume-code">([0-9A-Z-]+)</strong>', page).group(1)
        assert received == []
        bad = client.post(saved.headers["Location"], data={"email": "nope"})
        assert bad.status_code == 400
        sent = client.post(saved.headers["Location"], data={"email": "carer@example.com"})
        assert "We have emailed the code to carer@example.com" in sent.get_data(as_text=True)
    finally:
        controller.stop()
        app.config.update(MAIL_SERVER=old[0], MAIL_PORT=old[1])
    [(recipients, message)] = received
    assert recipients == ["carer@example.com"]
    assert code in message
    with app.app_context():
        draft = db.session.scalar(select(Response))
        assert draft.contact is None  # the address was not kept


def test_email_failure_gives_a_clear_error(app, client, demo):
    old = (app.config["MAIL_SERVER"], app.config["MAIL_PORT"])
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=_free_port())
    try:
        begin(client, EASY)
        saved = answer(client, EASY, "get_help", {"get_help": "yes"}, action="save")
        failed = client.post(saved.headers["Location"], data={"email": "carer@example.com"})
    finally:
        app.config.update(MAIL_SERVER=old[0], MAIL_PORT=old[1])
    assert failed.status_code == 400
    assert "We could not send the email. Write the code down instead." in failed.get_data(
        as_text=True
    )
