"""The SEND Governance Board report: a self-contained HTML file (inline SVG charts, tables,
no external assets) and CSVs, for one engagement or a period of months. It includes the Local
Offer feedback report (SEND Code of Practice 4.165: publish the comments received about the
Local Offer and the action taken)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from pathlib import Path

from flask import current_app, has_request_context, render_template, request
from markupsafe import Markup
from sqlalchemy import and_, case, distinct, func, or_, select

from engage.ask.models import Survey
from engage.extensions import db
from engage.improve.actions import is_overdue, today
from engage.improve.models import STATUS_LABELS, Action, action_theme
from engage.inform.models import Engagement, Service, engagement_service
from engage.learn.cache import cached
from engage.learn.models import Coding, Theme
from engage.learn.quotes import approved_in
from engage.listen.models import Answer, Response, ResponseStatus
from engage.reports import charts
from engage.reports.dashboard import PARENTS, YOUNG_OWN_VOICE, closed_themes, days_text
from engage.respond.models import Update, UpdateStatus
from engage.respond.updates import SMALL_COUNT
from engage.schema import utcnow
from engage.spreadsheet import csv_text

LOCAL_OFFER_SLUG = "local-offer"
PERIOD = re.compile(r"^(\d{4})-(\d{2})\.\.(\d{4})-(\d{2})$")
# `engage report` has no request to take an address from; this is what `make run` serves.
LOCAL_SITE = "http://127.0.0.1:5000"


class ReportError(Exception):
    """The report cannot be made as asked."""


@dataclass
class Scope:
    label: str
    slug: str
    engagement_ids: list[int]
    start: date | None = None
    end: date | None = None


def parse_period(text: str) -> tuple[date, date]:
    """'2026-04..2027-03' -> 1 April 2026 to 31 March 2027."""
    match = PERIOD.match(text.strip())
    if not match:
        raise ReportError("Give the period as YYYY-MM..YYYY-MM, for example 2026-04..2027-03")
    first_year, first_month, last_year, last_month = (int(part) for part in match.groups())
    if not (1 <= first_month <= 12 and 1 <= last_month <= 12):
        raise ReportError("Months run from 01 to 12")
    start = date(first_year, first_month, 1)
    end = date(last_year, last_month, calendar.monthrange(last_year, last_month)[1])
    if end < start:
        raise ReportError("The period must end after it starts")
    return start, end


def scope_for(engagement_slug: str | None = None, period: str | None = None, *conditions) -> Scope:
    """The engagements a report covers; conditions on Engagement limit them to a staff
    member's reach (the command line passes none)."""
    if engagement_slug and period:
        raise ReportError("Choose an engagement or a period, not both")
    if engagement_slug:
        found = db.session.scalar(
            select(Engagement).where(Engagement.slug == engagement_slug, *conditions)
        )
        if found is None:
            raise ReportError(f"No engagement '{engagement_slug}'")
        return Scope(found.title, found.slug, [found.id])
    if period:
        start, end = parse_period(period)
        when = func.coalesce(Engagement.closes_on, Engagement.opens_on)
        ids = list(
            db.session.scalars(
                select(Engagement.id)
                .where(when >= start, when <= end, *conditions)
                .order_by(Engagement.id)
            )
        )
        label = f"{start.strftime('%B %Y')} to {end.strftime('%B %Y')}"
        return Scope(label, f"{start:%Y-%m}-to-{end:%Y-%m}", ids, start, end)
    raise ReportError("Choose an engagement (--engagement) or a period (--period)")


def site_address() -> str:
    """Where links in a downloaded file point: ENGAGE_SITE_URL, else the address the request
    came to; a report is read offline, so a site-relative link would lead nowhere."""
    configured = current_app.config.get("SITE_URL") or ""
    if configured:
        return configured.rstrip("/")
    if has_request_context():
        return request.host_url.rstrip("/")
    return LOCAL_SITE


def count_text(count: int) -> str:
    return f"fewer than {SMALL_COUNT}" if count < SMALL_COUNT else str(count)


