"""Improve step."""

from flask import Flask


def init_app(app: Flask) -> None:
    from engage.improve.views import bp

    app.register_blueprint(bp)
