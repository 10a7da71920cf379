"""Respond: 'You said, we did' updates, public pages and feed, telling people who opted in."""

from flask import Blueprint, Flask

# The step's one blueprint: each of its views modules adds routes to it, and init_app
# imports them all before registering it.
bp = Blueprint("respond", __name__)


def closed_survey_links(survey) -> list[tuple[str, str]]:
    """Where a closed survey's page sends people to read what was done."""
    from flask import url_for

    from engage.respond.updates import published_for_survey

    return [
        (update.title, url_for("respond.update_page", slug=update.slug))
        for update in published_for_survey(survey)
    ]


def init_app(app: Flask) -> None:
    from engage.learn.quotes import add_withdrawal_listener
    from engage.learn.safeguarding import add_safeguarding_notifier
    from engage.listen.hooks import add_closed_survey_links
    from engage.navigation import NavItem, add_staff_nav
    from engage.respond import richtext, translation_views, views  # noqa: F401
    from engage.respond.outbox import queue_safeguarding_notice
    from engage.respond.updates import take_out_quote

    app.register_blueprint(bp)
    app.jinja_env.filters["staff_richtext"] = richtext.render
    add_safeguarding_notifier(app, queue_safeguarding_notice)
    add_withdrawal_listener(app, take_out_quote)
    add_closed_survey_links(app, closed_survey_links)
    add_staff_nav(app, NavItem("respond.staff_index", "You said, we did", order=70))
