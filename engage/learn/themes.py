"""This area's codebook and theme coder: the seed themes added, a theme created, and the coder
(keyword rules, and the model trained on staff-confirmed codings once there are enough of
them; both in engage.learn.text.themes)."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterable, Sequence

from sqlalchemy import func, select

from engage import figures
from engage.extensions import db
from engage.learn import refit
from engage.learn.models import Coding, CodingRejection, CodingSource, Theme
from engage.learn.text.themes import (
    MIN_ANSWERS_FOR_MODEL,
    CodebookError,
    KeywordCoder,
    ThemeCoder,
    ThemeModel,
    keyword_list,
    seed_themes,
    slugify,
    train_theme_model,
)
from engage.listen.models import Answer


def seed_codebook() -> int:
    """Add the seed SEND themes whose slug is missing; staff edits are left alone.

    Returns how many themes were added. Does not commit.
    """
    figures.renew()
    existing = set(db.session.scalars(select(Theme.slug)))
    names = set(db.session.scalars(select(Theme.name)))
    added = 0
    for entry in seed_themes():
        if entry["slug"] in existing or entry["name"] in names:
            continue
        db.session.add(
            Theme(
                slug=entry["slug"],
                name=entry["name"],
                plain_name=entry.get("plain_name", ""),
                description=entry.get("description", ""),
                keywords="\n".join(str(keyword) for keyword in entry.get("keywords", [])),
            )
        )
        added += 1
    db.session.flush()
    return added


def create_theme(
    name: str, keywords: str | Iterable[str] = "", plain_name: str = "", description: str = ""
) -> Theme:
    figures.renew()
    name = " ".join(name.split())
    if not name:
        raise CodebookError("Enter a name for the theme")
    if db.session.scalar(select(Theme.id).where(func.lower(Theme.name) == name.lower())):
        raise CodebookError(f"A theme called '{name}' already exists")
    slug = base = slugify(name)
    number = 2
    while db.session.scalar(select(Theme.id).where(Theme.slug == slug)):
        slug = f"{base[:75]}-{number}"
        number += 1
    theme = Theme(
        slug=slug,
        name=name,
        plain_name=plain_name or name,
        description=description,
        keywords="\n".join(keyword_list(keywords)),
    )
    db.session.add(theme)
    db.session.flush()
    return theme


# -- the coder for this area's codebook and staff codings -------------------------------------

_cache: dict[str, ThemeCoder] = {}
_lock = threading.Lock()
_models = refit.Refitter("themes")


def _codebook_key(themes: Sequence[Theme]) -> str:
    digest = hashlib.sha256()
    for theme in themes:
        digest.update(f"{theme.slug}\x00{theme.keywords}\x01".encode())
    return digest.hexdigest()[:10]


def _confirmed_codings_key() -> tuple[int, int]:
    # Count and id-sum change when staff confirm, add or remove a coding.
    count, total = db.session.execute(
        select(func.count(Coding.id), func.coalesce(func.sum(Coding.id), 0)).where(
            Coding.confirmed.is_(True)
        )
    ).one()
    return int(count), int(total)


def current_coder() -> ThemeCoder:
    """The coder for the active codebook: keyword rules, and a model trained on confirmed
    codings once at least MIN_ANSWERS_FOR_MODEL answers have them.

    The model is fitted from the database and kept in this process (engage.learn.refit:
    refitted after every REFIT_EVERY confirmations, in the background during a request), so
    every app server derives the same model from the same rows and nothing is written to disk.
    """
    themes = list(
        db.session.scalars(select(Theme).where(Theme.active.is_(True)).order_by(Theme.id))
    )
    codebook = _codebook_key(themes)
    count, total = _confirmed_codings_key()
    slugs = {theme.slug for theme in themes}
    fitted = _models.get(
        refit.scope(),
        key=(count, total, frozenset(slugs)),
        count=count,
        shape=frozenset(slugs),
        fit=lambda: _fit_from_codings(slugs, count, total),
        minimum=MIN_ANSWERS_FOR_MODEL,
        after_fit=_rescore_unreviewed,
    )
    model, model_key = fitted if fitted is not None else (None, "")
    priors = _keyword_confidence()
    key = f"{codebook}-{model_key}-{hash(tuple(sorted(priors.items())))}"
    with _lock:
        coder = _cache.get(key)
    if coder is not None:
        return coder
    keywords = KeywordCoder({theme.slug: keyword_list(theme.keywords) for theme in themes})
    version = (
        "t" + hashlib.sha256(f"{codebook}-{model_key}".encode()).hexdigest()[:8]
        if model
        else f"t{codebook[:8]}"
    )
    coder = ThemeCoder(keywords, model, version, slugs, priors)
    with _lock:
        _cache.clear()
        _cache[key] = coder
    return coder


def _fit_from_codings(slugs: set[str], count: int, total: int):
    model = _train_from_codings(slugs)
    return None if model is None else (model, f"{count}-{total}")


def _rescore_unreviewed() -> None:
    from engage.learn.analysis import rescore_unreviewed

    rescore_unreviewed()


def _keyword_confidence() -> dict[str, float]:
    """Per theme, how often staff kept its automatic codes when reviewing (Laplace-smoothed
    towards KEYWORD_PRIOR): the confidence of a keyword code the model does not cover."""
    kept = dict(
        db.session.execute(
            select(Theme.slug, func.count(Coding.id))
            .join(Coding, Coding.theme_id == Theme.id)
            .where(Coding.source == CodingSource.AUTO, Coding.confirmed.is_(True))
            .group_by(Theme.slug)
        ).all()
    )
    removed = dict(
        db.session.execute(
            select(Theme.slug, func.count(CodingRejection.id))
            .join(CodingRejection, CodingRejection.theme_id == Theme.id)
            .group_by(Theme.slug)
        ).all()
    )
    return {
        slug: round((kept.get(slug, 0) + 1) / (kept.get(slug, 0) + removed.get(slug, 0) + 2), 4)
        for slug in set(kept) | set(removed)
    }


def _train_from_codings(active: set[str]) -> ThemeModel | None:
    rows = db.session.execute(
        select(Answer.id, Answer.text, Theme.slug)
        .join(Coding, Coding.answer_id == Answer.id)
        .join(Theme, Theme.id == Coding.theme_id)
        .where(Coding.confirmed.is_(True), Answer.text.is_not(None))
    ).all()
    texts: dict[int, str] = {}
    themes: dict[int, set[str]] = {}
    for answer_id, text, slug in rows:
        texts[answer_id] = text
        if slug in active:
            themes.setdefault(answer_id, set()).add(slug)
    if len(texts) < MIN_ANSWERS_FOR_MODEL:
        return None
    ids = sorted(texts)
    return train_theme_model([texts[i] for i in ids], [themes.get(i, set()) for i in ids])
