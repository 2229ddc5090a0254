"""The security suite: each test tries many inputs or routes and records "N of M tried,
0 failed" (printed with ``-s``, and kept in test-results/security.txt)."""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/security/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.security)
