"""How well the quote check finds what could identify someone, on Engage's own corpus.

    .venv/bin/python -m bench.identifying_quality [--show-misses]

tests/data/identifying/identifying.csv holds sentences that name a person, a school or
setting, a place, or give contact details; safe.csv holds sentences of the same kind that
identify no one. Each row is marked dev or eval: the rules and word lists were tuned on the
dev rows only, and the eval rows are reported as they came out. Recall is the share of
identifying sentences with at least one finding; the false alarm rate is the share of safe
sentences with any finding. The check runs with the demo area's list of schools and places.
The last line is key=value pairs.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engage.learn.text.identifying import (  # noqa: E402
    DEFAULT_PLACES_FILE,
    area_places,
    identifying_details,
)

CORPUS = ROOT / "tests" / "data" / "identifying"


def load(name: str) -> list[dict[str, str]]:
    with (CORPUS / name).open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--show-misses", action="store_true", help="print the dev rows missed and false alarms"
    )
    args = parser.parse_args()
    places = area_places(DEFAULT_PLACES_FILE)
    identifying, safe = load("identifying.csv"), load("safe.csv")
    started = time.perf_counter()
    figures: dict[str, float] = {}
    for split in ("dev", "eval"):
        found = [r for r in identifying if r["split"] == split]
        clean = [r for r in safe if r["split"] == split]
        missed = [r["text"] for r in found if not identifying_details(r["text"], places)]
        alarms = [
            (r["text"], identifying_details(r["text"], places))
            for r in clean
            if identifying_details(r["text"], places)
        ]
        recall = 1 - len(missed) / len(found)
        false_alarms = len(alarms) / len(clean)
        figures[f"{split}_recall"] = recall
        figures[f"{split}_false_alarm_rate"] = false_alarms
        print(
            f"{split}: {len(found)} identifying, recall {recall:.3f} ({len(missed)} missed); "
            f"{len(clean)} safe, false alarms {false_alarms:.3f} ({len(alarms)})"
        )
        if args.show_misses and split == "dev":  # tuning looks at dev rows only
            for text in missed:
                print(f"  missed: {text}")
            for text, findings in alarms:
                print(f"  false alarm: {text} -> {[(f.kind, f.text) for f in findings]}")
    sentences = 2 * (len(identifying) + len(safe))
    per_second = sentences / (time.perf_counter() - started)
    print(f"{per_second:.0f} sentences/s")
    figures["sentences_per_s"] = round(per_second)
    print(
        " ".join(
            f"{key}={value:.3f}" if isinstance(value, float) else f"{key}={value}"
            for key, value in figures.items()
        )
    )


if __name__ == "__main__":
    main()
