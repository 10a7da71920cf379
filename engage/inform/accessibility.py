"""Accessibility: the record of the last automated audit, which the accessibility statement
quotes, and the visitor's display preferences (larger text, high contrast)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovSubmitInput
from wtforms import SelectChoice, SelectMultipleField, SubmitField
from wtforms.widgets import CheckboxInput

from engage.accounts.access import public

# Written by tests/browser/test_crawl.py when run with ENGAGE_WRITE_AUDIT=1.
AUDIT_FILE = Path(__file__).resolve().parents[2] / "docs" / "accessibility-audit.json"
# When the statement's wording was last prepared (the regulations ask for the date).
STATEMENT_PREPARED = date(2026, 11, 23)

# Preference -> class on <body>; styles in frontend/_preferences.scss.
PREFERENCES = {
    "larger_text": "engage-text-larger",
    "high_contrast": "engage-high-contrast",
}
# Kept in Flask's session cookie, which already exists for the visit (strictly necessary:
# the visitor asked for it), so no other cookie is set and nothing outlives the browser session.
SESSION_KEY = "display_preferences"


def long_date(day: date) -> str:
    return f"{day.day} {day.strftime('%B %Y')}"


@dataclass(frozen=True)
class AuditRecord:
    """What the last automated audit checked and found."""

    day: date
    page_count: int
    violations: int
    tools: dict[str, str] = field(default_factory=dict)

    @property
    def date_text(self) -> str:
        return long_date(self.day)


def last_audit(path: Path | None = None) -> AuditRecord | None:
    """The last automated audit, or None when no audit has been recorded (or it is unreadable)."""
    try:
        data = json.loads((path or AUDIT_FILE).read_text(encoding="utf-8"))
        return AuditRecord(
            day=date.fromisoformat(data["date"]),
            page_count=int(data.get("page_count", len(data.get("pages", [])))),
            violations=int(data.get("violations", 0)),
            tools={name: str(value) for name, value in data.get("tools", {}).items() if value},
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def statement_prepared() -> str:
    return long_date(STATEMENT_PREPARED)


# --- display preferences -------------------------------------------------------------------


def current_preferences() -> list[str]:
    chosen = session.get(SESSION_KEY, [])
    if not isinstance(chosen, list):
        return []
    return [name for name in PREFERENCES if name in chosen]


def save_preferences(chosen: list[str]) -> list[str]:
    kept = [name for name in PREFERENCES if name in chosen]
    if kept:
        session[SESSION_KEY] = kept
    else:
        session.pop(SESSION_KEY, None)
    return kept


def preference_classes() -> str:
    """Classes for <body>: `class="govuk-template__body {{ preference_classes() }}"`."""
    return " ".join(PREFERENCES[name] for name in current_preferences())


class PreferencesForm(FlaskForm):
    preferences = SelectMultipleField(
        _l("How do you want pages to look?"),
        choices=[
            SelectChoice("larger_text", _l("Larger text")),
            SelectChoice(
                "high_contrast", _l("High contrast: black text, strong borders and outlines")
            ),
        ],
        widget=GovCheckboxesInput(),
        option_widget=CheckboxInput(),
        validate_choice=True,
    )
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())


def _safe_return(target: str | None) -> str | None:
    # Back to the page the visitor came from, on this site only: never an open redirect.
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or "\\" in target:
        return None
    return target


def preferences_view():
    form = PreferencesForm()
    if request.method == "GET":
        form.preferences.data = current_preferences()
    elif form.validate_on_submit():
        save_preferences(form.preferences.data or [])
        flash(_("Your choices are saved until you close your browser."), "success")
        back = _safe_return(request.form.get("next"))
        return redirect(back or url_for("inform.preferences"), 303)
    status = 400 if form.errors else 200
    back = _safe_return(request.values.get("next"))
    return render_template("inform/preferences.html", form=form, back=back), status


def register(bp: Blueprint) -> None:
    """Add the preferences page to the inform blueprint (call before it is registered), and
    the template helpers base.html and the accessibility statement use."""
    bp.add_url_rule(
        "/preferences", "preferences", public(preferences_view), methods=["GET", "POST"]
    )
    bp.add_app_template_global(preference_classes, "preference_classes")
    bp.add_app_template_global(last_audit, "accessibility_audit")
    bp.add_app_template_global(statement_prepared, "accessibility_statement_prepared")
