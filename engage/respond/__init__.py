"""Respond step."""

from flask import Flask


def init_app(app: Flask) -> None:
    from engage.respond.views import bp

    app.register_blueprint(bp)
