"""The staff menu, which each step adds its pages to."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: str
    # Empty means every signed-in staff role.
    roles: tuple[str, ...] = ()
    order: int = 100


def add_staff_nav(app: Flask, item: NavItem) -> None:
    app.extensions["engage_staff_nav"].append(item)
    app.extensions["engage_staff_nav"].sort(key=lambda nav: nav.order)


def staff_nav(app: Flask, role: str) -> list[NavItem]:
    return [i for i in app.extensions["engage_staff_nav"] if not i.roles or role in i.roles]


def init_app(app: Flask) -> None:
    from flask import current_app
    from flask_login import current_user

    def staff_nav_items() -> list[NavItem]:
        if not current_user.is_authenticated:
            return []
        return staff_nav(current_app, current_user.role.value)

    app.jinja_env.globals["staff_nav_items"] = staff_nav_items
