"""Write transactions that either commit or say the database was busy, storing nothing."""

from __future__ import annotations

import fcntl
import os
import threading
import time
from typing import Any

from flask import current_app
from sqlalchemy.exc import OperationalError

from consult.extensions import db


class StorageBusy(Exception):
    """The database could not take the write in time (locked, restarting); nothing was stored."""


class _WriterQueue:
    """Writers of one SQLite file queue on a lock file next to it.

    SQLite's own busy wait sleeps up to 100 ms between tries, so under load a writer may
    wait long after the lock is free; here a waiter takes the lock within a millisecond of
    its release, across threads and processes alike. The threads of one process queue on a
    lock of the process (a waiting thread sleeps until it is its turn); only the thread at
    the head of the queue tries the file lock, so that waiting costs no processor time. The
    busy timeout still guards writers from outside consult (the sqlite3 shell, a backup).
    """

    def __init__(self, database: str) -> None:
        self.path = database + ".writers"
        self.fd: int | None = None
        self.threads = _thread_lock(self.path)

    def acquire(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        if not self.threads.acquire(timeout=timeout):
            raise StorageBusy
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except BaseException:
            self.threads.release()
            raise
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                self.fd = fd
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    self.threads.release()
                    raise StorageBusy from None
                time.sleep(0.0005)

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing releases the lock
            self.fd = None
            self.threads.release()


#: The lock the threads of this process queue on, per lock file.
_thread_locks: dict[str, threading.Lock] = {}
_thread_locks_guard = threading.Lock()


def _thread_lock(path: str) -> threading.Lock:
    with _thread_locks_guard:
        return _thread_locks.setdefault(path, threading.Lock())


def _forget_thread_locks() -> None:
    """A forked process starts with queues of its own (a lock held in the parent at the
    moment of the fork would never be released in the child)."""
    global _thread_locks_guard
    _thread_locks.clear()
    _thread_locks_guard = threading.Lock()


os.register_at_fork(after_in_child=_forget_thread_locks)


class writing:
    """A write transaction that commits, or rolls back and raises StorageBusy when the database
    cannot take it (locked past the lock timeout, connection lost)."""

    def __init__(self) -> None:
        self.queue: _WriterQueue | None = None

    def __enter__(self) -> None:
        if db.engine.dialect.name != "sqlite":
            return
        db.session.commit()  # end any read transaction: the write starts afresh
        database = db.engine.url.database
        if database and database != ":memory:":
            self.queue = _WriterQueue(database)
            self.queue.acquire(current_app.config["LOCK_TIMEOUT_MS"] / 1000)
        try:
            # Take SQLite's write lock first, so that a read transaction never has to become
            # a write one (which fails at once instead of waiting).
            db.session.connection().exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException as error:  # __exit__ will not run: let go of the queue here
            db.session.rollback()
            self._release()
            if isinstance(error, OperationalError):
                raise StorageBusy from error
            raise

    def __exit__(self, kind: Any, error: Any, traceback: Any) -> bool:
        try:
            if kind is not None:
                db.session.rollback()
                if isinstance(error, OperationalError):
                    raise StorageBusy from error
                return False
            try:
                db.session.commit()
            except BaseException as failure:
                db.session.rollback()
                if isinstance(failure, OperationalError):
                    raise StorageBusy from failure
                raise
            return False
        finally:
            self._release()

    def _release(self) -> None:
        if self.queue is not None:
            self.queue.release()
            self.queue = None
