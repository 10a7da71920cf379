"""Ask step: surveys, their questions and options, YAML definitions, the staff editor."""

from flask import Blueprint, Flask

# The step's one blueprint: each of its views modules adds routes to it, and init_app
# imports them all before registering it.
bp = Blueprint("ask", __name__)


def symbol_alt_text(code: str) -> str:
    from engage.ask.symbols import alt_text

    # Every symbol shown needs alt text, even one the installed set no longer describes.
    return alt_text(code) or "symbol"


def survey_in_language(survey):
    """The survey's texts in the visitor's language where it is offered there; says which."""
    from engage.ask.translations import show_in_language
    from engage.content_translations import current_language

    return show_in_language(survey, current_language())


def init_app(app: Flask) -> None:
    from engage.ask import copy_views, question_views, translation_views, views  # noqa: F401
    from engage.ask.schedule import schedule
    from engage.navigation import NavItem, add_staff_nav

    app.register_blueprint(bp)
    # Pages of later steps (the engagement page, the runner) show a survey's dates this way.
    app.jinja_env.globals["survey_schedule"] = schedule
    app.jinja_env.globals["symbol_alt_text"] = symbol_alt_text
    # The engagement page (inform) lists its surveys in the visitor's language where offered.
    app.jinja_env.globals["survey_in_language"] = survey_in_language
    # Engagements are inform's pages, but their staff editor arrived with the survey editor.
    add_staff_nav(app, NavItem("inform.staff_engagements", "Engagements", order=10))
    add_staff_nav(app, NavItem("ask.index", "Surveys", order=20))
