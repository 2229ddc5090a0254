"""Answers as columns: a matrix of numbers, one row per response, one column per item."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

CODED_DTYPE = np.dtype("<f8")
#: The code of "don't know" in scale and matrix columns.
DONT_KNOW = -1.0


@dataclass(frozen=True)
class Columns:
    """A survey's answers: ``values[row, column]``; NaN where there is no answer.

    ``layout[column]`` is ``(question_key, item_key_or_None)``; ``response_ids[row]`` and
    ``organisation_ids[row]`` say whose answers a row holds.
    """

    layout: list[tuple[str, str | None]]
    values: np.ndarray
    response_ids: np.ndarray
    organisation_ids: np.ndarray

    def column(self, question_key: str, item: str | None = None) -> np.ndarray:
        """One column, by question key and item (option or statement key)."""
        return self.values[:, self.layout.index((question_key, item))]


def unpack(blobs: Sequence[bytes], width: int) -> np.ndarray:
    """Stack packed float64 vectors into a ``len(blobs) × width`` matrix (column-major).

    Vectors written before columns were added are shorter; their missing columns are NaN.
    """
    item = CODED_DTYPE.itemsize
    if all(len(blob) == width * item for blob in blobs):
        flat = np.frombuffer(b"".join(blobs), dtype=CODED_DTYPE)
        # Column-major (one copy, as the bytearray was): the analysis reads column by column.
        return np.asfortranarray(flat.reshape(len(blobs), width))
    matrix = np.full((len(blobs), width), np.nan, dtype=CODED_DTYPE, order="F")
    for row, blob in enumerate(blobs):
        vector = np.frombuffer(blob, dtype=CODED_DTYPE)[:width]
        matrix[row, : len(vector)] = vector
    return matrix
