"""Speed of the analysis of free-text answers (sentiment, auto-coding, safeguarding screen).

    python bench/analysis.py PATH_TO_CSV [--db N]

1. The full analysis function (engage.learn.analysis.Analyser.analyse_texts) over 20,000+
   comments of the development split of the NHS data, no database: as at first (lexicon
   sentiment, the seed SEND codebook's keywords, the default phrase screen) and once trained
   (sentiment and theme models fitted on the development split's labels). Every comment gets
   all of it: sentiment, themes (keywords and model) and the safeguarding screen. The list is
   passed in one call, which works through it 2,000 comments at a time, each chunk as a batch
   (one TF-IDF matrix and one prediction per model). Median of three passes.
2. With the database (SQLite file in a temporary folder): N submitted answers analysed by
   `analyse_pending`, which also writes Sentiment and Coding rows and commits per batch.

Wall-clock and CPU figures both: this machine is shared, and CPU seconds are steadier.
Memory: a fresh process, as a worker would be (the app created, no CSV loaded), analyses every
comment once with no model, in analyse_pending's batches, and reports its peak resident set
(ru_maxrss; the goal is under 200 MB); this process's own peak after training says what
trained models cost on top of the benchmark's data. The last line is key=value pairs.
"""

from __future__ import annotations

import json
import os
import resource
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.analysis_quality import MIN_THEME_EXAMPLES, NOT_THEMES, load_rows  # noqa: E402
from engage.learn.analysis import Analyser  # noqa: E402
from engage.learn.safeguarding import DEFAULT_PHRASES_FILE, parse_phrases  # noqa: E402
from engage.learn.text.sentiment import LexiconAnalyser, train_model  # noqa: E402
from engage.learn.text.themes import (  # noqa: E402
    KeywordCoder,
    ThemeCoder,
    keyword_list,
    seed_themes,
    train_theme_model,
)

TARGET = 20_000


RUNS = 3


def timed(analyser: Analyser, texts: list[str], questions: list[str]) -> tuple[float, float]:
    """Comments per second, wall clock and per CPU second: the median of RUNS full passes
    over every text (the machine is shared; one pass can land on a busy moment)."""
    analyser.analyse_texts(texts[:50], questions[:50])  # load lexicons and dictionaries
    walls, cpus = [], []
    for _ in range(RUNS):
        wall, cpu = time.perf_counter(), time.process_time()
        results = analyser.analyse_texts(texts, questions)
        walls.append(len(texts) / (time.perf_counter() - wall))
        cpus.append(len(texts) / (time.process_time() - cpu))
        assert len(results) == len(texts)
    return statistics.median(walls), statistics.median(cpus)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# Run with `python -c` rather than multiprocessing, so the worker imports only the product
# (not this benchmark's scikit-learn metrics and CSV rows).
WORKER = """
import json, resource, sys
from engage import create_app
from engage.learn.analysis import BATCH_SIZE, Analyser
from engage.learn.safeguarding import DEFAULT_PHRASES_FILE, parse_phrases
from engage.learn.text.sentiment import LexiconAnalyser
from engage.learn.text.themes import KeywordCoder, ThemeCoder, keyword_list, seed_themes

create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
texts, questions = json.load(open(sys.argv[1], encoding="utf-8"))
keywords = KeywordCoder({t["slug"]: keyword_list(t["keywords"]) for t in seed_themes()})
screen = parse_phrases(DEFAULT_PHRASES_FILE.read_text(encoding="utf-8"))
analyser = Analyser(LexiconAnalyser(), ThemeCoder(keywords), screen)
for start in range(0, len(texts), BATCH_SIZE):
    analyser.analyse_texts(texts[start : start + BATCH_SIZE], questions[start : start + BATCH_SIZE])
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def worker_peak_mb(texts: list[str], questions: list[str]) -> float:
    """Peak memory of a fresh process holding only what a worker holds, after analysing every
    text in analyse_pending's batches."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8") as handle:
        json.dump([texts, questions], handle)
        handle.flush()
        root = Path(__file__).resolve().parent.parent
        result = subprocess.run(
            [sys.executable, "-c", WORKER, handle.name],
            capture_output=True,
            text=True,
            check=True,
            cwd=root,
        )
    return float(result.stdout.split()[-1])


