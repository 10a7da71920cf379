"""Ask step."""

from flask import Flask


def init_app(app: Flask) -> None:
    from engage.ask.views import bp

    app.register_blueprint(bp)
