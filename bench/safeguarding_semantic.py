"""An experiment, not in the product: would a nearest-neighbour check on sentence vectors
find the disclosures the phrase list misses?

    .venv/bin/python -m bench.safeguarding_semantic

A text is flagged when its WordLlama vector (engage.learn.text.embeddings) is at least THRESHOLD
cosine-similar to a known disclosure and nearer to one than to any known look-alike. Known:
the development split and probe rounds 1, 2, 3 and 5. Scored: probe rounds 4 and 6 (never
tuned on), alone and together with the phrase screen, and the NHS comments. The held-out
fifth is not used.
"""

from __future__ import annotations

import csv
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.safeguarding_quality import NHS, PROBES, load, nhs_comments  # noqa: E402
from engage.learn.safeguarding import DEFAULT_PHRASES_FILE, parse_phrases  # noqa: E402
from engage.learn.text.embeddings import embed  # noqa: E402

KNOWN_ROUNDS, SCORED_ROUNDS = {"1", "2", "3", "5"}, {"4", "6"}
THRESHOLDS = (0.6, 0.65, 0.7, 0.75)


def main() -> None:
    development = load("development")
    with PROBES.open(encoding="utf-8", newline="") as handle:
        probes = list(csv.DictReader(handle))
    known = [
        row["text"]
        for row in development
        if row["expected"] != "clear" and row["category"] != "unreadable"
    ] + [row["text"] for row in probes if row["round"] in KNOWN_ROUNDS and row["kind"] != "clear"]
    alike = [row["text"] for row in development if row["expected"] == "clear"] + [
        row["text"] for row in probes if row["round"] in KNOWN_ROUNDS and row["kind"] == "clear"
    ]
    known_vectors, alike_vectors = embed(known), embed(alike)
    screen = parse_phrases(DEFAULT_PHRASES_FILE.read_text(encoding="utf-8"))

    def nearest(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        vectors = embed(texts)
        return (vectors @ known_vectors.T).max(1), (vectors @ alike_vectors.T).max(1)

    comments = nhs_comments(NHS)
    started = time.perf_counter()
    nhs_known, nhs_alike = nearest(comments)
    speed = len(comments) / (time.perf_counter() - started)
    scored = [row for row in probes if row["round"] in SCORED_ROUNDS]
    disclosures = [row["text"] for row in scored if row["kind"] != "clear"]
    clear = [row["text"] for row in scored if row["kind"] == "clear"]
    found_known, found_alike = nearest(disclosures)
    clear_known, clear_alike = nearest(clear)
    phrases_found = np.array([bool(screen.screen(text)) for text in disclosures])
    phrases_clear = np.array([bool(screen.screen(text)) for text in clear])
    print(
        f"{len(known)} known disclosures, {len(alike)} known look-alikes; scored: rounds 4 and 6, "
        f"{len(disclosures)} disclosures, {len(clear)} look-alikes; {len(comments)} NHS comments"
    )
    print(
        f"phrase screen alone: disclosures {phrases_found.mean():.2f}, "
        f"look-alikes {phrases_clear.mean():.2f}"
    )
    print(f"{'threshold':>9} {'vectors':>8} {'+phrases':>9} {'look-alikes':>12} {'NHS':>7}")
    for threshold in THRESHOLDS:
        near = (found_known >= threshold) & (found_known > found_alike)
        near_clear = (clear_known >= threshold) & (clear_known > clear_alike)
        near_nhs = (nhs_known >= threshold) & (nhs_known > nhs_alike)
        print(
            f"{threshold:>9} {near.mean():>8.2f} {(near | phrases_found).mean():>9.2f} "
            f"{(near_clear | phrases_clear).mean():>12.2f} {near_nhs.mean():>7.4f}"
        )
    print(f"vectors and nearest neighbour: {speed:,.0f} texts/s")


if __name__ == "__main__":
    main()
