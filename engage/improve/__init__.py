"""Improve: actions linked to themes and services, with owners, due dates and progress."""

from flask import Flask


def init_app(app: Flask) -> None:
    from engage.improve.actions import latest_for_results
    from engage.improve.views import bp
    from engage.learn.hooks import add_latest_actions
    from engage.navigation import NavItem, add_staff_nav

    app.register_blueprint(bp)
    # An engagement's results summary lists its latest actions (learn knows nothing of improve).
    add_latest_actions(app, latest_for_results)
    add_staff_nav(app, NavItem("improve.index", "Actions", order=60))
