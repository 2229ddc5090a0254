"""PostgreSQL restarted under load (as after a crash): consult under gunicorn takes
submissions from two clients while its database is restarted three times, as
``pg_ctl restart -m immediate`` does (the server killed without a shutdown checkpoint, then
started, recovering from the WAL).

- every submission that got its receipt is stored exactly once, as submitted;
- no response is half stored (its packed answers equal its answer rows);
- the next requests succeed: every organisation that began answering more than a second
  after the database was back, and did not run into the next restart, got its receipt;
- while the database is down the respondent gets the 503 page that keeps what was typed,
  never a 500.

The test brings its own PostgreSQL cluster on a free port, whatever
CONSULT_TEST_DATABASE_URL says: restarting the shared one would break the tests running
beside it.
"""

from __future__ import annotations

import glob
import http.client
import os
import pwd
import re
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from factories import make_app, make_organisation, survey_document

from consult.cli import init_database
from consult.extensions import db
from consult.services import invitations
from consult.services.surveys import import_document

from .server import free_port, start
from .stored import stored_once_and_whole

ORGANISATIONS = 800
RESTARTS = 3
#: Seconds of load before the first restart, between restarts and after the last.
LOAD_BETWEEN = 1.5
LOAD_AFTER = 2.5
#: How long after the database is back the next answers must all go through (seconds).
SETTLE = 1.0
#: What the page of task "the database is unavailable" says, and what the respondent's page
#: says when a save or a submit could not be written.
UNAVAILABLE_TEXTS = (
    "The service is briefly unavailable",
    "We could not save your answers just now",
    "We could not submit just now",
)


# -- a private PostgreSQL cluster ------------------------------------------------------------


def _postgres_bindir() -> Path:
    candidates: list[Path] = []
    if shutil.which("pg_config"):
        found = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True)
        if found.returncode == 0 and found.stdout.strip():
            candidates.append(Path(found.stdout.strip()))
    candidates += [
        Path(p)
        for p in sorted(
            glob.glob("/usr/lib/postgresql/*/bin"),
            key=lambda p: int(re.sub(r"\D", "", p.split("/")[-2]) or 0),
            reverse=True,
        )
    ]
    for directory in candidates:
        if (directory / "initdb").exists() and (directory / "pg_ctl").exists():
            return directory
    pytest.fail(
        "PostgreSQL's initdb and pg_ctl are needed for this test (Debian: apt-get install "
        "postgresql; or put pg_config on PATH)"
    )


def _as_postgres(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: as root, run its programs as the user postgres."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@dataclass
class PrivatePostgres:
    bindir: Path
    base: Path
    port: int

    @property
    def data(self) -> Path:
        return self.base / "data"

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/consult"

    def run(self, program: str, *arguments: str, timeout: float = 60) -> None:
        command = _as_postgres([str(self.bindir / program), *arguments])
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0:
            log = (
                (self.base / "log").read_text(errors="replace")[-2000:]
                if (self.base / "log").exists()
                else ""
            )
            pytest.fail(f"{program} {' '.join(arguments)} failed: {done.stderr}\n{log}")

    def pg_ctl(self, action: str, *arguments: str) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.base}"
        self.run(
            "pg_ctl", action, "-D", str(self.data), "-l", str(self.base / "log"),
            "-o", options, *arguments,
        )  # fmt: skip

    def accepting(self) -> bool:
        try:
            with psycopg.connect(
                f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres",
                connect_timeout=1,
            ):
                return True
        except psycopg.OperationalError:
            return False


