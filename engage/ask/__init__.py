"""Ask step: surveys, their questions and options, YAML definitions, the staff editor."""

from flask import Flask


def symbol_alt_text(code: str) -> str:
    from engage.ask.symbols import alt_text

    # Every symbol shown needs alt text, even one the installed set no longer describes.
    return alt_text(code) or "symbol"


def init_app(app: Flask) -> None:
    from engage.ask.lint import lint_command
    from engage.ask.views import bp
    from engage.navigation import NavItem, add_staff_nav

    app.register_blueprint(bp)
    app.cli.add_command(lint_command)
    app.jinja_env.globals["symbol_alt_text"] = symbol_alt_text
    # Engagements are inform's pages, but their staff editor arrived with the survey editor.
    add_staff_nav(app, NavItem("inform.staff_engagements", "Engagements", order=10))
    add_staff_nav(app, NavItem("ask.index", "Surveys", order=20))
