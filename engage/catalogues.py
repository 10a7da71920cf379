"""The interface catalogues (engage/translations/): their review status and how much of each
is translated, for the staff languages page."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from flask import Blueprint, render_template

from engage.languages import SOURCE, configured_languages, english_name, language_name

TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"
TEMPLATE_FILE = TRANSLATIONS_DIR / "messages.pot"
# A catalogue says in its header comment who has checked it; until a fluent speaker has,
# it reads "machine-drafted, awaiting review by a fluent speaker".
REVIEW_STATUS_LABEL = "Review status:"
UNREVIEWED = "machine-drafted, awaiting review by a fluent speaker"
# Where the strings of the pages respondents see come from (staff pages stay in English).
RESPONDENT_SOURCES = (
    "engage/templates/base.html",
    "engage/templates/_",
    "engage/templates/errors/",
    "engage/templates/inform/home.html",
    "engage/templates/inform/engagement.html",
    "engage/templates/inform/accessibility.html",
    "engage/templates/inform/privacy.html",
    "engage/templates/inform/preferences.html",
    "engage/templates/listen/",
    "engage/templates/respond/public_",
    "engage/templates/respond/_update_body.html",
    "engage/templates/respond/receipt.html",
    "engage/errors.py",
    "engage/listen/questions.py",
    "engage/listen/own_answers.py",
    "engage/inform/accessibility.py",
)
# Staff pages among them: entering paper responses and previewing a survey.
STAFF_SOURCES = (
    "engage/templates/listen/enter.html",
    "engage/templates/listen/paper_entry.html",
    "engage/templates/listen/preview.html",
)

bp = Blueprint("languages", __name__)


@dataclass(frozen=True)
class CatalogueStatus:
    code: str
    name: str
    english_name: str
    review_status: str
    translated: int
    total: int
    respondent_translated: int
    respondent_total: int
    compiled: bool

    @property
    def percent(self) -> int:
        return _percent(self.translated, self.total)

    @property
    def respondent_percent(self) -> int:
        return _percent(self.respondent_translated, self.respondent_total)


def _percent(part: int, whole: int) -> int:
    # Rounded down, so a catalogue shows 100% only when nothing is missing.
    return part * 100 // whole if whole else 0


def catalogue_path(code: str) -> Path:
    return TRANSLATIONS_DIR / code / "LC_MESSAGES" / "messages.po"


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as file:
        return read_po(file, locale=locale)


def _template_ids() -> tuple[frozenset, frozenset]:
    if not TEMPLATE_FILE.exists():
        return frozenset(), frozenset()
    # Read again after `make translations` rewrites it, without restarting the app.
    return _ids_of_template(TEMPLATE_FILE.stat().st_mtime_ns)


@cache
def _ids_of_template(_mtime: int) -> tuple[frozenset, frozenset]:
    """Every msgid of the .pot, and those of the pages respondents see."""
    template = _read(TEMPLATE_FILE)
    ids, respondent = set(), set()
    for message in template:
        if not message.id:
            continue
        ids.add(message.id)
        if any(
            path.startswith(RESPONDENT_SOURCES) and not path.startswith(STAFF_SOURCES)
            for path, _line in message.locations
        ):
            respondent.add(message.id)
    return frozenset(ids), frozenset(respondent)


def review_status(catalog: Catalog) -> str:
    for line in (catalog.header_comment or "").splitlines():
        text = line.lstrip("# ").strip()
        if text.startswith(REVIEW_STATUS_LABEL):
            return text[len(REVIEW_STATUS_LABEL) :].strip() or "not stated"
    return "not stated"


def _is_translated(message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return not message.fuzzy and all(strings)


def status(code: str) -> CatalogueStatus:
    ids, respondent = _template_ids()
    path = catalogue_path(code)
    if not path.exists():
        return CatalogueStatus(
            code, language_name(code), english_name(code), "no catalogue", 0, len(ids), 0,
            len(respondent), False,
        )  # fmt: skip
    catalog = _read(path, code)
    done = {m.id for m in catalog if m.id and m.id in ids and _is_translated(m)}
    compiled_file = path.with_suffix(".mo")
    compiled = compiled_file.exists() and compiled_file.stat().st_mtime >= path.stat().st_mtime
    return CatalogueStatus(
        code=code,
        name=language_name(code),
        english_name=english_name(code),
        review_status=review_status(catalog),
        translated=len(done),
        total=len(ids),
        respondent_translated=len(done & respondent),
        respondent_total=len(respondent),
        compiled=compiled,
    )


def statuses() -> list[CatalogueStatus]:
    return [status(code) for code in configured_languages() if code != SOURCE]


@bp.route("/staff/languages")
def index():
    return render_template("languages/index.html", catalogues=statuses(), unreviewed=UNREVIEWED)


def init_app(app) -> None:
    from engage.navigation import NavItem, add_staff_nav

    app.register_blueprint(bp)
    add_staff_nav(app, NavItem("languages.index", "Languages", order=890))