@pytest.fixture
def private_postgres() -> Iterator[PrivatePostgres]:
    """A PostgreSQL cluster of this test's own, with an empty database ``consult``."""
    bindir = _postgres_bindir()
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            pytest.fail("running as root, this test needs the user postgres to run PostgreSQL")
    base = Path(tempfile.mkdtemp(prefix="consult-pg-"))  # not under pytest's private tmp
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
    cluster = PrivatePostgres(bindir, base, free_port())
    started = False
    try:
        cluster.run("initdb", "-D", str(cluster.data), "-A", "trust", "-U", "postgres",
                    "--no-sync", "-E", "UTF8", "--locale", "C")  # fmt: skip
        cluster.pg_ctl("start", "-w")
        started = True
        admin = sa.create_engine(
            f"postgresql+psycopg://postgres@127.0.0.1:{cluster.port}/postgres",
            isolation_level="AUTOCOMMIT",
        )
        with admin.connect() as connection:
            connection.exec_driver_sql("CREATE DATABASE consult")
        admin.dispose()
        yield cluster
    finally:
        if started:
            subprocess.run(
                _as_postgres([str(bindir / "pg_ctl"), "stop", "-D", str(cluster.data),
                              "-m", "immediate"]),
                capture_output=True, timeout=60,
            )  # fmt: skip
        shutil.rmtree(base, ignore_errors=True)


# -- the respondents -------------------------------------------------------------------------


@dataclass
class Attempt:
    """One organisation answering: when it began and ended, and whether the receipt came."""

    token: str
    started: float
    ended: float = 0.0
    acknowledged: bool = False
    error: str = ""


@dataclass
class Reply:
    sent: float
    answered: float
    status: int  # 0: no HTTP answer at all
    kind: str = ""  # for a 503: which page said so


@dataclass
class Load:
    base: str
    tokens: Iterator[str]
    stop: threading.Event = field(default_factory=threading.Event)
    attempts: list[Attempt] = field(default_factory=list)
    replies: list[Reply] = field(default_factory=list)
    guard: threading.Lock = field(default_factory=threading.Lock)

    def request(self, opener, url: str, form: dict | None = None) -> tuple[int, str, str]:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        sent = time.monotonic()
        try:
            with opener.open(url, data, timeout=15) as answer:
                status, body, final = answer.status, answer.read().decode(), answer.geturl()
        except urllib.error.HTTPError as error:
            status, body, final = error.code, error.read().decode(errors="replace"), url
        except (OSError, http.client.HTTPException):
            self.replies.append(Reply(sent, time.monotonic(), 0))
            raise
        kind = next((t for t in UNAVAILABLE_TEXTS if t in body), "") if status == 503 else ""
        self.replies.append(Reply(sent, time.monotonic(), status, kind))
        return status, body, final

    def answer_one(self, token: str) -> bool:
        """Answer and submit one organisation's survey, once; True when the receipt came."""
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        page = f"{self.base}/r/{token}/p/first"
        status, body, _ = self.request(opener, page + "?lang=en")
        if status != 200:
            return False
        csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', body).group(1)
        form = {"csrf_token": csrf, "action": "next", "q_size": "small", "q_plan": "no"}
        status, body, final = self.request(opener, page, form)
        if status != 200 or not final.endswith("/p/second"):
            return False
        status, body, final = self.request(
            opener, f"{self.base}/r/{token}/submit", {"csrf_token": csrf}
        )
        return status == 200 and final.endswith("/receipt")

    def client(self) -> None:
        while not self.stop.is_set():
            with self.guard:
                token = next(self.tokens, None)
            if token is None:
                return
            attempt = Attempt(token, time.monotonic())
            self.attempts.append(attempt)
            try:
                attempt.acknowledged = self.answer_one(token)
            except (OSError, http.client.HTTPException, AttributeError) as error:
                attempt.error = type(error).__name__  # not acknowledged
            attempt.ended = time.monotonic()
            if not attempt.acknowledged:
                time.sleep(0.05)  # a moment before the next organisation, as a person would


# -- the test --------------------------------------------------------------------------------


