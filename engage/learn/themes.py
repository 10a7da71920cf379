"""The codebook of themes, and coding free-text answers to themes: keyword rules first, then a
multi-label model trained on staff-confirmed codings once there are enough of them."""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from sqlalchemy import func, select

from engage.extensions import db
from engage.learn.models import Coding, Theme
from engage.learn.text import WORD_PATTERN, lemma, lemmas, normalise, tokens

CODEBOOK_FILE = Path(__file__).parent / "data" / "codebook.yaml"
# A theme joins the model once staff have confirmed it on this many answers, and the model
# is trained once this many answers carry a confirmed coding; below that, keywords only.
MIN_ANSWERS_FOR_MODEL = 30
MIN_EXAMPLES_PER_THEME = 5
# Picked by cross-validation on the development split of the NHS feedback data.
MODEL_THRESHOLD = 0.5


class CodebookError(ValueError):
    """A theme cannot be saved as given."""


# -- the codebook -------------------------------------------------------------------------


def seed_themes() -> list[dict]:
    entries = yaml.safe_load(CODEBOOK_FILE.read_text(encoding="utf-8"))
    for entry in entries:
        # YAML turns bare "no" or "1:1" into a boolean or a number: keywords must be text.
        if not all(isinstance(keyword, str) for keyword in entry.get("keywords", [])):
            raise CodebookError(f"codebook.yaml: {entry['slug']} has a keyword that is not text")
    return entries


def seed_codebook() -> int:
    """Add the seed SEND themes whose slug is missing; staff edits are left alone.

    Returns how many themes were added. Does not commit.
    """
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


def slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", normalise(name)).strip("-")[:80] or "theme"


def keyword_list(keywords: str | Iterable[str]) -> list[str]:
    """Keywords from the text box (one per line, commas also accepted) or a list."""
    if isinstance(keywords, str):
        keywords = re.split(r"[\n,]", keywords)
    seen: dict[str, None] = {}
    for keyword in keywords:
        keyword = " ".join(keyword.split())
        if keyword:
            seen.setdefault(keyword, None)
    return list(seen)


def create_theme(
    name: str, keywords: str | Iterable[str] = "", plain_name: str = "", description: str = ""
) -> Theme:
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


# -- coding text to themes (no database) ---------------------------------------------------


class KeywordCoder:
    """Matches each theme's keywords as runs of lemmas, so "waited" matches "wait"."""

    def __init__(self, keywords_by_theme: dict[str, Iterable[str]]) -> None:
        # first lemma -> [(whole phrase as lemmas, theme)], longest phrases first.
        self.index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for theme, keywords in keywords_by_theme.items():
            for keyword in keywords:
                phrase = tuple(lemma(token) for token in tokens(keyword))
                if phrase:
                    self.index.setdefault(phrase[0], []).append((phrase, theme))
        for entries in self.index.values():
            entries.sort(key=lambda entry: -len(entry[0]))

    def code(self, text: str, text_lemmas: Sequence[str] | None = None) -> set[str]:
        words = text_lemmas if text_lemmas is not None else lemmas(text)
        found: set[str] = set()
        index = self.index
        # Only the words that start a keyword: a few in most answers.
        for position in [at for at, word in enumerate(words) if word in index]:
            for phrase, theme in index[words[position]]:
                if theme not in found and tuple(words[position : position + len(phrase)]) == phrase:
                    found.add(theme)
        return found


class _ThemeFeatures:
    """Word 1-2 grams and character 2-5 grams (which catch "physio"/"physiotherapist" and
    misspellings): better macro-F1 than words alone in cross-validation on the development
    split."""

    def __init__(self, min_df: int = 2) -> None:
        from engage.learn.vectors import TfidfVectorizer

        self.words = TfidfVectorizer(
            ngram_range=(1, 2), min_df=min_df, sublinear_tf=True, token_pattern=WORD_PATTERN
        )
        self.characters = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=(2, 5),
            min_df=min_df,
            sublinear_tf=True,
            max_features=50_000,
        )

    def fit_transform(self, texts: Sequence[str]):
        from scipy import sparse

        return sparse.hstack(
            [self.words.fit_transform(texts), self.characters.fit_transform(texts)]
        ).tocsr()

    def blocks(self, texts: Sequence[str]) -> list:
        """The word and the character features, not joined: the model's columns in order."""
        return [self.words.transform(texts), self.characters.transform(texts)]

    def transform(self, texts: Sequence[str]):
        from scipy import sparse

        return sparse.hstack(self.blocks(texts)).tocsr()


