"""Reports: the commissioner dashboard and the governance report, built from learn, improve
and respond."""

from flask import Flask


def init_app(app: Flask) -> None:
    from engage.navigation import NavItem, add_staff_nav
    from engage.reports.views import bp

    app.register_blueprint(bp)
    add_staff_nav(app, NavItem("reports.dashboard_page", "Dashboard", order=80))
