"""Inform: organisations, services, engagements and public information pages."""

from flask import Blueprint, Flask

# The step's one blueprint: each of its views modules adds routes to it, and init_app
# imports them all before registering it.
bp = Blueprint("inform", __name__)


def init_app(app: Flask) -> None:
    from engage.content_translations import lang_attr
    from engage.inform import staff, views  # noqa: F401
    from engage.inform.engagements import closing_text, status_today

    app.register_blueprint(bp)
    app.jinja_env.globals["engagement_status_today"] = status_today
    app.jinja_env.globals["engagement_closing_text"] = closing_text
    # Public pages mark staff-written content shown in English on a page in another language.
    app.jinja_env.globals["lang_attr"] = lang_attr
