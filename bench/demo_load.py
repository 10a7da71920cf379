"""How long `make run`'s demo load takes on an empty database: `engage demo`, with its year of
history (responses, analysis, reviews, actions, updates), against a goal of 30 seconds.

    .venv/bin/python -m bench.demo_load [--repeats 3] [--goal-s 30] [--database-url URL]

Each repeat migrates a fresh database (SQLite in a temporary directory, or a throwaway database
on the PostgreSQL server given) and times the `engage demo` process, start-up included, as
`make run` runs it. The last line is key=value pairs (the median of the repeats).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from bench.common import engage_cli, fresh_database, machine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--goal-s", type=float, default=30.0)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    timings = []
    for repeat in range(args.repeats):
        with (
            tempfile.TemporaryDirectory() as tmp,
            fresh_database(Path(tmp), args.database_url, demo=False) as db,
        ):
            started = time.perf_counter()
            output = engage_cli(db, "demo")
            timings.append(time.perf_counter() - started)
            history = [
                line for line in output.splitlines() if "history" in line or "actions" in line
            ]
            print(f"run {repeat + 1}: {timings[-1]:.1f} s; " + "; ".join(history))
    median = statistics.median(timings)
    print(machine())
    print(
        f"demo_load_s={median:.1f} min_s={min(timings):.1f} max_s={max(timings):.1f} "
        f"goal_s={args.goal_s:g} met={'yes' if median <= args.goal_s else 'no'}"
    )


if __name__ == "__main__":
    main()