@dataclass
class Report:
    scope: Scope
    generated_at: datetime
    responses: list[dict] = field(default_factory=list)
    themes: list[dict] = field(default_factory=list)
    actions: list[dict] = field(default_factory=list)
    updates: list[dict] = field(default_factory=list)
    local_offer_themes: list[dict] = field(default_factory=list)
    local_offer_actions: list[dict] = field(default_factory=list)
    local_offer_updates: list[dict] = field(default_factory=list)
    # Approved wording only: how many quotes staff approved in the scope, and the Local
    # Offer's (SEND Code of Practice 4.165 asks for the comments themselves).
    quotes_approved: int = 0
    local_offer_quotes: list[str] = field(default_factory=list)
    charts: dict[str, Markup] = field(default_factory=dict)

    @property
    def totals(self) -> dict[str, int]:
        return {
            key: sum(row[key] for row in self.responses)
            for key in ("young_people", "parents", "others", "responses")
        }

    @property
    def loop_closure(self) -> str:
        raised = len(self.themes)
        closed = sum(1 for row in self.themes if row["closed"])
        return f"{round(100 * closed / raised)}%" if raised else "–"


def _responses(ids: list[int]) -> list[dict]:
    # Each response joins one survey and one engagement, so plain counts are counts of
    # responses (COUNT DISTINCT sorted every response id three times over).
    rows = db.session.execute(
        select(
            Engagement.title,
            func.count(case((YOUNG_OWN_VOICE, 1))),
            func.count(case((PARENTS, 1))),
            func.count(),
        )
        .select_from(Response)
        .join(Survey, Survey.id == Response.survey_id)
        .join(Engagement, Engagement.id == Survey.engagement_id)
        .where(Engagement.id.in_(ids), Response.status == ResponseStatus.SUBMITTED)
        .group_by(Engagement.id, Engagement.title)
        .order_by(Engagement.title)
    )
    return [
        {
            "engagement": title,
            "young_people": young,
            "parents": parents,
            "others": total - young - parents,
            "responses": total,
        }
        for title, young, parents, total in rows
    ]


def _themes(ids: list[int]) -> list[dict]:
    closed = closed_themes()
    # The report's own actions only (as _actions lists them): another engagement's action
    # about the same theme is not one of this report's.
    acted = (
        select(action_theme.c.theme_id, func.count().label("actions"))
        .join(Action, Action.id == action_theme.c.action_id)
        .where(or_(Action.engagement_id.in_(ids), Action.engagement_id.is_(None)))
        .group_by(action_theme.c.theme_id)
        .subquery()
    )
    # Count per theme first, from the scope's responses (their answers are read through an
    # index), then name the few themes: joining the codings row by row to the themes and
    # their closed and acted flags read every answer row and took 3-4 times longer.
    counted = (
        select(Coding.theme_id, func.count(distinct(Response.id)).label("responses"))
        .select_from(Response)
        .join(Answer, Answer.response_id == Response.id)
        .join(Coding, Coding.answer_id == Answer.id)
        .where(
            Response.survey_id.in_(select(Survey.id).where(Survey.engagement_id.in_(ids))),
            Response.status == ResponseStatus.SUBMITTED,
        )
        .group_by(Coding.theme_id)
        .subquery()
    )
    rows = db.session.execute(
        select(
            Theme.id,
            Theme.name,
            counted.c.responses,
            closed.c.theme_id.is_not(None),
            func.coalesce(acted.c.actions, 0),
        )
        .join(counted, counted.c.theme_id == Theme.id)
        .outerjoin(closed, closed.c.theme_id == Theme.id)
        .outerjoin(acted, acted.c.theme_id == Theme.id)
        .order_by(counted.c.responses.desc(), Theme.name)
    )
    return [
        {
            "id": theme_id,
            "theme": name,
            "count": count,
            "responses": count_text(count),
            "closed": bool(is_closed),
            "actions": actions,
        }
        for theme_id, name, count, is_closed, actions in rows
    ]


def _action_rows(found: list[Action], on: date) -> list[dict]:
    return [
        {
            "action": action.title,
            "themes": ", ".join(theme.name for theme in action.themes),
            "service": action.service.name if action.service else "",
            "owner_organisation": action.owner_organisation.name,
            "owner": action.owner_name,
            "due_on": action.due_on,
            "status": STATUS_LABELS[action.status],
            "overdue": is_overdue(action, on),
            "not_possible_reason": action.not_possible_reason or "",
            "latest_progress": action.updates[-1].text if action.updates else "",
        }
        for action in found
    ]


