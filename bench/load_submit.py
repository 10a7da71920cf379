"""load_submit_smoke (SECURITY.md): locust, 50 users for 2 minutes on loopback against Engage
under gunicorn on a fresh SQLite database; 0 lost, 0 5xx, p95 < 1 s.

    .venv/bin/python -m bench.load_submit [--users 50] [--run-time 2m] [--database-url URL]

Each locust user is a respondent going from the start page to the confirmation of the
standard demo survey, pausing 1 to 3 s on each page as a person reading it would
(--wait "0,0" for no pauses). The same file is the locustfile: locust imports it and finds
Respondent; run as a script it sets up the servers, runs locust headless and checks the goals.
The last line is key=value pairs.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path

try:
    from locust import HttpUser, between, events, task
except ImportError:  # only the locustfile part needs locust
    HttpUser = object

ANSWERS = {
    "respondent_group": ["parent_carer", "professional", "other"],
    "used_local_offer": ["yes", "no", "not_sure"],
    "found_information": ["agree", "disagree", "neither"],
    "looked_for": [["therapies"], ["short_breaks", "ehc_plans"]],
    "sen_support": ["very_well", "quite_well", "not_very_well"],
    "listened_to": ["agree", "disagree", "strongly_disagree"],
    "one_change": ["One named person to contact.", "Shorter waits for therapy."],
}
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
TOKEN = re.compile(r'name="submission_token"[^>]*value="([^"]+)"')
SLUG = "local-offer-and-sen-support"
COUNTS = {"acknowledged": 0, "journeys_failed": 0}


def _csrf(text: str) -> str:
    found = CSRF.search(text)
    return found.group(1) if found else ""


if HttpUser is not object:
    low, high = (float(x) for x in os.environ.get("LOAD_SUBMIT_WAIT", "1,3").split(","))

    class Respondent(HttpUser):
        wait_time = between(low, high)

        @task
        def answer_the_survey(self) -> None:
            self.client.cookies.clear()
            rng = random.Random()
            page = self.client.get(f"/surveys/{SLUG}", name="start page")
            reply = self.client.post(
                f"/surveys/{SLUG}/start",
                {"csrf_token": _csrf(page.text)},
                allow_redirects=False,
                name="start",
            )
            location = reply.headers.get("Location", "")
            for _ in range(30):
                if reply.status_code != 303 or "/questions/" not in location:
                    break
                self._pause()
                page = self.client.get(location, name="question page")
                key = location.rsplit("/", 1)[1]
                form = {"csrf_token": _csrf(page.text), "action": "continue"}
                if key in ANSWERS:
                    form[f"answer-{key}"] = rng.choice(ANSWERS[key])
                else:
                    form["action"] = "skip"
                reply = self.client.post(
                    location, form, allow_redirects=False, name="question answer"
                )
                location = reply.headers.get("Location", "")
            if not location.endswith("/check"):
                COUNTS["journeys_failed"] += 1
                return
            check = self.client.get(location, name="check answers")
            token = TOKEN.search(check.text)
            if not token:
                COUNTS["journeys_failed"] += 1
                return
            self._pause()
            done = self.client.post(
                f"/surveys/{SLUG}/submit",
                {"csrf_token": _csrf(check.text), "submission_token": token.group(1)},
                allow_redirects=False,
                name="submit",
            )
            if done.status_code == 303 and done.headers.get("Location", "").endswith(
                "/confirmation"
            ):
                COUNTS["acknowledged"] += 1
                self.client.get(done.headers["Location"], name="confirmation")
            else:
                COUNTS["journeys_failed"] += 1

        def _pause(self) -> None:
            self._sleep(self.wait_time())

        def _sleep(self, seconds: float) -> None:
            import gevent

            gevent.sleep(seconds)

    @events.test_stop.add_listener
    def _write_counts(environment, **_kwargs) -> None:
        path = os.environ.get("LOAD_SUBMIT_COUNTS")
        if path:
            Path(path).write_text(json.dumps(COUNTS))


def main(argv: list[str] | None = None) -> int:
    from bench.common import BIN, REPO, fresh_database, gunicorn, machine
    from bench.submit import count_submitted

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--run-time", default="2m", help="locust duration, e.g. 2m or 30s")
    parser.add_argument("--wait", default="1,3", help="seconds between pages: low,high")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url")
    args = parser.parse_args(argv)

    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory(prefix="engage-load-") as tmp_name:
        tmp = Path(tmp_name)
        with fresh_database(tmp, args.database_url) as db:
            server = gunicorn(
                "engage",
                "engage:create_app()",
                db.env(),
                workers=args.workers,
                log=tmp / "server.log",
            )
            counts_path = tmp / "counts.json"
            env = dict(os.environ, LOAD_SUBMIT_WAIT=args.wait, LOAD_SUBMIT_COUNTS=str(counts_path))
            try:
                subprocess.run(
                    [
                        str(BIN / "locust"), "-f", str(Path(__file__).resolve()),
                        "--headless", "--users", str(args.users),
                        "--spawn-rate", str(args.spawn_rate), "--run-time", args.run_time,
                        "--host", f"http://127.0.0.1:{server.port}",
                        "--csv", str(tmp / "load"), "--only-summary", "--stop-timeout", "30",
                        "--loglevel", "WARNING",
                    ],
                    cwd=REPO, env=env, check=False, timeout=600,
                )  # fmt: skip
            finally:
                server.stop()
            submitted = count_submitted(db, SLUG)
            counts = json.loads(counts_path.read_text()) if counts_path.exists() else {}
            rows = list(csv.DictReader((tmp / "load_stats.csv").open()))
            failures = list(csv.DictReader((tmp / "load_failures.csv").open()))
            log = (tmp / "server.log").read_text()
    total = next(row for row in rows if row["Name"] == "Aggregated")
    submit = next((row for row in rows if row["Name"] == "submit"), total)
    five_xx = sum(
        int(row["Occurrences"]) for row in failures if re.search(r"\b5\d\d\b", row["Error"])
    )
    acknowledged = counts.get("acknowledged", 0)
    lost = max(0, acknowledged - submitted)
    # Saved but not seen by the user: shown an error after the commit, or stopped by locust at
    # the end of the run while waiting for the reply. Not lost; reported apart.
    unacknowledged = max(0, submitted - acknowledged)
    p95 = float(total["95%"])
    print("\nper request name:")
    for row in rows:
        print(
            f"  {row['Name']:<16} {row['Request Count']:>6} requests  "
            f"{row['Failure Count']:>4} failures  p50 {row['50%']:>5} ms  "
            f"p95 {row['95%']:>5} ms  p99 {row['99%']:>5} ms  {float(row['Requests/s']):.1f}/s"
        )
    for row in failures:
        print(f"  failure: {row['Method']} {row['Name']}: {row['Error']} x{row['Occurrences']}")
    if "Traceback" in log:
        print("server log has tracebacks:\n" + log[-3000:])
    print(
        f"acknowledged submits {acknowledged}, submitted responses in the database "
        f"{submitted}, lost {lost}, saved but not acknowledged {unacknowledged}; "
        f"journeys that failed {counts.get('journeys_failed', 0)}"
    )
    ok = lost == 0 and five_xx == 0 and p95 < 1000
    print(f"load_submit_smoke: {'PASS' if ok else 'FAIL'} (0 lost, 0 5xx, p95 < 1000 ms)")
    print(
        f"requests={total['Request Count']} failures={total['Failure Count']} "
        f"five_xx={five_xx} rps={float(total['Requests/s']):.1f} p95_ms={p95:.0f} "
        f"submit_p95_ms={float(submit['95%']):.0f} submits={acknowledged} lost={lost}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
