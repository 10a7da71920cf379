"""Analysing free-text answers: sentiment, auto-coding to themes and the safeguarding screen.
The submit runs the screen (screen_submitted_response); sentiment and themes follow in the
analysis worker (engage.learn.worker) and `engage analyse`. Re-running is idempotent."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import insert, or_, select
from sqlalchemy.orm import selectinload

from engage.extensions import db
from engage.learn import safeguarding, sentiment, themes
from engage.learn import tally as learn_tally
from engage.learn.models import Coding, CodingRejection, CodingSource, Sentiment, Theme
from engage.learn.safeguarding import PhraseScreen
from engage.learn.text import lemma, normalise, normalised_tokens
from engage.learn.text.screen import Screening
from engage.learn.text.sentiment import SentimentResult
from engage.learn.text.themes import ThemeCoder
from engage.listen.answer_languages import text_to_analyse
from engage.listen.models import Answer, Response, ResponseStatus
from engage.schema import utcnow

BATCH_SIZE = 500
# Analyse_texts works through a long list this many answers at a time: the matrices of a
# chunk stay in the processor's cache (one matrix of 20,000 answers was 20% slower).
CHUNK_SIZE = 2000


@dataclass(frozen=True)
class TextAnalysis:
    sentiment: SentimentResult
    themes: frozenset[str]
    safeguarding: Screening
    # Each found theme's confidence, and the answer's least sure decision (sentiment or any
    # theme the model knows): what the review queue offers first. None without a model.
    confidences: dict[str, float] = field(default_factory=dict)
    certainty: float | None = None


@dataclass
class Analyser:
    """Everything applied to one free-text answer; needs no database (the benchmarks use it)."""

    sentiment: sentiment.LexiconAnalyser | sentiment.ModelAnalyser
    coder: ThemeCoder
    screen: PhraseScreen

    @property
    def version(self) -> str:
        return f"{self.sentiment.version}/{self.coder.version}"[:40]

    def analyse_texts(
        self, texts: Sequence[str], question_texts: Sequence[str | None]
    ) -> list[TextAnalysis]:
        if len(texts) > CHUNK_SIZE:
            return [
                result
                for start in range(0, len(texts), CHUNK_SIZE)
                for result in self.analyse_texts(
                    texts[start : start + CHUNK_SIZE], question_texts[start : start + CHUNK_SIZE]
                )
            ]
        # Answers repeat ("Nothing.", "Did not answer"): each distinct answer to a question is
        # analysed once per batch (every step is per answer, so the results are the same).
        positions: dict[tuple[str, str | None], int] = {}
        order = [
            positions.setdefault(key, len(positions))
            for key in zip(texts, question_texts, strict=True)
        ]
        if len(positions) == len(order):
            return self._analyse_distinct(texts, question_texts)
        results = self._analyse_distinct(
            [text for text, _question in positions], [question for _text, question in positions]
        )
        return [results[position] for position in order]

    def _analyse_distinct(
        self, texts: Sequence[str], question_texts: Sequence[str | None]
    ) -> list[TextAnalysis]:
        # The whole batch at once: each text is normalised and tokenised once for all three
        # analyses, and each model turns the batch into one matrix for one prediction.
        normalised = [normalise(text) for text in texts]
        token_lists = [normalised_tokens(text) for text in normalised]
        text_lemmas = [list(map(lemma, words)) for words in token_lists]
        sentiments = self.sentiment.analyse_many(
            texts, question_texts, token_lists, normalised=normalised
        )
        codes = self.coder.analyse_many(texts, text_lemmas, normalised=normalised)
        reasons = self.screen.reasons
        return [
            TextAnalysis(
                found_sentiment,
                found_codes.themes,
                reasons(text, words),
                found_codes.confidences,
                _least(found_sentiment.certainty, found_codes.certainty),
            )
            for found_sentiment, found_codes, text, words in zip(
                sentiments, codes, texts, text_lemmas, strict=True
            )
        ]


def _least(*certainties: float | None) -> float | None:
    known = [value for value in certainties if value is not None]
    return min(known) if known else None


def current_analyser() -> Analyser:
    return Analyser(
        sentiment.current_analyser(), themes.current_coder(), safeguarding.current_screen()
    )


def _has_text(answer: Answer) -> bool:
    return bool((answer.text or "").strip())


def _analysable(answer: Answer) -> bool:
    """English words, or a staff translation of another language's: never read another
    language as English (it waits, counted as not yet analysed)."""
    return _has_text(answer) and bool(
        text_to_analyse(answer.text, answer.language, answer.translation)
    )


def _words(answer: Answer) -> str:
    # An untranslated answer is still read by the safeguarding screen, in its own words.
    return text_to_analyse(answer.text, answer.language, answer.translation) or answer.text


# Answers analyse_pending may pick: English, or translated by staff.
ANALYSABLE = or_(
    Answer.language.is_(None), Answer.language == "en", Answer.translation.is_not(None)
)


def analyse_answers(
    answers: Sequence[Answer],
    analyser: Analyser | None = None,
    force: bool = False,
    screen: bool = False,
) -> int:
    """Store sentiment and auto codes for these answers; returns how many were analysed.

    Answers already analysed by this analyser's version are skipped unless force is set.
    A sentiment staff confirmed keeps its label, and staff or confirmed codings are never
    changed: only the analyser's own unconfirmed codes are added or withdrawn. With screen,
    answers the safeguarding screen matches are flagged too. Does not commit.
    """
    answers = [answer for answer in answers if _analysable(answer)]
    if not answers:
        return 0
    analyser = analyser or current_analyser()
    db.session.flush()
    ids = [answer.id for answer in answers]
    stored = {
        row.answer_id: row
        for row in db.session.scalars(select(Sentiment).where(Sentiment.answer_id.in_(ids)))
    }
    if not force:
        answers = [
            answer
            for answer in answers
            if answer.id not in stored or stored[answer.id].analyser_version != analyser.version
        ]
        if not answers:
            return 0
        ids = [answer.id for answer in answers]
    codings: dict[int, list[Coding]] = {}
    for coding in db.session.scalars(select(Coding).where(Coding.answer_id.in_(ids))):
        codings.setdefault(coding.answer_id, []).append(coding)
    rejected: dict[int, set[int]] = {}
    rejections = select(CodingRejection.answer_id, CodingRejection.theme_id).where(
        CodingRejection.answer_id.in_(ids)
    )
    for answer_id, theme_id in db.session.execute(rejections):
        rejected.setdefault(answer_id, set()).add(theme_id)
    theme_ids = _active_theme_ids()
    results = _analyse(analyser, answers)
    # Answers with nothing stored yet (the usual case: new answers) are written by bulk
    # statement and counted here; the ORM's unit of work cost more than the analysis.
    blank = [answer.id not in stored and answer.id not in codings for answer in answers]
    _insert_new_rows(
        [
            (answer, result)
            for answer, result, is_blank in zip(answers, results, blank, strict=True)
            if is_blank
        ],
        analyser.version,
        theme_ids,
        rejected,
    )
    again = [
        (answer, result)
        for answer, result, is_blank in zip(answers, results, blank, strict=True)
        if not is_blank
    ]
    with learn_tally.recount([answer.id for answer, _result in again]):
        for answer, result in again:
            _store_sentiment(
                answer, stored.get(answer.id), result.sentiment, analyser.version, result.certainty
            )
            _store_codings(
                answer,
                codings.get(answer.id, []),
                result.themes,
                theme_ids,
                rejected.get(answer.id, set()),
                result.confidences,
            )
    if screen:
        safeguarding.flag_screened_answers(
            [(answer, result.safeguarding) for answer, result in zip(answers, results, strict=True)]
        )
    return len(answers)


def _new_rows(
    answer_id: int,
    result: TextAnalysis,
    version: str,
    theme_ids: dict[str, int],
    rejected: set[int],
    now,
) -> tuple[dict, list[dict]]:
    """The sentiment and coding rows of an answer with nothing stored yet."""
    wanted = {theme_ids[slug]: slug for slug in result.themes if slug in theme_ids}
    return (
        {
            "answer_id": answer_id,
            "label": result.sentiment.label,
            "score": result.sentiment.score,
            "confidence": result.sentiment.confidence,
            "certainty": result.certainty,
            "analyser_version": version,
            "analysed_at": now,
        },
        [
            {
                "answer_id": answer_id,
                "theme_id": theme_id,
                "source": CodingSource.AUTO,
                "confirmed": False,
                "confidence": result.confidences.get(wanted[theme_id]),
                "created_at": now,
            }
            for theme_id in sorted(wanted.keys() - rejected)
        ],
    )


def _insert(sentiments: list[dict], codings: list[dict]) -> None:
    if sentiments:
        db.session.execute(insert(Sentiment), sentiments)
    if codings:
        db.session.execute(insert(Coding), codings)


def _insert_new_rows(
    analysed: list[tuple[Answer, TextAnalysis]],
    version: str,
    theme_ids: dict[str, int],
    rejected: dict[int, set[int]],
) -> None:
    """Store, by bulk statement, what was found for answers with no sentiment or coding
    stored, and count those of submitted responses (learn.tally)."""
    if not analysed:
        return
    now = utcnow()
    sentiments, codings = [], []
    for answer, result in analysed:
        sentiment_row, coding_rows = _new_rows(
            answer.id, result, version, theme_ids, rejected.get(answer.id, set()), now
        )
        sentiments.append(sentiment_row)
        codings.extend(coding_rows)
    learn_tally.add_new_rows(
        {
            answer.id: learn_tally.dimensions(answer.response)
            for answer, _result in analysed
            if answer.response.status == ResponseStatus.SUBMITTED
            and answer.response.submitted_at is not None
        },
        sentiments,
        codings,
    )
    _insert(sentiments, codings)


def _active_theme_ids() -> dict[str, int]:
    return dict(
        db.session.execute(select(Theme.slug, Theme.id).where(Theme.active.is_(True))).all()
    )


def _analyse(analyser: Analyser, answers: Sequence[Answer]) -> list[TextAnalysis]:
    return analyser.analyse_texts(
        [_words(answer) for answer in answers],
        [answer.question.text if answer.question else None for answer in answers],
    )


def _store_sentiment(
    answer: Answer,
    row: Sentiment | None,
    result: SentimentResult,
    version: str,
    certainty: float | None = None,
) -> None:
    if row is None:
        row = Sentiment(answer_id=answer.id)
        db.session.add(row)
    row.label = row.confirmed_label or result.label
    row.score = result.score
    row.confidence = result.confidence
    row.certainty = certainty
    row.analyser_version = version
    row.analysed_at = utcnow()


def _store_codings(
    answer: Answer,
    existing: list[Coding],
    slugs: frozenset[str],
    theme_ids: dict[str, int],
    rejected: set[int],
    confidences: dict[str, float] | None = None,
) -> None:
    # A code staff removed stays removed (CodingRejection).
    slug_of = {theme_ids[slug]: slug for slug in slugs if slug in theme_ids}
    wanted = slug_of.keys() - rejected
    confidences = confidences or {}
    present = {coding.theme_id for coding in existing}
    for coding in existing:
        if coding.source is not CodingSource.AUTO or coding.confirmed:
            continue
        if coding.theme_id not in wanted:
            db.session.delete(coding)
        else:
            coding.confidence = confidences.get(slug_of[coding.theme_id])
    for theme_id in sorted(wanted - present):
        db.session.add(
            Coding(
                answer_id=answer.id,
                theme_id=theme_id,
                source=CodingSource.AUTO,
                confirmed=False,
                confidence=confidences.get(slug_of[theme_id]),
            )
        )


def _prepared_key(answer: Answer) -> tuple[int, int, str]:
    return (answer.id, answer.question_id, answer.text)


def prepare_submitted_response(response: Response) -> dict[tuple[int, int, str], Screening]:
    """The submit hook's prepare step: screens the draft's free text before the submit's write
    transaction begins (the screen as the phrase file is now, so a new phrase applies to the
    very next submit), by (answer id, question id, text screened)."""
    screen = safeguarding.current_screen()
    return {
        _prepared_key(answer): screen.screen(_words(answer))
        for answer in response.answers
        if _has_text(answer)
    }


def screen_submitted_response(
    response: Response, prepared: dict[tuple[int, int, str], Screening] | None = None
) -> None:
    """The submit hook, inside the submit transaction (it must not commit): flags what the
    safeguarding screen found, so a response is never submitted without its flag, and any
    failure fails the whole submit with the respondent's draft kept. An answer whose text
    changed since it was prepared is screened here. Sentiment and themes are left to the
    analysis worker (the submit marked the response, engage.learn.worker)."""
    prepared = prepared or {}
    screen = None
    found = []
    for answer in response.answers:
        if not _has_text(answer):
            continue
        screening = prepared.get(_prepared_key(answer))
        if screening is None:
            screen = screen or safeguarding.current_screen()
            screening = screen.screen(_words(answer))
        found.append((answer, screening))
    safeguarding.flag_screened_answers(found)


def analyse_pending(everything: bool = False, batch_size: int = BATCH_SIZE) -> int:
    """Analyse submitted answers not yet analysed by the current analyser (or every answer),
    committing batch by batch; screens them for safeguarding too. Returns how many."""
    analyser = current_analyser()
    query = (
        select(Answer)
        .join(Response, Response.id == Answer.response_id)
        .outerjoin(Sentiment, Sentiment.answer_id == Answer.id)
        .where(
            Response.status == ResponseStatus.SUBMITTED,
            Answer.text.is_not(None),
            Answer.text != "",
            ANALYSABLE,
            # The worker's (engage.learn.worker): two writers of one answer's rows would clash.
            Response.analysis_pending.is_(False),
        )
        .options(selectinload(Answer.question), selectinload(Answer.response))
        .order_by(Answer.id)
    )
    if not everything:
        query = query.where(
            or_(Sentiment.id.is_(None), Sentiment.analyser_version != analyser.version)
        )
    done = 0
    last_id = 0
    while True:
        batch = list(db.session.scalars(query.where(Answer.id > last_id).limit(batch_size)))
        if not batch:
            break
        last_id = batch[-1].id
        done += analyse_answers(batch, analyser, force=everything, screen=True)
        db.session.commit()
    return done


def rescore_unreviewed(batch_size: int = BATCH_SIZE) -> int:
    """Re-analyse the answers still waiting for review with the current models (after a
    refit), so the review queue's order and suggested codes follow the newest model. Answers
    already analysed by these models are skipped, so a second process doing the same finds
    little to do; one that meets another's rows mid-way gives up its batch. Returns how many."""
    from sqlalchemy.exc import IntegrityError, OperationalError

    from engage.learn.review import unreviewed_answer_ids

    analyser = current_analyser()
    done = 0
    last_id = 0
    while True:
        ids = unreviewed_answer_ids(after=last_id, limit=batch_size)
        if not ids:
            return done
        last_id = ids[-1]
        batch = list(
            db.session.scalars(
                select(Answer)
                .where(Answer.id.in_(ids))
                .options(selectinload(Answer.question), selectinload(Answer.response))
                .order_by(Answer.id)
            )
        )
        try:
            done += analyse_answers(batch, analyser)
            db.session.commit()
        except (IntegrityError, OperationalError):
            db.session.rollback()
