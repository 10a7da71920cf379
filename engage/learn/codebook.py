"""The codebook as staff edit it: add and change themes, switch them off and on.

Themes are never deleted: answers already coded to one keep their history.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select

from engage.accounts.audit import record
from engage.extensions import db
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


def slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:80] or "theme"


def clean_keywords(keywords: str) -> str:
    """One keyword or phrase per line, trimmed, without blanks or repeats."""
    seen: list[str] = []
    for line in keywords.splitlines():
        phrase = " ".join(line.split())
        if phrase and phrase.lower() not in {s.lower() for s in seen}:
            seen.append(phrase)
    return "\n".join(seen)


def themes_with_counts() -> list[tuple[Theme, int]]:
    number = func.count(Coding.id)
    rows = db.session.execute(
        select(Theme, number)
        .outerjoin(Coding, Coding.theme_id == Theme.id)
        .group_by(Theme.id)
        .order_by(Theme.active.desc(), Theme.name)
    ).all()
    return [(theme, count) for theme, count in rows]


def _check_unique(details: ThemeDetails, theme_id: int | None) -> None:
    name = details.name.strip()
    if not name:
        raise CodebookError("name", "Enter a name for the theme")
    clash = db.session.scalar(
        select(Theme.id).where(func.lower(Theme.name) == name.lower(), Theme.id != (theme_id or 0))
    )
    if clash is not None:
        raise CodebookError("name", "A theme with that name already exists")


def _unique_slug(name: str, theme_id: int | None) -> str:
    base = slugify(name)
    slug, n = base, 2
    while db.session.scalar(
        select(Theme.id).where(Theme.slug == slug, Theme.id != (theme_id or 0))
    ):
        slug, n = f"{base[:76]}-{n}", n + 1
    return slug


def create_theme(details: ThemeDetails) -> Theme:
    _check_unique(details, None)
    theme = Theme(
        slug=_unique_slug(details.name, None),
        name=details.name.strip(),
        plain_name=details.plain_name.strip(),
        description=details.description.strip(),
        keywords=clean_keywords(details.keywords),
        active=True,
    )
    db.session.add(theme)
    db.session.flush()
    record("theme_create", "theme", theme.id)
    return theme


def update_theme(theme: Theme, details: ThemeDetails) -> Theme:
    _check_unique(details, theme.id)
    theme.name = details.name.strip()
    theme.plain_name = details.plain_name.strip()
    theme.description = details.description.strip()
    theme.keywords = clean_keywords(details.keywords)
    record("theme_update", "theme", theme.id)
    return theme


def set_active(theme: Theme, active: bool) -> Theme:
    theme.active = active
    record("theme_activate" if active else "theme_deactivate", "theme", theme.id)
    return theme
