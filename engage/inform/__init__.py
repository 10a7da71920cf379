"""Inform: organisations, services, engagements and public information pages."""

from flask import Flask


def init_app(app: Flask) -> None:
    from engage.inform.engagements import closing_text, status_today
    from engage.inform.views import bp

    app.register_blueprint(bp)
    app.jinja_env.globals["engagement_status_today"] = status_today
    app.jinja_env.globals["engagement_closing_text"] = closing_text
