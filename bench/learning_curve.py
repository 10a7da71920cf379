"""How much staff time a good model costs: a learning curve of the review screen.

    nice -n 10 python bench/learning_curve.py PATH_TO_CSV

Simulates staff reviewing the development split of the NHS Friends and Family Test data on
Engage's review screen: each answer offered is confirmed with its human theme codes and (where
it has one) its sentiment, and the models are refitted as the product refits them, from the
confirmations so far. Two review orders:

- arrival: the answers in the order they came in (the file's order);
- uncertainty: the product's order (engage.learn.review.order_for_review): answers the
  current models code with a theme of fewer than 10 confirmed examples first, then the least
  sure (the lowest certainty over the sentiment and every theme decision), with answers alike
  the last few offered held back; until there is a model, arrival order.

The product refits after every REFIT_EVERY (20) confirmations; to keep this under a few CPU
minutes the simulation refits at 20, 40, 60, ... 200, then every 100 to 800, then every 400:
the order between two refits comes from the older model, which if anything handicaps the
uncertainty order. After 50, 100, 200, 400, 800 and all confirmations it prints theme
micro-F1 and sentiment macro-F1 on the evaluation split (the themes as in
bench/analysis_quality.py: the framework's themes with >= 30 development examples; a theme
the model does not know yet counts as missed). The evaluation split is only scored, never
used to choose anything. The last line is key=value pairs.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
from sklearn.metrics import f1_score  # noqa: E402
from sklearn.preprocessing import MultiLabelBinarizer  # noqa: E402

from bench.analysis_quality import MIN_THEME_EXAMPLES, NOT_THEMES, load_rows  # noqa: E402
from engage.learn.review import RARE_THEME_EXAMPLES, QueueItem, order_for_review  # noqa: E402
from engage.learn.text import normalise  # noqa: E402
from engage.learn.text.sentiment import (  # noqa: E402
    MIN_LABELS_FOR_MODEL,
    LexiconAnalyser,
    train_model,
)
from engage.learn.text.themes import MIN_ANSWERS_FOR_MODEL, train_theme_model  # noqa: E402

CHECKPOINTS = (50, 100, 200, 400, 800)


def refit_points(total: int) -> list[int]:
    points = list(range(20, 201, 20)) + list(range(300, 801, 100)) + list(range(1200, total, 400))
    return sorted({point for point in points if point < total} | set(CHECKPOINTS) | {total})


def fit(rows: list[dict], kept: set[str]):
    theme_model = None
    if len(rows) >= MIN_ANSWERS_FOR_MODEL:
        theme_model = train_theme_model(
            [row["text"] for row in rows], [row["themes"] & kept for row in rows]
        )
    labelled = [row for row in rows if row["label"]]
    sentiment_model = None
    if len(labelled) >= MIN_LABELS_FOR_MODEL and len({row["label"] for row in labelled}) > 1:
        sentiment_model = train_model(
            [row["text"] for row in labelled],
            [row["question"] for row in labelled],
            [row["label"] for row in labelled],
        )
    return theme_model, sentiment_model


def score(models, evaluation: list[dict], kept: list[str]) -> tuple[float, float]:
    theme_model, sentiment_model = models
    texts = [row["text"] for row in evaluation]
    binariser = MultiLabelBinarizer(classes=kept)
    truth = binariser.fit_transform([row["themes"] & set(kept) for row in evaluation])
    predicted = theme_model.code_many(texts) if theme_model else [set() for _ in texts]
    micro = f1_score(truth, binariser.transform(predicted), average="micro", zero_division=0)
    labelled = [row for row in evaluation if row["label"]]
    analyser = sentiment_model or LexiconAnalyser()
    found = analyser.analyse_many(
        [row["text"] for row in labelled], [row["question"] for row in labelled]
    )
    macro = f1_score(
        [row["label"].value for row in labelled],
        [result.label.value for result in found],
        average="macro",
    )
    return micro, macro


def queue_items(models, pool: list[int], rows: list[dict], confirmed: dict[str, int]):
    """What the review queue knows of each waiting answer, as the product stores it."""
    theme_model, sentiment_model = models
    texts = [rows[index]["text"] for index in pool]
    normalised = [normalise(text) for text in texts]
    certainty = np.full(len(pool), np.nan)
    lead: list[str | None] = [None] * len(pool)
    rare = [False] * len(pool)
    if theme_model is not None:
        probabilities = theme_model.probabilities(texts, normalised)
        confidences = theme_model.confidences(probabilities)
        certainty = theme_model.certainties(probabilities).min(axis=1)
        for position, found in enumerate(theme_model.decide(probabilities)):
            if found:
                columns = [theme_model.themes.index(theme) for theme in found]
                lead[position] = theme_model.themes[
                    max(columns, key=lambda c: confidences[position, c])
                ]
                rare[position] = any(confirmed.get(t, 0) < RARE_THEME_EXAMPLES for t in found)
    if sentiment_model is not None:
        questions = [rows[index]["question"] for index in pool]
        results = sentiment_model.analyse_many(texts, questions)
        sure = np.array([r.certainty if r.certainty is not None else 1.0 for r in results])
        certainty = np.fmin(certainty, sure)
    return [
        QueueItem(
            index,
            None if np.isnan(certainty[position]) else float(certainty[position]),
            rare[position],
            f"theme:{lead[position]}" if lead[position] else "text:" + normalised[position],
        )
        for position, index in enumerate(pool)
    ]


def simulate(order: str, development: list[dict], evaluation: list[dict], kept: list[str]):
    kept_set = set(kept)
    pool = list(range(len(development)))
    confirmed: list[int] = []
    counts: dict[str, int] = {}
    models = (None, None)
    curve: dict[int, tuple[float, float]] = {}
    history: list[str] = []
    for point in refit_points(len(development)):
        if order == "arrival":
            chosen = pool[: point - len(confirmed)]
        else:
            items = queue_items(models, pool, development, counts)
            keys = {item.answer_id: item.key for item in items}
            chosen = order_for_review(items, history)[: point - len(confirmed)]
            history = (history + [keys[index] for index in chosen])[-10:]
        taken = set(chosen)
        pool = [index for index in pool if index not in taken]
        confirmed.extend(chosen)
        for index in chosen:
            for theme in development[index]["themes"] & kept_set:
                counts[theme] = counts.get(theme, 0) + 1
        models = fit([development[index] for index in confirmed], kept_set)
        if point in CHECKPOINTS or point == len(development):
            curve[point] = score(models, evaluation, kept)
            micro, macro = curve[point]
            print(
                f"  {order:11} after {point:5} confirmations: theme micro-F1 {micro:.3f}, "
                f"sentiment macro-F1 {macro:.3f}",
                flush=True,
            )
    return curve


def main(path: str) -> None:
    development, evaluation, theme_columns = load_rows(path)
    counts = {c: sum(c in row["themes"] for row in development) for c in theme_columns}
    kept = sorted(
        c for c in theme_columns if c not in NOT_THEMES and counts[c] >= MIN_THEME_EXAMPLES
    )
    print(
        f"{len(development)} development answers reviewed one by one; scored on "
        f"{len(evaluation)} evaluation answers ({len(kept)} themes)"
    )
    started = time.process_time()
    curves = {
        order: simulate(order, development, evaluation, kept)
        for order in ("arrival", "uncertainty")
    }
    print(f"({time.process_time() - started:.0f} CPU s)")
    every = len(development)
    above = all(
        curves["uncertainty"][point][0] > curves["arrival"][point][0] for point in CHECKPOINTS
    )
    pairs = []
    for order, curve in curves.items():
        for point in (*CHECKPOINTS, every):
            name = "all" if point == every else str(point)
            pairs.append(f"{order}_theme_micro_f1_{name}={curve[point][0]:.3f}")
            pairs.append(f"{order}_sentiment_macro_f1_{name}={curve[point][1]:.3f}")
    pairs.append(f"uncertainty_above_arrival_at_every_point={above}")
    print(" ".join(pairs))


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] in ("-h", "--help"):
        sys.exit(__doc__)
    main(sys.argv[1])
