"""Staff pages: the commissioner dashboard and governance report downloads."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from engage.accounts.audit import record
from engage.accounts.reauth import require_recent_auth
from engage.extensions import EXPORT_LIMIT, db, rate_limit
from engage.inform.access import engagement_condition
from engage.inform.models import Engagement
from engage.learn.views import RESULTS_ROLES
from engage.reports import dashboard, governance

bp = Blueprint("reports", __name__, url_prefix="/staff")


def percent(share: float | None) -> str:
    return "–" if share is None else f"{round(share * 100)}%"


def days(value: float | None) -> str:
    return "–" if value is None else f"{round(value)}"


@bp.route("/dashboard")
def dashboard_page():
    return render_template(
        "reports/dashboard.html",
        board=dashboard.build(),
        percent=percent,
        days=days,
        can_see_results=current_user.role in RESULTS_ROLES,
    )


def _engagements() -> list[Engagement]:
    query = select(Engagement).where(engagement_condition()).order_by(Engagement.title)
    return list(db.session.scalars(query))


@bp.route("/reports")
def reports_page():
    return render_template(
        "reports/index.html", engagements=_engagements(), parts=list(governance.CSV_PARTS)
    )


@bp.route("/reports/governance")
@rate_limit(EXPORT_LIMIT)
@require_recent_auth
def governance_download():
    engagement = request.args.get("engagement") or None
    period = request.args.get("period") or None
    part = request.args.get("part") or "html"
    try:
        report = governance.build(governance.scope_for(engagement, period, engagement_condition()))
        if part == "html":
            body, mimetype, suffix = governance.html_for(report), "text/html", ".html"
        else:
            body, mimetype, suffix = governance.csv_for(report, part), "text/csv", f"-{part}.csv"
    except governance.ReportError as error:
        return render_template(
            "reports/index.html",
            engagements=_engagements(),
            parts=list(governance.CSV_PARTS),
            error=_(str(error)),
            period=period or "",
        ), 400
    record("report_downloaded", "report", report.scope.slug, detail=part)
    db.session.commit()
    filename = governance.file_stem(report) + suffix
    # An attachment: the browser saves the file and never renders it under this origin.
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
