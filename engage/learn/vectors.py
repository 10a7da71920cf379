"""Turning a batch of answers into model features quickly, with exactly scikit-learn's results.

scikit-learn's TfidfVectorizer builds every word or character n-gram of every answer as a
Python string before looking it up, which was most of the time of the theme model. Here a
word's character n-grams are looked up once and their feature ids kept, and the tf-idf
weighting is done on the whole batch's matrix at once. The fitting is scikit-learn's own.
"""

from __future__ import annotations

import threading
from itertools import repeat

import numpy as np
from scipy import sparse
from scipy.special import expit
from sklearn.feature_extraction.text import TfidfVectorizer as _SklearnTfidf
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import normalize

# Ids of the n-grams of this many distinct words (a few MB) are kept per vectoriser; then
# forgotten all at once (the development split of the NHS data has about 6,900 distinct words).
WORD_CACHE_SIZE = 50_000


class TfidfVectorizer(_SklearnTfidf):
    """scikit-learn's TfidfVectorizer with a faster transform for the settings Engage uses
    (word or char_wb n-grams, lower case, no stop words); anything else falls back."""

    def _fast(self) -> bool:
        return (
            self.analyzer in ("word", "char_wb")
            and self.lowercase
            and self.strip_accents is None
            and self.preprocessor is None
            and self.tokenizer is None
            and self.stop_words is None
            and self.norm in ("l2", None)
            and self.input == "content"
        )

    def transform(self, raw_documents):
        if not self._fast() or isinstance(raw_documents, str):
            return super().transform(raw_documents)
        if self.analyzer == "char_wb":
            indptr, indices = self._char_wb_ids(raw_documents)
        else:
            indptr, indices = self._word_ids(raw_documents)
        counts = sparse.csr_array(
            (
                np.ones(len(indices), dtype=self.dtype),
                indices.astype(np.int32, copy=False),
                np.asarray(indptr, dtype=np.int32),
            ),
            shape=(len(indptr) - 1, len(self.vocabulary_)),
        )
        counts.sum_duplicates()  # sorts each row's ids and adds repeats, as CountVectorizer does
        if self.sublinear_tf:
            np.log(counts.data, counts.data)
            counts.data += 1.0
        if self.use_idf:
            counts.data *= self.idf_[counts.indices]
        if self.norm is not None:
            counts = normalize(counts, norm=self.norm, copy=False)
        return counts

    def _word_ids(self, documents) -> tuple[np.ndarray, np.ndarray]:
        # Every n-gram's id, or -1 when it is not in the vocabulary; the -1s are dropped below.
        get = self.vocabulary_.get
        findall = self.build_tokenizer()
        min_n, max_n = self.ngram_range
        indptr, indices = [0], []
        extend = indices.extend
        for document in documents:
            words = findall(document.lower())
            for n in range(min_n, min(max_n, len(words)) + 1):
                if n == 1:
                    extend(map(get, words, repeat(-1)))
                elif n == 2:
                    extend(map(get, map(" ".join, zip(words, words[1:], strict=False)), repeat(-1)))
                else:
                    grams = zip(*(words[start:] for start in range(n)), strict=False)
                    extend(map(get, map(" ".join, grams), repeat(-1)))
            indptr.append(len(indices))
        return _drop_unknown(indptr, indices)

    def _char_wb_ids(self, documents) -> tuple[list[int], np.ndarray]:
        cache = self._word_cache()
        indptr, pieces = [0], []
        append = pieces.append
        total = 0
        for document in documents:
            for word in document.lower().split():
                ids = cache.get(word)
                if ids is None:
                    ids = self._char_wb_word(word)
                    if len(cache) >= WORD_CACHE_SIZE:
                        cache.clear()
                    cache[word] = ids
                append(ids)
                total += len(ids)
            indptr.append(total)
        if not pieces:
            return indptr, np.zeros(0, dtype=np.int32)
        return indptr, np.concatenate(pieces)

    def _char_wb_word(self, word: str) -> np.ndarray:
        # The n-grams scikit-learn's _char_wb_ngrams makes of one word, in the same way.
        get = self.vocabulary_.get
        padded = " " + word + " "
        length = len(padded)
        min_n, max_n = self.ngram_range
        found = []
        for n in range(min_n, max_n + 1):
            offset = 0
            found.append(get(padded[offset : offset + n]))
            while offset + n < length:
                offset += 1
                found.append(get(padded[offset : offset + n]))
            if offset == 0:
                break
        return np.array([index for index in found if index is not None], dtype=np.int32)

    def _word_cache(self) -> dict[str, np.ndarray]:
        # Made on first use, not in __init__, which scikit-learn wants to hold only parameters;
        # refitting makes a new vocabulary, so the cache belongs to the fitted vocabulary.
        cache = self.__dict__.get("_ids_by_word")
        if cache is None or cache[0] is not self.vocabulary_:
            with _lock:
                cache = self.__dict__.get("_ids_by_word")
                if cache is None or cache[0] is not self.vocabulary_:
                    cache = (self.vocabulary_, {})
                    self.__dict__["_ids_by_word"] = cache
        return cache[1]


