"""Sentiment of free-text answers: a lexicon analyser that reads the question, and a model
that learns from staff-confirmed labels once there are enough of them."""

from __future__ import annotations

import enum
import importlib.util
import re
import string
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple
from xml.etree import ElementTree

import numpy as np
import yaml
from scipy import sparse

from engage.learn.text import WORD_PATTERN, normalise, tokens

DATA = Path(__file__).parent / "data"
LEXICON_VERSION = "lexicon-1"
# Fewer confirmed labels than this (or a single class) and the model would only echo a
# handful of staff decisions; the lexicon analyser is steadier until then.
MIN_LABELS_FOR_MODEL = 50
# Words whose VADER forms are kept (a few MB at most), then forgotten all at once.
WORD_CACHE_SIZE = 50_000


class SentimentLabel(enum.Enum):
    POSITIVE = "positive"
    NEUTRAL = "neutral"
    NEGATIVE = "negative"


LABELS = (SentimentLabel.NEGATIVE, SentimentLabel.NEUTRAL, SentimentLabel.POSITIVE)


class QuestionContext(enum.Enum):
    """What a question asks for, which changes what an answer like "Nothing" means."""

    IMPROVE = "improve"  # "What could we do better?": "nothing" is praise
    PRAISE = "praise"  # "What was good?": "nothing" is a complaint
    GENERAL = "general"


_IMPROVE = re.compile(
    r"\b(better|improve\w*|change\w*|different\w*|differently|wish|should|worse|problem\w*"
    r"|difficult\w*|hard|wrong|dislike\w*|not like|n't like|not good|missing|lacking|need\w*"
    r"|biggest difference|one thing)\b"
)
_PRAISE = re.compile(r"\b(good|like|liked|best|went well|enjoy\w*|happy|helpful|great|love\w*)\b")


@lru_cache(maxsize=1024)
def question_context(question_text: str | None) -> QuestionContext:
    text = normalise(question_text or "")
    if _IMPROVE.search(text):
        return QuestionContext.IMPROVE
    if _PRAISE.search(text):
        return QuestionContext.PRAISE
    return QuestionContext.GENERAL


@dataclass(frozen=True)
class SentimentResult:
    label: SentimentLabel
    # -1 (most negative) to 1 (most positive); for the model, P(positive) - P(negative).
    score: float
    # The model's probability of the label, and how sure it is against the runner-up
    # (the difference of the two highest probabilities); None from the lexicon analyser.
    confidence: float | None = None
    certainty: float | None = None


NEUTRAL = SentimentResult(SentimentLabel.NEUTRAL, 0.0)


@lru_cache(maxsize=1)
def _cues() -> dict:
    cues = yaml.safe_load((DATA / "sentiment_cues.yaml").read_text(encoding="utf-8"))
    for name, words in cues.items():
        # YAML reads a bare "no" as False: every cue must be quoted text.
        if not all(isinstance(word, str) for word in words):
            raise ValueError(f"sentiment_cues.yaml: {name} has an entry that is not text")
    nothing: dict[str, list[tuple[str, ...]]] = {}
    for phrase in sorted(
        {tuple(tokens(p)) for p in cues["nothing_answers"]}, key=len, reverse=True
    ):
        nothing.setdefault(phrase[0], []).append(phrase)
    return {
        "nothing": nothing,
        "suggestion": frozenset(cues["suggestion_words"]),
        "unsure": frozenset(tuple(tokens(phrase)) for phrase in cues["unsure_answers"]),
    }


