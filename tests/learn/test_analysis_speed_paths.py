"""The faster paths of the analysis give exactly what the libraries' public functions give,
on a few hundred answers: VADER and TextBlob scores, scikit-learn's TF-IDF matrices and
one-vs-rest probabilities; and a batch analysed at once is analysed as each answer alone would
be."""

from __future__ import annotations

import csv

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer as SklearnTfidf

from engage.learn.analysis import Analyser
from engage.learn.models import SentimentLabel
from engage.learn.safeguarding import DEFAULT_PHRASES_FILE, parse_phrases
from engage.learn.text import WORD_PATTERN, normalise, sentiment, tokens
from engage.learn.text.themes import KeywordCoder, ThemeCoder, train_theme_model
from engage.learn.text.vectors import TfidfVectorizer, one_vs_rest_probabilities
from tests.conftest import REPO

ANSWERS = [
    "The staff were lovely and very helpful",
    "Not good at all. Waited 3 hours!!",
    "VADER is not smart, handsome, nor funny.",
    "At least it isn't a horrible book.",
    "never so good",
    "without doubt the best",
    "The plot was good, but the characters are uncompelling and the dialog is not great.",
    "no no no good",
    "really not good",
    "I don't think it was bad, kind of great!!",
    "Catch utf-8 emoji such as \U0001f498 and \U0001f601",
    "Nothing",
    "",
    "Physio was brilliant; the physiotherapist listened",
    "didnt listen to me, dismissive and rude",
    "More staff on the ward please",
    "Café naïve  tabs\tand\nnew lines",
    "The staff were VERY rude, NOT helpful",
    "no or nor bad; at least not horrible",
    "It was kind of good but hardly ever on time",
    # Idioms, boosters in capitals, and negations two and three words back (inlined rules).
    "That meeting was the kiss of death for the plan",
    "The new sensory room is the bomb, yeah right",
    "The therapist is so good, this is so helpful",
    "Never so bad, without doubt not great",
    "It does not cut the mustard; we live hand to mouth",
    "EXTREMELY helpful staff but SOMEWHAT slow replies",
    "sort of bad, kinda ok, hardly good",
    "I never really felt that it was not good",
    "Great!!! but the wait... ugh?? :(",
]


def _corpus() -> list[str]:
    """A few hundred answers: those above, the identifying check's service feedback (as
    parents write it) and the first hundred of those in capitals."""
    texts = list(ANSWERS)
    for name in ("safe.csv", "identifying.csv"):
        with (REPO / "tests" / "data" / "identifying" / name).open(encoding="utf-8") as rows:
            texts += [row["text"] for row in csv.DictReader(rows)]
    return texts + [text.upper() for text in texts[:100]]


CORPUS = _corpus()


def test_vader_scores_are_those_of_vaders_polarity_scores():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    vader = SentimentIntensityAnalyzer()
    vader.lexicon.update(sentiment._vader()[0].lexicon)  # Engage's added words
    assert len(CORPUS) > 400
    for text in CORPUS:
        assert sentiment._vader_scores(text, tokens(text)) == vader.polarity_scores(text), text


def test_textblob_polarity_is_textblobs_own():
    from textblob.en import sentiment as textblob

    for text in CORPUS:
        words = tokens(text)
        assert sentiment._textblob_polarity(words) == textblob(words)[0], text


def test_textblob_lexicon_is_read_as_textblob_reads_it():
    from textblob.en import sentiment as textblob

    textblob.load()
    scores, modifiers = sentiment._textblob()
    assert scores == {word: tuple(tags[None]) for word, tags in textblob.items()}
    assert modifiers == {word for word, tags in textblob.items() if "RB" in tags}
    # The adverbs made from adjectives ("terribly") are there, as in TextBlob.
    assert scores["terribly"] == tuple(textblob["terrible"]["JJ"])
    assert "terribly" in modifiers


