"""The cross-validation search behind the learning models' settings, on the development
split only (the evaluation split is never read here).

    nice -n 10 python bench/analysis_search.py PATH_TO_CSV [themes|sentiment]
    nice -n 10 python bench/analysis_search.py PATH_TO_CSV thresholds WEIGHT C BALANCED

5-fold cross-validation over the development split of the NHS Friends and Family Test data
(folds by sha256 of the text, so a repeated answer never sits on both sides). For each
setting it prints out-of-fold micro/macro-F1 (themes) or macro-F1 (sentiment). Per-theme
thresholds are judged honestly: each fold's thresholds are chosen on the other folds'
out-of-fold probabilities. Sentence vectors are cached in /tmp between runs.
The last line is key=value pairs of the best settings.
"""

from __future__ import annotations

import hashlib
import itertools
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scipy import sparse  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import f1_score  # noqa: E402
from sklearn.preprocessing import MultiLabelBinarizer  # noqa: E402

from bench.analysis_quality import MIN_THEME_EXAMPLES, NOT_THEMES, load_rows  # noqa: E402
from engage.learn.text import (
    embeddings,  # noqa: E402
    normalise,  # noqa: E402
)

FOLDS = 5
CACHE = Path("/tmp/engage-analysis-search")


def fold_of(text: str) -> int:
    return int(hashlib.sha256(normalise(text).encode()).hexdigest(), 16) % FOLDS


def cached_vectors(texts: list[str]) -> np.ndarray:
    CACHE.mkdir(exist_ok=True)
    key = hashlib.sha256("\x00".join(texts).encode()).hexdigest()[:16]
    path = CACHE / f"vectors-{key}.npy"
    if path.exists():
        return np.load(path)
    vectors = embeddings.embed(texts)
    np.save(path, vectors)
    return vectors


def best_threshold(probabilities: np.ndarray, truth: np.ndarray, grid: np.ndarray) -> float:
    scores = [f1_score(truth, probabilities >= t, zero_division=0) for t in grid]
    return float(grid[int(np.argmax(scores))])


def fit_predict(matrix_train, y_train, matrix_test, c: float, balanced: bool) -> np.ndarray:
    out = np.zeros((matrix_test.shape[0], y_train.shape[1]))
    for column in range(y_train.shape[1]):
        model = LogisticRegression(
            C=c, solver="liblinear", class_weight="balanced" if balanced else None
        )
        model.fit(matrix_train, y_train[:, column])
        out[:, column] = model.predict_proba(matrix_test)[:, 1]
    return out


def search_themes(development: list[dict], theme_columns: list[str]) -> None:
    from engage.learn.text.themes import _ThemeFeatures

    counts = {c: sum(c in row["themes"] for row in development) for c in theme_columns}
    kept = [c for c in theme_columns if c not in NOT_THEMES and counts[c] >= MIN_THEME_EXAMPLES]
    texts = [normalise(row["text"]) for row in development]
    y = MultiLabelBinarizer(classes=kept).fit_transform([row["themes"] for row in development])
    folds = np.array([fold_of(text) for text in texts])
    vectors = cached_vectors(texts)
    prepared = []
    for fold in range(FOLDS):
        train, test = folds != fold, folds == fold
        features = _ThemeFeatures()
        matrix_train = features.fit_transform([t for t, m in zip(texts, train, strict=True) if m])
        matrix_test = features.transform([t for t, m in zip(texts, test, strict=True) if m])
        prepared.append((train, test, matrix_train, matrix_test))
    grid = np.round(np.arange(0.1, 0.91, 0.05), 2)
    results = []
    # C was 4 before (chosen the same way); a grid over it too would take an hour on a shared
    # 2-core machine.
    settings = list(itertools.product((0.0, 1.0, 2.0), (4.0,), (False, True)))
    print(f"themes: {len(kept)} themes, {len(texts)} development answers, {FOLDS} folds")
    for weight, c, balanced in settings:
        started = time.process_time()
        probabilities = np.zeros(y.shape, dtype=float)
        for train, test, matrix_train, matrix_test in prepared:
            if weight:
                matrix_train = sparse.hstack([matrix_train, vectors[train] * weight]).tocsr()
                matrix_test = sparse.hstack([matrix_test, vectors[test] * weight]).tocsr()
            probabilities[test] = fit_predict(matrix_train, y[train], matrix_test, c, balanced)
        # One threshold for all themes, chosen on all folds (as the product did), and
        # per-theme thresholds, each fold's chosen on the other folds.
        single = max(grid, key=lambda t: f1_score(y, probabilities >= t, average="micro"))
        per_theme = np.zeros(y.shape, dtype=bool)
        for fold in range(FOLDS):
            own, others = folds == fold, folds != fold
            for column in range(y.shape[1]):
                t = best_threshold(probabilities[others, column], y[others, column], grid)
                per_theme[own, column] = probabilities[own, column] >= t
        row = {
            "weight": weight,
            "C": c,
            "balanced": balanced,
            "threshold": float(single),
            "micro": f1_score(y, probabilities >= single, average="micro"),
            "macro": f1_score(y, probabilities >= single, average="macro", zero_division=0),
            "micro_per_theme": f1_score(y, per_theme, average="micro"),
            "macro_per_theme": f1_score(y, per_theme, average="macro", zero_division=0),
            "cpu_s": time.process_time() - started,
        }
        results.append(row)
        print(
            f"  vectors x{weight:g} C={c:g} balanced={balanced!s:5}: "
            f"one threshold {row['threshold']:.2f} micro {row['micro']:.3f} "
            f"macro {row['macro']:.3f}; per-theme micro {row['micro_per_theme']:.3f} "
            f"macro {row['macro_per_theme']:.3f} ({row['cpu_s']:.0f} CPU s)",
            flush=True,
        )
    best = max(results, key=lambda r: r["micro_per_theme"] + r["macro_per_theme"])
    print(
        f"theme_vector_weight={best['weight']:g} theme_C={best['C']:g} "
        f"theme_balanced={best['balanced']} theme_cv_micro={best['micro_per_theme']:.3f} "
        f"theme_cv_macro={best['macro_per_theme']:.3f}"
    )


