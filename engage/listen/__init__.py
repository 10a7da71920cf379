"""Listen: the public survey runner, drafts, resume codes and responses."""

from flask import Blueprint, Flask

# The step's one blueprint: each of its views modules adds routes to it, and init_app
# imports them all before registering it.
bp = Blueprint("listen", __name__)


def response_counts(only_survey_id: int | None = None) -> dict[int, tuple[int, int]]:
    """Per survey id: (submitted responses, responses still being answered); ask's editor
    asks, to lock the questions of an answered survey."""
    from sqlalchemy import func, select

    from engage.extensions import db
    from engage.listen.models import Response, ResponseStatus

    query = select(Response.survey_id, Response.status, func.count())
    if only_survey_id is not None:
        query = query.where(Response.survey_id == only_survey_id)
    counts: dict[int, tuple[int, int]] = {}
    for survey_id, status, number in db.session.execute(
        query.group_by(Response.survey_id, Response.status)
    ):
        submitted, answering = counts.get(survey_id, (0, 0))
        if status is ResponseStatus.SUBMITTED:
            counts[survey_id] = (submitted + number, answering)
        else:
            counts[survey_id] = (submitted, answering + number)
    return counts


def init_app(app: Flask) -> None:
    from engage.listen import paper_views, tally, views  # noqa: F401

    app.register_blueprint(bp)
    app.extensions["engage_response_counts"] = response_counts
    tally.register(app, tally)
    if not app.testing:
        # About 0.7 s: at start, not in the first respondent's page save.
        from engage.listen.answer_languages import load_model

        load_model()
