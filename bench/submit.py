"""Survey submit throughput and latency, side by side with a bare Flask + SQLite insert.

    .venv/bin/python -m bench.submit                      # SQLite, about 2 minutes
    .venv/bin/python -m bench.submit --database-url postgresql://postgres@127.0.0.1:5432/postgres

Both servers run under gunicorn with 2 sync workers on 127.0.0.1, and one client of 50
threads drives them in turn with the same load, alternating rounds so that noise from other
work on the machine falls on both.

What is counted (an Engage "submission" is many requests; the bare endpoint is one):
- submit phase: each client fetched the survey's start page once (session cookie and CSRF
  token) and then posts the final submit (POST /surveys/<slug>/submit with csrf_token and
  submission_token) of drafts whose answers are already saved. One Engage submit = one POST
  that commits one response, like one bare POST that commits one row. engage_rps and
  bare_rps are these POSTs per second; ratio = engage_rps / bare_rps; p95_ms is the Engage
  submit's 95th percentile.
- floor (reported, not in the ratio): Engage's cheapest POST, the display preferences form,
  with the same load: CSRF, session and redirect, no database. floor_ratio = floor_rps /
  bare_rps is the most any Engage request reaches against the bare endpoint.
- journey phase (reported, not in the ratio): the whole respondent path over HTTP: start page,
  start, each question page fetched and posted, check answers, submit, confirmation, so
  requests/s, complete submissions/s and latency over every request.
- errors: transport failures and unexpected statuses (5xx, 4xx, a submit not redirected to
  the confirmation). lost = submits acknowledged with the confirmation redirect minus
  submitted responses in the database (and the same for the bare rows).
The last line is key=value pairs for scripts.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import (
    STANDARD,
    SUBMISSION_TOKEN,
    Client,
    Database,
    app_for,
    csrf_token,
    fresh_database,
    gunicorn,
    machine,
    percentile,
    server_env,
)

ANSWERS = {
    "respondent_group": ["parent_carer", "parent_carer", "professional", "other"],
    "used_local_offer": ["yes", "no", "not_sure"],
    "found_information": ["agree", "disagree", "neither", "strongly_agree"],
    "looked_for": [["therapies"], ["short_breaks", "ehc_plans"], ["school_support"]],
    "sen_support": ["very_well", "quite_well", "not_very_well", "not_at_all"],
    "listened_to": ["agree", "disagree", "strongly_disagree"],
    "one_change": [
        "One named person to contact who answers emails.",
        "Shorter waits for speech and language therapy, we waited a year.",
        "Clearer information on the Local Offer about short breaks in the holidays.",
    ],
}


@dataclass
class Tally:
    """What one phase measured; threads append, the GIL keeps list.append safe."""

    latencies: list[float] = field(default_factory=list)
    submit_latencies: list[float] = field(default_factory=list)
    requests: int = 0
    errors: int = 0
    acknowledged: int = 0
    seconds: float = 0.0
    error_kinds: dict[str, int] = field(default_factory=dict)

    def error(self, kind: str) -> None:
        self.errors += 1
        self.error_kinds[kind] = self.error_kinds.get(kind, 0) + 1

    def add(self, other: Tally) -> None:
        self.latencies += other.latencies
        self.submit_latencies += other.submit_latencies
        self.requests += other.requests
        self.errors += other.errors
        self.acknowledged += other.acknowledged
        self.seconds += other.seconds
        for kind, count in other.error_kinds.items():
            self.error_kinds[kind] = self.error_kinds.get(kind, 0) + count

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def _timed(tally: Tally, reply, *, submit: bool = False) -> None:
    tally.requests += 1
    tally.latencies.append(reply.seconds)
    if submit:
        tally.submit_latencies.append(reply.seconds)
    if reply.status >= 500:
        tally.error(f"{reply.status}")
    elif reply.status >= 400:
        tally.error(f"{reply.status}")


def run_clients(clients: int, seconds: float, work) -> Tally:
    """Run work(client_number, tally, deadline) in `clients` threads for at most `seconds`."""
    tallies = [Tally() for _ in range(clients)]
    deadline = time.monotonic() + seconds
    started = time.perf_counter()
    threads = [
        threading.Thread(target=_guard, args=(work, n, tallies[n], deadline), daemon=True)
        for n in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 60)
    total = Tally()
    for tally in tallies:
        total.add(tally)
    total.seconds = time.perf_counter() - started
    return total


def _guard(work, n: int, tally: Tally, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            if work(n, tally, deadline) is False:
                return
        except OSError as error:
            tally.error(type(error).__name__)
            time.sleep(0.05)


# --- the three kinds of load -------------------------------------------------------------


def bare_work(port: int):
    def work(n: int, tally: Tally, deadline: float):
        client = Client(port)
        page = client.get("/form")
        token = page.body.split('name="token" value="', 1)[1].split('"', 1)[0]
        while time.monotonic() < deadline:
            reply = client.post("/submit", {"token": f"{token}-{tally.requests}", "answer": "x"})
            _timed(tally, reply, submit=True)
            if reply.status == 303:
                tally.acknowledged += 1
        return False

    return work


def engage_submit_work(port: int, slug: str, tokens: list[list[str]]):
    def work(n: int, tally: Tally, deadline: float):
        client = Client(port)
        csrf = csrf_token(client.get(f"/surveys/{slug}").body)
        mine = tokens[n]
        while mine and time.monotonic() < deadline:
            token = mine.pop()
            reply = client.post(
                f"/surveys/{slug}/submit", {"csrf_token": csrf, "submission_token": token}
            )
            _timed(tally, reply, submit=True)
            if reply.status == 303 and reply.location.endswith("/confirmation"):
                tally.acknowledged += 1
            elif reply.status < 400:
                tally.error(f"submit {reply.status} to {reply.location}")
        return False

    return work


def journey(client: Client, slug: str, tally: Tally, rng: random.Random, deadline: float) -> None:
    """One respondent from the start page to the confirmation, as a browser would go; one cut
    off by the deadline stays a draft, which counts neither as submitted nor as lost."""
    start = client.get(f"/surveys/{slug}")
    _timed(tally, start)
    csrf = csrf_token(start.body)
    reply = client.post(f"/surveys/{slug}/start", {"csrf_token": csrf})
    _timed(tally, reply)
    path = reply.location
    for _ in range(30):
        if reply.status != 303 or "/questions/" not in path:
            break
        if time.monotonic() > deadline:
            return
        page = client.get(path)
        _timed(tally, page)
        csrf = csrf_token(page.body) or csrf
        key = path.rsplit("/", 1)[1]
        form: dict = {"csrf_token": csrf, "action": "continue"}
        if key in ANSWERS:
            form[f"answer-{key}"] = rng.choice(ANSWERS[key])
        else:
            form["action"] = "skip"
        reply = client.post(path, form)
        _timed(tally, reply)
        path = reply.location
    if not path.endswith("/check"):
        tally.error(f"journey ended at {reply.status} {path}")
        return
    check = client.get(path)
    _timed(tally, check)
    found = SUBMISSION_TOKEN.search(check.body)
    if not found:
        tally.error("no submission token")
        return
    done = client.post(
        f"/surveys/{slug}/submit",
        {"csrf_token": csrf_token(check.body) or csrf, "submission_token": found.group(1)},
    )
    _timed(tally, done, submit=True)
    if done.status == 303 and done.location.endswith("/confirmation"):
        tally.acknowledged += 1
        _timed(tally, client.get(done.location))
    else:
        tally.error(f"submit {done.status}")


def engage_journey_work(port: int, slug: str):
    def work(n: int, tally: Tally, deadline: float):
        rng = random.Random(n)
        while time.monotonic() < deadline:
            journey(Client(port), slug, tally, rng, deadline)
        return False

    return work


def engage_journey_once(port: int, slug: str):
    def work(n: int, tally: Tally, deadline: float):
        journey(Client(port), slug, tally, random.Random(n), deadline)
        return False

    return work


# --- setup and counting ------------------------------------------------------------------


def make_drafts(db: Database, slug: str, count: int, clients: int) -> list[list[str]]:
    from sqlalchemy import select

    from engage.ask.models import Survey
    from engage.extensions import db as sqla
    from engage.listen.models import Response, ResponseStatus
    from engage.synthetic import generate

    app = app_for(db)
    with app.app_context():
        generate(count, slugs=[slug], status=ResponseStatus.DRAFT, seed=1)
        survey_id = sqla.session.scalar(select(Survey.id).where(Survey.slug == slug))
        tokens = sqla.session.scalars(
            select(Response.submission_token).where(
                Response.survey_id == survey_id, Response.status == ResponseStatus.DRAFT
            )
        ).all()
        sqla.session.remove()
        sqla.engine.dispose()
    return [list(tokens[n::clients]) for n in range(clients)]


def count_submitted(db: Database, slug: str) -> int:
    from sqlalchemy import func, select

    from engage.ask.models import Survey
    from engage.extensions import db as sqla
    from engage.listen.models import Response, ResponseStatus

    app = app_for(db)
    with app.app_context():
        count = sqla.session.scalar(
            select(func.count())
            .select_from(Response)
            .join(Survey)
            .where(Survey.slug == slug, Response.status == ResponseStatus.SUBMITTED)
        )
        sqla.session.remove()
        sqla.engine.dispose()
    return count


def count_bare(path: Path) -> int:
    import sqlite3

    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT count(*) FROM submission").fetchone()[0]


def engage_floor_work(port: int):
    """Engage's cheapest POST: the display preferences form (CSRF, session, flash message and
    redirect; no database). No submit can cost less than the stack every request goes through."""

    def work(n: int, tally: Tally, deadline: float):
        client = Client(port)
        csrf = csrf_token(client.get("/preferences").body)
        # Each POST adds a message to the session; not following the redirect, the cookie
        # would grow with every request: each starts from the session as first fetched.
        cookies = dict(client.cookies)
        while time.monotonic() < deadline:
            client.cookies = dict(cookies)
            reply = client.post("/preferences", {"csrf_token": csrf, "preferences": "larger_text"})
            _timed(tally, reply, submit=True)
            if reply.status == 303:
                tally.acknowledged += 1
            elif reply.status < 400:
                tally.error(f"preferences {reply.status}")
        return False

    return work


def line(name: str, tally: Tally, per_submit: bool = True) -> str:
    values = tally.submit_latencies if per_submit else tally.latencies
    return (
        f"  {name:<26} {tally.rps:8.1f} req/s  p50 {percentile(values, 50) * 1000:6.1f} ms  "
        f"p95 {percentile(values, 95) * 1000:6.1f} ms  p99 {percentile(values, 99) * 1000:6.1f} ms"
        f"  errors {tally.errors}  ({tally.requests} requests in {tally.seconds:.1f} s)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--round-seconds", type=float, default=12.0)
    parser.add_argument("--rounds", type=int, default=2, help="alternations of bare and Engage")
    parser.add_argument("--journey-seconds", type=float, default=40.0)
    parser.add_argument("--drafts", type=int, default=15000, help="drafts made for submitting")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--database-url",
        help="PostgreSQL server URL (a throwaway database "
        "is created on it and dropped); default: a fresh SQLite file",
    )
    args = parser.parse_args(argv)
    slug = STANDARD

    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory(prefix="engage-bench-") as tmp_name:
        tmp = Path(tmp_name)
        with fresh_database(tmp, args.database_url) as db:
            engine = "postgresql" if db.drop else "sqlite"
            print(
                f"database: {engine}; gunicorn {args.workers} sync workers; "
                f"{args.clients} clients on 127.0.0.1"
            )
            tokens = make_drafts(db, slug, args.drafts + args.clients, args.clients)
            warm_tokens = [[mine.pop()] for mine in tokens]
            bare_db = tmp / "bare.db"
            from bench.bare_app import create_schema

            create_schema(str(bare_db))
            bare_env = server_env("sqlite://") | {"BARE_DB": str(bare_db)}
            log = tmp / "servers.log"
            engage = gunicorn(
                "engage", "engage:create_app()", db.env(), workers=args.workers, log=log
            )
            bare = gunicorn(
                "bare", "bench.bare_app:create_app()", bare_env, workers=args.workers, log=log
            )
            try:
                # Warm-up, not counted in the rates: each worker's first submit imports what
                # the submit hooks load lazily (seconds, while holding the write lock).
                warm = run_clients(
                    args.clients, 60, engage_submit_work(engage.port, slug, warm_tokens)
                )
                warm.add(run_clients(4, 60, engage_journey_once(engage.port, slug)))
                print(line("warm-up (not counted)", warm, per_submit=False))
                print(f"  slowest warm-up request {max(warm.latencies, default=0):.1f} s")
                bare_total, submit_total, floor_total = Tally(), Tally(), Tally()
                for round_number in range(1, args.rounds + 1):
                    got = run_clients(args.clients, args.round_seconds, bare_work(bare.port))
                    print(line(f"round {round_number} bare insert", got))
                    bare_total.add(got)
                    got = run_clients(
                        args.clients,
                        args.round_seconds,
                        engage_submit_work(engage.port, slug, tokens),
                    )
                    print(line(f"round {round_number} Engage submit", got))
                    submit_total.add(got)
                    got = run_clients(
                        args.clients, args.round_seconds / 2, engage_floor_work(engage.port)
                    )
                    print(line(f"round {round_number} Engage floor", got))
                    floor_total.add(got)
                    if not any(tokens):
                        print("  (all prepared drafts were submitted: raise --drafts)")
                journey_total = run_clients(
                    args.clients, args.journey_seconds, engage_journey_work(engage.port, slug)
                )
            finally:
                engage.stop()
                bare.stop()
            submitted = count_submitted(db, slug)
            rows = count_bare(bare_db)
            if (tmp / "servers.log").stat().st_size:
                print("server log (last lines):")
                print("".join((tmp / "servers.log").read_text().splitlines(True)[-10:]))

    engage_rps, bare_rps = submit_total.rps, bare_total.rps
    ratio = engage_rps / bare_rps if bare_rps else 0.0
    acknowledged = submit_total.acknowledged + journey_total.acknowledged + warm.acknowledged
    lost = max(0, acknowledged - submitted)
    # Saved although the client was shown an error or gave up: not lost, but a respondent who
    # would have been told to try again (the repeat finds the same response).
    unacknowledged = max(0, submitted - acknowledged)
    lost_bare = bare_total.acknowledged - rows
    errors = (
        submit_total.errors
        + journey_total.errors
        + bare_total.errors
        + warm.errors
        + floor_total.errors
    )
    p95_ms = percentile(submit_total.submit_latencies, 95) * 1000
    journeys_per_s = journey_total.acknowledged / journey_total.seconds

    print("\nsubmit phase (one POST that commits one response / one row):")
    print(line("bare insert", bare_total))
    print(line("Engage submit", submit_total))
    floor_ratio = floor_total.rps / bare_rps if bare_rps else 0.0
    print(line("Engage floor (no database)", floor_total))
    print(
        f"  the floor is {floor_ratio:.2f} of the bare endpoint: the most any Engage POST "
        f"reaches here; the submit is {engage_rps / floor_total.rps if floor_total.rps else 0:.2f} "
        "of the floor"
    )
    print("journey phase (every request of a respondent, start page to confirmation):")
    print(line("Engage journey, all requests", journey_total, per_submit=False))
    print(
        f"  {'':<26} {journeys_per_s:8.1f} complete submissions/s "
        f"({journey_total.acknowledged} in {journey_total.seconds:.1f} s, "
        f"{journey_total.requests / max(1, journey_total.acknowledged):.1f} requests each)"
    )
    for name, tally in (("bare", bare_total), ("submit", submit_total), ("journey", journey_total)):
        if tally.error_kinds:
            print(f"  {name} errors: {tally.error_kinds}")
    print(
        f"acknowledged Engage submits {acknowledged}, submitted responses in the database "
        f"{submitted}, lost {lost}, saved but not acknowledged {unacknowledged}; "
        f"bare acknowledged {bare_total.acknowledged}, rows {rows}, lost {lost_bare}"
    )
    print(
        f"goals: ratio >= 0.50: {'met' if ratio >= 0.5 else 'MISSED'}; "
        f"p95 < 100 ms: {'met' if p95_ms < 100 else 'MISSED'}; "
        f"0 errors: {'met' if errors == 0 else 'MISSED'}"
    )
    print(
        f"engage_rps={engage_rps:.1f} bare_rps={bare_rps:.1f} ratio={ratio:.2f} "
        f"p95_ms={p95_ms:.1f} errors={errors} lost={lost + lost_bare} "
        f"journey_rps={journey_total.rps:.1f} journeys_per_s={journeys_per_s:.2f} "
        f"journey_p95_ms={percentile(journey_total.latencies, 95) * 1000:.1f} "
        f"floor_rps={floor_total.rps:.1f} floor_ratio={floor_ratio:.2f} "
        f"floor_p95_ms={percentile(floor_total.submit_latencies, 95) * 1000:.1f} engine={engine}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
