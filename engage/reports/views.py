"""Staff pages: the commissioner dashboard and governance report downloads."""

from __future__ import annotations

from flask import Blueprint, render_template

from engage.reports import dashboard

bp = Blueprint("reports", __name__, url_prefix="/staff")


def percent(share: float | None) -> str:
    return "–" if share is None else f"{round(share * 100)}%"


def days(value: float | None) -> str:
    return "–" if value is None else f"{round(value)}"


@bp.route("/dashboard")
def dashboard_page():
    return render_template(
        "reports/dashboard.html", board=dashboard.build(), percent=percent, days=days
    )