_lock = threading.Lock()


def _drop_unknown(indptr: list[int], indices: list[int]) -> tuple[np.ndarray, np.ndarray]:
    ids = np.array(indices, dtype=np.int64)
    offsets = np.asarray(indptr, dtype=np.int64)
    known = ids >= 0
    rows = np.repeat(np.arange(len(offsets) - 1), np.diff(offsets))
    kept = np.bincount(rows[known], minlength=len(offsets) - 1)
    return np.concatenate(([0], np.cumsum(kept))), ids[known]


def one_vs_rest_probabilities(classifier, blocks) -> np.ndarray:
    """OneVsRestClassifier.predict_proba of logistic regressions, for a feature matrix or
    its column blocks in order, as one matrix product per block (the same numbers:
    scikit-learn multiplies by each class's coefficients in turn, after joining the blocks)."""
    if not isinstance(blocks, list | tuple):
        blocks = [blocks]
    estimators = classifier.estimators_
    joined = _joined_coefficients(classifier)
    if joined is None:
        matrix = blocks[0] if len(blocks) == 1 else sparse.hstack(blocks).tocsr()
        return classifier.predict_proba(matrix)
    weights, scores = joined
    start = 0
    for block in blocks:
        width = block.shape[1]
        scores = scores + np.asarray(block @ weights[start : start + width])
        start += width
    if start != weights.shape[0]:
        raise ValueError(f"{start} features given; the model has {weights.shape[0]}")
    probabilities = expit(scores)
    if len(estimators) == 1:
        probabilities = np.concatenate((1 - probabilities, probabilities), axis=1)
    if not classifier.multilabel_:
        row_sums = probabilities.sum(axis=1)[:, np.newaxis]
        np.divide(probabilities, row_sums, out=probabilities, where=row_sums != 0)
    return probabilities


def _joined_coefficients(classifier) -> tuple[np.ndarray, np.ndarray] | None:
    """Every class's coefficients as the columns of one matrix, and the intercepts; kept on
    the fitted classifier (it is not refitted: a new model is a new classifier)."""
    kept = classifier.__dict__.get("_engage_joined")
    if kept is not None and kept[0] is classifier.estimators_:
        return kept[1]
    estimators = classifier.estimators_
    if all(isinstance(e, LogisticRegression) and e.coef_.shape[0] == 1 for e in estimators):
        joined = (
            np.ascontiguousarray(np.vstack([e.coef_ for e in estimators]).T),
            np.array([e.intercept_[0] for e in estimators], dtype=float)[np.newaxis, :],
        )
    else:
        joined = None
    classifier.__dict__["_engage_joined"] = (estimators, joined)
    return joined
