"""What the benchmarks share: a fresh database, gunicorn servers on loopback, a small HTTP
client with a cookie jar, and percentiles. Loopback only: nothing here talks to another host."""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
STANDARD = "local-offer-and-sen-support"
EASY = "talking-help-at-school"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
SUBMISSION_TOKEN = re.compile(r'name="submission_token"[^>]*value="([^"]+)"')


def threading_main() -> bool:
    return threading.current_thread() is threading.main_thread()


def _exit_on_sigterm(_signum, _frame) -> None:
    # `timeout` and `kill` send SIGTERM: exit through the finally blocks, which stop servers
    # and drop throwaway databases, instead of leaving them behind.
    raise SystemExit(143)


if threading_main():
    signal.signal(signal.SIGTERM, _exit_on_sigterm)


def machine() -> str:
    model = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    load = os.getloadavg()[0]
    return f"{os.cpu_count()} cores, {model}, Python {sys.version.split()[0]}, load {load:.2f}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


# --- databases -----------------------------------------------------------------------------


@dataclass
class Database:
    url: str
    drop: str | None = None  # a throwaway PostgreSQL database to drop afterwards
    admin_url: str | None = None

    def env(self) -> dict[str, str]:
        return server_env(self.url)


def server_env(url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        SECRET_KEY=secrets.token_hex(32),
        ENGAGE_ENV="development",
        # One client address (127.0.0.1) sends everything: per-IP limits would measure the
        # limiter, not the code. Production keeps limits on (engage.config refuses otherwise).
        ENGAGE_RATE_LIMITS="0",
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH", "")])),
    )
    return env


def engage_cli(db: Database, *args: str, quiet: bool = True) -> str:
    result = subprocess.run(
        [str(BIN / "engage"), *args],
        cwd=REPO,
        env=db.env(),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"engage {' '.join(args)} failed")
    return result.stdout


@contextlib.contextmanager
def fresh_database(tmp: Path, url: str | None = None, demo: bool = True) -> Iterator[Database]:
    """A new SQLite file in tmp, or a throwaway database on the PostgreSQL server of url."""
    if url and url.startswith(("postgresql", "postgres")):
        import psycopg

        name = f"engage_bench_{secrets.token_hex(4)}"
        admin = re.sub(r"^postgres(ql)?(\+psycopg)?://", "postgresql://", url)
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        parts = urlsplit(admin)
        db = Database(urlunsplit(parts._replace(path="/" + name)), drop=name, admin_url=admin)
    else:
        db = Database("sqlite:///" + str(tmp / "engage.db"))
    try:
        engage_cli(db, "db", "upgrade")
        if demo:
            engage_cli(db, "demo", "--empty")
        yield db
    finally:
        if db.drop:
            import psycopg

            with psycopg.connect(db.admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{db.drop}" WITH (FORCE)')


def app_for(db: Database):
    """The Engage app in this process, on the benchmark database (for setup and counting)."""
    os.environ.update({k: v for k, v in db.env().items() if k != "PYTHONPATH"})
    from engage import create_app

    return create_app()


# --- servers -------------------------------------------------------------------------------


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen

    @property
    def pid(self) -> int:
        return self.process.pid

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.pid}/task/{self.pid}/children")
        with contextlib.suppress(OSError):
            return [int(p) for p in children.read_text().split()]
        return []

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def gunicorn(
    name: str, app: str, env: dict[str, str], *, workers: int = 2, log: Path, timeout: int = 60
) -> Server:
    """gunicorn with sync workers, the deployment default, on a free loopback port."""
    port = free_port()
    command = [
        str(BIN / "gunicorn"),
        "--workers", str(workers),
        "--worker-class", "sync",
        "--bind", f"{HOST}:{port}",
        "--backlog", "2048",
        "--timeout", str(timeout),
        "--log-level", "warning",
        app,
    ]  # fmt: skip
    process = subprocess.Popen(
        command,
        cwd=REPO,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )
    server = Server(name, port, process)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{name} server exited; see {log}")
        with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=1):
            if len(server.worker_pids()) >= workers:
                # Warm each worker (imports, templates) before timing.
                for _ in range(workers * 4):
                    with contextlib.suppress(OSError):
                        Client(port).get("/")
                return server
        time.sleep(0.2)
    server.stop()
    raise SystemExit(f"{name} server did not start within 60 s; see {log}")


