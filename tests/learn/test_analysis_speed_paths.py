"""The faster paths of the analysis give exactly what the libraries they replace give: VADER
and TextBlob scores, scikit-learn's TF-IDF matrices and one-vs-rest probabilities, and a batch
analysed at once is analysed as each answer alone would be."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer as SklearnTfidf

from engage.learn.analysis import Analyser
from engage.learn.models import SentimentLabel
from engage.learn.safeguarding import DEFAULT_PHRASES_FILE, parse_phrases
from engage.learn.text import WORD_PATTERN, normalise, sentiment, tokens
from engage.learn.text.themes import KeywordCoder, ThemeCoder, train_theme_model
from engage.learn.text.vectors import TfidfVectorizer, one_vs_rest_probabilities

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


def plain_vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    original = SentimentIntensityAnalyzer()
    original.lexicon.update(sentiment._vader().lexicon)
    return original


@pytest.mark.parametrize("text", ANSWERS)
def test_vader_scores_are_vaders_own(text):
    assert sentiment._vader().polarity_scores(text) == plain_vader().polarity_scores(text)


@pytest.mark.parametrize("text", ANSWERS)
def test_textblob_polarity_is_textblobs_own(text):
    from textblob.en import sentiment as textblob

    words = tokens(text)
    expected = textblob(words)[0] if any(word in textblob for word in words) else 0.0
    assert sentiment._textblob_polarity(words) == pytest.approx(expected, abs=1e-12)


def test_textblob_lexicon_is_read_as_textblob_reads_it():
    from textblob import _text
    from textblob.en import sentiment as textblob

    textblob.load()
    scores, modifiers, emoticons = sentiment._textblob()
    assert scores == {word: tuple(tags[None]) for word, tags in dict.items(textblob)}
    assert modifiers == {word for word, tags in dict.items(textblob) if "RB" in tags}
    assert {face for faces in sentiment.TEXTBLOB_EMOTICONS.values() for face in faces} == {
        face for faces in _text.EMOTICONS.values() for face in faces
    }
    for (_mood, polarity), faces in _text.EMOTICONS.items():
        assert all(sentiment.TEXTBLOB_EMOTICONS[polarity].count(face) == 1 for face in faces)
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
