"""Normalising, tokenising and lemmatising free text offline (simplemma ships its data)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import simplemma

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# Contractions written with or without the apostrophe ("dont" is common in feedback).
_CONTRACTIONS = {
    "can't": ("can", "not"),
    "cant": ("can", "not"),
    "cannot": ("can", "not"),
    "won't": ("will", "not"),
    "wont": ("will", "not"),
    "dont": ("do", "not"),
    "doesnt": ("does", "not"),
    "didnt": ("did", "not"),
    "isnt": ("is", "not"),
    "wasnt": ("was", "not"),
    "arent": ("are", "not"),
    "werent": ("were", "not"),
    "havent": ("have", "not"),
    "hasnt": ("has", "not"),
    "couldnt": ("could", "not"),
    "shouldnt": ("should", "not"),
    "wouldnt": ("would", "not"),
    "i'm": ("i", "am"),
    "im": ("i", "am"),
}
_CONTRACTED = frozenset(_CONTRACTIONS)
STOPWORDS = frozenset(
    """a about above after again all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further
    had has have having he her here hers herself him himself his how i if in into is it its itself
    just me more most my myself no nor not now of off on once only or other our ours ourselves out
    over own same she should so some such than that the their theirs them themselves then there
    these they this those through to too under until up very was we were what when where which
    while who whom why will with would you your yours yourself yourselves get got go went make
    made would could really lot lots thing things one would also us well much many""".split()
)


def normalise(text: str) -> str:
    """Lower case, straight apostrophes, single spaces: the form every matcher works on."""
    text = unicodedata.normalize("NFKC", text or "").translate(_APOSTROPHES).lower()
    return " ".join(text.split())


def tokens(text: str) -> list[str]:
    """Word tokens of normalised text, with contractions split so that "not" is a token."""
    return normalised_tokens(normalise(text))


def normalised_tokens(normalised: str) -> list[str]:
    """tokens() of text already normalised: a batch normalises each answer once."""
    found = _TOKEN.findall(normalised)
    if "'" not in normalised and _CONTRACTED.isdisjoint(found):
        # Most answers: no apostrophe and no contraction written without one.
        return found
    result: list[str] = []
    for token in found:
        expanded = _CONTRACTIONS.get(token)
        if expanded:
            result.extend(expanded)
        elif token.endswith("n't"):
            result.extend((token[:-3] or "not", "not"))
        elif "'" in token:
            result.append(token.split("'", 1)[0])
        else:
            result.append(token)
    return result


@lru_cache(maxsize=50_000)
def lemma(token: str) -> str:
    if len(token) < 3 or token.isdigit():
        return token
    return simplemma.lemmatize(token, lang="en").lower()


def lemmas(text: str) -> list[str]:
    return [lemma(token) for token in tokens(text)]


def content_lemmas(text: str) -> list[str]:
    """Lemmas without stop words or numbers: what topic models and keyword lists use."""
    return [
        word
        for word in lemmas(text)
        if word not in STOPWORDS and len(word) > 2 and not word.isdigit()
    ]


# For scikit-learn vectorisers: every run of letters or digits, one-letter words included.
WORD_PATTERN = r"(?u)\b\w+\b"
