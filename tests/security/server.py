"""consult under gunicorn on a free loopback port, for the tests that need real processes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(instance: Path, database_url: str, secret: str, **settings: Any) -> tuple[Any, str]:
    """Start gunicorn (2 workers, preloaded) and wait for /healthz; (process, base address)."""
    gunicorn = Path(sys.executable).with_name("gunicorn")
    if not gunicorn.exists():
        pytest.fail("gunicorn is needed (pip install -e '.[test]')")
    port = free_port()
    environment = {
        **os.environ,
        "CONSULT_INSTANCE_PATH": str(instance),
        "CONSULT_DATABASE_URL": database_url,
        "CONSULT_SECRET_KEY": secret,
        "CONSULT_LINK_GUESS_LIMIT": "100000 per minute",
        **{f"CONSULT_{name}": str(value) for name, value in settings.items()},
    }
    process = subprocess.Popen(
        [
            str(gunicorn),
            "--preload",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--graceful-timeout",
            "1",
            "--log-level",
            "warning",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=1)
            return process, base
        except OSError:
            time.sleep(0.1)
    process.terminate()
    pytest.fail("gunicorn did not start")
