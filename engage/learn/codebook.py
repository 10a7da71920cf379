"""The codebook as staff edit it: add and change themes, switch them off and on (the rules
for names and keywords are engage.learn.themes').

Themes are never deleted: answers already coded to one keep their history.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from engage.accounts.audit import record
from engage.extensions import db
from engage.learn import themes
from engage.learn.models import Coding, Theme


class CodebookError(ValueError):
    """A theme cannot be saved as given; field names the form field."""

    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(message)


@dataclass(frozen=True)
class ThemeDetails:
    name: str
    plain_name: str = ""
    description: str = ""
    keywords: str = ""


def themes_with_counts() -> list[tuple[Theme, int]]:
    number = func.count(Coding.id)
    rows = db.session.execute(
        select(Theme, number)
        .outerjoin(Coding, Coding.theme_id == Theme.id)
        .group_by(Theme.id)
        .order_by(Theme.active.desc(), Theme.name)
    ).all()
    return [(theme, count) for theme, count in rows]


def _check_unique(details: ThemeDetails, theme_id: int) -> None:
    name = " ".join(details.name.split())
    if not name:
        raise CodebookError("name", "Enter a name for the theme")
    clash = db.session.scalar(
        select(Theme.id).where(func.lower(Theme.name) == name.lower(), Theme.id != theme_id)
    )
    if clash is not None:
        raise CodebookError("name", "A theme with that name already exists")


def create_theme(details: ThemeDetails) -> Theme:
    try:
        theme = themes.create_theme(
            details.name,
            keywords=details.keywords,
            plain_name=details.plain_name.strip(),
            description=details.description.strip(),
        )
    except themes.CodebookError as error:
        raise CodebookError("name", str(error)) from error
    record("theme_create", "theme", theme.id)
    return theme


def update_theme(theme: Theme, details: ThemeDetails) -> Theme:
    _check_unique(details, theme.id)
    theme.name = " ".join(details.name.split())
    theme.plain_name = details.plain_name.strip() or theme.name
    theme.description = details.description.strip()
    theme.keywords = "\n".join(themes.keyword_list(details.keywords))
    record("theme_update", "theme", theme.id)
    return theme


def set_active(theme: Theme, active: bool) -> Theme:
    theme.active = active
    record("theme_activate" if active else "theme_deactivate", "theme", theme.id)
    return theme
