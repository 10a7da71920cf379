"""Ask step: surveys, their questions and options, YAML definitions, the staff editor."""

import click
from flask import Flask
from flask.cli import with_appcontext
from flask_babel import ngettext


def symbol_alt_text(code: str) -> str:
    from engage.ask.symbols import alt_text

    # Every symbol shown needs alt text, even one the installed set no longer describes.
    return alt_text(code) or "symbol"


def survey_in_language(survey):
    """The survey's texts in the visitor's language where it is offered there; says which."""
    from engage.ask.translations import show_in_language
    from engage.content_translations import current_language

    return show_in_language(survey, current_language())


@click.command("close-due")
@with_appcontext
def close_due_command() -> None:
    """Mark surveys and engagements whose closing dates have passed as closed.

    Optional (pages check the dates on every request); it keeps lists and exports tidy.
    """
    from engage.ask import schedule
    from engage.extensions import db
    from engage.inform import engagements

    surveys = schedule.close_due()
    closed = engagements.close_due()
    db.session.commit()
    click.echo(
        "Closed "
        + ngettext("%(num)d survey", "%(num)d surveys", len(surveys))
        + " and "
        + ngettext("%(num)d engagement.", "%(num)d engagements.", len(closed))
    )


def init_app(app: Flask) -> None:
    from engage.ask.lint import lint_command
    from engage.ask.schedule import schedule
    from engage.ask.views import bp
    from engage.navigation import NavItem, add_staff_nav

    app.register_blueprint(bp)
    app.cli.add_command(lint_command)
    app.cli.add_command(close_due_command)
    # Pages of later steps (the engagement page, the runner) show a survey's dates this way.
    app.jinja_env.globals["survey_schedule"] = schedule
    app.jinja_env.globals["symbol_alt_text"] = symbol_alt_text
    # The engagement page (inform) lists its surveys in the visitor's language where offered.
    app.jinja_env.globals["survey_in_language"] = survey_in_language
    # Engagements are inform's pages, but their staff editor arrived with the survey editor.
    add_staff_nav(app, NavItem("inform.staff_engagements", "Engagements", order=10))
    add_staff_nav(app, NavItem("ask.index", "Surveys", order=20))
