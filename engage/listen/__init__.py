"""Listen step."""

from flask import Flask


def init_app(app: Flask) -> None:
    from engage.listen.views import bp

    app.register_blueprint(bp)
