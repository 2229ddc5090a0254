"""Throughput and latency of answering, against a bare Flask app, in one run.

Starts consult under gunicorn on a temporary SQLite instance with the preparedness template
and N invited organisations, and the bare app of bench/bare_app.py under the same gunicorn
settings; then drives both with wrk on loopback (16 connections):

* submit: POST of a survey page (real form, CSRF, validation, storage of the answers) —
  each connection saves its own organisation's response, every save changing an answer;
  the baseline parses the same form and inserts one row;
* page: GET of the same survey page; the baseline returns the same HTML from memory;
* healthz: GET /healthz of consult, which runs consult's own stack (session, locale, rate
  limits, logs, security headers) and one ``SELECT 1``: the floor under any consult page.

Both apps use SQLite in WAL mode with ``synchronous = NORMAL`` (consult's setting); the
submit is also run against the bare app with ``synchronous = FULL`` (SQLite's default, a disk
flush per commit), the baseline of the figures measured before. Besides requests per second
and p99 latency it prints the workers' processor time per response, which other load on the
machine disturbs less than the rates.

Needs wrk (Debian: apt-get install wrk) and gunicorn (pip install -e '.[server]').
Run: ``.venv/bin/python bench/submit_path.py [--seconds 10] [--connections 16] [--runs 3]``
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECTION = "organisation_profile"
#: The gunicorn settings of both apps (see docs/operations.md, "Performance notes").
WORKERS, THREADS = 2, 4
ANSWERS = {
    "q_org_theme_group": "culture",
    "q_org_size": "staff_1_5",
    "q_org_languages": ["fi", "sv"],
    "q_org_districts": ["central"],
    "q_org_city_funding": "yes",
    "action": "save",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str) -> None:
    for _ in range(100):
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer")


def gunicorn(
    app: str, port: int, env: dict[str, str], workers: int, threads: int, log: Path | None = None
) -> subprocess.Popen:
    """The app under gunicorn; its output (consult logs a line per request) goes to ``log``."""
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "--workers", str(workers), "--threads", str(threads), "--worker-class", "gthread",
        "--bind", f"127.0.0.1:{port}", "--log-level", "warning", app,
    ]  # fmt: skip
    output = log.open("ab") if log else None
    return subprocess.Popen(
        command, cwd=ROOT, env={**os.environ, **env}, stdout=output, stderr=output
    )


def cpu_seconds(server: subprocess.Popen) -> float:
    """Processor time used so far by the workers of a gunicorn server (Linux)."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    ticks = 0
    for child in children:
        fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def prepare(instance: Path, organisations: int) -> list[str]:
    """The demo-free instance: the preparedness template, open, and invited organisations."""
    from consult import create_app
    from consult.cli import init_database
    from consult.extensions import db
    from consult.services import invitations
    from consult.services.organisations import OrganisationData, create_organisation
    from consult.services.surveys import import_document
    from consult.survey_templates import template_document

    app = create_app({"INSTANCE_PATH": str(instance)})
    with app.app_context():
        init_database()
        survey, _ = import_document(template_document("preparedness"))
        survey.state = "open"
        orgs = [
            create_organisation(OrganisationData(name=f"Bench {i} ry"))
            for i in range(organisations)
        ]
        db.session.commit()
        tokens = [issued.token for issued in invitations.invite(survey, orgs)]
        db.session.remove()
        db.engine.dispose()
    return tokens


#: Every save changes an answer: the plan goes through all organisations with one size,
#: then all with the other (a save that changes nothing writes nothing).
OTHER_SIZE = "staff_6_plus"


def sessions(base: str, tokens: list[str]) -> list[tuple[str, str, str]]:
    """For each token: the page path, its session cookie and a form body with its CSRF token;
    then the same with another answer."""
    out, changed = [], []
    for token in tokens:
        jar = CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        path = f"/r/{token}/p/{SECTION}"
        html = opener.open(base + path + "?lang=fi").read().decode()
        csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
        cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
        body = urllib.parse.urlencode({"csrf_token": csrf, **ANSWERS}, doseq=True)
        out.append((path, cookie, body))
        other = {**ANSWERS, "q_org_size": OTHER_SIZE}
        changed.append(
            (path, cookie, urllib.parse.urlencode({"csrf_token": csrf, **other}, doseq=True))
        )
    return out + changed


LUA = """
local requests = {%s}
local counter = 0
request = function()
  counter = counter + 1
  local r = requests[(counter %% #requests) + 1]
  local headers = { ["Cookie"] = r[2], ["Content-Type"] = "application/x-www-form-urlencoded" }
  if r[3] == "" then return wrk.format("GET", r[1], headers) end
  return wrk.format("POST", r[1], headers, r[3])
end
response = function(status, headers, body)
  if status >= 400 then io.stderr:write("HTTP " .. status .. "\\n") end
end
"""


def lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def run_wrk(
    url: str, plan: list[tuple[str, str, str]], seconds: int, connections: int, folder: Path
) -> tuple[float, float, int, int]:
    """Requests per second, p99 latency in ms, the number of error responses, and of
    responses."""
    script = folder / f"plan-{time.monotonic_ns()}.lua"
    rows = ",".join("{" + ",".join(lua_string(x) for x in row) + "}" for row in plan)
    script.write_text(LUA % rows, encoding="utf-8")
    result = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script), url],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", result.stdout).group(1))
    p99_value, p99_unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", result.stdout).groups()
    p99 = float(p99_value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99_unit]
    errors = result.stderr.count("HTTP ") + int(
        re.search(r"Non-2xx or 3xx responses: (\d+)", result.stdout).group(1)
        if "Non-2xx" in result.stdout
        else 0
    )
    count = int(re.search(r"(\d+) requests in", result.stdout).group(1))
    return rate, p99, errors, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=WORKERS)
    parser.add_argument("--threads", type=int, default=THREADS)
    parser.add_argument(
        "--runs", type=int, default=3, help="rounds of every measurement; medians are printed"
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        instance = folder / "instance"
        tokens = prepare(instance, organisations=args.connections * 4)
        consult_port, bare_port, bare_full_port = free_port(), free_port(), free_port()
        env = {"CONSULT_INSTANCE_PATH": str(instance), "CONSULT_ENV": "production",
               "CONSULT_SECRET_KEY": "bench-" + "x" * 40, "CONSULT_LINK_GUESS_LIMIT": "100000 per minute"}  # fmt: skip
        log = folder / "gunicorn.log"
        consult = gunicorn("wsgi:app", consult_port, env, args.workers, args.threads, log)
        servers = [consult]
        try:
            base = f"http://127.0.0.1:{consult_port}"
            wait_for(base + "/")
            plan = sessions(base, tokens)
            page_html = urllib.request.urlopen(base + plan[0][0] + "?lang=fi").read().decode()
            (folder / "page.html").write_text(page_html, encoding="utf-8")
            bare_servers = {}
            for synchronous, port in (("NORMAL", bare_port), ("FULL", bare_full_port)):
                bare_db = folder / f"bare-{synchronous}.db"
                with sqlite3.connect(bare_db) as db:
                    db.execute("PRAGMA journal_mode = WAL")
                    db.execute(
                        "CREATE TABLE answers (id INTEGER PRIMARY KEY, token TEXT, section TEXT, body TEXT)"
                    )
                bare_env = {
                    "BARE_DATABASE": str(bare_db),
                    "BARE_PAGE": str(folder / "page.html"),
                    "BARE_SYNCHRONOUS": synchronous,
                    "PYTHONPATH": str(ROOT / "bench"),
                }
                server = gunicorn("bare_app:app", port, bare_env, args.workers, args.threads, log)
                servers.append(server)
                bare_servers[synchronous] = (server, f"http://127.0.0.1:{port}")
                wait_for(f"http://127.0.0.1:{port}" + plan[0][0])
            bare_server, bare = bare_servers["NORMAL"]
            bare_full_server, bare_full = bare_servers["FULL"]

            gets = [(path, cookie, "") for path, cookie, _ in plan]
            health = [("/healthz", cookie, "") for _, cookie, _ in plan]
            rounds: list[dict[str, tuple[float, float, int, float]]] = []
            for _ in range(args.runs):  # rounds, so that a disturbance hits every row alike
                results = {}
                for name, server, url, requests in (
                    ("submit  consult", consult, base, plan),
                    ("submit  bare", bare_server, bare, plan),
                    ("submit  bare FULL", bare_full_server, bare_full, plan),
                    ("page    consult", consult, base, gets),
                    ("page    bare", bare_server, bare, gets),
                    ("healthz consult", consult, base, health),
                ):
                    used = cpu_seconds(server)
                    rate, p99, errors, count = run_wrk(
                        url, requests, args.seconds, args.connections, folder
                    )
                    cpu_ms = (cpu_seconds(server) - used) / max(count, 1) * 1000
                    results[name] = (rate, p99, errors, cpu_ms)
                rounds.append(results)
        except BaseException:
            print(log.read_text(errors="replace")[-3000:], file=sys.stderr)
            raise
        finally:
            for server in servers:
                server.terminate()
                server.wait(timeout=10)
    print(
        f"wrk: {args.connections} connections, {args.seconds} s each, {args.runs} rounds "
        f"(medians; req/s range in brackets); gunicorn {args.workers} workers × {args.threads} "
        "threads; SQLite, WAL, synchronous=NORMAL (unless FULL)"
    )
    print(f"{'':<18}{'req/s':>10}{'(range)':>14}{'p99 ms':>10}{'errors':>8}{'CPU ms/req':>12}")
    results = {}
    for name in rounds[0]:
        rates = [r[name][0] for r in rounds]
        row = tuple(statistics.median(r[name][i] for r in rounds) for i in range(4))
        errors = sum(r[name][2] for r in rounds)
        results[name] = row
        spread = f"({min(rates):.0f}–{max(rates):.0f})"
        print(f"{name:<18}{row[0]:>10.0f}{spread:>14}{row[1]:>10.1f}{errors:>8}{row[3]:>12.2f}")

    def ratio(a: str, b: str) -> float:
        """The median of the rounds' ratios: each round's two rows ran side by side."""
        return statistics.median(r[a][0] / r[b][0] for r in rounds)

    submit_ratio = ratio("submit  consult", "submit  bare")
    full_ratio = ratio("submit  consult", "submit  bare FULL")
    page_ratio = ratio("page    consult", "page    bare")
    print(
        f"submit: consult / bare = {submit_ratio:.2f} (target ≥ 0.5); p99 {results['submit  consult'][1]:.1f} ms (target < 50)"
    )
    print(
        f"        consult / bare FULL = {full_ratio:.2f} (the bare app with synchronous=FULL, "
        "SQLite's default, which flushes every commit to the disk; consult does not)"
    )
    print(
        f"page:   consult / bare = {page_ratio:.2f}; {results['page    consult'][0]:.0f} req/s (target > 1000)"
    )
    print(
        f"floor:  consult's own stack on /healthz (session, locale, rate limit, logs, headers, "
        f"one SELECT 1): {results['healthz consult'][0]:.0f} req/s"
    )
    print(
        "CPU ms/req: processor time of the workers per response (robust to other load; "
        "2 cores give at most 2000 / CPU ms/req responses per second)"
    )


if __name__ == "__main__":
    main()
