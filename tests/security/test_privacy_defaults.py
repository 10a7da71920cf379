"""Children's code defaults on every survey: nothing pre-ticked, contact details optional and
unticked, every question skippable unless staff marked it required, no third-party origins."""

from __future__ import annotations

import re

from sqlalchemy import select

from engage.ask.models import Survey
from engage.extensions import db


def _surveys(app):
    with app.app_context():
        return [
            (s.slug, [(q.key, q.required) for q in s.questions])
            for s in db.session.scalars(select(Survey))
        ]


def test_every_survey_page_starts_empty_skippable_and_first_party(app, demo):
    surveys = _surveys(app)
    assert len(surveys) >= 2
    for slug, questions in surveys:
        client = app.test_client()
        assert client.post(f"/surveys/{slug}/start").status_code == 303
        for key, required in questions:
            page = client.get(f"/surveys/{slug}/questions/{key}").get_data(as_text=True)
            assert not re.search(r"<input[^>]* checked", page), (slug, key)
            assert ('value="skip"' in page) is (not required), (slug, key)
            for url in re.findall(r'(?:src|href|action)="([^"]+)"', page):
                assert url.startswith(("/", "#", "?", "mailto:", "tel:")), (slug, key, url)
        for key, required in questions:
            if not required:
                skipped = client.post(f"/surveys/{slug}/questions/{key}", data={"action": "skip"})
                assert skipped.status_code == 303, (slug, key)
        # Every question skipped is nothing to send; one answer (the first one offered) is.
        first = questions[0][0]
        page = client.get(f"/surveys/{slug}/questions/{first}?change=1").get_data(as_text=True)
        value = re.search(rf'name="answer-{first}"[^>]* value="([^"]+)"', page).group(1)
        client.post(
            f"/surveys/{slug}/questions/{first}?change=1",
            data={"action": "continue", f"answer-{first}": value},
        )
        check = client.get(f"/surveys/{slug}/check").get_data(as_text=True)
        token = re.search(r'name="submission_token" value="([^"]+)"', check).group(1)
        done = client.post(f"/surveys/{slug}/submit", data={"submission_token": token})
        confirmation = client.get(done.headers["Location"]).get_data(as_text=True)
        # The e-mail opt-in says it is optional, in easy-read words on an easy-read survey.
        assert "(optional)" in confirmation or "(you do not have to)" in confirmation
        assert not re.search(r"<input[^>]* (checked|required)", confirmation)


def test_responses_store_no_ip_address_or_user_agent(app):
    columns = {column.name for column in db.metadata.tables["response"].columns}
    assert not columns & {"ip", "ip_address", "remote_addr", "user_agent", "useragent"}