@pytest.mark.parametrize(
    "settings",
    [
        {"ngram_range": (1, 2), "token_pattern": WORD_PATTERN, "sublinear_tf": True},
        {"ngram_range": (1, 3)},
        {"analyzer": "char_wb", "ngram_range": (2, 5), "sublinear_tf": True},
        {"analyzer": "char_wb", "ngram_range": (3, 3), "norm": None},
    ],
)
def test_tfidf_matrix_is_scikit_learns(settings):
    documents = [normalise(text) for text in ANSWERS]
    ours = TfidfVectorizer(**settings).fit(documents[:10])
    theirs = SklearnTfidf(**settings).fit(documents[:10])
    # Twice: the second time the words' n-gram ids come from the cache.
    for _ in range(2):
        difference = ours.transform(documents) - theirs.transform(documents)
        assert abs(difference).max() == 0


def test_one_vs_rest_probabilities_are_scikit_learns():
    texts = ANSWERS[:-1] * 3
    themes = [{"staff"} if "staff" in t else {"wait"} if "ait" in t else set() for t in texts]
    model = train_theme_model(texts, themes, min_examples=2)
    documents = [normalise(text) for text in texts]
    blocks = model.vectoriser.blocks(documents)
    expected = model.classifier.predict_proba(model.vectoriser.transform(documents))
    assert np.allclose(one_vs_rest_probabilities(model.classifier, blocks), expected)


def test_a_batch_is_analysed_as_each_answer_alone():
    labels = [SentimentLabel.POSITIVE if i % 3 == 0 else SentimentLabel.NEGATIVE for i in range(30)]
    labels[1] = labels[4] = SentimentLabel.NEUTRAL
    texts = (ANSWERS * 2)[:30]
    questions = ["What could we do better?"] * 30
    model = sentiment.train_model(texts, questions, labels)
    theme_model = train_theme_model(
        texts, [{"staff"} if "staff" in t.lower() else set() for t in texts], min_examples=2
    )
    analyser = Analyser(
        model,
        ThemeCoder(KeywordCoder({"waiting": ["wait"]}), theme_model),
        parse_phrases(DEFAULT_PHRASES_FILE.read_text(encoding="utf-8")),
    )
    together = analyser.analyse_texts(ANSWERS, ["What could we do better?"] * len(ANSWERS))
    alone = [analyser.analyse_texts([text], ["What could we do better?"])[0] for text in ANSWERS]
    assert together == alone
    assert together[ANSWERS.index("")].sentiment.label is SentimentLabel.NEUTRAL
    assert "waiting" in together[1].themes
    # A model of one theme codes the answers that mention it, and only those.
    staff = [index for index, text in enumerate(ANSWERS) if "staff" in text.lower()]
    assert [i for i, result in enumerate(together) if "staff" in result.themes] == staff


@pytest.mark.parametrize(
    "settings",
    [
        {"ngram_range": (1, 2), "token_pattern": WORD_PATTERN, "min_df": 2},
        {"ngram_range": (2, 2)},
        {"ngram_range": (1, 2), "max_features": 15},
        {"analyzer": "char_wb", "ngram_range": (2, 5), "max_features": 40},
    ],
)
@pytest.mark.parametrize("small_batch", [2, 1000])
def test_tfidf_matrix_is_scikit_learns_with_empty_answers_and_few_known_words(
    settings, small_batch, monkeypatch
):
    # Empty answers and one-word answers end the word pairs; a small limit on the known
    # words makes each batch start them afresh. Batches of one answer and of several take
    # the word-by-word and the whole-batch ways when small_batch is 2; all word by word at 1000.
    from engage.learn.text import vectors

    monkeypatch.setattr(vectors, "WORD_CACHE_SIZE", 5)
    monkeypatch.setattr(vectors, "SMALL_BATCH", small_batch)
    documents = [normalise(text) for text in ANSWERS]
    batches = [documents, ["", "staff"] + documents[:3] + [""], [""], documents[5:9]]
    ours = TfidfVectorizer(**settings).fit(documents * 2)
    theirs = SklearnTfidf(**settings).fit(documents * 2)
    for batch in batches:
        mine, expected = ours.transform(batch), theirs.transform(batch)
        assert mine.shape == expected.shape
        assert np.array_equal(mine.indptr, expected.indptr)
        assert np.array_equal(mine.indices, expected.indices)
        assert np.array_equal(mine.data, expected.data)
