"""An automatic code staff removed in review stays removed when answers are re-analysed;
adding the theme back by hand lifts the rejection."""

from sqlalchemy import select

from engage.accounts.models import Role
from engage.extensions import db
from engage.learn.models import Coding, CodingRejection, CodingSource
from engage.listen.models import Answer
from tests.helpers.respondent import EASY, answer, begin, submission_token

TEXT = "We were on the waiting list for two years before anyone saw him"


def _auto_coded(app, client, analyse_waiting):
    begin(client, EASY)
    answer(client, EASY, "get_help", {"get_help": "no"})
    answer(client, EASY, "better", {"better": TEXT})
    client.post(
        f"/surveys/{EASY}/submit", data={"submission_token": submission_token(client, EASY)}
    )
    analyse_waiting()
    with app.app_context():
        answer_id = db.session.scalar(select(Answer.id).where(Answer.text == TEXT))
        codings = db.session.scalars(select(Coding).where(Coding.answer_id == answer_id)).all()
        assert codings and all(c.source is CodingSource.AUTO for c in codings)
        return answer_id, [c.theme_id for c in codings]


def test_removed_auto_code_is_not_added_back(app, client, demo, staff_client, analyse_waiting):
    answer_id, theme_ids = _auto_coded(app, client, analyse_waiting)
    staff = staff_client(Role.COMMISSIONER)
    saved = staff.post(f"/staff/review/{answer_id}", data={"themes": [], "sentiment": "negative"})
    assert saved.status_code == 303
    result = app.test_cli_runner().invoke(args=["analyse", "--all"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalars(select(Coding).where(Coding.answer_id == answer_id)).all() == []
        rejected = set(
            db.session.scalars(
                select(CodingRejection.theme_id).where(CodingRejection.answer_id == answer_id)
            )
        )
        assert rejected == set(theme_ids)
    staff.post(
        f"/staff/review/{answer_id}",
        data={"themes": [str(theme_ids[0])], "sentiment": "negative"},
    )
    with app.app_context():
        assert (
            db.session.scalar(
                select(CodingRejection.id).where(
                    CodingRejection.answer_id == answer_id, CodingRejection.theme_id == theme_ids[0]
                )
            )
            is None
        )
        [kept] = db.session.scalars(select(Coding).where(Coding.answer_id == answer_id)).all()
        assert kept.source is CodingSource.STAFF and kept.confirmed
