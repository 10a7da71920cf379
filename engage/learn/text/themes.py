"""The codebook of themes, and coding free-text answers to themes: keyword rules first, then a
multi-label model trained on staff-confirmed codings once there are enough of them."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from engage.learn.text import WORD_PATTERN, lemma, lemmas, normalise, tokens

CODEBOOK_FILE = Path(__file__).parent / "data" / "codebook.yaml"
# A theme joins the model once staff have confirmed it on this many answers, and the model
# is trained once this many answers carry a confirmed coding; below that, keywords only.
MIN_ANSWERS_FOR_MODEL = 30
MIN_EXAMPLES_PER_THEME = 5
# Picked by cross-validation on the development split of the NHS feedback data
# (bench/analysis_search.py; the search is in docs/analysis-quality.md).
MODEL_THRESHOLD = 0.5
MODEL_C = 4.0
# Balanced class weights: macro-F1 0.517 out of fold against 0.455 without, micro-F1 0.645
# against 0.654 (with the sentence vectors).
BALANCED = True
# The sentence vector's columns are scaled by this against the unit-length TF-IDF blocks.
VECTOR_WEIGHT = 1.0
# Calibration and per-theme thresholds come from this many out-of-fold predictions, once
# there are enough answers (and positives of the theme) for them to beat the defaults.
TUNING_FOLDS = 3
MIN_ANSWERS_FOR_TUNING = 100
MIN_POSITIVES_FOR_TUNING = 8
# A theme's own threshold t is pulled towards the best one for all themes T:
# T + n / (n + THRESHOLD_PULL) * (t - T) for a theme with n positives. Free thresholds per
# theme (0) lost micro-F1 out of fold; 100 was the best of 0, 10, 30, 100 and one for all.
THRESHOLD_PULL = 100


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


# -- coding text to themes ----------------------------------------------------------------


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
    """Word 1-2 grams, character 2-5 grams (which catch "physio"/"physiotherapist" and
    misspellings) and a sentence vector (meaning beyond shared words: "rude" and "dismissive"
    are near): better macro-F1 than words alone in cross-validation on the development split
    (bench/analysis_search.py, docs/analysis-quality.md)."""

    def __init__(self, min_df: int = 2, vector_weight: float = VECTOR_WEIGHT) -> None:
        from engage.learn.text.vectors import TfidfVectorizer

        self.vector_weight = vector_weight
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

    def _vectors(self, texts: Sequence[str]) -> list:
        if not self.vector_weight:
            return []
        from engage.learn.text.embeddings import embed

        return [embed(texts) * self.vector_weight]

    def fit_transform(self, texts: Sequence[str]):
        from scipy import sparse

        return sparse.hstack(
            [
                self.words.fit_transform(texts),
                self.characters.fit_transform(texts),
                *self._vectors(texts),
            ]
        ).tocsr()

    def blocks(self, texts: Sequence[str]) -> list:
        """The features in column blocks, not joined: the model's columns in order."""
        return [
            self.words.transform(texts),
            self.characters.transform(texts),
            *self._vectors(texts),
        ]

    def transform(self, texts: Sequence[str]):
        from scipy import sparse

        return sparse.hstack(self.blocks(texts)).tocsr()


