"""Accounts: staff users, roles, sign-in, the audit log, and the operator commands for them."""

from flask import Flask


def init_app(app: Flask) -> None:
    from engage.accounts import password_views  # noqa: F401 - adds its pages to bp
    from engage.accounts.readiness import readyz
    from engage.accounts.views import bp
    from engage.navigation import NavItem, add_staff_nav

    app.register_blueprint(bp)
    app.add_url_rule("/readyz", "readyz", readyz)
    add_staff_nav(app, NavItem("accounts.home", "Staff home", order=0))
    add_staff_nav(app, NavItem("accounts.users", "Staff accounts", roles=("admin",), order=900))
    add_staff_nav(app, NavItem("accounts.audit_log", "Audit log", roles=("admin",), order=910))
