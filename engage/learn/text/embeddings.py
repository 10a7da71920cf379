"""Sentence vectors for the learning models: the mean of WordLlama's static token embeddings.

The weights (32,000 tokens x 256 dimensions) and the tokenizer ship inside the `wordllama`
wheel; they are read from the installed package's files, never fetched. The package itself
is not imported: its loader falls back to downloading from a model hub when a file is
missing, and its import sets up the root logger. Loaded on first use, only where a model is
trained or applied (about 35 MB), so a worker with no trained model never carries them.
"""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

WEIGHTS = "weights/l2_supercat_256.safetensors"
TOKENIZER = "tokenizers/l2_supercat_tokenizer_config.json"
DIMENSIONS = 256

_loaded: tuple | None = None
_lock = threading.Lock()


class EmbeddingsUnavailable(RuntimeError):
    """The wordllama package (and so its weights) is not installed."""


def package_files() -> tuple[Path, Path]:
    spec = importlib.util.find_spec("wordllama")
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddingsUnavailable("wordllama is not installed: its token embeddings are needed")
    root = Path(spec.submodule_search_locations[0])
    return root / WEIGHTS, root / TOKENIZER


def _load() -> tuple:
    global _loaded
    if _loaded is None:
        with _lock:
            if _loaded is None:
                from safetensors.numpy import load_file
                from tokenizers import Tokenizer

                weights_path, tokenizer_path = package_files()
                table = load_file(str(weights_path))["embedding.weight"].astype(np.float32)
                tokenizer = Tokenizer.from_file(str(tokenizer_path))
                tokenizer.no_padding()
                tokenizer.no_truncation()
                _loaded = (table, tokenizer)
    return _loaded


def embed(texts: Sequence[str]) -> np.ndarray:
    """One unit-length row per text (zeros for a text with no tokens): the direction of the
    sum of its tokens' vectors, the tokens found word by word (the tokenizer's pieces never
    cross a space), so each distinct word is tokenized once and its sum kept."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    words = [text.split() for text in texts]
    slots, sums = _word_sums([word for text_words in words for word in text_words])
    lengths = np.fromiter(map(len, words), np.int64, len(words))
    if not slots.size:
        return np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    from scipy import sparse

    # Texts x known words, times the words' sums: no copy of every word's vector.
    counts = sparse.csr_array(
        (np.ones(len(slots), dtype=np.float32), slots, np.concatenate(([0], np.cumsum(lengths)))),
        shape=(len(texts), len(sums)),
    )
    vectors = np.asarray(counts @ sums, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    np.divide(vectors, norms, out=vectors, where=norms > 0)
    return vectors


# Words whose token sums are kept (about 1 KB each), then forgotten all at once.
WORD_CACHE_SIZE = 50_000
_words: tuple[dict[str, int], np.ndarray] = ({}, np.zeros((0, DIMENSIONS), dtype=np.float32))


def _word_sums(words: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Each word's slot in the kept sums, and the sums (a snapshot other threads may read)."""
    global _words
    index, sums = _words
    new = [word for word in dict.fromkeys(words) if word not in index]
    if new:
        table, tokenizer = _load()
        with _lock:
            index, sums = _words
            if len(index) + len(new) > WORD_CACHE_SIZE:
                index, sums = {}, sums[:0]
                new = list(dict.fromkeys(words))
            new = [word for word in new if word not in index]
            rows = np.zeros((len(new), DIMENSIONS), dtype=np.float32)
            for row, encoded in enumerate(tokenizer.encode_batch(new, add_special_tokens=False)):
                if encoded.ids:
                    ids = np.clip(np.asarray(encoded.ids), 0, len(table) - 1)
                    rows[row] = table[ids].sum(axis=0)
            index = {**index, **{word: len(index) + at for at, word in enumerate(new)}}
            sums = np.concatenate((sums, rows))
            _words = (index, sums)
    slots = np.fromiter(map(index.__getitem__, words), np.int64, len(words))
    return slots, sums
