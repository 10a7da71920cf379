"""Accounts: staff users, roles, sign-in and the audit log."""

from flask import Flask


def init_app(app: Flask) -> None:
    from engage.accounts.views import bp
    from engage.navigation import NavItem, add_staff_nav

    app.register_blueprint(bp)
    add_staff_nav(app, NavItem("accounts.home", "Staff home", order=0))
