"""A respondent sees, downloads and erases their own answers with the receipt code."""

import json

from sqlalchemy import func, select

from engage.extensions import db
from engage.listen.models import Answer, ContactDetail, Response
from tests.helpers.respondent import submit_with_contact


def test_view_download_and_erase_by_receipt_code(app, client, demo):
    receipt = submit_with_contact(app, client)
    other = app.test_client()
    wrong = other.post("/my-answers", data={"code": "AAAA-BBBB-CCCC"})
    assert wrong.status_code == 400
    assert "We could not find answers for that receipt code" in wrong.get_data(as_text=True)
    found = other.post("/my-answers", data={"code": receipt.lower()})
    assert found.status_code == 303 and receipt not in found.headers["Location"]
    page = other.get("/my-answers/view").get_data(as_text=True)
    assert "More time with my therapist &lt;b&gt;please&lt;/b&gt;" in page
    download = other.get("/my-answers/download.json")
    assert "attachment" in download.headers["Content-Disposition"]
    data = json.loads(download.get_data(as_text=True))
    assert data["receipt_code"] == receipt
    assert data["contact_email"] == "young.person@example.com"
    assert len(data["answers"]) == 7
    unconfirmed = other.post("/my-answers/delete", data={})
    assert unconfirmed.status_code == 400
    assert "Select yes to confirm" in unconfirmed.get_data(as_text=True)
    deleted = other.post("/my-answers/delete", data={"confirm": "yes"})
    assert "Your answers have been deleted" in deleted.get_data(as_text=True)
    with app.app_context():
        for model in (Response, Answer, ContactDetail):
            assert db.session.scalar(select(func.count()).select_from(model)) == 0


def test_own_answers_pages_need_a_code_first(client):
    assert client.get("/my-answers/view").status_code == 302
    assert client.get("/my-answers/download.json").status_code == 302
    assert client.post("/my-answers", data={"code": ""}).status_code == 400


def test_guessing_receipt_codes_is_rate_limited(app, client):
    app.config["RATE_LIMITS_ON"] = True
    try:
        statuses = [
            client.post("/my-answers", data={"code": f"AAAA-BBBB-{n:04d}"}).status_code
            for n in range(12)
        ]
    finally:
        app.config["RATE_LIMITS_ON"] = False
    assert statuses[0] == 400
    assert statuses[-1] == 429


def test_guessing_resume_codes_is_rate_limited(app, client):
    app.config["RATE_LIMITS_ON"] = True
    try:
        last = None
        for n in range(12):
            last = client.post("/resume", data={"code": f"AAAA-BBBB-{n:04d}"})
    finally:
        app.config["RATE_LIMITS_ON"] = False
    assert last.status_code == 429
    assert last.headers.get("Retry-After")
