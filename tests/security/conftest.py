"""The security suite: each test tries many inputs or routes and records "N of M tried,
0 failed" (printed with ``-s``, and kept in test-results/security.txt)."""

from __future__ import annotations

from pathlib import Path

import pytest

RESULTS = Path(__file__).resolve().parents[2] / "test-results" / "security.txt"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/security/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.security)


@pytest.fixture
def tally(request):
    """``tally(tried, failed)`` at the end of a test: printed and written down."""

    def record(tried: int, failed: list[str]) -> None:
        line = f"{request.node.name}: {tried} tried, {len(failed)} failed"
        print(line)
        RESULTS.parent.mkdir(exist_ok=True)
        with RESULTS.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")
        assert not failed, failed[:10]

    return record
