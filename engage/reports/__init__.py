"""Reports step."""

from flask import Flask


def init_app(app: Flask) -> None:
    from engage.reports.views import bp

    app.register_blueprint(bp)
