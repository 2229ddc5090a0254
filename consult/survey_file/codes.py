"""Option codes as a survey document gives them: a written ``code``, else the option's place."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def effective_codes(items: Sequence[Mapping[str, Any]]) -> list[int]:
    """Each option's code: its written ``code``, or its position (1, 2, …) unless another
    option took that number, then the next free one."""
    taken = {item["code"] for item in items if item.get("code") is not None}
    codes = []
    next_free = max(taken, default=0) + 1
    for index, item in enumerate(items):
        code = item.get("code")
        if code is None:
            if index + 1 not in taken:
                code = index + 1
            else:
                while next_free in taken:
                    next_free += 1
                code = next_free
            taken.add(code)
        codes.append(code)
    return codes
