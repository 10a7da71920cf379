"""What templates have beyond Flask's and Flask-Babel's: contact links and the area's dates."""

from __future__ import annotations

import re

from flask import Flask
from markupsafe import Markup


def mail_link(address: str) -> Markup:
    """An e-mail address as a link that opens the mail app."""
    return Markup('<a class="govuk-link govuk-!-text-break-word" href="mailto:{0}">{0}</a>').format(
        address
    )


def tel_link(number: str) -> Markup:
    """A phone number as a link a phone can call (tel: takes the digits only)."""
    digits = re.sub(r"[^\d+]", "", number)
    if _right_to_left():
        # In Arabic or Urdu text the groups of "0800 1111" would otherwise show in reverse.
        return Markup('<a class="govuk-link" href="tel:{}" dir="ltr">{}</a>').format(digits, number)
    return Markup('<a class="govuk-link" href="tel:{}">{}</a>').format(digits, number)


def _right_to_left() -> bool:
    from flask import has_request_context

    from engage.languages import current_language, is_rtl

    return has_request_context() and is_rtl(current_language())


def init_app(app: Flask) -> None:
    env = app.jinja_env
    env.globals["mail_link"] = mail_link
    env.globals["tel_link"] = tel_link
    from engage.local_time import day_text, moment_text

    # Dates as people in the area read them (the area's time zone, GOV.UK style).
    env.filters["day"] = day_text
    env.filters["moment"] = moment_text
