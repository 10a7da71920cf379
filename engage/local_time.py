"""Dates as people in the area read them: a closing date means until midnight after it, in
the area's time zone (settings: TIMEZONE), while the database keeps moments in UTC."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time
from flask import current_app
from flask_babel import gettext as _

from engage.schema import utcnow


def local_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["TIMEZONE"])


def today() -> date:
    return utcnow().astimezone(local_zone()).date()


def start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=local_zone())


def end_of(day: date) -> datetime:
    """The end of a last day: midnight after it."""
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=local_zone())


def local(moment: datetime) -> datetime:
    return moment.astimezone(local_zone())


def _language() -> str:
    from flask import has_request_context

    from engage.languages import SOURCE, current_language

    return current_language() if has_request_context() else SOURCE


def day_text(day: date) -> str:
    """GOV.UK style: 1 April 2027 (in another language, as its speakers write a date)."""
    language = _language()
    if language != "en":
        return format_date(day, "d MMMM y", locale=language)
    return f"{day.day} {day:%B %Y}"


def _clock(moment: datetime, language: str) -> str:
    if language != "en":
        return format_time(moment, "short", locale=language)
    hour = moment.hour % 12 or 12
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes}{'am' if moment.hour < 12 else 'pm'}"


def moment_text(moment: datetime) -> str:
    """GOV.UK style, in the area's time: 5:30pm on 1 April 2027; midnight is the end of the
    day before, so nobody reads 'midnight on 2 April' as the start of 2 April."""
    moment = local(moment)
    if moment.time() == time.min:
        return _("midnight at the end of %(day)s", day=day_text(moment.date() - timedelta(days=1)))
    clock = _clock(moment, _language())
    return _("%(time)s on %(day)s", time=clock, day=day_text(moment.date()))
