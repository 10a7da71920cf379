"""A worker that starts and serves respondents and exports does not carry the libraries only
staff pages or model training need: they cost about 120 MB of memory per worker."""

from __future__ import annotations

import json
import os
import subprocess
import sys

# Faker's name lists are for the quote check on staff pages only.
HEAVY = ("sklearn", "nltk", "textblob", "matplotlib", "faker")

PROBE = """
import json, sys
from engage import create_app
from engage.extensions import db
from engage.learn.analysis import current_analyser
from engage.learn.text import sentiment
app = create_app()
# Loaded at start-up, so the first respondent to submit does not wait for them.
assert sentiment._vader.cache_info().currsize == 1
assert sentiment._textblob.cache_info().currsize == 1
from engage.listen import answer_languages
assert answer_languages._detector is not None  # the language model, read from its wheel
with app.app_context():
    db.create_all()
    # A submit's analysis while no model is trained: lexicons, keywords and the screen.
    (result,) = current_analyser().analyse_texts(
        ["The staff were really lovely, but I feel unsafe at home"], [None]
    )
    assert result.safeguarding, result
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules})))
"""


def test_a_started_worker_has_not_imported_training_or_chart_libraries(tmp_path):
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'probe.db'}",
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    imported = set(json.loads(result.stdout.strip().splitlines()[-1]))
    assert imported.isdisjoint(HEAVY), imported & set(HEAVY)
