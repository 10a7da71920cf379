"""The Jinja environment: Flask's, less two costs that every page paid (about 1 ms in 4)."""

from __future__ import annotations

import re
from collections import ChainMap

from flask import Flask, g
from flask.templating import Environment as FlaskEnvironment
from flask_babel import get_translations
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup


class _Globals(ChainMap):
    """A template's globals over the environment's, as Jinja makes them. At each
    `{% from ... import %}` (base.html has six) Jinja subtracts the imported template's global
    names from the importer's: with ChainMap's keys() that is a lookup through both maps per
    name, with a set it is one operation."""

    def keys(self):  # type: ignore[override]
        return set().union(*self.maps)


class Environment(FlaskEnvironment):
    def make_globals(self, d):
        return _Globals({} if d is None else d, self.globals)


def _translations():
    # Flask-Babel finds the request's locale and catalogue again for every string a template
    # shows (30 or so a page); they cannot change within a request, so find them once.
    try:
        return g._engage_translations
    except AttributeError:
        g._engage_translations = translations = get_translations()
        return translations
    except RuntimeError:  # no app context
        return get_translations()


@pass_eval_context
def _gettext(eval_ctx: EvalContext, string: str, **variables) -> str:
    # What Jinja's newstyle gettext does (escape, then always format), called directly from
    # the template instead of through two more layers of Jinja's own wrappers.
    text = _translations().ugettext(string)
    if eval_ctx.autoescape:
        # Our own catalogue's text (the variables are escaped by the %), as Jinja does.
        text = Markup(text)  # noqa: S704  # nosec B704
    return text % variables


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
    """After Babel's init_app, whose template callables these replace."""
    env = app.jinja_env
    env.install_gettext_callables(
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
    )
    env.globals["gettext"] = env.globals["_"] = _gettext
    env.globals["mail_link"] = mail_link
    env.globals["tel_link"] = tel_link
    from engage.local_time import day_text, moment_text

    # Dates as people in the area read them (the area's time zone, GOV.UK style).
    env.filters["day"] = day_text
    env.filters["moment"] = moment_text
