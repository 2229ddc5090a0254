"""Backing up and restoring the embedded SQLite database with SQLite's online backup (a
consistent copy while the app runs); PostgreSQL is backed up with pg_dump (docs/operations.md).
A checksum of every response tells whether a restored database holds the same answers."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import sqlalchemy as sa

from consult.extensions import db
from consult.models import Answer, Response


class BackupError(RuntimeError):
    """The backup or restore cannot be made; the message says why."""


def _sqlite_path() -> Path:
    url = db.engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise BackupError(
            "consult backup and restore copy the SQLite database file; for PostgreSQL use "
            "pg_dump and pg_restore (see docs/operations.md)."
        )
    return Path(url.database)


def backup(target: Path) -> Path:
    """A consistent copy of the database at ``target`` (made while the app may be writing)."""
    source = _sqlite_path()
    target = Path(target)
    if target.exists():
        raise BackupError(f"{target} exists already: choose a new file name.")
    partial = target.with_name(target.name + ".partial")
    with sqlite3.connect(source) as live, sqlite3.connect(partial) as copy:
        live.backup(copy)
    copy.close()
    partial.replace(target)
    return target


def restore(source: Path) -> None:
    """Replace the database with the backup at ``source`` (stop the app first)."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"{source} is not a file.")
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as check:
        try:
            ok = check.execute("PRAGMA integrity_check").fetchone()[0]
            check.execute("SELECT count(*) FROM survey").fetchone()  # a consult database
        except sqlite3.DatabaseError as error:
            raise BackupError(f"{source} is not a consult backup: {error}") from None
        if ok != "ok":
            raise BackupError(f"{source} is damaged: {ok}")
    target = _sqlite_path()
    db.session.remove()
    db.engine.dispose()
    with sqlite3.connect(source) as backup_db, sqlite3.connect(target) as live:
        backup_db.backup(live)


def fingerprint() -> dict[str, object]:
    """Row counts of every table and a SHA-256 over every response and its answers."""
    counts = {
        table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }
    digest = hashlib.sha256()
    for row in db.session.execute(
        sa.select(
            Response.id,
            Response.survey_id,
            Response.organisation_id,
            Response.status,
            Response.coded,
        ).order_by(Response.id)
    ):
        digest.update(repr(tuple(row)).encode())
    for row in db.session.execute(
        sa.select(Answer.response_id, Answer.question_id, Answer.value, Answer.text).order_by(
            Answer.response_id, Answer.question_id
        )
    ):
        digest.update(repr(tuple(row)).encode())
    return {"rows": counts, "responses_sha256": digest.hexdigest()}