def search_thresholds(development: list[dict], theme_columns: list[str], weight, c, balanced):
    """For one setting: how to turn its out-of-fold probabilities into codes. One threshold
    for all themes; a threshold per theme; per theme but pulled towards the one threshold by
    how few positives the theme has (t = t_all + n/(n+k) (t_theme - t_all)); each on raw or
    Platt-calibrated probabilities. Each fold's thresholds are chosen on the other folds."""
    from engage.learn.text.themes import _ThemeFeatures, calibrate

    counts = {col: sum(col in row["themes"] for row in development) for col in theme_columns}
    kept = [
        col for col in theme_columns if col not in NOT_THEMES and counts[col] >= MIN_THEME_EXAMPLES
    ]
    texts = [normalise(row["text"]) for row in development]
    y = MultiLabelBinarizer(classes=kept).fit_transform([row["themes"] for row in development])
    folds = np.array([fold_of(text) for text in texts])
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"oof-{weight:g}-{c:g}-{balanced}-{len(texts)}.npy"
    if path.exists():
        probabilities = np.load(path)
    else:
        vectors = cached_vectors(texts)
        probabilities = np.zeros(y.shape)
        for fold in range(FOLDS):
            train, test = folds != fold, folds == fold
            features = _ThemeFeatures(vector_weight=0)
            matrix_train = features.fit_transform(
                [t for t, m in zip(texts, train, strict=True) if m]
            )
            matrix_test = features.transform([t for t, m in zip(texts, test, strict=True) if m])
            if weight:
                matrix_train = sparse.hstack([matrix_train, vectors[train] * weight]).tocsr()
                matrix_test = sparse.hstack([matrix_test, vectors[test] * weight]).tocsr()
            probabilities[test] = fit_predict(matrix_train, y[train], matrix_test, c, balanced)
        np.save(path, probabilities)
    grid = np.round(np.arange(0.05, 0.91, 0.05), 2)

    def platt(p, truth):
        from sklearn.linear_model import LogisticRegression as Platt

        scores = np.log(np.clip(p, 1e-6, 1 - 1e-6)) - np.log(np.clip(1 - p, 1e-6, 1))
        model = Platt(C=100.0).fit(scores[:, None], truth)
        return model.coef_[0, 0], model.intercept_[0]

    print(f"thresholds for vectors x{weight:g} C={c:g} balanced={balanced}:")
    best = None
    for calibrated, k in itertools.product((False, True), (0, 10, 30, 100, None)):
        predicted = np.zeros(y.shape, dtype=bool)
        for fold in range(FOLDS):
            own, others = folds == fold, folds != fold
            p_own, p_others = probabilities[own].copy(), probabilities[others].copy()
            if calibrated:
                for column in range(y.shape[1]):
                    a, b = platt(p_others[:, column], y[others, column])
                    p_own[:, column] = calibrate(p_own[:, column], a, b)
                    p_others[:, column] = calibrate(p_others[:, column], a, b)
            overall = max(grid, key=lambda t: f1_score(y[others], p_others >= t, average="micro"))
            for column in range(y.shape[1]):
                if k is None:
                    t = overall
                else:
                    own_t = best_threshold(p_others[:, column], y[others, column], grid)
                    n = y[others, column].sum()
                    t = overall + (n / (n + k)) * (own_t - overall)
                predicted[own, column] = p_own[:, column] >= t
        micro = f1_score(y, predicted, average="micro")
        macro = f1_score(y, predicted, average="macro", zero_division=0)
        policy = "one threshold" if k is None else f"per theme, pulled k={k}"
        print(
            f"  {'calibrated' if calibrated else 'raw':10} {policy:24}: "
            f"micro {micro:.3f} macro {macro:.3f}",
            flush=True,
        )
        if best is None or micro + macro > best[0]:
            best = (micro + macro, calibrated, k, micro, macro)
    _total, calibrated, k, micro, macro = best
    print(
        f"threshold_calibrated={calibrated} threshold_pull_k={k} "
        f"theme_cv_micro={micro:.3f} theme_cv_macro={macro:.3f}"
    )


