"""Peak memory and time of the CSV export of 1,000,000 answers, streamed by the real server.

    .venv/bin/python -m bench.export [--answers 1000000] [--formats csv]

One survey (the standard demo survey) is filled with synthetic submitted responses until it
holds the number of answers asked for. Engage then runs under gunicorn with one sync worker
on 127.0.0.1; the script signs in as an admin over HTTP and downloads each export route found
in app.url_map (endpoint names containing 'export' with a survey_id), reading the stream in
64 KiB pieces. Memory is the worker's peak resident set (VmHWM in /proc) before and after the
download: the goal is a peak under 200 MB. The last line is key=value pairs.
"""

from __future__ import annotations

import argparse
import http.client
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import (
    BIN,
    HOST,
    STANDARD,
    Client,
    Database,
    csrf_token,
    engage_cli,
    fresh_database,
    gunicorn,
    machine,
    peak_rss_kb,
)

FILL = """
import sys
from sqlalchemy import func, select
from bench.common import Database, app_for
from engage.extensions import db
from engage.listen.models import Answer
from engage.synthetic import generate
url, slug, target = sys.argv[1], sys.argv[2], int(sys.argv[3])
app = app_for(Database(url))
with app.app_context():
    made = 0
    while made < target:
        # About six answers a response; ask for a little less than the rest each time.
        made += generate(max(1000, (target - made) // 7), slugs=[slug], seed=made).answers
    print(db.session.scalar(select(func.count()).select_from(Answer)))
"""


def fill(db: Database, slug: str, answers: int) -> tuple[int, float]:
    started = time.perf_counter()
    result = subprocess.run(
        [str(BIN / "python"), "-c", FILL, db.url, slug, str(answers)],
        env=db.env(), capture_output=True, text=True, check=False,
    )  # fmt: skip
    if result.returncode:
        sys.stderr.write(result.stderr)
        raise SystemExit("could not make the synthetic answers")
    return int(result.stdout.split()[-1]), time.perf_counter() - started


def sign_in(port: int, email: str, password: str) -> Client:
    client = Client(port, timeout=600)
    page = client.get("/staff/sign-in")
    reply = client.post(
        "/staff/sign-in",
        {"csrf_token": csrf_token(page.body), "email": email, "password": password},
    )
    if reply.status != 303:
        raise SystemExit(f"sign-in failed with {reply.status}")
    return client


def export_urls(db: Database, slug: str, formats: list[str]) -> list[str]:
    from sqlalchemy import select

    from bench.common import app_for
    from engage.ask.models import Survey
    from engage.extensions import db as sqla

    app = app_for(db)
    urls = []
    with app.app_context():
        survey_id = sqla.session.scalar(select(Survey.id).where(Survey.slug == slug))
        sqla.engine.dispose()
    for rule in app.url_map.iter_rules():
        if "export" not in rule.endpoint or "survey_id" not in rule.arguments:
            continue
        if rule.endpoint.startswith("ask."):  # survey definitions, not answers
            continue
        values = {"survey_id": survey_id}
        if {"kind", "fmt"} <= rule.arguments:
            kinds = ["responses"]
            urls += [
                _url(app, rule.endpoint, values | {"kind": kind, "fmt": fmt})
                for kind in kinds
                for fmt in formats
            ]
        elif rule.arguments == {"survey_id"}:
            urls.append(_url(app, rule.endpoint, values))
    if not urls:
        print("missing: no export route with a survey_id in url_map yet")
    return urls


def _url(app, endpoint: str, values: dict) -> str:
    from flask import url_for

    with app.test_request_context():
        return url_for(endpoint, **values)


def download(client: Client, url: str) -> tuple[int, int, int, float, float]:
    """Status, bytes, lines, seconds to the first byte and in all, reading in pieces."""
    headers = {
        "Host": f"{HOST}:{client.port}",
        "Connection": "close",
        "Cookie": "; ".join(f"{k}={v}" for k, v in client.cookies.items()),
    }
    started = time.perf_counter()
    conn = http.client.HTTPConnection(HOST, client.port, timeout=600)
    conn.request("GET", url, headers=headers)
    response = conn.getresponse()
    first = None
    size = lines = 0
    while piece := response.read(65536):
        if first is None:
            first = time.perf_counter() - started
        size += len(piece)
        lines += piece.count(b"\n")
    conn.close()
    return response.status, size, lines, first or 0.0, time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--answers", type=int, default=1_000_000)
    parser.add_argument("--formats", default="csv", help="comma-separated: csv,xlsx")
    parser.add_argument("--database-url")
    args = parser.parse_args(argv)
    print(f"machine: {machine()}")
    results = []
    with (
        tempfile.TemporaryDirectory(prefix="engage-export-") as tmp_name,
        fresh_database(Path(tmp_name), args.database_url) as db,
    ):
        answers, seconds = fill(db, STANDARD, args.answers)
        print(f"{answers:,} answers in {STANDARD} (made in {seconds:.1f} s)")
        email, password = "bench-export@engage.example", "Bench-export-" + "x7" * 8
        engage_cli(db, "create-user", "--email", email, "--role", "admin", "--password", password)
        urls = export_urls(db, STANDARD, args.formats.split(","))
        server = gunicorn(
            "engage",
            "engage:create_app()",
            db.env(),
            workers=1,
            log=Path(tmp_name) / "server.log",
            timeout=900,
        )
        try:
            client = sign_in(server.port, email, password)
            client.get("/staff/results")
            (worker,) = server.worker_pids()
            for url in urls:
                before = peak_rss_kb(worker)
                status, size, lines, first, total = download(client, url)
                peak = peak_rss_kb(worker)
                results.append((url, status, size, lines, first, total, before, peak))
                print(
                    f"  {url}: status {status}, {size / 1e6:.1f} MB, {lines:,} lines, "
                    f"first byte {first * 1000:.0f} ms, all {total:.1f} s, worker peak RSS "
                    f"{before / 1024:.0f} MB before, {peak / 1024:.0f} MB after"
                )
        finally:
            server.stop()
        log = (Path(tmp_name) / "server.log").read_text()
        if "Traceback" in log:
            print(log[-3000:])
    if not results:
        print(f"answers={answers} exports=0")
        return 0
    url, status, size, lines, first, total, before, peak = results[0]
    print(
        f"answers={answers} seconds={total:.1f} first_byte_ms={first * 1000:.0f} "
        f"peak_rss_mb={peak / 1024:.0f} rss_before_mb={before / 1024:.0f} "
        f"mb={size / 1e6:.1f} status={status} goal_200mb={'met' if peak < 200 * 1024 else 'MISSED'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
