"""How good the analysis is, on the evaluation split of the NHS Friends and Family Test data.

    python bench/analysis_quality.py PATH_TO_CSV

Trains only on the development split (sha256(Comment ID) % 5 != 0) and reports on the
evaluation split: 3-way sentiment with no labels (the lexicon analyser) and after learning
from the development split's labels (the model staff labels would train), theme micro/macro
F1 of the theme model trained on the development split's theme columns, and comments/s of the
full analysis (engage.learn.analysis.Analyser), with no labels and with both trained models
(one pass over the 7,400 comments each). The product's own code paths throughout.
The last line is key=value pairs.
"""

from __future__ import annotations

import csv
import hashlib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sklearn.metrics import accuracy_score, f1_score  # noqa: E402

from engage.learn.analysis import Analyser  # noqa: E402
from engage.learn.models import SentimentLabel  # noqa: E402
from engage.learn.safeguarding import DEFAULT_PHRASES_FILE, parse_phrases  # noqa: E402
from engage.learn.text.sentiment import LexiconAnalyser, train_model  # noqa: E402
from engage.learn.text.themes import (  # noqa: E402
    KeywordCoder,
    ThemeCoder,
    keyword_list,
    seed_themes,
    train_theme_model,
)

FIRST_THEME, LAST_THEME = "Not assigned", "Positive experience & gratitude"
# Markers of the labelling, not themes of what was said.
NOT_THEMES = {"Not assigned", "Labelling not possible"}
MIN_THEME_EXAMPLES = 30  # in the development split


def is_evaluation(comment_id: str) -> bool:
    return int(hashlib.sha256(comment_id.encode("utf-8")).hexdigest(), 16) % 5 == 0


def three_way(value: str) -> SentimentLabel | None:
    value = value.strip()
    if not value:
        return None
    if value in {"1", "2"}:
        return SentimentLabel.POSITIVE
    if value == "3":
        return SentimentLabel.NEUTRAL
    return SentimentLabel.NEGATIVE


def load_rows(path: str) -> tuple[list[dict], list[dict], list[str]]:
    """Development and evaluation rows with text, and the framework's theme columns."""
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        columns = reader.fieldnames or []
        theme_columns = columns[columns.index(FIRST_THEME) : columns.index(LAST_THEME) + 1]
        development, evaluation = [], []
        for row in reader:
            text = (row["FFT answer"] or "").strip()
            if not text:
                continue
            item = {
                "text": text,
                "question": row["FFT question"],
                "label": three_way(row["Comment sentiment"]),
                "themes": {c for c in theme_columns if (row[c] or "").strip() == "1"},
            }
            (evaluation if is_evaluation(row["Comment ID"]) else development).append(item)
    return development, evaluation, theme_columns


def macro_f1(truth, predicted) -> float:
    return f1_score(values(truth), values(predicted), average="macro")


def values(labels) -> list[str]:
    return [label.value for label in labels]


def main(path: str) -> None:
    development, evaluation, theme_columns = load_rows(path)
    print(f"{len(development)} development and {len(evaluation)} evaluation comments with text")

    labelled_dev = [row for row in development if row["label"]]
    labelled_eval = [row for row in evaluation if row["label"]]
    truth = [row["label"] for row in labelled_eval]
    texts = [row["text"] for row in labelled_eval]
    questions = [row["question"] for row in labelled_eval]

    lexicon = LexiconAnalyser()
    unlabelled = [result.label for result in lexicon.analyse_many(texts, questions)]
    accuracy_unlabelled = accuracy_score(values(truth), values(unlabelled))
    f1_unlabelled = macro_f1(truth, unlabelled)
    print(
        f"sentiment, no labels (lexicon, {len(truth)} labelled evaluation comments): "
        f"accuracy {accuracy_unlabelled:.3f}, macro-F1 {f1_unlabelled:.3f}"
    )

    started = time.perf_counter()
    model = train_model(
        [row["text"] for row in labelled_dev],
        [row["question"] for row in labelled_dev],
        [row["label"] for row in labelled_dev],
    )
    fit_seconds = time.perf_counter() - started
    learned = [result.label for result in model.analyse_many(texts, questions)]
    accuracy_learned = accuracy_score(values(truth), values(learned))
    f1_learned = macro_f1(truth, learned)
    print(
        f"sentiment, learned from {len(labelled_dev)} development labels "
        f"(fit {fit_seconds:.1f} s): accuracy {accuracy_learned:.3f}, macro-F1 {f1_learned:.3f}"
    )

    counts = {c: sum(c in row["themes"] for row in development) for c in theme_columns}
    kept = [c for c in theme_columns if c not in NOT_THEMES and counts[c] >= MIN_THEME_EXAMPLES]
    theme_model = train_theme_model(
        [row["text"] for row in development],
        [row["themes"] & set(kept) for row in development],
        min_examples=MIN_THEME_EXAMPLES,
    )
    predicted = theme_model.code_many([row["text"] for row in evaluation])
    from sklearn.preprocessing import MultiLabelBinarizer

    binariser = MultiLabelBinarizer(classes=theme_model.themes)
    y_true = binariser.fit_transform(
        [row["themes"] & set(theme_model.themes) for row in evaluation]
    )
    y_pred = binariser.transform(predicted)
    micro = f1_score(y_true, y_pred, average="micro", zero_division=0)
    macro = f1_score(y_true, y_pred, average="macro", zero_division=0)
    print(
        f"themes ({len(theme_model.themes)} framework themes with >= {MIN_THEME_EXAMPLES} "
        f"development examples, {len(evaluation)} evaluation comments): "
        f"micro-F1 {micro:.3f}, macro-F1 {macro:.3f}"
    )

    # Speed of the full analysis as the product runs it with no labels yet: lexicon sentiment,
    # the seed SEND codebook's keyword rules and the safeguarding screen.
    analyser = Analyser(
        lexicon,
        ThemeCoder(KeywordCoder({t["slug"]: keyword_list(t["keywords"]) for t in seed_themes()})),
        parse_phrases(DEFAULT_PHRASES_FILE.read_text(encoding="utf-8")),
    )
    all_texts = [row["text"] for row in development + evaluation]
    all_questions = [row["question"] for row in development + evaluation]
    analyser.analyse_texts(all_texts[:50], all_questions[:50])
    started = time.perf_counter()
    analyser.analyse_texts(all_texts, all_questions)
    per_second = len(all_texts) / (time.perf_counter() - started)
    print(f"full analysis (lexicon, keywords, safeguarding): {per_second:,.0f} comments/s")

    # And once trained: both models above, with the same keywords and screen.
    trained = Analyser(model, ThemeCoder(analyser.coder.keywords, theme_model), analyser.screen)
    trained.analyse_texts(all_texts[:50], all_questions[:50])
    started = time.perf_counter()
    trained.analyse_texts(all_texts, all_questions)
    trained_per_second = len(all_texts) / (time.perf_counter() - started)
    print(
        f"full analysis (both trained models, keywords, safeguarding): "
        f"{trained_per_second:,.0f} comments/s"
    )

    print(
        f"sentiment_macro_f1_unlabelled={f1_unlabelled:.3f} sentiment_macro_f1={f1_learned:.3f} "
        f"theme_micro_f1={micro:.3f} theme_macro_f1={macro:.3f} comments_per_s={per_second:.0f} "
        f"trained_comments_per_s={trained_per_second:.0f}"
    )


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] in ("-h", "--help"):
        sys.exit(__doc__)
    main(sys.argv[1])
