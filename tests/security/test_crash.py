"""Nothing acknowledged is lost: consult under gunicorn takes submissions while a worker is
killed with SIGKILL 100 times; every submission that got its receipt is stored exactly once,
and no response is half stored (its packed answers always equal its answer rows)."""

from __future__ import annotations

import http.client
import os
import re
import signal
import subprocess
import threading
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

from factories import make_app, make_organisation, survey_document

from consult.cli import init_database
from consult.extensions import db
from consult.services import invitations
from consult.services.surveys import import_document

from .server import start
from .stored import stored_once_and_whole

ROOT = Path(__file__).resolve().parents[2]
KILLS = 100
ORGANISATIONS = 1500


def _answer_one(base: str, token: str) -> bool:
    """Answer and submit one organisation's survey; True when the receipt came back."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/r/{token}/p/first?lang=en", timeout=5).read().decode()
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    form = {"csrf_token": csrf, "action": "next", "q_size": "small", "q_plan": "no"}
    opener.open(
        f"{base}/r/{token}/p/first", urllib.parse.urlencode(form).encode(), timeout=5
    ).read()
    done = opener.open(
        f"{base}/r/{token}/submit", urllib.parse.urlencode({"csrf_token": csrf}).encode(), timeout=5
    )
    return done.geturl().endswith("/receipt")


def test_killing_workers_loses_no_acknowledged_submission(
    tmp_path, fresh_database_url, tally
) -> None:
    app = make_app(tmp_path, fresh_database_url)
    with app.app_context():
        init_database()
        document = survey_document(key="crash-test")
        survey, _warnings = import_document(document)
        survey.state = "open"
        db.session.commit()
        tokens = [
            i.token
            for i in invitations.invite(
                survey, [make_organisation(f"Järjestö {n} ry") for n in range(ORGANISATIONS)]
            )
        ]
        secret = app.config["SECRET_KEY"]
        db.session.remove()
        db.engine.dispose()

    server, base = start(tmp_path / "instance", app.config["SQLALCHEMY_DATABASE_URI"], secret)
    acknowledged: list[str] = []
    stop = threading.Event()
    kills = 0
    try:

        def answer_all() -> None:
            for token in tokens:
                if stop.is_set():
                    return
                try:
                    if _answer_one(base, token):
                        acknowledged.append(token)
                except (OSError, http.client.HTTPException, AttributeError):
                    pass  # a worker died mid-request: not acknowledged

        clients = [threading.Thread(target=answer_all) for _ in range(1)]
        for client in clients:
            client.start()
        while kills < KILLS and any(c.is_alive() for c in clients):
            time.sleep(0.2)
            workers = subprocess.run(
                ["pgrep", "-P", str(server.pid)], capture_output=True, text=True
            ).stdout.split()
            if workers:
                os.kill(int(workers[kills % len(workers)]), signal.SIGKILL)
                kills += 1
        # On a busy machine few submissions get through between the kills (each killed worker
        # is started again): the client goes on until there are enough to prove something.
        deadline = time.monotonic() + 60
        while len(acknowledged) < 10 and time.monotonic() < deadline:
            if not any(c.is_alive() for c in clients):
                break
            time.sleep(0.1)
        stop.set()
        for client in clients:
            client.join(timeout=30)
    finally:
        server.terminate()
        server.wait(timeout=10)

    failed = stored_once_and_whole(app, acknowledged)
    assert kills == KILLS, f"only {kills} kills: the client finished too soon"
    assert len(acknowledged) >= 10, "too few submissions got through to prove anything"
    print(f"{kills} workers killed; {len(acknowledged)} submissions acknowledged")
    tally(len(acknowledged), failed)