def search_sentiment(development: list[dict]) -> None:
    from engage.learn.text.sentiment import LABELS, _Features

    labelled = [row for row in development if row["label"]]
    texts = [row["text"] for row in labelled]
    questions = [row["question"] for row in labelled]
    y = np.array([LABELS.index(row["label"]) for row in labelled])
    folds = np.array([fold_of(text) for text in texts])
    vectors = cached_vectors([normalise(text) for text in texts])
    prepared = []
    for fold in range(FOLDS):
        train, test = folds != fold, folds == fold
        features = _Features()
        pick = np.flatnonzero
        matrix_train = features.fit_transform(
            [texts[i] for i in pick(train)], [questions[i] for i in pick(train)]
        )
        matrix_test = features.transform(
            [texts[i] for i in pick(test)], [questions[i] for i in pick(test)]
        )
        prepared.append((train, test, matrix_train, matrix_test))
    print(f"sentiment: {len(texts)} labelled development answers, {FOLDS} folds")
    results = []
    for weight, c, balanced in itertools.product((0.0, 1.0, 2.0), (1.0, 4.0), (True, False)):
        probabilities = np.zeros((len(y), 3))
        for train, test, matrix_train, matrix_test in prepared:
            if weight:
                matrix_train = sparse.hstack([matrix_train, vectors[train] * weight]).tocsr()
                matrix_test = sparse.hstack([matrix_test, vectors[test] * weight]).tocsr()
            model = LogisticRegression(
                C=c, solver="liblinear", class_weight="balanced" if balanced else None
            )
            from sklearn.multiclass import OneVsRestClassifier

            model = OneVsRestClassifier(model).fit(matrix_train, y[train])
            probabilities[test] = model.predict_proba(matrix_test)
        plain = f1_score(y, probabilities.argmax(1), average="macro")
        # A weight per class on the probabilities (the neutral/mixed one mostly), each
        # fold's chosen on the other folds.
        shifted = np.zeros(len(y), dtype=int)
        options = [np.array([1.0, n, 1.0]) for n in (0.8, 1.0, 1.2, 1.4, 1.6, 1.8, 2.0)]
        for fold in range(FOLDS):
            own, others = folds == fold, folds != fold
            factor = max(
                options,
                key=lambda f: f1_score(
                    y[others], (probabilities[others] * f).argmax(1), average="macro"
                ),
            )
            shifted[own] = (probabilities[own] * factor).argmax(1)
        tuned = f1_score(y, shifted, average="macro")
        results.append((tuned, plain, weight, c, balanced))
        print(
            f"  vectors x{weight:g} C={c:g} balanced={balanced!s:5}: macro-F1 {plain:.3f}, "
            f"with the neutral weight chosen by CV {tuned:.3f}",
            flush=True,
        )
    tuned, plain, weight, c, balanced = max(results)
    print(
        f"sentiment_vector_weight={weight:g} sentiment_C={c:g} sentiment_balanced={balanced} "
        f"sentiment_cv_macro={plain:.3f} sentiment_cv_macro_weighted={tuned:.3f}"
    )


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] in ("-h", "--help"):
        sys.exit(__doc__)
    development, _evaluation, theme_columns = load_rows(sys.argv[1])
    del _evaluation  # reporting only: never looked at here
    which = sys.argv[2] if len(sys.argv) > 2 else "both"
    if which in ("themes", "both"):
        search_themes(development, theme_columns)
    if which == "thresholds":
        weight, c, balanced = float(sys.argv[3]), float(sys.argv[4]), sys.argv[5] == "True"
        search_thresholds(development, theme_columns, weight, c, balanced)
    if which in ("sentiment", "both"):
        search_sentiment(development)


if __name__ == "__main__":
    main()
