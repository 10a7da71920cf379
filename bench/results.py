"""Server time of the staff results pages, the commissioner dashboard and the governance
report at 10,000 and 100,000 synthetic responses.

    .venv/bin/python -m bench.results [--scales 10000,100000] [--repeats 5] [--no-analyse]

The free text of the synthetic responses is analysed before timing (sentiment, codings and
safeguarding flags, as at submit in production), so sentiment and theme figures count real
rows; --no-analyse skips it.

Pages are found in app.url_map (GET routes whose endpoint or path names results, dashboard or
governance; exports are bench/export.py's), so pages added later are measured too and a page
not there yet is reported as missing. Server time is the WSGI call in this process through
Flask's test client, signed in as an admin: no network, no gunicorn. "first" is the first
request after the data was loaded (caches empty, and the process's first sight of each
template), "warm" the median of the repeats after it, "after a change" the median of requests
each made just after the data changed (the figures cache's token renewed, as a new response
does), which is what the first viewer after a submit pays.
The last line is key=value pairs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from itertools import product
from pathlib import Path

from bench.common import (
    app_for,
    describe,
    fresh_database,
    machine,
    populate,
    route_arguments,
    signed_in_client,
)

WANTED = ("results", "dashboard", "governance")
EXPECTED = {
    "results page": ("results",),
    "commissioner dashboard": ("dashboard",),
    "governance report": ("governance",),
}


def pages(app) -> list[tuple[str, str]]:
    """(label, url) for every GET page to time, with its arguments filled in."""
    from flask import url_for

    arguments = route_arguments(app)
    found = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        name = f"{rule.endpoint} {rule.rule}".lower()
        if "GET" not in (rule.methods or ()) or not any(w in name for w in WANTED):
            continue
        if "export" in name or "static" in name:
            continue
        missing = [a for a in rule.arguments if a not in arguments]
        if missing:
            print(f"  skipped {rule.rule}: no value for {', '.join(missing)}")
            continue
        names = sorted(rule.arguments)
        for combo in product(*(arguments[a] for a in names)):
            values = dict(zip(names, combo, strict=True))
            with app.test_request_context():
                url = url_for(rule.endpoint, **values)
            if "governance" in name:
                # The governance report covers one engagement (or a period).
                found += [
                    (rule.endpoint, f"{url}?part=html&engagement={slug}")
                    for slug in arguments["engagement_slug"]
                ]
                continue
            found.append((rule.endpoint, url))
    return found


def time_page(app, client, url: str, repeats: int) -> tuple[int, float, float, float, float, float]:
    """Status, first and warm wall time, warm CPU time (which a busy machine does not
    inflate; the database's own work is in the same process for SQLite only), and the wall
    time of the first request after the data changed (cached figures out of date)."""
    started = time.perf_counter()
    reply = client.get(url)
    reply.get_data()
    first = time.perf_counter() - started
    times, cpu = [], []
    for _ in range(repeats):
        started, cpu_started = time.perf_counter(), time.process_time()
        client.get(url).get_data()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    changed, changed_cpu = [], []
    for _ in range(repeats):
        figures_changed(app)
        started, cpu_started = time.perf_counter(), time.process_time()
        client.get(url).get_data()
        changed.append(time.perf_counter() - started)
        changed_cpu.append(time.process_time() - cpu_started)
    warm = statistics.median(times) * 1000 if times else 0.0
    warm_cpu = statistics.median(cpu) * 1000 if cpu else 0.0
    after_change = statistics.median(changed) * 1000 if changed else 0.0
    after_change_cpu = statistics.median(changed_cpu) * 1000 if changed_cpu else 0.0
    return reply.status_code, first * 1000, warm, warm_cpu, after_change, after_change_cpu


def figures_changed(app) -> None:
    """What a new submitted response does to cached figures (a new token), without adding one."""
    try:
        from engage.learn.cache import touch
    except ImportError:  # code from before the figures cache: nothing is cached
        return
    with app.app_context():
        touch()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scales", default="10000,100000")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--database-url")
    parser.add_argument(
        "--no-analyse",
        dest="analyse",
        action="store_false",
        help="skip analysing the free text (no sentiment or codings)",
    )
    args = parser.parse_args(argv)
    scales = [int(s) for s in args.scales.split(",")]
    print(f"machine: {machine()}")
    figures: dict[int, dict[str, tuple[int, float, float]]] = {}
    analysed: dict[int, float | None] = {}
    for scale in scales:
        with (
            tempfile.TemporaryDirectory(prefix="engage-results-") as tmp,
            fresh_database(Path(tmp), args.database_url, demo=False) as db,
        ):
            populated = populate(db, scale, analyse=args.analyse)
            analysed[scale] = populated.analysed
            print(f"\n{scale:,} responses ({describe(populated)}):")
            app = app_for(db)
            client = signed_in_client(app)
            figures[scale] = {}
            for _endpoint, url in pages(app):
                status, first, warm, warm_cpu, changed, changed_cpu = time_page(
                    app, client, url, args.repeats
                )
                figures[scale][url] = (status, first, warm, changed)
                flag = "" if status == 200 else f"  (status {status})"
                print(
                    f"  {url:<58} first {first:8.1f} ms  warm {warm:8.1f} ms "
                    f"(CPU {warm_cpu:7.1f} ms)  after a change {changed:8.1f} ms "
                    f"(CPU {changed_cpu:7.1f} ms){flag}"
                )
            from engage.extensions import db as sqla

            with app.app_context():
                sqla.engine.dispose()
    for label, words in EXPECTED.items():
        if not any(any(w in url for w in words) for scale in figures for url in figures[scale]):
            print(f"missing: no {label} route yet (looked for {', '.join(words)} in url_map)")
    if len(scales) >= 2:
        low, high = scales[0], scales[-1]
        print(f"\ngrowth from {low:,} to {high:,} responses ({high / low:.0f}x the data):")
        for url in figures[high]:
            if url in figures[low]:
                a, b = figures[low][url][2], figures[high][url][2]
                c_low, c_high = figures[low][url][3], figures[high][url][3]
                print(
                    f"  {url:<58} warm x{b / a if a else 0:5.1f}   first "
                    f"x{figures[high][url][1] / figures[low][url][1]:5.1f}   after a change "
                    f"x{c_high / c_low if c_low else 0:5.1f}"
                )
    top = scales[-1]
    worst = max(figures[top].items(), key=lambda item: item[1][2], default=(None, (0, 0, 0, 0)))
    worst_first = max((v[1] for v in figures[top].values()), default=0.0)
    worst_changed = max((v[3] for v in figures[top].values()), default=0.0)
    errors = sum(1 for scale in figures for v in figures[scale].values() if v[0] != 200)
    print(
        f"scale={top} pages={len(figures[top])} worst_warm_ms={worst[1][2]:.1f} "
        f"worst_first_ms={worst_first:.1f} worst_changed_ms={worst_changed:.1f} "
        f"worst_page={worst[0]} errors={errors} "
        f"analyse_s={'none' if analysed[top] is None else f'{analysed[top]:.1f}'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
