"""Turning a batch of answers into model features quickly, with exactly scikit-learn's results.

scikit-learn's TfidfVectorizer builds every word or character n-gram of every answer as a
Python string before looking it up, which was most of the time of the theme model. Here a
word's character n-grams are looked up once and their feature ids kept, and the tf-idf
weighting is done on the whole batch's matrix at once. The fitting is scikit-learn's own.
The transform mirrors scikit-learn 1.9.1's and is kept because that one costs about 3 times as
much per answer for word n-grams and 10 times for character n-grams (docs/analysis-quality.md);
parity tests in tests/learn/test_analysis_speed_paths.py.
"""

from __future__ import annotations

import threading
from itertools import repeat
from typing import NamedTuple

import numpy as np
from scipy import sparse
from scipy.special import expit
from sklearn.feature_extraction.text import TfidfVectorizer as _SklearnTfidf
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import normalize

# Ids of the n-grams of this many distinct words (a few MB) are kept per vectoriser; then
# forgotten all at once (the development split of the NHS data has about 6,900 distinct words).
WORD_CACHE_SIZE = 50_000

# Batches of fewer answers than this are vectorised word by word.
SMALL_BATCH = 64


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
        if not hasattr(raw_documents, "__len__"):
            raw_documents = list(raw_documents)
        # A few answers at a time (as each submission is analysed) go word by word: the
        # whole-batch numpy steps below cost more than they save there.
        small = len(raw_documents) < SMALL_BATCH
        if self.analyzer == "char_wb":
            if small:
                indptr, indices = self._char_wb_ids_word_by_word(raw_documents)
            else:
                indptr, indices = self._char_wb_ids(raw_documents)
        elif small:
            indptr, indices = self._word_ids_slow(raw_documents)
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
        if not small:
            # Each row's ids put in order by converting to columns and back (two counting
            # sorts), quicker than sorting each row for a large batch.
            counts = counts.tocsc().tocsr()
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
        table = self._pair_table()
        if table is None:
            return self._word_ids_slow(documents)
        index_of, width, unigram_ids, pair_keys, pair_ids = table
        # Each word's index in the vocabulary's words (-1 for a word in no feature), one
        # dictionary look-up a word; the word pairs are then looked up as numbers, not strings.
        findall = self.build_tokenizer()
        indptr, codes = [0], []
        extend = codes.extend
        for document in documents:
            extend(map(index_of, findall(document.lower()), repeat(-1)))
            indptr.append(len(codes))
        words = np.array(codes, dtype=np.int64)
        offsets = np.asarray(indptr, dtype=np.int64)
        found = np.full((len(words), 2), -1, dtype=np.int64)
        min_n, max_n = self.ngram_range
        if min_n <= 1:
            found[:, 0] = unigram_ids[words]  # the last entry is -1, for the unknown words
        if max_n >= 2 and len(words) > 1 and len(pair_keys):
            first, second = words[:-1], words[1:]
            # A pair is two words of the same answer; the last word of each has none.
            same_answer = np.ones(len(first), dtype=bool)
            ends = offsets[1:-1] - 1
            same_answer[ends[(ends >= 0) & (ends < len(first))]] = False
            both = same_answer & (first >= 0) & (second >= 0)
            keys = first[both] * width + second[both]
            at = np.searchsorted(pair_keys, keys)
            at[at == len(pair_keys)] = 0
            hit = pair_keys[at] == keys
            pair_column = np.full(len(first), -1, dtype=np.int64)
            pair_column[np.flatnonzero(both)[hit]] = pair_ids[at[hit]]
            found[:-1, 1] = pair_column
        # Row order: each word's unigram then the pair it starts, so the rows stay in order.
        return _drop_unknown(offsets * 2, found.ravel())

    def _pair_table(self):
        """The vocabulary as word numbers: each word's index, its unigram feature, and the
        word pairs' features keyed by first * words + second (sorted, for searchsorted).
        None when the settings could make a token with a space, or n-grams of three words."""
        if (
            self.token_pattern not in _WORD_PATTERNS
            or not (1 <= self.ngram_range[0])
            or (self.ngram_range[1] > 2)
        ):
            return None
        kept = self.__dict__.get("_pair_table_kept")
        if kept is not None and kept[0] is self.vocabulary_:
            return kept[1]
        index: dict[str, int] = {}
        single, pairs = [], []
        for term, feature in self.vocabulary_.items():
            parts = term.split(" ")
            if len(parts) == 1:
                single.append((index.setdefault(term, len(index)), feature))
            elif len(parts) == 2:
                first = index.setdefault(parts[0], len(index))
                second = index.setdefault(parts[1], len(index))
                pairs.append((first, second, feature))
        unigram_ids = np.full(len(index) + 1, -1, dtype=np.int64)
        for word, feature in single:
            unigram_ids[word] = feature
        pair_array = np.array(pairs, dtype=np.int64).reshape(-1, 3)
        keys = pair_array[:, 0] * len(index) + pair_array[:, 1]
        order = np.argsort(keys, kind="stable")
        table = (index.get, len(index), unigram_ids, keys[order], pair_array[order, 2])
        self.__dict__["_pair_table_kept"] = (self.vocabulary_, table)
        return table

    def _word_ids_slow(self, documents) -> tuple[np.ndarray, np.ndarray]:
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

    def _char_wb_ids(self, documents) -> tuple[np.ndarray, np.ndarray]:
        # Each word is looked up once in the known words; their n-gram ids are then gathered
        # for the whole batch with numpy, not joined word by word.
        words, word_ends = [], [0]
        extend = words.extend
        for document in documents:
            extend(document.lower().split())
            word_ends.append(len(words))
        known = self._known_words()
        slots = np.fromiter(map(known.slots.get, words, repeat(-1)), np.int64, len(words))
        if len(slots) and slots.min() < 0:
            known = self._learn_words(words)
            slots = np.fromiter(map(known.slots.get, words), np.int64, len(words))
        lengths = known.lengths[slots]
        ends = np.cumsum(lengths)
        positions = np.arange(ends[-1] if len(ends) else 0) + np.repeat(
            known.starts[slots] - (ends - lengths), lengths
        )
        indptr = np.concatenate(([0], ends))[np.asarray(word_ends)]
        return indptr, known.ids[positions]

    def _char_wb_ids_word_by_word(self, documents) -> tuple[list[int], np.ndarray]:
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

    def _known_words(self) -> _KnownWords:
        # Made on first use, not in __init__, which scikit-learn wants to hold only parameters;
        # refitting makes a new vocabulary, so the known words belong to the fitted vocabulary.
        known = self.__dict__.get("_known_words_kept")
        if known is None or known.vocabulary is not self.vocabulary_:
            known = _no_words(self.vocabulary_)
        return known

    def _learn_words(self, words: list[str]) -> _KnownWords:
        # A new snapshot, never changing the one other threads may be reading; the known words
        # are forgotten all at once when there would be too many.
        with _lock:
            known = self._known_words()
            new = [word for word in dict.fromkeys(words) if word not in known.slots]
            if len(known.slots) + len(new) > WORD_CACHE_SIZE:
                known, new = _no_words(self.vocabulary_), list(dict.fromkeys(words))
            slots = dict(known.slots)
            pieces = [known.ids]
            for word in new:
                slots[word] = len(slots)
                pieces.append(self._char_wb_word(word))
            lengths = np.array([len(piece) for piece in pieces[1:]], dtype=np.int64)
            known = _KnownWords(
                known.vocabulary,
                slots,
                np.concatenate(pieces),
                np.concatenate((known.starts, len(known.ids) + np.cumsum(lengths) - lengths)),
                np.concatenate((known.lengths, lengths)),
            )
            self.__dict__["_known_words_kept"] = known
        return known


class _KnownWords(NamedTuple):
    """Words whose character n-gram ids have been looked up, for one fitted vocabulary:
    ids[starts[slot] : starts[slot] + lengths[slot]] are the ids of the word in that slot."""

    vocabulary: dict
    slots: dict[str, int]
    ids: np.ndarray
    starts: np.ndarray
    lengths: np.ndarray


def _no_words(vocabulary: dict) -> _KnownWords:
    nothing = np.zeros(0, dtype=np.int64)
    return _KnownWords(vocabulary, {}, np.zeros(0, dtype=np.int32), nothing, nothing)


_lock = threading.Lock()

# Token patterns whose tokens are runs of word characters (never a space).
_WORD_PATTERNS = frozenset({r"(?u)\b\w+\b", r"(?u)\b\w\w+\b"})


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
