"""axe-core through Playwright: the accessibility check every browser test uses."""

from __future__ import annotations

from typing import Any

AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}


def axe_violations(page: Any) -> list[str]:
    """axe-core's WCAG 2.1 A/AA and best-practice violations on the page, as readable lines."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=AXE_OPTIONS)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}×, e.g. {v['nodes'][0]['target']})"
        for v in results.response["violations"]
    ]
