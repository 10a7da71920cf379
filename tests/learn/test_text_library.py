"""The text analysis (engage.learn.text) is a library: it imports and analyses with Flask,
SQLAlchemy and the app's other frameworks unimportable, so it can be tested and benchmarked
without an app or a database."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import REPO

PROBE = """
import importlib, importlib.abc, json, pkgutil, sys

BLOCKED = ("flask", "flask_babel", "flask_login", "flask_sqlalchemy", "flask_wtf", "sqlalchemy",
           "alembic", "werkzeug", "jinja2", "wtforms")


class Blocked(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ImportError(f"{name} is blocked: the text library must not need it")
        return None


sys.meta_path.insert(0, Blocked())
try:  # the step's database code does need them: the block holds
    import engage.learn.analysis
except ImportError as error:
    blocked = str(error)

import engage.learn.text as text

modules = [text.__name__] + [
    importlib.import_module(info.name).__name__
    for info in pkgutil.walk_packages(text.__path__, text.__name__ + ".")
]
from pathlib import Path

from engage.learn.text.identifying import DEFAULT_PLACES_FILE, area_places, identifying_details
from engage.learn.text.screen import parse_phrases
from engage.learn.text.sentiment import LexiconAnalyser, train_model
from engage.learn.text.themes import KeywordCoder, keyword_list, seed_themes, train_theme_model

phrases = (Path(text.__file__).parent / "data" / "safeguarding_phrases.txt").read_text("utf-8")
screen = parse_phrases(phrases, "built-in")
coder = KeywordCoder({e["slug"]: keyword_list(e.get("keywords", [])) for e in seed_themes()})
better = "What could we do better?"
texts = ["The staff were kind and helpful", "We waited months for a reply", "Nothing"] * 20
labels = ["positive", "negative", "positive"] * 20
from engage.learn.text.sentiment import SentimentLabel

model = train_model(texts, [better] * len(texts), [SentimentLabel(label) for label in labels])
themes = train_theme_model(texts, [{"staff"}, {"waiting"}, set()] * 20, tune=False)
places = area_places(DEFAULT_PLACES_FILE)
print(json.dumps({
    "modules": modules,
    "lexicon": LexiconAnalyser().analyse("Nothing, you were great", better).label.value,
    "model": model.analyse("The staff were kind", better).label.value,
    "keywords": sorted(coder.code("We waited a long time for the speech therapist")),
    "theme_model": sorted(themes.code_many(["we waited months"])[0]),
    "screen": screen.screen("I don't feel safe at home").categories,
    "identifying": [f.kind for f in identifying_details("Ask Mrs Patel", places)],
    "blocked": blocked,
    "frameworks": sorted(name for name in sys.modules if name.split(".")[0] in BLOCKED),
}))
"""


def test_the_text_library_analyses_without_flask_or_sqlalchemy():
    probe = [sys.executable, "-c", PROBE]
    result = subprocess.run(probe, cwd=REPO, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["blocked"].endswith("is blocked: the text library must not need it")
    assert found["frameworks"] == []
    assert {
        "engage.learn.text.sentiment",
        "engage.learn.text.themes",
        "engage.learn.text.screen",
        "engage.learn.text.vectors",
        "engage.learn.text.embeddings",
        "engage.learn.text.identifying",
    } <= set(found["modules"])
    assert found["lexicon"] == "positive"
    assert found["model"] == "positive"
    assert "waiting-times" in found["keywords"]
    assert found["theme_model"] == ["waiting"]
    assert found["screen"] == ["Fear of home or of an adult"]
    assert found["identifying"] == ["name"]
