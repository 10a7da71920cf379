"""Where a staff page's time goes: pyinstrument over one request at N synthetic responses.

.venv/bin/python -m bench.profile_page /staff/dashboard [--responses 100000] [--changed]

--changed profiles the first request after the data changed (cached figures out of date), as
the first viewer after a new response pays; without it, a repeat request (from the cache).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from bench.common import app_for, fresh_database, populate, signed_in_client


def main(argv: list[str] | None = None) -> int:
    from pyinstrument import Profiler

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("url")
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--database-url")
    parser.add_argument("--changed", action="store_true")
    args = parser.parse_args(argv)
    with (
        tempfile.TemporaryDirectory(prefix="engage-profile-") as tmp,
        fresh_database(Path(tmp), args.database_url, demo=False) as db,
    ):
        populate(db, args.responses)
        app = app_for(db)
        client = signed_in_client(app)
        client.get(args.url).get_data()  # first request: imports and caches
        if args.changed:
            from bench.results import figures_changed

            figures_changed(app)
        profiler = Profiler(interval=0.001)
        started, cpu = time.perf_counter(), time.process_time()
        profiler.start()
        reply = client.get(args.url)
        reply.get_data()
        profiler.stop()
        print(
            f"{args.url} at {args.responses:,} responses: status {reply.status_code}, "
            f"{(time.perf_counter() - started) * 1000:.0f} ms "
            f"({(time.process_time() - cpu) * 1000:.0f} ms CPU)"
        )
        print(profiler.output_text(unicode=False, color=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
