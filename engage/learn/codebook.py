"""The codebook as staff edit it: add and change themes, switch them off and on (the rules
for names and keywords are engage.learn.text.themes').

Themes are never deleted: answers already coded to one keep their history.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from engage import figures
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


# Agreement is judged once staff have decided on this many of a theme's automatic codes; below
# POOR_AGREEMENT of them kept, the theme says so.
MIN_DECISIONS = 5
POOR_AGREEMENT = 0.6
# The theme model learns a theme from this many confirmed examples (review.RARE_THEME_EXAMPLES
# also offers its answers first until then).
ENOUGH_EXAMPLES = 10


@dataclass(frozen=True)
class Agreement:
    """How staff received a theme's automatic codes on the review screen."""

    kept: int  # automatic codes staff confirmed
    removed: int  # automatic codes staff took off
    added: int  # codes staff added that the analysis had missed
    confirmed: int  # confirmed examples the model learns from (kept + added)

    @property
    def decided(self) -> int:
        return self.kept + self.removed

    @property
    def precision(self) -> float | None:
        """Of the automatic codes staff decided on, the share they kept."""
        return self.kept / self.decided if self.decided else None

    @property
    def poor(self) -> bool:
        return self.decided >= MIN_DECISIONS and (self.precision or 0.0) < POOR_AGREEMENT

    @property
    def advice(self) -> str:
        if self.poor:
            return (
                "Staff removed most of the automatic codes of this theme. Make its keywords "
                "more specific, and confirm or add it on more answers so the model learns it."
            )
        if self.confirmed < ENOUGH_EXAMPLES:
            return (
                f"Fewer than {ENOUGH_EXAMPLES} confirmed examples ({self.confirmed}): confirm "
                "or add it on more answers so the analysis learns it. Its answers come first "
                "on the review screen."
            )
        return ""


def agreement() -> dict[int, Agreement]:
    """Per theme id: automatic codes kept and removed by staff, codes staff added, and the
    confirmed examples."""
    from engage.learn.models import CodingRejection, CodingSource

    confirmed = {
        (theme_id, source): count
        for theme_id, source, count in db.session.execute(
            select(Coding.theme_id, Coding.source, func.count(Coding.id))
            .where(Coding.confirmed.is_(True))
            .group_by(Coding.theme_id, Coding.source)
        )
    }
    removed = dict(
        db.session.execute(
            select(CodingRejection.theme_id, func.count(CodingRejection.id)).group_by(
                CodingRejection.theme_id
            )
        ).all()
    )
    found = {}
    for theme_id in db.session.scalars(select(Theme.id)):
        kept = confirmed.get((theme_id, CodingSource.AUTO), 0)
        added = confirmed.get((theme_id, CodingSource.STAFF), 0)
        found[theme_id] = Agreement(kept, removed.get(theme_id, 0), added, kept + added)
    return found


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
    figures.renew()
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
    figures.renew()
    _check_unique(details, theme.id)
    theme.name = " ".join(details.name.split())
    theme.plain_name = details.plain_name.strip() or theme.name
    theme.description = details.description.strip()
    theme.keywords = "\n".join(themes.keyword_list(details.keywords))
    record("theme_update", "theme", theme.id)
    return theme


def set_active(theme: Theme, active: bool) -> Theme:
    figures.renew()
    theme.active = active
    record("theme_activate" if active else "theme_deactivate", "theme", theme.id)
    return theme