@lru_cache(maxsize=1)
def _vader():
    """VADER's analyser with service-feedback words added to its lexicon, and what the fast
    path below reads of vaderSentiment 3.3.2's rules."""
    from vaderSentiment import vaderSentiment as vs

    analyser = vs.SentimentIntensityAnalyzer()
    for line in (DATA / "sentiment_words.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            word, value = line.split()
            analyser.lexicon[word] = float(value)
    two_words = [b for b in vs.BOOSTER_DICT if " " in b]
    rules = {
        "emoji": frozenset(key for key in analyser.emojis if len(key) == 1),
        "negations": frozenset(vs.NEGATE),
        "idiom_words": frozenset(w for p in [*vs.SPECIAL_CASES, *two_words] for w in p.split()),
    }
    return analyser, vs, rules


_NO_VADER_WORDS = {"neg": 0.0, "neu": 1.0, "pos": 0.0, "compound": 0.0}
# A word as VADER reads it: (stripped of punctuation as its SentiText does, lower case, upper?)
_VADER_FORMS: dict[str, tuple[str, bool]] = {}


def _vader_scores(text: str, words: Sequence[str]) -> dict:
    """VADER's polarity_scores(text), worked out as vaderSentiment 3.3.2 does for a text with
    words and no emoji (else VADER itself) at a third of its cost (docs/analysis-quality.md):
    each word stripped and lower-cased once and kept, only the lexicon's words scored (every
    other word's sentiment is 0), the rules on the three words before inline. Parity test:
    tests/learn/test_analysis_speed_paths.py."""
    vader, vs, rules = _vader()
    lexicon = vader.lexicon
    if not rules["emoji"].isdisjoint(text) or not text.strip():
        return vader.polarity_scores(text)
    # Most short answers carry no word VADER knows; its score is then 0 by construction.
    if lexicon.keys().isdisjoint(words) and not any(
        piece.strip(".,!?;:\"'()") in lexicon for piece in text.lower().split()
    ):
        return _NO_VADER_WORDS
    text = text.strip()
    forms = []
    for piece in text.split():
        form = _VADER_FORMS.get(piece)
        if form is None:
            stripped = piece.strip(string.punctuation)
            word = piece if len(stripped) <= 2 else stripped
            if len(_VADER_FORMS) >= WORD_CACHE_SIZE:
                _VADER_FORMS.clear()
            form = _VADER_FORMS[piece] = (word.lower(), word.isupper())
        forms.append(form)
    lowers = [form[0] for form in forms]
    boosters, negations, n_scalar, c_incr = (
        vs.BOOSTER_DICT,
        rules["negations"],
        vs.N_SCALAR,
        vs.C_INCR,
    )
    sentiments = [0] * len(forms)
    # allcap_differential
    is_cap_diff = 0 < len(forms) - sum([form[1] for form in forms]) < len(forms)
    last = len(forms) - 1
    for i in [at for at, lower in enumerate(lowers) if lower in lexicon]:
        lower = lowers[i]
        if lower in boosters or (i < last and lower == "kind" and lowers[i + 1] == "of"):
            continue
        valence = lexicon[lower]
        if lower == "no" and i != last and lowers[i + 1] in lexicon:
            valence = 0.0
        if (
            (i > 0 and lowers[i - 1] == "no")
            or (i > 1 and lowers[i - 2] == "no")
            or (i > 2 and lowers[i - 3] == "no" and lowers[i - 1] in ("or", "nor"))
        ):
            valence = lexicon[lower] * n_scalar
        if is_cap_diff and forms[i][1]:
            valence = valence + c_incr if valence > 0 else valence - c_incr
        # The three words before: scalar_inc_dec, then the negation and (three back) the
        # idiom checks.
        for start_i in range(3):
            if i <= start_i:
                break
            before = lowers[i - start_i - 1]
            if before in lexicon:
                continue
            scalar = 0.0
            if before in boosters:
                scalar = boosters[before]
                if valence < 0:
                    scalar *= -1
                if forms[i - start_i - 1][1] and is_cap_diff:
                    scalar = scalar + c_incr if valence > 0 else scalar - c_incr
                if start_i == 1 and scalar != 0:
                    scalar = scalar * 0.95
                if start_i == 2 and scalar != 0:
                    scalar = scalar * 0.9
            valence = valence + scalar
            if start_i == 0:
                if before in negations or "n't" in before:
                    valence = valence * n_scalar
            elif start_i == 1:
                first = lowers[i - 1]
                if before == "never" and first in ("so", "this"):
                    valence = valence * 1.25
                elif before == "without" and first == "doubt":
                    pass
                elif before in negations or "n't" in before:
                    valence = valence * n_scalar
            else:
                first, second = lowers[i - 1], lowers[i - 2]
                if (before == "never" and second in ("so", "this")) or first in ("so", "this"):
                    valence = valence * 1.25
                elif before == "without" and (second == "doubt" or first == "doubt"):
                    pass
                elif before in negations or "n't" in before:
                    valence = valence * n_scalar
                # Idioms and two-word boosters change it only when one of their words is near.
                near = lowers[i - 3 : i + 3]
                if not rules["idiom_words"].isdisjoint(near):
                    # _special_idioms_check: the runs of words up to this one, then after it.
                    for a, b in ((2, 4), (1, 4), (1, 3), (0, 3), (0, 2)):
                        if " ".join(near[a:b]) in vs.SPECIAL_CASES:
                            valence = vs.SPECIAL_CASES[" ".join(near[a:b])]
                            break
                    for b in (5, 6):
                        if len(near) >= b and " ".join(near[3:b]) in vs.SPECIAL_CASES:
                            valence = vs.SPECIAL_CASES[" ".join(near[3:b])]
                    for a, b in ((0, 3), (0, 2), (1, 3)):
                        if " ".join(near[a:b]) in boosters:
                            valence = valence + boosters[" ".join(near[a:b])]
        # _least_check
        if i > 0 and lowers[i - 1] == "least" and "least" not in lexicon:
            if i == 1 or (lowers[i - 2] != "at" and lowers[i - 2] != "very"):
                valence = valence * n_scalar
        sentiments[i] = valence
    if "but" in lowers:
        # _but_check, as written there (each value found again by index).
        at = lowers.index("but")
        for sentiment in sentiments:
            index = sentiments.index(sentiment)
            if index != at:
                sentiments[index] = sentiment * (0.5 if index < at else 1.5)
    return vader.score_valence(sentiments, text)


def textblob_lexicon_path() -> Path:
    # Found without importing textblob: that imports NLTK, which imports scikit-learn
    # (about 90 MB in every worker, most of which never trains a model).
    spec = importlib.util.find_spec("textblob")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("TextBlob is not installed: its sentiment lexicon is needed")
    return Path(spec.submodule_search_locations[0]) / "en" / "en-sentiment.xml"


def _means(rows: Sequence[Sequence[float]]) -> tuple[float, ...]:
    # Column means, as TextBlob's avg works them out.
    return tuple(sum(column) / float(len(column) or 1) for column in zip(*rows, strict=True))


@lru_cache(maxsize=1)
def _textblob() -> tuple[dict, frozenset[str]]:
    """TextBlob's pattern lexicon, read as textblob.en.sentiment.load() reads it: each word's
    (polarity, subjectivity, intensity) averaged over its senses per part of speech, then
    over its parts of speech; and the words it may use as modifiers (adverbs, "RB")."""
    # The installed package's own file, not input.
    root = ElementTree.parse(textblob_lexicon_path()).getroot()  # noqa: S314  # nosec B314
    senses: dict[str, dict[str | None, list[tuple[float, float, float]]]] = {}
    for element in root.iter("word"):
        word = element.get("form")
        if word:
            senses.setdefault(word, {}).setdefault(element.get("pos"), []).append(
                (
                    float(element.get("polarity", 0.0)),
                    float(element.get("subjectivity", 0.0)),
                    float(element.get("intensity", 1.0)),
                )
            )
    table: dict[str, dict[str | None, tuple[float, ...]]] = {}
    for word, by_pos in senses.items():
        table[word] = {pos: _means(psi) for pos, psi in by_pos.items()}
        table[word][None] = _means(list(table[word].values()))
    # textblob.en.Sentiment.load: each adjective's scores also go to its adverb in -ly
    # ("terrible" gives "terribly"), replacing what that adverb had.
    for word, by_pos in list(table.items()):
        if "JJ" in by_pos:
            stem = word[:-1] + "i" if word.endswith("y") else word
            stem = stem[:-2] if stem.endswith("le") else stem
            adverb = table.setdefault(stem + "ly", {})
            adverb["RB"] = adverb[None] = by_pos["JJ"]
    scores = {word: by_pos[None] for word, by_pos in table.items()}
    modifiers = {word for word, by_pos in table.items() if "RB" in by_pos}
    return scores, frozenset(modifiers)


def load_lexicons() -> None:
    _vader()
    _textblob()


def _textblob_polarity(words: Sequence[str]) -> float:
    """TextBlob's polarity of our tokens, textblob.en.sentiment(words)[0] as TextBlob 0.20.1
    works it out, on plain dictionaries. Kept, not TextBlob itself: importing textblob imports
    NLTK and scikit-learn (about 90 MB more in every worker, tests/test_worker_imports.py), and
    it is several times slower (docs/analysis-quality.md). Our tokens are letters and digits,
    so TextBlob's rules for "!", "(!)" and emoticons never apply. Parity test:
    tests/learn/test_analysis_speed_paths.py."""
    scores, modifiers = _textblob()
    if scores.keys().isdisjoint(words):
        return 0.0
    # Each assessment: [polarity, intensity, negated]; TextBlob's own loop, one word at a time.
    found: list[list] = []
    modifier = None  # a known adverb just before ("really good")
    negation = None  # a negation just before ("not good")
    for word in words:
        entry = scores.get(word)
        if entry is not None:
            polarity, _subjectivity, intensity = entry
            if modifier is None:
                found.append([polarity, intensity, False])
            else:
                last = found[-1]
                last[0] = max(-1.0, min(polarity * last[1], 1.0))
                last[1] = intensity
            if negation is not None:
                found[-1][1] = 1.0 / found[-1][1]
                found[-1][2] = True
            modifier = word if word in modifiers else None
            negation = word if word in _TEXTBLOB_NEGATIONS else None
        else:
            if word in _TEXTBLOB_NEGATIONS:
                negation = word
            elif negation and len(word.strip("'")) > 1:
                negation = None
            if negation is not None and modifier is not None and modifier.endswith("ly"):
                found[-1][2] = True
                negation = None
            elif modifier and len(word) > 2:
                modifier = None
    if not found:
        return 0.0
    total = sum(p * -0.5 if negated else p for p, _intensity, negated in found)
    return total / float(len(found))


_TEXTBLOB_NEGATIONS = frozenset(("no", "not", "n't", "never"))


_FILLER = frozenset(
    "really at all thanks thank you thankyou everything was is fine great good ok okay all "
    "it s i think so sure".split()
)


def _nothing_prefix(words: Sequence[str]) -> tuple[int, bool]:
    """Length of a leading "nothing" phrase, and whether it is the whole answer."""
    if words[:1] == ["i"] or words[:1] == ["honestly"]:
        size, whole = _nothing_prefix(words[1:])
        return (size + 1 if size else 0), whole
    for phrase in _cues()["nothing"].get(words[0] if words else "", ()):
        size = len(phrase)
        if tuple(words[:size]) == phrase:
            rest = words[size:]
            whole = all(word in _FILLER for word in rest)
            # A bare "no" or "na" only counts as the whole answer ("No, the wait was long").
            if size == 1 and phrase[0] in {"no", "na", "n"} and not whole:
                continue
            return size, whole
    return 0, False


class Signals(NamedTuple):
    vader: float
    textblob: float
    positive_share: float
    negative_share: float
    nothing: bool
    whole_nothing: bool
    suggestion: bool
    context: QuestionContext
    # Empty, or "not sure" / "don't know": no opinion either way.
    empty: bool


@dataclass(frozen=True)
class LexiconParameters:
    """Picked on the development split of the NHS feedback data (bench/analysis_quality.py)."""

    vader_weight: float = 0.4
    textblob_weight: float = 0.6
    positive_above: float = 0.05
    negative_below: float = -0.02
    suggestion_shift: float = 0.6
    nothing_floor: float = 0.4
    suggestion_window: int = 4
    general_suggestion_shift: float = 0.4


class LexiconAnalyser:
    """VADER (with service-feedback words added) and TextBlob polarity, corrected for what the
    question asked, suggestions, "nothing" answers and mixed answers. Needs no labels."""

    version = LEXICON_VERSION

    def __init__(self, parameters: LexiconParameters | None = None) -> None:
        self.parameters = parameters or LexiconParameters()

    def signals(
        self, text: str, question_text: str | None = None, words: list[str] | None = None
    ) -> Signals:
        words = tokens(text) if words is None else words
        if not words:
            return Signals(0.0, 0.0, 0.0, 0.0, False, False, False, QuestionContext.GENERAL, True)
        context = question_context(question_text)
        vader = _vader_scores(text, words)
        polarity = _textblob_polarity(words)
        nothing, whole = _nothing_prefix(words)
        cues = _cues()
        window = self.parameters.suggestion_window
        suggestion = not nothing and any(word in cues["suggestion"] for word in words[:window])
        unsure = tuple(words) in cues["unsure"]
        return Signals(
            vader["compound"],
            polarity,
            vader["pos"],
            vader["neg"],
            bool(nothing),
            whole,
            suggestion,
            context,
            unsure,
        )

    def decide(self, signals: Signals) -> SentimentResult:
        p = self.parameters
        if signals.empty:
            return NEUTRAL
        context = signals.context
        if signals.whole_nothing:
            if context is QuestionContext.IMPROVE:
                return SentimentResult(SentimentLabel.POSITIVE, p.nothing_floor)
            if context is QuestionContext.PRAISE:
                return SentimentResult(SentimentLabel.NEGATIVE, -p.nothing_floor)
            return NEUTRAL
        score = p.vader_weight * signals.vader + p.textblob_weight * signals.textblob
        if signals.nothing and context is QuestionContext.IMPROVE:
            # "Nothing, you were great" / "Nothing. All informative.": satisfied.
            score = max(score, p.nothing_floor)
        elif signals.suggestion and context is QuestionContext.IMPROVE:
            # "More staff on duty", "Get better facilities": a wish for change.
            score -= p.suggestion_shift
        elif signals.suggestion and context is QuestionContext.GENERAL:
            score -= p.general_suggestion_shift
        score = round(max(-1.0, min(1.0, score)), 4)
        if score > p.positive_above:
            return SentimentResult(SentimentLabel.POSITIVE, score)
        if score < p.negative_below:
            return SentimentResult(SentimentLabel.NEGATIVE, score)
        return SentimentResult(SentimentLabel.NEUTRAL, score)

    def analyse(self, text: str, question_text: str | None = None) -> SentimentResult:
        return self.decide(self.signals(text, question_text))

    def analyse_many(
        self,
        texts: Sequence[str],
        question_texts: Sequence[str | None],
        token_lists: Sequence[list[str]] | None = None,
        normalised: Sequence[str] | None = None,
    ) -> list[SentimentResult]:
        if token_lists is None:
            token_lists = [tokens(text) for text in texts]
        return [
            self.decide(self.signals(text, question, words))
            for text, question, words in zip(texts, question_texts, token_lists, strict=True)
        ]


def _context_text(text: str, question_text: str | None, normalised: str | None = None) -> str:
    # A token naming the question's context lets word pairs such as "qimprove nothing" carry
    # their own weight: "nothing" means opposite things after "better?" and "good?".
    if normalised is None:
        normalised = normalise(text)
    return f"q{question_context(question_text).value} {normalised}"


# The sentence vector's weight against the unit-length word block: chosen by cross-validation
# on the development split (bench/analysis_search.py; 0.682 -> 0.686 macro-F1 out of fold).
VECTOR_WEIGHT = 1.0


class _Features:
    """Word n-grams (with the question's context as a token), the lexicon's signals and a
    sentence vector (engage.learn.text.embeddings).

    Character n-grams were tried: no better on the development split, and slower.
    """

    def __init__(self, vector_weight: float = VECTOR_WEIGHT) -> None:
        from engage.learn.text.vectors import TfidfVectorizer

        self.vector_weight = vector_weight
        self.lexicon = LexiconAnalyser()
        self.words = TfidfVectorizer(
            ngram_range=(1, 2), min_df=2, sublinear_tf=True, token_pattern=WORD_PATTERN
        )

    def _signals(self, texts, questions, token_lists=None) -> np.ndarray:
        rows = []
        if token_lists is None:
            token_lists = [tokens(text) for text in texts]
        signals_of, decide = self.lexicon.signals, self.lexicon.decide
        for text, question, words in zip(texts, questions, token_lists, strict=True):
            signals = signals_of(text, question, words)
            rows.append(
                (
                    signals.vader,
                    signals.textblob,
                    signals.positive_share,
                    signals.negative_share,
                    decide(signals).score,
                    float(signals.whole_nothing),
                    float(signals.suggestion),
                    float(signals.empty),
                )
            )
        return np.asarray(rows, dtype=float).reshape(-1, 8)

    def _contexts(
        self,
        texts: Sequence[str],
        questions: Sequence[str | None],
        normalised: Sequence[str] | None = None,
    ) -> list[str]:
        if normalised is None:
            normalised = [normalise(text) for text in texts]
        return [
            _context_text(text, question, text_normalised)
            for text, question, text_normalised in zip(texts, questions, normalised, strict=True)
        ]

    def _vectors(self, texts, normalised=None) -> list:
        if not self.vector_weight:
            return []
        from engage.learn.text.embeddings import embed

        if normalised is None:
            normalised = [normalise(text) for text in texts]
        return [embed(normalised) * self.vector_weight]

    def fit_transform(self, texts, questions) -> sparse.csr_matrix:
        words = self.words.fit_transform(self._contexts(texts, questions))
        return sparse.hstack(
            [words, sparse.csr_matrix(self._signals(texts, questions)), *self._vectors(texts)]
        ).tocsr()

    def blocks(self, texts, questions, token_lists=None, normalised=None) -> list:
        """The features in blocks, the word n-grams (sparse), the lexicon's signals and the
        sentence vector (dense): the model's columns in order, without joining them."""
        return [
            self.words.transform(self._contexts(texts, questions, normalised)),
            self._signals(texts, questions, token_lists),
            *self._vectors(texts, normalised),
        ]

    def transform(self, texts, questions, token_lists=None) -> sparse.csr_matrix:
        return sparse.hstack(
            [sparse.csr_matrix(block) for block in self.blocks(texts, questions, token_lists)]
        ).tocsr()


class ModelAnalyser:
    """Logistic regression on the features above, trained on staff-confirmed labels."""

    def __init__(self, features: _Features, classifier, label_count: int) -> None:
        self.features = features
        self.classifier = classifier
        self.label_count = label_count
        self.version = f"model-1-n{label_count}"

    def analyse_many(
        self,
        texts: Sequence[str],
        question_texts: Sequence[str | None],
        token_lists: Sequence[list[str]] | None = None,
        normalised: Sequence[str] | None = None,
    ) -> list[SentimentResult]:
        if not texts:
            return []
        from engage.learn.text.vectors import one_vs_rest_probabilities

        if token_lists is None:
            token_lists = [tokens(text) for text in texts]
        probabilities = one_vs_rest_probabilities(
            self.classifier,
            self.features.blocks(texts, question_texts, token_lists, normalised),
        )
        classes = [SentimentLabel(value) for value in self.classifier.classes_]
        scores = np.zeros(len(texts))
        if SentimentLabel.POSITIVE in classes:
            scores += probabilities[:, classes.index(SentimentLabel.POSITIVE)]
        if SentimentLabel.NEGATIVE in classes:
            scores -= probabilities[:, classes.index(SentimentLabel.NEGATIVE)]
        best = probabilities.argmax(axis=1).tolist()
        ranked = np.sort(probabilities, axis=1)
        top = ranked[:, -1].tolist()
        margins = (ranked[:, -1] - ranked[:, -2]).tolist() if len(classes) > 1 else top
        return [
            SentimentResult(classes[index], round(score, 4), round(high, 4), round(margin, 4))
            if words
            else NEUTRAL
            for words, index, score, high, margin in zip(
                token_lists, best, scores.tolist(), top, margins, strict=True
            )
        ]

    def analyse(self, text: str, question_text: str | None = None) -> SentimentResult:
        return self.analyse_many([text], [question_text])[0]


def train_model(
    texts: Sequence[str], question_texts: Sequence[str | None], labels: Sequence[SentimentLabel]
) -> ModelAnalyser:
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier

    features = _Features()
    matrix = features.fit_transform(texts, question_texts)
    # Balanced weights: mixed answers are rare but matter, and macro-F1 counts them equally.
    # One-vs-rest liblinear fits 5,000 labels in under a second (lbfgs took ten times longer
    # for the same macro-F1 on the development split).
    classifier = OneVsRestClassifier(
        LogisticRegression(C=4.0, solver="liblinear", class_weight="balanced")
    )
    classifier.fit(matrix, [label.value for label in labels])
    return ModelAnalyser(features, classifier, len(labels))