def _actions(ids: list[int], theme_ids: list[int]) -> list[Action]:
    """The engagements' own actions, and actions of no engagement about a theme they raised:
    never another engagement's action, even about the same theme."""
    linked = select(action_theme.c.action_id).where(action_theme.c.theme_id.in_(theme_ids))
    return list(
        db.session.scalars(
            select(Action)
            .where(
                or_(
                    Action.engagement_id.in_(ids),
                    and_(Action.engagement_id.is_(None), Action.id.in_(linked)),
                )
            )
            .order_by(Action.due_on, Action.id)
        )
    )


def _updates(ids: list[int]) -> list[dict]:
    rows = db.session.execute(
        select(
            Update.title, Update.slug, Engagement.title, Engagement.closes_on, Update.published_at
        )
        .join(Engagement, Engagement.id == Update.engagement_id)
        .where(Update.engagement_id.in_(ids), Update.status == UpdateStatus.PUBLISHED)
        .order_by(Update.published_at)
    )
    found = []
    for title, slug, engagement, closes_on, published in rows:
        days = (published.date() - closes_on).days if closes_on else None
        found.append(
            {
                # Not "update": Jinja would find the dict's own update() method first.
                "title": title,
                "path": f"/you-said-we-did/{slug}",
                "engagement": engagement,
                "published_on": published.date(),
                "days": days,
                "days_from_close": days_text(days) if days is not None else "",
            }
        )
    return found


@dataclass(frozen=True)
class _Figures:
    """The report's figures and chart drawings as plain data, to keep in the figures cache."""

    responses: tuple[dict, ...]
    themes: tuple[dict, ...]
    actions: tuple[dict, ...]
    updates: tuple[dict, ...]
    local_offer_themes: tuple[dict, ...]
    local_offer_actions: tuple[dict, ...]
    local_offer_updates: tuple[dict, ...]
    quotes_approved: int
    local_offer_quotes: tuple[str, ...]
    charts: tuple[tuple[str, str], ...]


def build(scope: Scope, on: date | None = None, *, use_cache: bool = True) -> Report:
    """The report as on a day; its figures from the cache until any data under them change."""
    on = on or today()
    ids = tuple(scope.engagement_ids)
    compute = partial(_figures, ids, on)
    key = ("governance", scope.label, scope.slug, ids, scope.start, scope.end, on)
    figures = cached(key, compute) if use_cache else compute()
    site = site_address()
    # Fresh rows for each report, so that nothing done to one reaches the cached figures.
    return Report(
        scope=scope,
        generated_at=utcnow(),
        responses=[dict(row) for row in figures.responses],
        themes=[dict(row) for row in figures.themes],
        actions=[dict(row) for row in figures.actions],
        updates=[{**row, "page": site + row["path"]} for row in figures.updates],
        local_offer_themes=[dict(row) for row in figures.local_offer_themes],
        local_offer_actions=[dict(row) for row in figures.local_offer_actions],
        local_offer_updates=[
            {**row, "page": site + row["path"]} for row in figures.local_offer_updates
        ],
        quotes_approved=figures.quotes_approved,
        local_offer_quotes=list(figures.local_offer_quotes),
        charts={name: _svg(svg) for name, svg in figures.charts},
    )


def _figures(ids: tuple[int, ...], on: date) -> _Figures:
    responses = _responses(list(ids))
    themes = _themes(list(ids))
    actions = _action_rows(_actions(list(ids), [row["id"] for row in themes]), on)
    local_offer_ids = list(
        db.session.scalars(
            select(engagement_service.c.engagement_id)
            .join(Service, Service.id == engagement_service.c.service_id)
            .where(Service.slug == LOCAL_OFFER_SLUG, engagement_service.c.engagement_id.in_(ids))
        )
    )
    updates = _updates(list(ids))
    if set(local_offer_ids) == set(ids):
        # A report on Local Offer engagements only: its Local Offer part is the whole report.
        local_offer_themes, local_offer_actions, local_offer_updates = themes, actions, updates
    else:
        local_offer_themes = _themes(local_offer_ids)
        local_offer_actions = _action_rows(
            _actions(local_offer_ids, [row["id"] for row in local_offer_themes]), on
        )
        local_offer_updates = _updates(local_offer_ids)
    return _Figures(
        responses=tuple(responses),
        themes=tuple(themes),
        actions=tuple(actions),
        updates=tuple(updates),
        local_offer_themes=tuple(local_offer_themes),
        local_offer_actions=tuple(local_offer_actions),
        local_offer_updates=tuple(local_offer_updates),
        quotes_approved=len(approved_in(list(ids))),
        local_offer_quotes=tuple(approved_in(local_offer_ids)),
        # Drawing the charts is much of the work. Their SVG is the same for the same
        # figures and carries no per-request token (no nonce, no CSRF), so it is kept too.
        charts=tuple(_charts(responses, themes, actions).items()),
    )


