"""The yardstick for bench/submit.py: the least a Flask endpoint can do to keep a submission.

One row per POST into SQLite, with the same durability settings as Engage (WAL,
synchronous=NORMAL, BEGIN IMMEDIATE so writers queue on the lock rather than fail). No
templates, sessions, CSRF or ORM: what is left is Flask, gunicorn and one SQLite commit.
Run: BARE_DB=/tmp/bare.db gunicorn -w 2 'bench.bare_app:create_app()'
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import threading

from flask import Flask, redirect, request

SCHEMA = """
CREATE TABLE IF NOT EXISTS submission (
    id INTEGER PRIMARY KEY,
    token TEXT NOT NULL UNIQUE,
    answers TEXT NOT NULL,
    submitted_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
)
"""

FORM = """<!DOCTYPE html><html lang="en"><head><title>Form</title></head><body>
<form method="post" action="/submit"><input type="hidden" name="token" value="{token}">
<textarea name="answer"></textarea><button>Send</button></form></body></html>"""


def connect(path: str) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=5, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA busy_timeout=5000")
    return conn


def create_schema(path: str) -> None:
    conn = connect(path)
    conn.execute(SCHEMA)
    conn.close()


def create_app() -> Flask:
    path = os.environ["BARE_DB"]
    app = Flask(__name__)
    local = threading.local()

    def conn() -> sqlite3.Connection:
        if getattr(local, "conn", None) is None:
            local.conn = connect(path)
        return local.conn

    @app.get("/")
    @app.get("/form")
    def form():
        return FORM.format(token=secrets.token_urlsafe(24))

    @app.post("/submit")
    def submit():
        token = request.form.get("token", "")
        answers = "&".join(f"{k}={v}" for k, v in request.form.items(multi=True) if k != "token")
        db = conn()
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute("INSERT INTO submission (token, answers) VALUES (?, ?)", (token, answers))
        except sqlite3.IntegrityError:
            db.execute("ROLLBACK")
            return "already", 409
        db.execute("COMMIT")
        return redirect("/done", 303)

    @app.get("/done")
    def done():
        return "<!DOCTYPE html><title>Done</title><p>Thank you"

    return app
