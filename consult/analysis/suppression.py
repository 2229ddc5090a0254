"""Protecting small groups: cells of 1 to k−1 respondents are not published, and neither is
whatever would let a reader work them out again from the totals."""

from __future__ import annotations

import numpy as np

DEFAULT_K = 5
MIN_K = 3


def primary(counts: np.ndarray, k: int = DEFAULT_K) -> np.ndarray:
    """Cells with 1 … k−1 respondents."""
    if k < MIN_K:
        raise ValueError(f"k must be at least {MIN_K}")
    return (counts >= 1) & (counts < k)


def suppress(
    counts: np.ndarray, k: int = DEFAULT_K, *, also: np.ndarray | None = None
) -> np.ndarray:
    """The cells of a table (with published row and column totals) that must not be shown.

    Primary suppression hides the small cells (and the cells in ``also``); secondary
    suppression then hides, in each row and column with exactly one hidden cell, the smallest
    other cell (a non-empty one first), until no row or column has a single hidden cell (one
    hidden cell equals its total minus the others).
    """
    counts = np.atleast_2d(np.asarray(counts))
    hidden = primary(counts, k)
    if also is not None:
        hidden |= np.atleast_2d(also)
    changed = True
    while changed:
        changed = False
        for axis in (0, 1):
            lines = hidden if axis == 1 else hidden.T
            values = counts if axis == 1 else counts.T
            for i in range(lines.shape[0]):
                if lines[i].sum() != 1:
                    continue
                candidates = [j for j in range(lines.shape[1]) if not lines[i, j]]
                if not candidates:
                    continue
                j = min(candidates, key=lambda c: (values[i, c] == 0, values[i, c]))
                lines[i, j] = True
                changed = True
    return hidden