def in_memory(development: list[dict], theme_columns: list[str]) -> dict[str, float]:
    repeat = -(-TARGET // len(development))
    texts = [row["text"] for row in development] * repeat
    questions = [row["question"] for row in development] * repeat
    keywords = KeywordCoder({t["slug"]: keyword_list(t["keywords"]) for t in seed_themes()})
    screen = parse_phrases(DEFAULT_PHRASES_FILE.read_text(encoding="utf-8"))

    first = Analyser(LexiconAnalyser(), ThemeCoder(keywords), screen)
    wall, cpu = timed(first, texts, questions)
    print(
        f"no labels yet, {len(texts):,} comments: {wall:,.0f}/s wall, {cpu:,.0f}/s CPU "
        f"(median of {RUNS}; load {os.getloadavg()[0]:.2f})"
    )
    worker = worker_peak_mb(texts, questions)
    figures = {"comments_per_s": wall, "worker_peak_mb_no_model": worker}
    print(f"a fresh worker's peak memory, every comment analysed with no model: {worker:.0f} MB")

    labelled = [row for row in development if row["label"]]
    sentiment_model = train_model(
        [row["text"] for row in labelled],
        [row["question"] for row in labelled],
        [row["label"] for row in labelled],
    )
    counts = {c: sum(c in row["themes"] for row in development) for c in theme_columns}
    kept = {c for c in theme_columns if c not in NOT_THEMES and counts[c] >= MIN_THEME_EXAMPLES}
    theme_model = train_theme_model(
        [row["text"] for row in development], [row["themes"] & kept for row in development]
    )
    trained = Analyser(sentiment_model, ThemeCoder(keywords, theme_model), screen)
    wall, cpu = timed(trained, texts, questions)
    print(
        f"trained models, {len(texts):,} comments: {wall:,.0f}/s wall, {cpu:,.0f}/s CPU "
        f"(median of {RUNS}; load {os.getloadavg()[0]:.2f})"
    )
    figures["trained_comments_per_s"] = wall
    figures["peak_mb_trained"] = peak_mb()
    print(
        f"this process's peak after training both models: {figures['peak_mb_trained']:.0f} MB "
        "(includes the benchmark's CSV rows, about 70 MB)"
    )
    return figures


def with_database(development: list[dict], count: int) -> None:
    from engage import create_app
    from engage.extensions import db
    from engage.learn.analysis import analyse_pending
    from engage.learn.themes import seed_codebook
    from engage.listen.models import Answer, Channel, Response, ResponseStatus
    from engage.schema import utcnow

    folder = tempfile.mkdtemp(prefix="engage-bench-analysis-")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": secrets.token_hex(32),
            "SQLALCHEMY_DATABASE_URI": "sqlite:///" + os.path.join(folder, "bench.db"),
        }
    )
    with app.app_context():
        from engage.ask.models import (
            Audience,
            Question,
            QuestionKind,
            Survey,
            SurveyMode,
            SurveyStatus,
        )

        db.create_all()
        seed_codebook()
        survey = Survey(
            slug="bench",
            title="Bench",
            audience=Audience.EVERYONE,
            mode=SurveyMode.STANDARD,
            status=SurveyStatus.PUBLISHED,
        )
        question = Question(
            position=0, key="better", kind=QuestionKind.FREE_TEXT, text="What could we do better?"
        )
        survey.questions.append(question)
        db.session.add(survey)
        db.session.flush()
        for index in range(count):
            response = Response(
                survey_id=survey.id,
                channel=Channel.ONLINE,
                submission_token=f"t{index}",
                status=ResponseStatus.SUBMITTED,
                submitted_at=utcnow(),
            )
            response.answers.append(
                Answer(question_id=question.id, text=development[index % len(development)]["text"])
            )
            db.session.add(response)
        db.session.commit()
        wall, cpu = time.perf_counter(), time.process_time()
        done = analyse_pending()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(
            f"with SQLite writes (analyse_pending, {done:,} answers): "
            f"{done / wall:,.0f}/s wall, {done / cpu:,.0f}/s CPU"
        )


def main() -> None:
    args = sys.argv[1:]
    if not args:
        sys.exit("usage: python bench/analysis.py PATH_TO_CSV [--db N]")
    development, _evaluation, theme_columns = load_rows(args[0])
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    figures = in_memory(development, theme_columns)
    if "--db" in args:
        with_database(development, int(args[args.index("--db") + 1]))
    print(" ".join(f"{key}={value:.0f}" for key, value in figures.items()))


if __name__ == "__main__":
    main()