def test_postgres_restarted_under_load_loses_nothing_and_recovers(
    tmp_path, private_postgres, tally
) -> None:
    app = make_app(tmp_path, private_postgres.url)
    with app.app_context():
        init_database()
        survey, _warnings = import_document(survey_document(key="restart"))
        survey.state = "open"
        db.session.commit()
        organisations = [make_organisation(f"Järjestö {n} ry") for n in range(ORGANISATIONS)]
        tokens = [i.token for i in invitations.invite(survey, organisations)]
        url, secret = app.config["SQLALCHEMY_DATABASE_URI"], app.config["SECRET_KEY"]
        db.session.remove()
        db.engine.dispose()

    server, base = start(tmp_path / "instance", url, secret)
    load = Load(base, iter(tokens))
    restarts: list[tuple[float, float, float]] = []  # (began, gone, accepting connections)
    try:
        began_load = time.monotonic()
        clients = [threading.Thread(target=load.client) for _ in range(2)]
        for client in clients:
            client.start()
        time.sleep(LOAD_BETWEEN)
        for _ in range(RESTARTS):
            # pg_ctl restart -m immediate, in its two halves, to time them: the server
            # killed without a checkpoint (pg_ctl waits until it is gone), then started
            # (recovering from the WAL) and watched here until it accepts a connection.
            began = time.monotonic()
            private_postgres.pg_ctl("stop", "-m", "immediate")
            gone = time.monotonic()
            private_postgres.pg_ctl("start", "-W")
            while not private_postgres.accepting():
                time.sleep(0.01)
            restarts.append((began, gone, time.monotonic()))
            time.sleep(LOAD_BETWEEN if len(restarts) < RESTARTS else LOAD_AFTER)
        load.stop.set()
        for client in clients:
            client.join(timeout=60)
    finally:
        server.terminate()
        server.wait(timeout=10)

    attempts = [a for a in load.attempts if a.ended]
    acknowledged = [a.token for a in attempts if a.acknowledged]

    # (a) and (b): what got a receipt is stored once, as submitted; nothing is half stored
    failed = stored_once_and_whole(app, acknowledged)

    # (c): the next requests succeed — in each quiet stretch (before the first restart, and
    # from SETTLE seconds after each restart until the next began), every organisation that
    # began answering got its receipt, unless the next restart cut it short
    starts = [began_load - SETTLE] + [back for _began, _gone, back in restarts]
    ends = [began for began, _gone, _back in restarts] + [float("inf")]
    quiet = 0
    for back, next_restart in zip(starts, ends, strict=True):
        for attempt in attempts:
            if not back + SETTLE <= attempt.started < next_restart:
                continue
            quiet += 1
            if not attempt.acknowledged and attempt.ended < next_restart:
                failed.append(
                    f"{attempt.token[:8]} began {attempt.started - back:.2f} s after the "
                    f"database was back and got no receipt ({attempt.error or 'refused'})"
                )
    if quiet < 20:
        failed.append(f"only {quiet} organisations answered in the quiet stretches")

    # (d): while the database was down, 503 with the page that keeps what was typed
    statuses = Counter(r.status for r in load.replies)
    for reply in load.replies:
        if reply.status == 503 and not reply.kind:
            failed.append("a 503 without the page that keeps what was typed")
        elif reply.status not in (200, 503):
            failed.append(f"status {reply.status} at {reply.sent - began_load:.2f} s")
    down = [
        r
        for r in load.replies
        if any(r.answered >= began and r.sent <= back for began, _gone, back in restarts)
    ]
    refused = [r for r in down if r.status != 200]
    first_success = [
        min(
            (r.answered - back for r in load.replies if r.status == 200 and r.sent >= gone),
            default=float("nan"),
        )
        * 1000
        for _began, gone, back in restarts
    ]
    if not refused:
        failed.append("no request ran into a restart: the downtime was never seen")
    downtimes = ", ".join(f"{(back - began) * 1000:.0f}" for began, _gone, back in restarts)
    kinds = Counter(r.kind for r in refused if r.status == 503)
    print(
        f"\n{len(acknowledged)} of {len(attempts)} organisations acknowledged; "
        f"{len(restarts)} restarts, down {downtimes} ms; "
        f"{len(refused)} of {len(down)} requests during the downtime refused "
        f"({dict(Counter(r.status for r in refused))}: {dict(kinds)}); "
        f"first success after each restart {', '.join(f'{ms:.0f}' for ms in first_success)} ms; "
        f"{quiet} organisations began in the quiet stretches, all acknowledged; "
        f"statuses {dict(statuses)}"
    )
    assert len(restarts) == RESTARTS
    assert not any(c.is_alive() for c in clients), "a client was still waiting"
    assert len(acknowledged) >= 20, "too few submissions got through to prove anything"
    tally(len(attempts), failed)
