"""Where the time of a survey submit goes: pyinstrument over the submit POST and the whole
respondent journey, in one process with the WSGI test client (no network, no gunicorn).

    .venv/bin/python -m bench.profile_submit [--submits 300] [--journeys 50] [--html out.html]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

from bench.common import STANDARD, SUBMISSION_TOKEN, app_for, csrf_token, fresh_database
from bench.submit import ANSWERS


def main(argv: list[str] | None = None) -> int:
    from pyinstrument import Profiler

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--submits", type=int, default=300)
    parser.add_argument("--journeys", type=int, default=50)
    parser.add_argument("--database-url")
    parser.add_argument("--html", help="also write the submit profile as HTML here")
    parser.add_argument(
        "--split", type=int, default=400, help="requests of each kind for the CPU split"
    )
    args = parser.parse_args(argv)
    slug = STANDARD
    with (
        tempfile.TemporaryDirectory(prefix="engage-profile-") as tmp,
        fresh_database(Path(tmp), args.database_url) as db,
    ):
        from sqlalchemy import select

        from engage.extensions import db as sqla
        from engage.listen.models import Response, ResponseStatus
        from engage.synthetic import generate

        app = app_for(db)
        with app.app_context():
            generate(
                args.submits + args.split + 1, slugs=[slug], status=ResponseStatus.DRAFT, seed=1
            )
            tokens = sqla.session.scalars(select(Response.submission_token)).all()
            sqla.session.remove()
        client = app.test_client()
        csrf = csrf_token(client.get(f"/surveys/{slug}").get_data(as_text=True))
        statements = _count_statements(app)

        # The first submit in a process pays for whatever the submit hooks import lazily.
        started, cpu = time.perf_counter(), time.process_time()
        first = client.post(
            f"/surveys/{slug}/submit", data={"csrf_token": csrf, "submission_token": tokens[0]}
        )
        assert first.status_code == 303, first.status_code
        print(
            f"first submit in a fresh process: {time.perf_counter() - started:.2f} s "
            f"({time.process_time() - cpu:.2f} s CPU)"
        )
        tokens = tokens[1:]
        split_tokens, tokens = tokens[: args.split], tokens[args.split :]
        _cpu_split(app, client, slug, csrf, split_tokens, args.split, statements)
        statements[0] = 0
        profiler = Profiler(interval=0.0005)
        started, cpu = time.perf_counter(), time.process_time()
        profiler.start()
        for token in tokens:
            reply = client.post(
                f"/surveys/{slug}/submit", data={"csrf_token": csrf, "submission_token": token}
            )
            assert reply.status_code == 303, reply.status_code
        profiler.stop()
        per_submit = (time.perf_counter() - started) / len(tokens) * 1000
        cpu_each = (time.process_time() - cpu) / len(tokens) * 1000
        print(
            f"submit POST: {per_submit:.1f} ms each ({cpu_each:.1f} ms CPU, the figure that "
            f"holds on a busy machine) in one process ({len(tokens)} submits), "
            f"{statements[0] / len(tokens):.1f} SQL statements each"
        )
        print(profiler.output_text(unicode=False, color=False, show_all=False))
        if args.html:
            Path(args.html).write_text(profiler.output_html())

        rng = random.Random(1)
        profiler = Profiler(interval=0.0005)
        counts = {"GET": [0, 0.0], "POST": [0, 0.0]}
        statements[0] = 0
        profiler.start()
        for _ in range(args.journeys):
            _journey(app.test_client(), slug, rng, counts)
        profiler.stop()
        for method, (n, seconds) in counts.items():
            print(f"journey {method}: {n} requests, {seconds / max(n, 1) * 1000:.1f} ms CPU each")
        requests = sum(n for n, _ in counts.values())
        print(f"journey: {statements[0] / max(requests, 1):.1f} SQL statements a request")
        print(profiler.output_text(unicode=False, color=False, show_all=False))
    return 0


def _cpu_per_request(send, count: int, batch: int = 10) -> float:
    """CPU ms per request: the 10th percentile of batches, as other work on a shared machine
    only ever adds to it (through caches and hyperthreads, even to CPU time)."""
    batches = []
    for _ in range(max(1, count // batch)):
        started = time.process_time()
        for _ in range(batch):
            send()
        batches.append((time.process_time() - started) / batch * 1000)
    batches.sort()
    return batches[len(batches) // 10]


def _calls_per_request(send, count: int = 10) -> int:
    """Python function calls per request (cProfile): unlike CPU time, the same on a busy
    machine, so two versions of the code compare exactly."""
    import cProfile
    import pstats

    profile = cProfile.Profile()
    profile.enable()
    for _ in range(count):
        send()
    profile.disable()
    return round(pstats.Stats(profile).total_calls / count)


def _cpu_split(app, client, slug: str, csrf: str, tokens: list[str], count: int, statements):
    """CPU per request of the start page, the submit with and without the submit hooks, a
    404 page, and the bare insert endpoint of bench/bare_app.py, all in this process."""
    import os

    from bench.bare_app import create_app as bare_app
    from bench.bare_app import create_schema

    pending = list(tokens)

    def submit() -> None:
        reply = client.post(
            f"/surveys/{slug}/submit", data={"csrf_token": csrf, "submission_token": pending.pop()}
        )
        assert reply.status_code == 303, reply.status_code

    def counted(send) -> int:
        statements[0] = 0
        send()
        return statements[0]

    start = lambda: client.get(f"/surveys/{slug}")  # noqa: E731
    start_sql, submit_sql = counted(start), counted(submit)
    calls = {"start page GET": _calls_per_request(start), "submit POST": _calls_per_request(submit)}
    figures = {
        f"start page GET ({start_sql} SQL)": _cpu_per_request(start, count),
        f"submit POST ({submit_sql} SQL)": _cpu_per_request(submit, len(pending) // 2),
    }
    hooks = app.extensions.get("engage_submit_hooks", [])
    app.extensions["engage_submit_hooks"] = []
    try:
        figures["submit POST without the submit hooks"] = _cpu_per_request(submit, len(pending))
    finally:
        app.extensions["engage_submit_hooks"] = hooks
    figures["404 page"] = _cpu_per_request(lambda: client.get("/no-such-page"), count)
    with tempfile.TemporaryDirectory(prefix="engage-bare-") as tmp:
        os.environ["BARE_DB"] = str(Path(tmp) / "bare.db")
        create_schema(os.environ["BARE_DB"])
        bare = bare_app().test_client()
        sent = [0]

        def bare_post() -> None:
            sent[0] += 1
            bare.post("/submit", data={"token": f"t{sent[0]}", "answer": "x"})

        figures["bare insert POST (bench/bare_app.py)"] = _cpu_per_request(bare_post, count)
        calls["bare insert POST"] = _calls_per_request(bare_post)
    calls["404 page"] = _calls_per_request(lambda: client.get("/no-such-page"))
    print(f"CPU per request (load {os.getloadavg()[0]:.2f}):")
    for name, ms in figures.items():
        print(f"  {name:<42} {ms:6.2f} ms")
    print("Python function calls per request (the same under any load):")
    for name, number in calls.items():
        print(f"  {name:<42} {number:6,}")


def _count_statements(app) -> list[int]:
    from sqlalchemy import event

    from engage.extensions import db as sqla

    count = [0]
    with app.app_context():
        engine = sqla.engine

    @event.listens_for(engine, "before_cursor_execute")
    def _counted(*_args, **_kwargs) -> None:
        count[0] += 1

    return count


def _journey(client, slug: str, rng: random.Random, counts: dict) -> None:
    def timed(method: str, path: str, data=None):
        started = time.process_time()
        reply = client.open(path, method=method, data=data)
        counts[method][0] += 1
        counts[method][1] += time.process_time() - started
        return reply

    csrf = csrf_token(timed("GET", f"/surveys/{slug}").get_data(as_text=True))
    reply = timed("POST", f"/surveys/{slug}/start", {"csrf_token": csrf})
    while "/questions/" in reply.headers.get("Location", ""):
        path = reply.headers["Location"]
        page = timed("GET", path).get_data(as_text=True)
        key = path.rsplit("/", 1)[1]
        form = {"csrf_token": csrf_token(page) or csrf, "action": "continue"}
        if key in ANSWERS:
            form[f"answer-{key}"] = rng.choice(ANSWERS[key])
        reply = timed("POST", path, form)
    check = timed("GET", f"/surveys/{slug}/check").get_data(as_text=True)
    token = SUBMISSION_TOKEN.search(check).group(1)
    timed("POST", f"/surveys/{slug}/submit", {"csrf_token": csrf, "submission_token": token})


if __name__ == "__main__":
    sys.exit(main())
