"""The baseline of bench/submit_path.py: a bare Flask app that parses the same form and
inserts one row (SQLite, WAL), and serves a page of the same size without a database.

``BARE_SYNCHRONOUS`` is NORMAL by default, as consult's own connections (the same
durability); FULL, SQLite's default, flushes the log to the disk on every commit."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

from flask import Flask, g, request

DATABASE = Path(os.environ["BARE_DATABASE"])
PAGE = Path(os.environ["BARE_PAGE"]).read_text(encoding="utf-8")
SYNCHRONOUS = {"NORMAL": "NORMAL", "FULL": "FULL"}[os.environ.get("BARE_SYNCHRONOUS", "NORMAL")]

app = Flask(__name__)


def connection() -> sqlite3.Connection:
    if "db" not in g:
        g.db = sqlite3.connect(DATABASE, timeout=5)
        g.db.execute("PRAGMA journal_mode = WAL")
        g.db.execute(f"PRAGMA synchronous = {SYNCHRONOUS}")
    return g.db


@app.teardown_appcontext
def close(_error: object) -> None:
    db = g.pop("db", None)
    if db is not None:
        db.close()


@app.post("/r/<token>/p/<section>")
def save(token: str, section: str) -> tuple[str, int, dict[str, str]]:
    answers = json.dumps(request.form.to_dict(flat=False))
    with connection() as db:
        db.execute(
            "INSERT INTO answers (token, section, body) VALUES (?, ?, ?)", (token, section, answers)
        )
    return "", 302, {"Location": f"/r/{token}/p/next"}


@app.get("/r/<token>/p/<section>")
def page(token: str, section: str) -> str:
    return PAGE
