"""Improve: actions linked to themes and services, with owners, due dates and progress."""

from flask import Flask


def init_app(app: Flask) -> None:
    from engage.improve.views import bp
    from engage.navigation import NavItem, add_staff_nav

    app.register_blueprint(bp)
    add_staff_nav(app, NavItem("improve.index", "Actions", order=60))