def peak_rss_kb(pid: int) -> int:
    """Peak resident memory of a process (VmHWM), in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


# --- client --------------------------------------------------------------------------------


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: str
    seconds: float

    @property
    def location(self) -> str:
        return urlsplit(self.headers.get("location", "")).path


@dataclass
class Client:
    """One visitor: a cookie jar and plain http.client requests, one connection each, as
    gunicorn's sync workers close the connection after every response."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    timeout: float = 30.0

    def request(self, method: str, path: str, form: dict | list | None = None) -> Reply:
        headers = {"Host": f"{HOST}:{self.port}", "Connection": "close"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        conn = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            seconds = time.perf_counter() - started
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    pair = value.split(";", 1)[0]
                    key, _, val = pair.partition("=")
                    self.cookies[key.strip()] = val.strip()
            reply_headers = {k.lower(): v for k, v in response.getheaders()}
            return Reply(response.status, reply_headers, data.decode("utf-8", "replace"), seconds)
        finally:
            conn.close()

    def get(self, path: str) -> Reply:
        return self.request("GET", path)

    def post(self, path: str, form: dict | list) -> Reply:
        return self.request("POST", path, form)


def csrf_token(page: str) -> str:
    found = CSRF.search(page)
    return found.group(1) if found else ""


# --- staff pages in one process ------------------------------------------------------------


@dataclass
class Populated:
    made: float  # seconds to make the responses
    analysed: float | None  # seconds to analyse their free text, None if not analysed
    answers_analysed: int = 0


def populate(db: Database, responses: int, *, analyse: bool = True) -> Populated:
    """Demo data plus `responses` synthetic submitted responses, then their free text analysed
    (sentiment, codings, safeguarding screen) as every answer is at submit in production: the
    synthetic bulk inserts skip analysis, and results pages on empty sentiment and coding
    tables would be measured on less work than real use."""
    started = time.perf_counter()
    engage_cli(db, "demo", "--empty", "--responses", str(responses), "--seed", "1")
    made = time.perf_counter() - started
    if not analyse:
        return Populated(made, None)
    started = time.perf_counter()
    # Without --all: every answer not yet analysed, which after bulk inserts is all of them.
    output = engage_cli(db, "analyse")
    found = re.search(r"Analysed (\d+)", output)
    return Populated(made, time.perf_counter() - started, int(found.group(1)) if found else 0)


def describe(populated: Populated) -> str:
    """How the data were made, for the benchmark's output."""
    text = f"made in {populated.made:.1f} s"
    if populated.analysed is None:
        return text + ", free text not analysed (--no-analyse)"
    return (
        f"{text}, {populated.answers_analysed:,} free-text answers analysed "
        f"in {populated.analysed:.1f} s"
    )


def signed_in_client(app):
    """A test client signed in as a new admin through the real sign-in form (CSRF off)."""
    from engage.accounts.auth import create_user
    from engage.accounts.models import Role
    from engage.extensions import db as sqla

    app.config.update(WTF_CSRF_ENABLED=False, RATE_LIMITS_ON=False)
    email = f"bench-{secrets.token_hex(4)}@engage.example"
    password = secrets.token_urlsafe(18)
    with app.app_context():
        create_user(email, "Benchmark", password, Role.ADMIN)
        sqla.session.commit()
    client = app.test_client()
    reply = client.post("/staff/sign-in", data={"email": email, "password": password})
    if reply.status_code != 303:
        raise SystemExit(f"could not sign in for the benchmark: {reply.status_code}")
    return client


def route_arguments(app) -> dict[str, list]:
    """Values for route arguments: every survey, engagement and service id."""
    from sqlalchemy import select

    from engage.ask.models import Survey
    from engage.extensions import db as sqla
    from engage.inform.models import Engagement, Service

    with app.app_context():
        values = {
            "survey_id": list(sqla.session.scalars(select(Survey.id).order_by(Survey.id))),
            "engagement_id": list(
                sqla.session.scalars(select(Engagement.id).order_by(Engagement.id))
            ),
            "service_id": list(sqla.session.scalars(select(Service.id).order_by(Service.id)))[:1],
            "engagement_slug": list(
                sqla.session.scalars(select(Engagement.slug).order_by(Engagement.id))
            ),
        }
        sqla.session.remove()
    return values