def _svg(svg: str) -> Markup:
    # Drawn by engage.learn.charts from staff-named engagements, themes and statuses, whose
    # text ElementTree escapes; no respondent's words are ever drawn.
    return Markup(svg)  # noqa: S704  # nosec B704


def status_counts(actions: list[dict]) -> dict[str, tuple[int, int]]:
    """{status label: (actions, overdue ones)} in the order of the statuses."""
    return {
        label: (
            sum(1 for row in actions if row["status"] == label),
            sum(1 for row in actions if row["status"] == label and row["overdue"]),
        )
        for label in STATUS_LABELS.values()
    }


def _charts(responses: list[dict], themes: list[dict], actions: list[dict]) -> dict[str, str]:
    made: dict[str, str] = {}
    if responses:
        made["responses"] = charts.drawing(charts.responses_by_group(responses))
    shown = [row for row in themes if row["count"] >= SMALL_COUNT][:10]
    if shown:
        made["themes"] = charts.drawing(charts.themes_raised(shown, SMALL_COUNT))
    if actions:
        made["actions"] = charts.drawing(charts.actions_by_status(status_counts(actions)))
    return made


CSV_PARTS = {
    "responses": ("responses", ["engagement", "young_people", "parents", "others", "responses"]),
    "themes": ("themes", ["theme", "responses", "actions", "closed"]),
    "actions": (
        "actions",
        [
            "action",
            "themes",
            "service",
            "owner_organisation",
            "owner",
            "due_on",
            "status",
            "overdue",
            "not_possible_reason",
            "latest_progress",
        ],
    ),
    "updates": ("updates", ["title", "page", "engagement", "published_on", "days_from_close"]),
    "local-offer-themes": ("local_offer_themes", ["theme", "responses", "actions", "closed"]),
    "local-offer-actions": (
        "local_offer_actions",
        [
            "action",
            "themes",
            "owner_organisation",
            "due_on",
            "status",
            "not_possible_reason",
            "latest_progress",
        ],
    ),
}


# Column headings as a board member reads them in Excel.
CSV_HEADINGS = {
    "engagement": "Engagement",
    "young_people": "Young people (own voice)",
    "parents": "Parents and carers",
    "others": "Other",
    "responses": "Responses",
    "theme": "Theme",
    "actions": "Actions",
    "closed": "Published update",
    "action": "Action",
    "themes": "Themes",
    "service": "Service",
    "owner_organisation": "Owner organisation",
    "owner": "Owner",
    "due_on": "Due",
    "status": "Status",
    "overdue": "Overdue",
    "not_possible_reason": "Why not possible",
    "latest_progress": "Latest progress",
    "title": "Update",
    "page": "Page",
    "published_on": "Published",
    "days_from_close": "Days from survey close",
}


def csv_for(report: Report, part: str) -> str:
    """One part of the report as CSV; True and False are written Yes and No."""
    if part not in CSV_PARTS:
        raise ReportError(f"No CSV called '{part}'")
    attribute, columns = CSV_PARTS[part]
    rows = getattr(report, attribute)
    return csv_text(
        [CSV_HEADINGS[column] for column in columns],
        ([row[column] for column in columns] for row in rows),
    )


def html_for(report: Report) -> str:
    return render_template(
        "reports/governance.html",
        report=report,
        small=SMALL_COUNT,
        status_counts=status_counts(report.actions),
        chart_style=charts.style(),
    )


def file_stem(report: Report) -> str:
    return f"governance-{report.scope.slug}-{report.generated_at:%Y%m%d}"


def write(report: Report, directory: Path) -> list[Path]:
    """The HTML and every CSV, side by side in `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    stem = file_stem(report)
    written = [directory / f"{stem}.html"]
    written[0].write_text(html_for(report), encoding="utf-8")
    for part in CSV_PARTS:
        path = directory / f"{stem}-{part}.csv"
        # newline="" keeps the CRLF line ends RFC 4180 asks for.
        with path.open("w", encoding="utf-8", newline="") as out:
            out.write(csv_for(report, part))
        written.append(path)
    return written


def default_directory(root_path: str) -> Path:
    return Path(root_path).resolve().parent / "reports"