class ThemeModel:
    """One-vs-rest logistic regression: one yes/no per theme. A theme is applied when its
    probability reaches its own threshold (chosen on out-of-fold predictions, pulled towards
    the one best threshold for all the fewer positives the theme has), and each probability
    is calibrated (Platt scaling fitted out of fold) into the confidence staff see."""

    def __init__(
        self,
        vectoriser,
        classifier,
        themes: list[str],
        thresholds,
        slopes=None,
        intercepts=None,
    ) -> None:
        import numpy as np

        self.vectoriser = vectoriser
        self.classifier = classifier
        self.themes = themes
        size = len(themes)
        self.thresholds = np.broadcast_to(np.asarray(thresholds, dtype=float), (size,)).copy()
        self.slopes = np.ones(size) if slopes is None else np.asarray(slopes, dtype=float)
        self.intercepts = (
            np.zeros(size) if intercepts is None else np.asarray(intercepts, dtype=float)
        )

    def raw_probabilities(self, normalised: Sequence[str]):
        from engage.learn.text.vectors import one_vs_rest_probabilities

        probabilities = one_vs_rest_probabilities(
            self.classifier, self.vectoriser.blocks(normalised)
        )
        if len(self.themes) == 1:
            # One theme is a yes/no model: its columns are P(no) and P(yes).
            probabilities = probabilities[:, -1:]
        return probabilities

    def probabilities(self, texts: Sequence[str], normalised: Sequence[str] | None = None):
        """The raw probabilities (what the thresholds apply to), one row per text and one
        column per theme."""
        if normalised is None:
            normalised = [normalise(text) for text in texts]
        return self.raw_probabilities(normalised)

    def confidences(self, probabilities):
        """The raw probabilities calibrated: what staff see as a code's confidence."""
        return calibrate(probabilities, self.slopes, self.intercepts)

    def code_many(
        self, texts: Sequence[str], normalised: Sequence[str] | None = None
    ) -> list[set[str]]:
        if not texts:
            return []
        return self.decide(self.probabilities(texts, normalised))

    def decide(self, probabilities) -> list[set[str]]:
        coded: list[set[str]] = [set() for _ in range(len(probabilities))]
        for row, column in zip(*(probabilities >= self.thresholds).nonzero(), strict=True):
            coded[row].add(self.themes[column])
        return coded

    def certainties(self, probabilities):
        """How sure each theme decision is, 0 (at the threshold) to 1 (at 0 or 1)."""
        import numpy as np

        above = probabilities >= self.thresholds
        return np.where(
            above,
            (probabilities - self.thresholds) / np.maximum(1 - self.thresholds, 1e-9),
            (self.thresholds - probabilities) / np.maximum(self.thresholds, 1e-9),
        )


def calibrate(probabilities, slopes, intercepts):
    import numpy as np
    from scipy.special import expit, logit

    clipped = np.clip(probabilities, 1e-6, 1 - 1e-6)
    return expit(logit(clipped) * slopes + intercepts)


def _text_folds(normalised: Sequence[str], folds: int):
    import numpy as np

    # By the text, so an answer given many times ("Nothing") is never on both sides.
    return np.array(
        [int(hashlib.sha256(text.encode()).hexdigest()[:8], 16) % folds for text in normalised]
    )


def _classifier(balanced: bool = BALANCED):
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier

    return OneVsRestClassifier(
        LogisticRegression(
            C=MODEL_C, solver="liblinear", class_weight="balanced" if balanced else None
        )
    )


