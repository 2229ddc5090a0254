"""SQLite's writers queue: the threads of one process wait their turn on a lock of the
process, the processes on the lock file; a writer that waits too long gets StorageBusy."""

from __future__ import annotations

import threading
import time

import pytest

from consult.services.transactions import StorageBusy, _WriterQueue


def test_a_thread_waits_for_the_writer_before_it_and_goes_on_at_once(tmp_path) -> None:
    database = str(tmp_path / "consult.db")
    first, second = _WriterQueue(database), _WriterQueue(database)
    first.acquire(timeout=1)
    took: list[float] = []

    def wait_for_turn() -> None:
        started = time.monotonic()
        second.acquire(timeout=5)
        took.append(time.monotonic() - started)
        second.release()

    waiter = threading.Thread(target=wait_for_turn)
    waiter.start()
    time.sleep(0.2)
    assert not took  # still waiting
    released = time.monotonic()
    first.release()
    waiter.join(timeout=5)
    assert took and took[0] >= 0.2
    assert time.monotonic() - released < 1


def test_a_writer_that_waits_past_the_timeout_gets_storage_busy(tmp_path) -> None:
    database = str(tmp_path / "consult.db")
    holder, waiter = _WriterQueue(database), _WriterQueue(database)
    holder.acquire(timeout=1)
    errors: list[Exception] = []

    def wait() -> None:
        try:
            waiter.acquire(timeout=0.1)
        except StorageBusy as error:
            errors.append(error)

    thread = threading.Thread(target=wait)
    thread.start()
    thread.join(timeout=5)
    assert len(errors) == 1
    holder.release()
    waiter.acquire(timeout=1)  # nothing was left held by the writer that gave up
    waiter.release()


def test_the_file_lock_keeps_out_another_process(tmp_path) -> None:
    import fcntl
    import os

    database = str(tmp_path / "consult.db")
    other = os.open(database + ".writers", os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(other, fcntl.LOCK_EX)  # as another process would hold it
    try:
        with pytest.raises(StorageBusy):
            _WriterQueue(database).acquire(timeout=0.1)
    finally:
        os.close(other)
    queue = _WriterQueue(database)
    queue.acquire(timeout=1)
    queue.release()
