"""How well the safeguarding screen finds children's disclosures, how often it flags what is
not one, and how fast it is.

    .venv/bin/python bench/safeguarding_quality.py            # the held-out fifth (report)
    .venv/bin/python bench/safeguarding_quality.py --split development --misses   # tuning
    .venv/bin/python bench/safeguarding_quality.py --probes   # later probe sets, by round
    .venv/bin/python bench/safeguarding_quality.py --probes --round 7 --misses   # tune on one

The evaluation set is tests/data/safeguarding/disclosures.csv (README beside it). Answers in
it are read as answers to a children's survey: one the screen cannot read (not English, only
emoji, not a word) is a concern. The NHS Friends and Family Test comments are adults' feedback:
the readability check does not apply to them, as at submit for an adults' survey.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from engage.learn.safeguarding import DEFAULT_PHRASES_FILE, parse_phrases  # noqa: E402
from engage.learn.text.screen import CATEGORIES, Level  # noqa: E402

DATA = REPO / "tests" / "data" / "safeguarding" / "disclosures.csv"
# Disclosures and look-alikes written after the set, in rounds: each was measured first, then
# tuned on, except the rounds kept to measure wording not seen (README beside the file).
PROBES = REPO / "tests" / "data" / "safeguarding" / "probes.csv"
# ../shared beside the repository (a worktree one level further down looks one more up).
NHS = next(
    (
        path
        for path in (
            REPO.parent / "shared" / "data" / "nhs_fft_feedback_v6framework.csv",
            REPO.parent.parent / "shared" / "data" / "nhs_fft_feedback_v6framework.csv",
        )
        if path.exists()
    ),
    REPO.parent / "shared" / "data" / "nhs_fft_feedback_v6framework.csv",
)
SLUGS = {name: slug for slug, name in CATEGORIES.items()}


def load(split: str) -> list[dict]:
    with DATA.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [row for row in rows if split == "all" or row["split"] == split]


def nhs_comments(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [row["FFT answer"] for row in csv.DictReader(handle) if row["FFT answer"].strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", default="heldout", choices=["heldout", "development", "all"])
    parser.add_argument("--nhs", type=Path, default=NHS, help="the NHS FFT comments CSV")
    parser.add_argument("--misses", action="store_true", help="print what was missed or flagged")
    parser.add_argument("--probes", action="store_true", help="recall on the later probe sets")
    parser.add_argument(
        "--round", action="append", default=[], help="with --probes: only this round (repeatable)"
    )
    args = parser.parse_args()

    screen = parse_phrases(DEFAULT_PHRASES_FILE.read_text(encoding="utf-8"))
    if args.probes:
        probes(screen, args.round, args.misses)
        return
    rows = load(args.split)
    by_category: dict[str, Counter] = defaultdict(Counter)
    totals: Counter = Counter()
    misses, false_flags, clear_by_category = [], [], defaultdict(Counter)
    for row in rows:
        found = screen.screen(row["text"]).as_child_answer()
        expected, category = row["expected"], row["category"]
        if expected == "clear":
            totals["clear"] += 1
            clear_by_category[category]["n"] += 1
            if found:
                totals["false_flags"] += 1
                clear_by_category[category]["flagged"] += 1
                false_flags.append((row, found))
            continue
        counts = by_category[category]
        counts["n"] += 1
        totals["any"] += 1
        if found:
            counts["found"] += 1
            totals["found"] += 1
            if category in {SLUGS.get(name) for name in found.categories}:
                counts["named"] += 1
                totals["named"] += 1
        else:
            misses.append((row, found))
        if expected == "urgent":
            counts["urgent"] += 1
            totals["urgent"] += 1
            if found.level is Level.URGENT:
                counts["urgent_found"] += 1
                totals["urgent_found"] += 1
            elif args.misses and found:
                misses.append((row, found))
        elif found.level is Level.URGENT:
            totals["concern_as_urgent"] += 1

    print(f"safeguarding screen on the {args.split} split of {DATA.relative_to(REPO)}")
    print(
        f"{len(rows)} texts: {totals['any']} disclosures ({totals['urgent']} urgent), "
        f"{totals['clear']} clear look-alikes\n"
    )
    print(f"{'category':<44} {'n':>4} {'urgent':>7} {'any':>6} {'named':>6}  clear flagged")
    for slug, name in CATEGORIES.items():
        counts = by_category.get(slug, Counter())
        clear = clear_by_category.get(slug, Counter())
        urgent = f"{counts['urgent_found'] / counts['urgent']:.2f}" if counts["urgent"] else "-"
        any_ = f"{counts['found'] / counts['n']:.2f}" if counts["n"] else "-"
        named = f"{counts['named'] / counts['n']:.2f}" if counts["n"] else "-"
        flagged = f"{clear['flagged']}/{clear['n']}" if clear["n"] else "-"
        print(f"{name:<44} {counts['n']:>4} {urgent:>7} {any_:>6} {named:>6}  {flagged}")
    general = clear_by_category.get("general", Counter())
    print(
        f"{'(ordinary answers, no look-alike)':<44} {'':>4} {'':>7} {'':>6} {'':>6}  "
        f"{general['flagged']}/{general['n']}"
    )

    recall_urgent = totals["urgent_found"] / totals["urgent"]
    recall_any = totals["found"] / totals["any"]
    false_flag_rate = totals["false_flags"] / totals["clear"]
    print(f"\nrecall, urgent disclosures flagged urgent: {recall_urgent:.3f}")
    print(f"recall, urgent + concern flagged at either level: {recall_any:.3f}")
    print(f"category named correctly: {totals['named'] / totals['any']:.3f}")
    print(f"concern disclosures flagged urgent (over-alarm): {totals['concern_as_urgent']}")
    print(
        f"false flags on clear look-alikes: {false_flag_rate:.3f} "
        f"({totals['false_flags']}/{totals['clear']})"
    )

    comments = nhs_comments(args.nhs)
    flagged_nhs = [text for text in comments if screen.screen(text)]
    nhs_rate = len(flagged_nhs) / len(comments)
    print(f"NHS FFT comments flagged: {nhs_rate:.4f} ({len(flagged_nhs)}/{len(comments)})")

    # Speed of the screen alone: every NHS comment and every text of the set, repeated; the
    # screen's word cache is warm after the first pass, as in a running server.
    texts = comments + [row["text"] for row in load("all")]
    for text in texts:
        screen.screen(text)
    best = 0.0
    for _ in range(3):
        started = time.perf_counter()
        for text in texts:
            screen.screen(text)
        best = max(best, len(texts) / (time.perf_counter() - started))
    cold = parse_phrases(DEFAULT_PHRASES_FILE.read_text(encoding="utf-8"))
    started = time.perf_counter()
    for text in texts:
        cold.screen(text)
    first = len(texts) / (time.perf_counter() - started)
    print(
        f"speed: {best:,.0f} texts/s warm (best of 3), {first:,.0f} texts/s first pass "
        f"({len(texts)} texts, mean {sum(map(len, texts)) / len(texts):.0f} characters)"
    )

    if args.misses:
        print("\nmissed (or urgent read as concern):")
        for row, found in misses:
            print(
                f"  [{row['expected']} {row['category']}] {row['text']!r} -> "
                f"{found.level.value if found.level else '-'} {found.reasons}"
            )
        print("\nclear texts flagged:")
        for row, found in false_flags:
            print(f"  [{row['category']}] {row['text']!r} -> {found.reasons}")
        print("\nNHS comments flagged:")
        for text in flagged_nhs:
            print(f"  {text[:160]!r} -> {screen.screen(text).reasons}")
    print(
        f"recall_urgent={recall_urgent:.3f} recall_any={recall_any:.3f} "
        f"false_flag_rate={false_flag_rate:.3f} nhs_flag_rate={nhs_rate:.4f} "
        f"texts_per_s={best:.0f}"
    )


def probes(screen, rounds: list[str], misses: bool) -> None:
    """How the screen does, now, on each round of the later probe sets. From round 7 each
    disclosure has its level: "urgent as urgent" counts urgent ones flagged urgent."""
    with PROBES.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if not rounds or row["round"] in rounds]
    header = ("round", "disclosures found", "urgent as urgent", "look-alikes flagged")
    print(f"{header[0]:<6} {header[1]:>18} {header[2]:>17} {header[3]:>20}")
    missed, flagged_clear = [], []
    for round_ in sorted({row["round"] for row in rows}, key=int):
        counts = Counter()
        for row in rows:
            if row["round"] != round_:
                continue
            found = screen.screen(row["text"])
            counts[row["kind"]] += 1
            counts[row["kind"] + "_flagged"] += bool(found)
            if row.get("level") == "urgent":
                counts["urgent"] += 1
                counts["urgent_flagged"] += found.level is Level.URGENT
            if row["kind"] == "clear" and found:
                flagged_clear.append((row, found))
            elif row["kind"] != "clear" and (
                not found or (row.get("level") == "urgent" and found.level is not Level.URGENT)
            ):
                missed.append((row, found))
        found = f"{counts['disclosure_flagged']}/{counts['disclosure']}"
        urgent = f"{counts['urgent_flagged']}/{counts['urgent']}" if counts["urgent"] else "-"
        clear = f"{counts['clear_flagged']}/{counts['clear']}" if counts["clear"] else "-"
        print(f"{round_:<6} {found:>18} {urgent:>17} {clear:>20}")
    if misses:
        print("\nmissed (or urgent read as concern):")
        for row, found in missed:
            level = found.level.value if found.level else "-"
            where = f"{row['round']} {row.get('level') or ''} {row['category']}"
            print(f"  [{where}] {row['text']!r} -> {level} {found.reasons}")
        print("\nlook-alikes flagged:")
        for row, found in flagged_clear:
            print(f"  [{row['round']} {row['category']}] {row['text']!r} -> {found.reasons}")


if __name__ == "__main__":
    main()
