"""The symbol set: keyword search with alt text, and the index built at set-up."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from engage.ask import symbols
from engage.ask.kinds import STANDARD_OPTIONS
from tests.conftest import REPO

pytestmark = pytest.mark.skipif(
    not symbols.is_available(), reason="symbol index not built: run scripts/build_assets.sh"
)


def test_search_returns_codes_with_their_alt_text():
    found = symbols.search("school")
    assert ("1F3EB", "school") in found
    assert all(alt for _code, alt in found)
    assert symbols.search("happy")[0] == ("1F600", "grinning face")


def test_every_word_must_match_before_any_word_does():
    assert symbols.search("bus stop")[0] == ("1F68F", "bus stop")
    # Nothing has both words: anything with either is better than nothing.
    assert symbols.search("speech therapy")


def test_search_ignores_punctuation_and_empty_keywords():
    assert symbols.search("") == [] and symbols.search("  !! ") == []
    assert symbols.search("School!")[0] == ("1F3EB", "school")
    assert len(symbols.search("face")) == symbols.SEARCH_LIMIT


def test_alt_text_for_codes_with_or_without_the_variation_selector():
    assert symbols.alt_text("1F5E3") == "speaking head"
    assert symbols.alt_text("1F5E3-FE0F") == "speaking head"
    assert symbols.alt_text("nonsense") is None
    assert symbols.is_known("1F3EB") and not symbols.is_known("<script>")


def test_every_standard_answer_symbol_has_alt_text():
    for options in STANDARD_OPTIONS.values():
        for option in options:
            if option.symbol:
                assert symbols.alt_text(option.symbol), option


def test_index_script_writes_codes_alt_text_and_tags_without_skin_tone_copies(tmp_path):
    source = REPO / "node_modules" / "openmoji" / "data" / "openmoji.json"
    if not source.exists():
        pytest.skip(reason="openmoji is not installed")
    subprocess.run(  # noqa: S603 - our own script, fixed arguments
        [sys.executable, str(REPO / "scripts" / "build_symbols.py"), str(source), str(tmp_path)],
        check=True,
        capture_output=True,
    )
    index = json.loads((tmp_path / "index.json").read_text(encoding="utf-8"))
    assert index["licence"] == "CC BY-SA 4.0"
    codes = {code for code, _alt, _tags in index["symbols"]}
    assert "1F44D" in codes and "1F44D-1F3FB" not in codes
    assert all(alt for _code, alt, _tags in index["symbols"])