def _tune(matrix_x, matrix_y, normalised: Sequence[str]):
    """Out-of-fold probabilities (TUNING_FOLDS folds) give each theme its Platt scaling and
    its threshold; None when there are too few answers for that to be steadier than the
    defaults."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    if matrix_x.shape[0] < MIN_ANSWERS_FOR_TUNING:
        return None
    folds = _text_folds(normalised, TUNING_FOLDS)
    out_of_fold = np.zeros(matrix_y.shape, dtype=float)
    for fold in range(TUNING_FOLDS):
        train, test = folds != fold, folds == fold
        trainable = matrix_y[train].sum(axis=0)
        if not test.any() or (trainable == 0).any() or (trainable == train.sum()).any():
            return None
        classifier = _classifier().fit(matrix_x[train], matrix_y[train])
        probabilities = classifier.predict_proba(matrix_x[test])
        out_of_fold[test] = probabilities[:, -1:] if matrix_y.shape[1] == 1 else probabilities
    size = matrix_y.shape[1]
    slopes, intercepts = np.ones(size), np.zeros(size)
    grid = np.round(np.arange(0.05, 0.91, 0.05), 2)
    flat_truth = matrix_y.astype(bool).ravel()
    overall = max(grid, key=lambda t: _f1(flat_truth, (out_of_fold >= t).ravel()))
    thresholds = np.full(size, float(overall))
    for column in range(size):
        truth = matrix_y[:, column].astype(bool)
        positives = int(truth.sum())
        if positives < MIN_POSITIVES_FOR_TUNING or positives > len(truth) - 3:
            continue
        own = grid[int(np.argmax([_f1(truth, out_of_fold[:, column] >= t) for t in grid]))]
        thresholds[column] = overall + positives / (positives + THRESHOLD_PULL) * (own - overall)
        scores = np.log(np.clip(out_of_fold[:, column], 1e-6, 1 - 1e-6))
        scores -= np.log(np.clip(1 - out_of_fold[:, column], 1e-6, 1))
        platt = LogisticRegression(C=100.0).fit(scores[:, None], truth)
        slopes[column], intercepts[column] = platt.coef_[0, 0], platt.intercept_[0]
    return slopes, intercepts, thresholds


def _f1(truth, predicted) -> float:
    true_positives = float((truth & predicted).sum())
    total = float(truth.sum() + predicted.sum())
    return 2 * true_positives / total if total else 0.0


def train_theme_model(
    texts: Sequence[str],
    theme_sets: Sequence[Iterable[str]],
    min_examples: int = MIN_EXAMPLES_PER_THEME,
    tune: bool = True,
) -> ThemeModel | None:
    """Train on answers and the themes each was coded with; None when too few examples."""
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
    normalised = [normalise(text) for text in texts]
    vectoriser = _ThemeFeatures(min_df=2 if len(texts) >= 200 else 1)
    matrix_x = vectoriser.fit_transform(normalised)
    classifier = _classifier().fit(matrix_x, matrix_y)
    tuned = _tune(matrix_x, matrix_y, normalised) if tune else None
    if tuned is None:
        return ThemeModel(vectoriser, classifier, kept, MODEL_THRESHOLD)
    slopes, intercepts, thresholds = tuned
    return ThemeModel(vectoriser, classifier, kept, thresholds, slopes, intercepts)


@dataclass(frozen=True)
class ThemeResult:
    """The themes found for one answer, how sure the coder is of each (0 to 1), and of its
    least sure decision over every theme the model knows (None with keywords only)."""

    themes: frozenset[str]
    confidences: dict[str, float]
    certainty: float | None


# An automatic keyword code's confidence before staff have kept or removed any of the theme's.
KEYWORD_PRIOR = 0.5


@dataclass
class ThemeCoder:
    """Keyword rules, plus the model's themes when there is a model."""

    keywords: KeywordCoder
    model: ThemeModel | None = None
    version: str = "kw"
    themes: set[str] = field(default_factory=set)
    # How often staff kept each theme's keyword codes (smoothed): their confidence.
    keyword_confidence: dict[str, float] = field(default_factory=dict)

    def analyse_many(
        self,
        texts: Sequence[str],
        text_lemmas: Sequence[Sequence[str]] | None = None,
        normalised: Sequence[str] | None = None,
    ) -> list[ThemeResult]:
        coded = [
            self.keywords.code(text, text_lemmas[index] if text_lemmas is not None else None)
            for index, text in enumerate(texts)
        ]
        prior = self.keyword_confidence
        if self.model is None or not texts:
            return [
                ThemeResult(
                    frozenset(found), {slug: prior.get(slug, KEYWORD_PRIOR) for slug in found}, None
                )
                for found in coded
            ]
        model = self.model
        probabilities = model.probabilities(texts, normalised)
        confidences = model.confidences(probabilities)
        certainties = model.certainties(probabilities).min(axis=1).tolist()
        predictions = model.decide(probabilities)
        column = {theme: index for index, theme in enumerate(model.themes)}
        results = []
        for row, (found, predicted) in enumerate(zip(coded, predictions, strict=True)):
            found |= predicted
            scores = {
                slug: round(float(confidences[row, column[slug]]), 4)
                if slug in column
                else prior.get(slug, KEYWORD_PRIOR)
                for slug in found
            }
            results.append(ThemeResult(frozenset(found), scores, round(certainties[row], 4)))
        return results

    def code_many(
        self,
        texts: Sequence[str],
        text_lemmas: Sequence[Sequence[str]] | None = None,
        normalised: Sequence[str] | None = None,
    ) -> list[set[str]]:
        return [set(result.themes) for result in self.analyse_many(texts, text_lemmas, normalised)]
