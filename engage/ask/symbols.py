"""The symbol set (OpenMoji): find symbols by keyword and give each its alt text.

The index is engage/static/build/symbols/index.json, written at set-up by
scripts/build_symbols.py from OpenMoji's metadata, so run time never reads node_modules.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

INDEX_PATH = Path(__file__).resolve().parent.parent / "static" / "build" / "symbols" / "index.json"
CODE = re.compile(r"^[0-9A-F]{2,6}(?:-[0-9A-F]{2,6})*$")
SEARCH_LIMIT = 30
MAX_KEYWORD = 60


@dataclass(frozen=True)
class Symbol:
    code: str
    alt: str
    tags: tuple[str, ...]


class _Index:
    def __init__(self, symbols: list[Symbol], licence: str, attribution: str):
        self.symbols = symbols
        self.by_code = {symbol.code: symbol for symbol in symbols}
        self.licence = licence
        self.attribution = attribution


_loaded: _Index | None = None


def _index() -> _Index:
    global _loaded
    if _loaded is None:
        if not INDEX_PATH.exists():
            # Not cached: the index may be built while the app runs (first set-up).
            return _Index([], "", "")
        data = json.loads(INDEX_PATH.read_text(encoding="utf-8"))
        symbols = [Symbol(code, alt, tuple(tags)) for code, alt, tags in data["symbols"]]
        _loaded = _Index(symbols, data.get("licence", ""), data.get("attribution", ""))
    return _loaded


def is_available() -> bool:
    """False until scripts/build_symbols.py has been run at set-up."""
    return bool(_index().symbols)


def _find(code: str) -> Symbol | None:
    index = _index()
    code = (code or "").strip().upper()
    # Emoji codes are written with and without the variation selector FE0F.
    return index.by_code.get(code) or index.by_code.get(code.replace("-FE0F", ""))


def alt_text(code: str | None) -> str | None:
    """The words a screen reader says for the symbol: OpenMoji's annotation."""
    found = _find(code or "")
    return found.alt if found else None


def is_known(code: str) -> bool:
    return bool(code) and CODE.match(code) is not None and _find(code) is not None


def _score(symbol: Symbol, words: list[str], phrase: str, every: bool) -> int | None:
    if symbol.alt == phrase:
        return 0
    alt_words = symbol.alt.lower().split()
    total, matched = 1, 0
    for word in words:
        if word in alt_words:
            total += 1
        elif word in symbol.tags:
            total += 2
        elif any(part.startswith(word) for part in alt_words):
            total += 3
        elif any(tag.startswith(word) for tag in symbol.tags):
            total += 4
        else:
            if every:
                return None
            total += 5
            continue
        matched += 1
    return total if matched else None


def search(keyword: str, limit: int = SEARCH_LIMIT) -> list[tuple[str, str]]:
    """Symbols matching every word of the keyword, best first: (code, alt text)."""
    phrase = " ".join(re.findall(r"\w+", (keyword or "").lower()[:MAX_KEYWORD]))
    words = phrase.split()
    if not words:
        return []
    # Every word first; if nothing has them all ("speech therapy"), any of them.
    for every in (True, False):
        scored = []
        for order, symbol in enumerate(_index().symbols):
            score = _score(symbol, words, phrase, every)
            if score is not None:
                # OpenMoji's own order puts faces and people first, a sensible tie-break.
                scored.append((score, order, symbol))
        if scored:
            scored.sort(key=lambda item: item[:2])
            return [(symbol.code, symbol.alt) for _score_, _order, symbol in scored[:limit]]
    return []


def credit() -> tuple[str, str]:
    """The licence and attribution the credits page must show."""
    index = _index()
    return index.licence or "CC BY-SA 4.0", index.attribution or (
        "All emojis designed by OpenMoji – the open-source emoji and icon project."
    )