class ThemeModel:
    """One-vs-rest logistic regression over TF-IDF n-grams: one yes/no per theme."""

    def __init__(self, vectoriser, classifier, themes: list[str], threshold: float) -> None:
        self.vectoriser = vectoriser
        self.classifier = classifier
        self.themes = themes
        self.threshold = threshold

    def code_many(
        self, texts: Sequence[str], normalised: Sequence[str] | None = None
    ) -> list[set[str]]:
        if not texts:
            return []
        from engage.learn.vectors import one_vs_rest_probabilities

        if normalised is None:
            normalised = [normalise(text) for text in texts]
        probabilities = one_vs_rest_probabilities(
            self.classifier, self.vectoriser.blocks(normalised)
        )
        if len(self.themes) == 1:
            # One theme is a yes/no model: its columns are P(no) and P(yes).
            probabilities = probabilities[:, -1:]
        coded: list[set[str]] = [set() for _ in texts]
        for row, column in zip(*(probabilities >= self.threshold).nonzero(), strict=True):
            coded[row].add(self.themes[column])
        return coded


def train_theme_model(
    texts: Sequence[str],
    theme_sets: Sequence[Iterable[str]],
    min_examples: int = MIN_EXAMPLES_PER_THEME,
    threshold: float = MODEL_THRESHOLD,
) -> ThemeModel | None:
    """Train on answers and the themes each was coded with; None when too few examples."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.preprocessing import MultiLabelBinarizer

    counts: dict[str, int] = {}
    for themes in theme_sets:
        for theme in set(themes):
            counts[theme] = counts.get(theme, 0) + 1
    kept = sorted(theme for theme, count in counts.items() if count >= min_examples)
    # A theme coded on every answer has no negatives to learn from.
    kept = [theme for theme in kept if counts[theme] < len(texts)]
    if not kept or len(texts) < 2:
        return None
    binariser = MultiLabelBinarizer(classes=kept)
    matrix_y = binariser.fit_transform([set(themes) & set(kept) for themes in theme_sets])
    vectoriser = _ThemeFeatures(min_df=2 if len(texts) >= 200 else 1)
    matrix_x = vectoriser.fit_transform([normalise(text) for text in texts])
    # Balanced weights: most themes are rare, and a missed rare theme is what staff notice.
    classifier = OneVsRestClassifier(
        LogisticRegression(C=4.0, solver="liblinear", class_weight="balanced")
    )
    classifier.fit(matrix_x, matrix_y)
    return ThemeModel(vectoriser, classifier, kept, threshold)


@dataclass
class ThemeCoder:
    """Keyword rules, plus the model's themes when there is a model."""

    keywords: KeywordCoder
    model: ThemeModel | None = None
    version: str = "kw"
    themes: set[str] = field(default_factory=set)

    def code_many(
        self,
        texts: Sequence[str],
        text_lemmas: Sequence[Sequence[str]] | None = None,
        normalised: Sequence[str] | None = None,
    ) -> list[set[str]]:
        coded = [
            self.keywords.code(text, text_lemmas[index] if text_lemmas is not None else None)
            for index, text in enumerate(texts)
        ]
        if self.model is not None:
            predictions = self.model.code_many(texts, normalised)
            for found, predicted in zip(coded, predictions, strict=True):
                found |= predicted
        return coded


# -- the coder for this area's codebook and staff codings -------------------------------------

_cache: dict[str, ThemeCoder] = {}
_lock = threading.Lock()


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

    The model is fitted from the database on demand and cached in this process, keyed by the
    codebook and the confirmed codings, so every app server derives the same model from the
    same rows and nothing is written to disk.
    """
    themes = list(
        db.session.scalars(select(Theme).where(Theme.active.is_(True)).order_by(Theme.id))
    )
    codebook = _codebook_key(themes)
    count, total = _confirmed_codings_key()
    key = f"{codebook}-{count}-{total}"
    with _lock:
        coder = _cache.get(key)
    if coder is not None:
        return coder
    keywords = KeywordCoder({theme.slug: keyword_list(theme.keywords) for theme in themes})
    slugs = {theme.slug for theme in themes}
    model = _train_from_codings(slugs) if count else None
    version = "t" + hashlib.sha256(key.encode()).hexdigest()[:8] if model else f"t{codebook[:8]}"
    coder = ThemeCoder(keywords, model, version, slugs)
    with _lock:
        _cache.clear()
        _cache[key] = coder
    return coder


def _train_from_codings(active: set[str]) -> ThemeModel | None:
    from engage.listen.models import Answer

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


def forget_cached_coder() -> None:
    with _lock:
        _cache.clear()
