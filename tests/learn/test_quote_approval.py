"""Staff approve de-identified quotes for publication; only approved wording reaches a
"You said, we did" draft, and never from a flagged response."""

from sqlalchemy import select

from engage.accounts.models import Role
from engage.extensions import db
from engage.learn.models import QuoteApproval
from engage.listen.models import Response
from tests.helpers.respondent import submit_written_answer


def test_identifying_details_must_go_before_approval(app, client, staff_client, demo):
    answer_id, engagement_id = submit_written_answer(
        app, client, "My son is Tom, call me on 07700 900123, we wait too long"
    )
    staff = staff_client(Role.COMMISSIONER)
    page = staff.get(f"/staff/quotes/{answer_id}/approve").get_data(as_text=True)
    assert "This may identify someone" in page
    refused = staff.post(
        f"/staff/quotes/{answer_id}/approve",
        data={"published_text": "Call me on 07700 900123, we wait too long"},
    )
    assert refused.status_code == 400
    assert "Remove what could identify someone before approving" in refused.get_data(as_text=True)
    approved = staff.post(
        f"/staff/quotes/{answer_id}/approve", data={"published_text": "We wait <too> long"}
    )
    assert approved.status_code == 303
    with app.app_context():
        approval = db.session.scalar(select(QuoteApproval))
        assert approval.published_text == "We wait <too> long"
        from engage.learn.quotes import approved_in

        assert approved_in([engagement_id]) == ["We wait <too> long"]
    browser_page = staff.get(approved.headers["Location"]).get_data(as_text=True)
    assert "Approved for publication" in browser_page
    assert "We wait &lt;too&gt; long" in browser_page


def test_viewer_cannot_approve(app, client, staff_client, demo):
    answer_id, _ = submit_written_answer(app, client, "More speech therapy sessions please")
    viewer = staff_client(Role.VIEWER)
    assert (
        viewer.post(f"/staff/quotes/{answer_id}/approve", data={"published_text": "x"}).status_code
        == 403
    )


def test_flagged_answer_cannot_be_approved(app, client, staff_client, demo):
    answer_id, _ = submit_written_answer(app, client, "My uncle hurts me at home")
    staff = staff_client(Role.ADMIN)
    assert staff.get(f"/staff/quotes/{answer_id}/approve").status_code == 404


def test_withdrawn_quote_is_not_offered(app, client, staff_client, demo):
    answer_id, engagement_id = submit_written_answer(app, client, "The therapist is kind")
    staff = staff_client(Role.ADMIN)
    staff.post(
        f"/staff/quotes/{answer_id}/approve", data={"published_text": "The therapist is kind"}
    )
    staff.post(f"/staff/quotes/{answer_id}/withdraw")
    with app.app_context():
        from engage.learn.quotes import approved_in

        assert approved_in([engagement_id]) == []
        assert db.session.scalar(select(Response.id)) is not None
